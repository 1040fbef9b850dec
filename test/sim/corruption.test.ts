/**
 * Silent disk corruption (the `corrupt` fault) and per-record checksums: checksums catch
 * every injected corruption (property over many seeds and fractions); without them a
 * restarted replica serves the bad values and read repair / anti-entropy copy them onto
 * healthy replicas (Ganesan et al., "Redundancy Does Not Imply Fault Tolerance", FAST 2017);
 * with them nothing bad is ever applied anywhere. Default runs are unchanged (the golden
 * traces, test/goldenTraces.test.ts).
 */
import { expect } from "chai";
import fc from "fast-check";
import { simulate } from "../../lib/sim/engine.js";
import { corruptRecord, recordChecksum } from "../../lib/sim/storage.js";
import { leaderlessQuorum } from "../../lib/protocols/leaderless/quorum.js";
import { primaryBackup } from "../../lib/protocols/primaryBackup.js";
import { corruptionSummary } from "../../lib/metrics/corruption.js";
import { ConfigError } from "../../lib/errors.js";
import type { SimConfig } from "../../lib/sim/config.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyConfig = SimConfig<any, any>;

function leaderlessRun(seed: number, fraction: number, checksums: boolean): AnyConfig {
  return {
    seed,
    nodes: 3,
    protocol: leaderlessQuorum,
    config: { n: 3, r: 2, w: 2, antiEntropyEveryMs: 100 },
    network: { latency: { kind: "exponential", rate: 1 } },
    storage: { fsync: { kind: "always" }, checksums },
    faults: [
      { kind: "corrupt", at: 400, node: "n3", fraction },
      { kind: "crash", at: 401, node: "n3" },
      { kind: "restart", at: 450, node: "n3" },
    ],
    workload: { clients: 3, loop: "closed", thinkMs: { kind: "constant", value: 2 }, mix: { read: 0.5, update: 0.5 }, keys: { count: 20, distribution: "uniform" }, timeoutMs: 100, stopMs: 400 },
    durationMs: 1500,
  };
}

/** Clients keep reading and writing after the corrupt replica restarts (450 ms), until 1200 ms. */
function clientsGoOn(cfg: AnyConfig): AnyConfig {
  return { ...cfg, workload: { ...cfg.workload!, stopMs: 1200, mix: { read: 0.9, update: 0.1 } } };
}

function notesAt(run: ReturnType<typeof simulate>, kind: string, node: string): number[] {
  return run.trace.filter((e) => e.type === "note" && e.kind === kind && e.node === node).map((e) => (e as { index: number }).index);
}

describe("silent corruption and checksums", () => {
  it("a flipped bit always changes a record's checksum (property, fixed seed)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e6, max: 1e6 }), fc.string(), fc.double({ min: 0, max: 0.999999, noNaN: true }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (value, key, d1, d2) => {
        const rec = { key, versions: [{ value, ts: 3, origin: "n1", seq: 1 }] };
        const draws = [d1, d2];
        const bad = corruptRecord(rec, () => draws.shift() ?? 0) as typeof rec;
        expect(bad.versions[0].value).to.not.equal(value);
        expect(rec.versions[0].value).to.equal(value); // the original is untouched
        expect(recordChecksum(bad)).to.not.equal(recordChecksum(rec));
      }),
      { seed: 7, numRuns: 500 },
    );
    expect(corruptRecord({ dropHint: "x" }, () => 0)).to.equal(null);
  });

  it("checksums catch every injected corruption, on every seed (property over seeds and fractions)", () => {
    let injectedTotal = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.double({ min: 0.05, max: 1, noNaN: true }), (seed, fraction) => {
        for (const cfg of [leaderlessRun(seed, fraction, true), { ...leaderlessRun(seed, fraction, true), protocol: primaryBackup, config: { copies: 3, ack: "all" } }]) {
          const run = simulate(cfg);
          const injected = notesAt(run, "disk-corrupt", "n3");
          const detected = notesAt(run, "checksum-mismatch", "n3");
          expect(detected, `seed ${seed}`).to.deep.equal(injected);
          injectedTotal += injected.length;
        }
      }),
      { seed: 11, numRuns: 25 },
    );
    expect(injectedTotal).to.be.greaterThan(100); // the property was exercised, not vacuous
  });

  it("without checksums a corrupted value spreads to healthy replicas; with them none is ever applied", () => {
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
    let spreadWithout = 0;
    let badWith = 0;
    for (const seed of seeds) {
      for (const checksums of [false, true]) {
        const run = simulate(clientsGoOn(leaderlessRun(seed, 0.5, checksums)));
        const rows = corruptionSummary(run.trace, run.history, ["n1", "n2", "n3"], (n) => run.finalContents(n));
        const healthy = rows.filter((r) => r.node !== "n3");
        if (!checksums) spreadWithout += healthy.reduce((s, r) => s + r.badApplies, 0);
        else badWith += rows.reduce((s, r) => s + r.badApplies + r.badKeysAtEnd, 0);
      }
    }
    expect(spreadWithout, "bad values applied at n1 and n2 without checksums, over 8 seeds").to.be.greaterThan(0);
    expect(badWith, "bad values anywhere with checksums, over 8 seeds").to.equal(0);
  });

  it("rejects a corruption fraction outside [0, 1] and a non-boolean checksums, naming the field", () => {
    const bad = { ...leaderlessRun(1, 0.5, true), faults: [{ kind: "corrupt", at: 10, node: "n3", fraction: 1.5 }] } as AnyConfig;
    expect(() => simulate(bad)).to.throw(ConfigError, "faults[0].fraction");
    const badStorage = { ...leaderlessRun(1, 0.5, true), storage: { fsync: { kind: "always" }, checksums: "yes" } } as unknown as AnyConfig;
    expect(() => simulate(badStorage)).to.throw(ConfigError, "storage.checksums");
  });
});
