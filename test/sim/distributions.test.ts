import { expect } from "chai";
import { makeRng } from "../../lib/sim/rng.js";
import { type Distribution, makeSampler, meanOf, validateDistribution } from "../../lib/sim/distributions.js";
import { ConfigError } from "../../lib/errors.js";

/** Sample mean and its standard error from n draws. */
function sampleMean(d: Distribution, n: number, seed = 3): { mean: number; se: number; min: number } {
  const draw = makeSampler(d, makeRng(seed));
  let sum = 0;
  let sq = 0;
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    const x = draw();
    sum += x;
    sq += x * x;
    min = Math.min(min, x);
  }
  const mean = sum / n;
  return { mean, se: Math.sqrt((sq / n - mean * mean) / n), min };
}

describe("distributions: samplers agree with their closed-form means", () => {
  // Tolerance: 4 standard errors of the sample mean (false alarm ≈ 6e-5 per check).
  const cases: [string, Distribution][] = [
    ["exponential rate 0.5 (mean 2)", { kind: "exponential", rate: 0.5 }],
    ["uniform [1, 5] (mean 3)", { kind: "uniform", min: 1, max: 5 }],
    ["normal (10, 2)", { kind: "normal", mean: 10, sd: 2 }],
    ["Pareto xm 1.5, α 3.8 (PBS YMMR A/R/S body; mean α·xm/(α−1))", { kind: "pareto", scale: 1.5, shape: 3.8 }],
    ["mixture 91.22% Pareto(0.235, 10) + 8.78% Exp(1.66) (PBS LNKD-SSD)", {
      kind: "mixture",
      components: [
        { weight: 0.9122, dist: { kind: "pareto", scale: 0.235, shape: 10 } },
        { weight: 0.0878, dist: { kind: "exponential", rate: 1.66 } },
      ],
    }],
    ["empirical [1, 2, 3, 10]", { kind: "empirical", values: [1, 2, 3, 10] }],
  ];
  for (const [name, d] of cases) {
    it(name, () => {
      const { mean, se } = sampleMean(d, 200_000);
      expect(Math.abs(mean - meanOf(d)), `sample mean ${mean} vs ${meanOf(d)}`).to.be.lessThan(4 * se + 1e-12);
    });
  }

  it("draws a Pareto value never below its scale xm (xm / U^(1/α) with U in (0, 1])", () => {
    expect(sampleMean({ kind: "pareto", scale: 3, shape: 3.35 }, 50_000).min).to.be.at.least(3);
  });

  it("truncates normal latencies at 0", () => {
    expect(sampleMean({ kind: "normal", mean: 0.1, sd: 5 }, 10_000).min).to.equal(0);
  });

  it("repeats the same draws for the same seed, and others for another seed", () => {
    const d: Distribution = { kind: "exponential", rate: 1 };
    const a = makeSampler(d, makeRng(11));
    const b = makeSampler(d, makeRng(11));
    const c = makeSampler(d, makeRng(12));
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).to.deep.equal(xs);
    expect(Array.from({ length: 5 }, () => c())).to.not.deep.equal(xs);
  });

  it("gives independent streams to forks of one seed", () => {
    const root = makeRng(5);
    const x = root.fork("network").uniform();
    const y = root.fork("client:c1").uniform();
    expect(x).to.not.equal(y);
    expect(makeRng(5).fork("network").uniform()).to.equal(x);
  });

  describe("rejects bad distributions, naming the field", () => {
    const bad: [unknown, RegExp][] = [
      [{ kind: "exponential", rate: 0 }, /latency\.rate/],
      [{ kind: "constant", value: -1 }, /latency\.value: must be ≥ 0/],
      [{ kind: "constant", value: NaN }, /latency\.value: must be a finite number/],
      [{ kind: "uniform", min: 5, max: 1 }, /latency\.max/],
      [{ kind: "gamma", shape: 1 }, /latency\.kind: unknown distribution "gamma"/],
      [{ kind: "mixture", components: [{ weight: 0.5, dist: { kind: "constant", value: 1 } }] }, /weights must sum to 1/],
      [{ kind: "empirical", values: [] }, /latency\.values/],
      [{ kind: "pareto", scale: 1, shape: -2 }, /latency\.shape/],
    ];
    for (const [d, re] of bad) {
      it(JSON.stringify(d), () => {
        expect(() => validateDistribution("latency", d)).to.throw(ConfigError, re);
      });
    }
  });
});
