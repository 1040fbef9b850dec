import { expect } from "chai";
import { expectedLostWritesInterval } from "../../lib/durability/dataLoss.js";
import {
  failureRatePerYear, lossProbability, mttdlApproxYears, mttdlYears, simulateLoss, expm,
} from "../../lib/durability/index.js";
import { ConfigError } from "../../lib/errors.js";
import { wilsonInterval } from "../../lib/stats.js";

describe("data loss: k copies, drive failures and rebuilds (a Markov chain, solved and simulated)", () => {
  it("turns an AFR into a failure rate: 1 − e^(−λ) = AFR", () => {
    for (const afr of [0.0157, 0.2, 0.9]) expect(1 - Math.exp(-failureRatePerYear(afr))).to.be.closeTo(afr, 1e-12);
  });

  it("gives one copy a loss probability equal to its AFR over one year", () => {
    expect(lossProbability({ copies: 1, afr: 0.0157, rebuildHours: 24 })).to.be.closeTo(0.0157, 1e-10);
  });

  it("solves the two-copy chain's MTTDL exactly: (3λ + μ) / (2λ²)", () => {
    const spec = { copies: 2, afr: 0.05, rebuildHours: 72 };
    const l = failureRatePerYear(0.05);
    const mu = (365.25 * 24) / 72;
    expect(mttdlYears(spec)).to.be.closeTo((3 * l + mu) / (2 * l * l), 1e-6);
  });

  it("approaches μ^(k−1)/(k λ^k) when rebuilds are fast (within 1 % at Backblaze AFRs, 24 h rebuilds)", () => {
    for (const k of [2, 3, 4]) {
      const spec = { copies: k, afr: 0.0157, rebuildHours: 24 };
      expect(mttdlApproxYears(spec) / mttdlYears(spec)).to.be.closeTo(1, 0.01);
    }
  });

  it("agrees with the failure-by-failure simulation within the 99.9 % interval (k = 1, 2, 3; high AFRs)", () => {
    for (const [k, afr] of [[1, 0.3], [2, 0.3], [2, 0.6], [3, 0.6]] as const) {
      const spec = { copies: k, afr, rebuildHours: 24 * 7 };
      const est = simulateLoss(spec, { trials: 40_000, seed: 9 });
      const { low: lo, high: hi } = wilsonInterval(est.losses, est.trials, 3.29);
      const p = lossProbability(spec);
      expect(p, `k=${k} AFR=${afr}: simulated ${est.probability}`).to.be.within(lo, hi);
    }
  });

  it("is deterministic for a seed, and fixed-length rebuilds give nearly the same answer", () => {
    const spec = { copies: 2, afr: 0.5, rebuildHours: 24 * 7 };
    expect(simulateLoss(spec, { trials: 5000, seed: 3 })).to.deep.equal(simulateLoss(spec, { trials: 5000, seed: 3 }));
    const fixed = simulateLoss(spec, { trials: 40_000, seed: 4, rebuild: "fixed" }).probability;
    expect(fixed / lossProbability(spec)).to.be.closeTo(1, 0.25);
  });

  it("computes e^A by scaling and squaring: e^[[0,1],[-1,0]]·t is a rotation", () => {
    const r = expm([[0, 2], [-2, 0]]);
    expect(r[0][0]).to.be.closeTo(Math.cos(2), 1e-12);
    expect(r[0][1]).to.be.closeTo(Math.sin(2), 1e-12);
  });

  it("keeps tiny loss probabilities exact (to 1e-9 relative against uniformization, a sum of positive terms), where V·e^(Λt)·V⁻¹ by ml-matrix's eigen-decomposition goes negative", () => {
    // Uniformization: e^(Qt) = Σ_n Poisson(n; Λt) · Pⁿ with P = I + Q/Λ ≥ 0, so no term cancels.
    const uniformized = (q: number[][], to: number): number => {
      const n = q.length;
      const rate = Math.max(...q.map((row, i) => -row[i]));
      const p = q.map((row, i) => row.map((v, j) => (i === j ? 1 : 0) + v / rate));
      let dist: number[] = Array.from({ length: n }, (_, j) => (j === 0 ? 1 : 0));
      let logWeight = -rate; // log Poisson(0; Λ·1 year), then + log(Λ/k) per step (e^−Λ underflows)
      let sum = Math.exp(logWeight) * dist[to];
      for (let k = 1; k < 4 * rate + 200; k++) {
        dist = dist.map((_, j) => dist.reduce((acc, d, i) => acc + d * p[i][j], 0));
        logWeight += Math.log(rate / k);
        sum += Math.exp(logWeight) * dist[to];
      }
      return sum;
    };
    for (const [copies, afr, hours] of [[3, 0.001, 24], [5, 0.01, 6], [6, 0.001, 24]] as const) {
      const lam = failureRatePerYear(afr);
      const mu = (365.25 * 24) / hours;
      const q = Array.from({ length: copies + 1 }, () => new Array<number>(copies + 1).fill(0));
      for (let d = 0; d < copies; d++) {
        q[d][d + 1] = (copies - d) * lam;
        if (d > 0) q[d][d - 1] = mu;
        q[d][d] = -(q[d][d + 1] + (d > 0 ? mu : 0));
      }
      const exact = uniformized(q, copies);
      expect(exact).to.be.greaterThan(0).and.lessThan(1e-12);
      expect(Math.abs(expm(q)[0][copies] / exact - 1)).to.be.lessThan(1e-9);
    }
  });

  it("rejects an AFR of 100 % or more, zero copies, a negative rebuild, naming the field", () => {
    expect(() => lossProbability({ copies: 2, afr: 1, rebuildHours: 24 })).to.throw(ConfigError, /afr: must be a fraction below 1/);
    expect(() => lossProbability({ copies: 0, afr: 0.01, rebuildHours: 24 })).to.throw(ConfigError, /copies/);
    expect(() => lossProbability({ copies: 2, afr: 0.01, rebuildHours: -1 })).to.throw(ConfigError, /rebuildHours/);
    expect(() => expectedLostWritesInterval(1000, 10, 20)).to.throw(ConfigError, /fsyncMs/);
  });
});
