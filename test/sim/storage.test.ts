import { expect } from "chai";
import { simulate } from "../../lib/sim/engine.js";
import type { FsyncPolicy } from "../../lib/sim/storage.js";
import { findLostWrites } from "../../lib/checkers/index.js";
import { kvConfig } from "./helpers.js";

/**
 * One node, crashed at 300 ms and restarted at 350 ms, under a given fsync policy. Clients
 * stop at 290 ms so that the final state is exactly what the restart recovered.
 */
function crashRun(fsync: FsyncPolicy, replyBeforeDisk: boolean, lose = false) {
  return simulate(kvConfig({
    config: { replyBeforeDisk },
    storage: { fsync, fsyncLatency: { kind: "constant", value: 2 } },
    workload: { ...kvConfig().workload!, mix: { read: 0, update: 1 }, keys: { count: 1000, distribution: "uniform" }, stopMs: 290 },
    faults: [{ kind: lose ? "lose-disk" : "crash", at: 300, node: "n1" }, { kind: "restart", at: 350, node: "n1" }],
    durationMs: 400,
  }));
}

function lost(run: ReturnType<typeof crashRun>): number {
  return findLostWrites(run.history, run.finalContents("n1"), "latest").lost.length;
}

describe("storage: a crash keeps what was synced and loses the rest", () => {
  it("loses no acknowledged write when every write is fsynced before the reply", () => {
    const run = crashRun({ kind: "always" }, false);
    expect(run.history.filter((o) => o.type === "ok" && o.f === "write").length).to.be.greaterThan(100);
    expect(lost(run)).to.equal(0);
  });

  it("loses acknowledged writes from the last fsync interval when replying before the fsync", () => {
    const run = crashRun({ kind: "interval", everyMs: 100 }, true);
    const n = lost(run);
    expect(n).to.be.greaterThan(0);
    // Everything acknowledged before the last completed fsync (at 200 + 2 ms) survived.
    const lostSet = new Set(findLostWrites(run.history, run.finalContents("n1"), "latest").lost.map((l) => l.value));
    const early = run.history.filter((o) => o.type === "ok" && o.f === "write" && o.time < 200 && lostSet.has(o.value as number));
    expect(early).to.have.length(0);
  });

  it("with fsync never, loses everything since boot until the OS writes back (30 s by default)", () => {
    const run = crashRun({ kind: "never" }, true);
    const acked = run.history.filter((o) => o.type === "ok" && o.f === "write").length;
    // The node restarts empty: every acknowledged write is gone.
    expect(acked).to.be.greaterThan(100);
    expect(lost(run)).to.equal(acked);
  });

  it("loses everything, synced or not, when the disk is lost", () => {
    const run = crashRun({ kind: "always" }, false, true);
    const acked = run.history.filter((o) => o.type === "ok" && o.f === "write").length;
    expect(lost(run)).to.equal(acked);
    expect(run.stateAt("n1", 340).synced).to.equal(0);
  });

  it("reports synced ≤ written at every disk event", () => {
    const run = crashRun({ kind: "interval", everyMs: 30 }, true);
    for (const e of run.trace) if (e.type === "disk") expect(e.synced).to.be.at.most(e.written);
  });
});
