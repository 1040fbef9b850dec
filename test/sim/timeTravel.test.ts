import { expect } from "chai";
import { simulate } from "../../lib/sim/engine.js";
import { slice } from "../../lib/sim/appendLog.js";
import { primaryBackup } from "../../lib/protocols/primaryBackup.js";
import type { SimConfig } from "../../lib/sim/config.js";
import type { PrimaryBackupConfig, PrimaryBackupState } from "../../lib/protocols/primaryBackup.js";

const config = (recordStates: boolean): SimConfig<PrimaryBackupState, PrimaryBackupConfig> => ({
  seed: 4,
  nodes: 3,
  protocol: primaryBackup,
  config: { copies: 3, ack: "majority", snapshotEvery: 20 },
  network: { latency: { kind: "exponential", rate: 1 }, fifo: true },
  faults: [{ kind: "lose-disk", at: 200, node: "n3" }, { kind: "restart", at: 260, node: "n3" }],
  workload: { clients: 3, loop: "closed", mix: { read: 0.2, update: 0.8 }, keys: { count: 30, distribution: "uniform" }, timeoutMs: 30 },
  durationMs: 400,
  recordStates,
});

describe("time travel: any moment of a run, after the run", () => {
  const recorded = simulate(config(true));
  const replayed = simulate(config(false));

  it("finds the same states by deterministic replay as by recording every state", () => {
    for (const t of [0, 37.5, 199.9, 200, 230, 261, 399]) {
      const a = recorded.clusterAt(t);
      const b = replayed.clusterAt(t);
      for (let i = 0; i < a.length; i++) {
        expect(b[i].up, `${a[i].node} at ${t}`).to.equal(a[i].up);
        expect(b[i].synced).to.equal(a[i].synced);
        expect(b[i].state.kv.equals(a[i].state.kv), `${a[i].node} kv at ${t}`).to.equal(true);
        expect(b[i].state.log.length).to.equal(a[i].state.log.length);
      }
    }
  });

  it("shows a node down between a disk loss and its restart, with nothing on disk", () => {
    const s = replayed.stateAt("n3", 230);
    expect(s.up).to.equal(false);
    expect(s.written).to.equal(0);
  });

  it("keeps states that later events did not change (immutability): a state held since 100 ms equals a replay stopped there, entry by entry", () => {
    // The recorded state was captured at 100 ms and held while the run went on for 300 ms
    // more (appending to shared logs, updating maps); the replay never went past 100 ms.
    const held = recorded.stateAt("n1", 100).state;
    const fresh = replayed.stateAt("n1", 100).state;
    expect(recorded.stateAt("n1", 399).state.log.length).to.be.greaterThan(held.log.length);
    expect(slice(held.log)).to.deep.equal(slice(fresh.log));
    expect(held.kv.equals(fresh.kv)).to.equal(true);
    expect(held.snapshot.index).to.equal(fresh.snapshot.index);
  });

  it("diffs two moments: the rebuilt node's log and keys appear as changes", () => {
    const rows = replayed.diff(230, 399);
    const n3 = rows.filter((r) => r.node === "n3");
    expect(n3.some((r) => r.path === "up" && r.before === false && r.after === true)).to.equal(true);
    expect(n3.some((r) => r.path.startsWith("state.kv["))).to.equal(true);
    expect(rows.filter((r) => r.node === "n1").every((r) => r.path !== "up")).to.equal(true);
  });

  it("refuses a moment outside the run, and an unknown node", () => {
    expect(() => replayed.stateAt("n1", 500)).to.throw(RangeError, /outside this run/);
    expect(() => replayed.stateAt("n9", 5)).to.throw(RangeError, /unknown node "n9"/);
  });
});
