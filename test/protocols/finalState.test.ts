import { expect } from "chai";
import { simulate } from "../../lib/sim/engine.js";
import type { Fault } from "../../lib/sim/faults.js";
import { findLostWrites } from "../../lib/checkers/index.js";
import { lostWritesOf, singleLeader } from "../../lib/protocols/singleLeader/index.js";
import { primaryBackup } from "../../lib/protocols/primaryBackup.js";

const WORK = { clients: 6, loop: "closed" as const, thinkMs: { kind: "constant" as const, value: 1 }, mix: { read: 0.2, update: 0.8 }, keys: { count: 50, distribution: "uniform" as const }, timeoutMs: 100, route: { read: "leader" as const, write: "leader" as const }, stopMs: 800 };

/** Async single leader alone, fsync every 100 ms, crashed at 450 ms; `restartAt` brings it back after the clients stopped. */
function leaderCrash(restartAt?: number) {
  const faults: Fault[] = [{ kind: "crash", at: 450, node: "n1" }];
  if (restartAt !== undefined) faults.push({ kind: "restart", at: restartAt, node: "n1" });
  return simulate({
    seed: 42, nodes: 1, protocol: singleLeader, config: { mode: "async", failover: "none" }, network: { latency: { kind: "exponential", rate: 1 }, fifo: true },
    storage: { fsync: { kind: "interval", everyMs: 100 } }, faults, workload: WORK, durationMs: 1000,
  });
}

describe("a node down at the end counts with what it would recover, not its memory (issue 8 §5)", () => {
  it("single leader: lostWritesOf a leader that crashed and stayed down equals what a real restart shows lost (and is not zero)", () => {
    const down = lostWritesOf(leaderCrash());
    // The same run, with the node restarted once the clients stopped: its real recovered data.
    const restarted = leaderCrash(950);
    const real = findLostWrites(restarted.history, restarted.finalContents("n1"), "all-versions");
    expect(real.lostCount, "the unsynced writes are lost").to.be.greaterThan(0);
    expect(down.lostCount).to.equal(real.lostCount);
    expect(down.acknowledged).to.equal(real.acknowledged);
  });

  it("primary-backup: finalContents of a crashed copy is what its restart recovers", () => {
    const cfg = (faults: Fault[]) => simulate({
      seed: 3, nodes: 1, protocol: primaryBackup, config: { copies: 1, ack: "one" }, network: { latency: { kind: "constant", value: 1 } },
      storage: { fsync: { kind: "interval", everyMs: 100 } }, faults, workload: WORK, durationMs: 1000,
    });
    const down = cfg([{ kind: "crash", at: 450, node: "n1" }]);
    const up = cfg([{ kind: "crash", at: 450, node: "n1" }, { kind: "restart", at: 950, node: "n1" }]);
    expect(down.upAtEnd("n1")).to.equal(false);
    expect([...down.finalContents("n1")]).to.deep.equal([...up.finalContents("n1")]);
    expect(findLostWrites(down.history, down.finalContents("n1"), "all-versions").lostCount).to.be.greaterThan(0);
  });
});
