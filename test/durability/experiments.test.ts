import { expect } from "chai";
import { expectedLostWritesInterval } from "../../lib/durability/dataLoss.js";
import { disasterTrials, fsyncCrashTrials, rebuildTimeMs, rebuildTrial } from "../../lib/durability/index.js";

describe("durability experiments (notebook 01) against their closed forms", () => {
  it("loses nothing acknowledged with fsync always, over 15 random crashes", () => {
    const rows = fsyncCrashTrials({ fsync: { kind: "always" }, trials: 15, seed: 1 });
    expect(rows.every((r) => r.acked > 500 && r.lost === 0)).to.equal(true);
  });

  it("loses rate × (T/2 + f) on average with an fsync every T (60 crashes, within 4 standard errors)", () => {
    const rows = fsyncCrashTrials({ fsync: { kind: "interval", everyMs: 100 }, trials: 60, seed: 2 });
    const lost = rows.map((r) => r.lost);
    const mean = lost.reduce((a, b) => a + b, 0) / lost.length;
    const se = Math.sqrt(lost.reduce((a, b) => a + (b - mean) ** 2, 0) / (lost.length - 1) / lost.length);
    expect(Math.abs(mean - expectedLostWritesInterval(1000, 100, 2))).to.be.lessThan(4 * se);
  });

  it("never loses an acknowledged write to one destroyed primary with ack majority or all; ack one does", () => {
    const placement = { name: "test", backupDelayMs: [5, 20], clientDelayMs: 1 };
    const lost = (ack: "one" | "majority" | "all") => disasterTrials({ placement, ack, trials: 6, seed: 3 }).reduce((s, r) => s + r.lost, 0);
    expect(lost("majority")).to.equal(0);
    expect(lost("all")).to.equal(0);
    expect(lost("one")).to.be.greaterThan(0);
  });

  it("rebuilds in exactly the closed-form time on a constant-delay network", () => {
    for (const method of ["log", "snapshot"] as const) {
      for (const entries of [150, 420]) {
        const r = rebuildTrial({ method, entries, seed: 5, delayMs: 3, batchSize: 25, snapshotEvery: 100 });
        expect(r.catchUpMs, `${method} ${entries}`).to.be.closeTo(rebuildTimeMs(method, r.entries, r.snapshotIndex, 3, 25), 1e-9);
      }
    }
  });
});
