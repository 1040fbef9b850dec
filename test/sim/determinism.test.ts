import { expect } from "chai";
import { simulate } from "../../lib/sim/engine.js";
import { traceHash } from "../../lib/sim/traceHash.js";
import { primaryBackup } from "../../lib/protocols/primaryBackup.js";
import type { SimConfig } from "../../lib/sim/config.js";
import type { PrimaryBackupConfig, PrimaryBackupState } from "../../lib/protocols/primaryBackup.js";
import { GOLDEN_RUNS } from "../golden/runs.js";

/** A run that exercises every source of randomness: latency, loss, duplication, keys, faults. */
function busy(seed: number): SimConfig<PrimaryBackupState, PrimaryBackupConfig> {
  return {
    seed,
    nodes: 3,
    protocol: primaryBackup,
    config: { copies: 3, ack: "majority" },
    network: { latency: { kind: "exponential", rate: 0.5 }, loss: 0.02, duplicate: 0.02 },
    storage: { fsync: { kind: "interval", everyMs: 20 }, fsyncLatency: { kind: "uniform", min: 0.5, max: 2 } },
    faults: [
      { kind: "crash", at: 150, node: "n2" },
      { kind: "restart", at: 250, node: "n2" },
      { kind: "partition", at: 300, groups: [["n3"]] },
      { kind: "heal", at: 350 },
    ],
    workload: { clients: 4, loop: "open", ratePerSec: 200, mix: { read: 0.5, update: 0.5 }, keys: { count: 20, distribution: "zipfian" }, timeoutMs: 40 },
    durationMs: 500,
  };
}

describe("determinism: the same seed and config give the same run, bit for bit", () => {
  it("gives identical trace hashes for 25 seeds, run twice each", () => {
    for (let seed = 1; seed <= 25; seed++) {
      const a = simulate(busy(seed));
      const b = simulate(busy(seed));
      expect(a.trace.length, `seed ${seed}`).to.be.greaterThan(500);
      expect(traceHash(a), `seed ${seed}`).to.equal(traceHash(b));
    }
  });

  it("gives a different trace for every one of 25 seeds", () => {
    const hashes = new Set<string>();
    for (let seed = 1; seed <= 25; seed++) hashes.add(traceHash(simulate(busy(seed))));
    expect(hashes.size).to.equal(25);
  });

  it("does not depend on earlier runs in the same process (no hidden global state)", () => {
    const first = traceHash(simulate(busy(99)));
    simulate(busy(5));
    simulate({ ...busy(6), durationMs: 300, faults: [] });
    expect(traceHash(simulate(busy(99)))).to.equal(first);
  });

  it("no protocol keeps hidden state between runs: every standard run (primary-backup, single-leader, leaderless) gives the same hash after all the others ran", function () {
    this.timeout(120_000);
    const names = Object.keys(GOLDEN_RUNS);
    const first = new Map(names.map((n) => [n, traceHash(simulate(GOLDEN_RUNS[n]))]));
    for (const n of [...names].reverse()) expect(traceHash(simulate(GOLDEN_RUNS[n])), n).to.equal(first.get(n));
  });

  it("a protocol config object edited between two runs gives the edited run (no cache keyed on the object)", () => {
    for (const name of ["singleLeader.sync.naiveFailover", "quorum.lww.readRepair.clockSkew", "primaryBackup.ackOne.crash"]) {
      const base = GOLDEN_RUNS[name];
      const config = { ...(base.config as Record<string, unknown>) };
      const run = { ...base, config };
      simulate(run);
      // Edit the same object in place, then compare with a fresh object holding the same values.
      if (name.startsWith("single")) config.heartbeatMs = 7;
      else if (name.startsWith("quorum")) config.timeoutMs = 30;
      else config.ack = "all";
      const edited = traceHash(simulate(run));
      expect(edited, name).to.equal(traceHash(simulate({ ...base, config: { ...config } })));
      expect(edited, `${name}: the edit changes the run`).to.not.equal(traceHash(simulate(base)));
    }
  });
});
