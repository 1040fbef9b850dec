import { expect } from "chai";
import { ConfigError } from "../../lib/errors.js";
import { pbsProfile } from "../../lib/datasets/index.js";
import { simulate } from "../../lib/sim/engine.js";
import { readStaleness } from "../../lib/checkers/index.js";
import { warsMonteCarlo, warsTVisibility, waitForConsistency } from "../../lib/pbs/wars.js";
import { wilsonInterval } from "../../lib/stats.js";
import { kStalenessMissProbability, kStalenessMonteCarlo, quorumAvailability } from "../../lib/pbs/closedForms.js";
import { measuredTVisibility, warsSimulationConfig } from "../../lib/pbs/simulated.js";

const expo = (mean: number) => ({ kind: "exponential" as const, rate: 1 / mean });
const simple = { W: expo(5), A: expo(1), R: expo(1), S: expo(1) };

describe("PBS: the WARS Monte Carlo (Bailis et al., VLDB 2012, §5)", () => {
  it("strict quorums (R + W > N) are always consistent at t = 0: read and write quorums intersect (§3.1)", () => {
    for (const [n, r, w] of [[3, 2, 2], [3, 1, 3], [5, 3, 3], [1, 1, 1]]) {
      const s = warsMonteCarlo({ n, r, w, latencies: pbsProfile("LNKD-DISK"), samples: 20_000, seed: 1 });
      expect(warsTVisibility(s, [0])[0].probability, `N=${n} R=${r} W=${w}`).to.equal(1);
      expect(waitForConsistency(s, 0.999)).to.equal(0);
    }
  });

  it("t-visibility never decreases with t, and reaches 1 eventually", () => {
    const s = warsMonteCarlo({ n: 3, r: 1, w: 1, latencies: simple, samples: 20_000, seed: 2 });
    const ps = warsTVisibility(s, [0, 1, 2, 5, 10, 20, 50, 200]).map((p) => p.probability);
    for (let i = 1; i < ps.length; i++) expect(ps[i]).to.be.at.least(ps[i - 1]);
    expect(ps[ps.length - 1]).to.equal(1);
  });

  it("converges: ten times the samples give an interval about √10 times tighter, and the small run's interval holds the large run's estimate", () => {
    const width = (samples: number) => {
      const [p] = warsTVisibility(warsMonteCarlo({ n: 3, r: 1, w: 1, latencies: pbsProfile("LNKD-DISK"), samples, seed: 3 }), [5]);
      return { p, width: p.ciHigh - p.ciLow };
    };
    const small = width(4_000), large = width(40_000);
    expect(small.width / large.width).to.be.within(2.6, 3.8);
    expect(large.p.probability).to.be.within(small.p.ciLow, small.p.ciHigh);
  });

  it("one replica (N = R = W = 1): a read started after the commit always finds the write, whatever the delays", () => {
    // N = R = W = 1: commit = W1 + A1, the read reaches the replica at commit + t + R1 ≥ W1 always,
    // so every read is consistent at any t ≥ 0, whatever the distributions.
    const s = warsMonteCarlo({ n: 1, r: 1, w: 1, latencies: simple, samples: 5_000, seed: 4 });
    expect(warsTVisibility(s, [0])[0].probability).to.equal(1);
  });

  it("WAN: with reads coordinated in another datacenter, R = W = 1 needs a wait of at least the 75 ms one-way delay; in the same one, none", () => {
    const other = warsMonteCarlo({ n: 3, r: 1, w: 1, latencies: pbsProfile("WAN"), samples: 20_000, seed: 5, readDatacenter: "other" });
    const same = warsMonteCarlo({ n: 3, r: 1, w: 1, latencies: pbsProfile("WAN"), samples: 20_000, seed: 5 });
    expect(waitForConsistency(other, 0.999)).to.be.greaterThan(75);
    expect(warsTVisibility(same, [0])[0].probability).to.be.greaterThan(0.999);
  });

  it("the full simulator with the same latencies on its links agrees with the Monte Carlo (LNKD-DISK, N=3, R=W=1) within 4 percentage points per bin", function () {
    this.timeout(60_000);
    const latencies = pbsProfile("LNKD-DISK");
    const run = simulate(warsSimulationConfig({ n: 3, r: 1, w: 1, latencies, seed: 6, writeGapMs: 200, readsPerSec: 1500, durationMs: 8000 }));
    const measured = measuredTVisibility(readStaleness(run.history), [0, 5, 10, 20, 40]);
    const predicted = warsTVisibility(warsMonteCarlo({ n: 3, r: 1, w: 1, latencies, samples: 50_000, seed: 6 }), measured.map((m) => m.t));
    expect(measured).to.have.length(4);
    measured.forEach((m, i) => {
      expect(m.samples).to.be.greaterThan(200);
      expect(Math.abs(m.probability - predicted[i].probability), `t=${m.t}`).to.be.at.most(0.04);
    });
  });
});

describe("PBS closed forms", () => {
  it("k-staleness: C(N−W, R)/C(N, R) — e.g. N=3, R=W=1 misses with probability 2/3 (§3.2, Eq. 1)", () => {
    expect(kStalenessMissProbability(3, 1, 1)).to.be.closeTo(2 / 3, 1e-12);
    expect(kStalenessMissProbability(3, 2, 2)).to.equal(0);
    expect(kStalenessMissProbability(3, 1, 1, 2)).to.be.closeTo(4 / 9, 1e-12);
  });

  it("the k-staleness Monte Carlo lands within its 99 % interval of the closed form", () => {
    for (const [n, r, w, k] of [[3, 1, 1, 1], [5, 1, 2, 2], [10, 2, 3, 1]]) {
      const mc = kStalenessMonteCarlo({ n, r, w, k, samples: 40_000, seed: 7 });
      const exact = kStalenessMissProbability(n, r, w, k);
      const ci = wilsonInterval(Math.round(mc.probability * 40_000), 40_000, 2.576);
      expect(exact, `N=${n} R=${r} W=${w} k=${k}`).to.be.within(ci.low, ci.high);
    }
  });

  it("quorum availability is the binomial tail: with p = 0.1, N = 3 needing 2, 1 − (3·0.1²·0.9 + 0.1³) = 0.972", () => {
    expect(quorumAvailability(3, 2, 0.1)).to.be.closeTo(0.972, 1e-12);
    expect(quorumAvailability(5, 0, 0.5)).to.be.closeTo(1, 1e-12);
  });

  it("bad inputs get clear errors: R or W larger than N, an unknown profile name, mixture weights not summing to 1", () => {
    expect(() => warsMonteCarlo({ n: 3, r: 4, w: 1, latencies: simple, seed: 1 })).to.throw(ConfigError, /^r: .*larger than n = 3/);
    expect(() => kStalenessMissProbability(3, 1, 4)).to.throw(ConfigError, /^w: /);
    expect(() => pbsProfile("LNKD-SDD")).to.throw(ConfigError, /pbs\.profile.*LNKD-SSD/);
    const badMix = { kind: "mixture" as const, components: [{ weight: 0.5, dist: expo(1) }, { weight: 0.4, dist: expo(2) }] };
    expect(() => warsMonteCarlo({ n: 3, r: 1, w: 1, latencies: { ...simple, W: badMix }, seed: 1 })).to.throw(ConfigError, /latencies\.W\.components.*sum to 1/);
  });
});
