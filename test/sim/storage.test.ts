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

describe("storage: fsync always is one fsync at a time, with group commit", () => {
  const run = simulate(kvConfig({
    network: { latency: { kind: "constant", value: 0.1 } },
    storage: { fsync: { kind: "always" }, fsyncLatency: { kind: "constant", value: 2 } },
    workload: { clients: 4, loop: "open", ratePerSec: 1000, mix: { read: 0, update: 1 }, keys: { count: 100, distribution: "uniform" }, timeoutMs: 50 },
    durationMs: 1000,
  }));
  it("acknowledges a write after one to two fsync durations (it may wait for the running one)", () => {
    const started = new Map<string, number>();
    const latencies: number[] = [];
    for (const op of run.history) {
      if (op.type === "invoke") started.set(op.process, op.time);
      else if (op.type === "ok") latencies.push(op.time - started.get(op.process)!);
    }
    expect(latencies.length).to.be.greaterThan(3000);
    expect(Math.min(...latencies)).to.be.closeTo(2.2, 1e-9);
    expect(Math.max(...latencies)).to.be.at.most(4.2 + 1e-9);
    expect(latencies.some((l) => l > 3)).to.equal(true);
  });
  it("makes fewer fsyncs than writes under load (one covers every write before it started)", () => {
    const syncs = run.trace.filter((e) => e.type === "disk").length;
    const writes = run.history.filter((o) => o.type === "ok").length;
    expect(syncs).to.be.lessThan(writes / 3);
    expect(syncs).to.be.greaterThan(1000 / 4.2 - 5);
  });
});
