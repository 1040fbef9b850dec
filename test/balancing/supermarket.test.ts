/**
 * The balancer against Mitzenmacher's supermarket model ("The Power of Two Choices in
 * Randomized Load Balancing", IEEE TPDS 2001): with 100 servers, exponential service of
 * mean 1 ms, Poisson arrivals and an instant view of the queues (balancer–server links of
 * 0 ms), the simulated mean time in system (queueing plus service, from the engine's node
 * capacity) for d = 1, 2, 3 choices lies within 3 standard errors of Σ λ^((dⁱ − d)/(d − 1))
 * (d = 1: 1/(1 − λ)). The standard error is from 10 batch means after a 200 ms warm-up
 * (on 8 independent seeds of 800 ms runs, the batch SE was within 20 % of the seed-to-seed spread).
 * The closed form is a limit n → ∞; at n = 100 it is about 1.5 % low at λ = 0.9.
 */
import { expect } from "chai";
import { runBalancedCluster } from "../../lib/balancing/experiments.js";
import { servedCopies, timeInSystem } from "../../lib/balancing/metrics.js";
import { supermarketTailFraction, supermarketTimeInSystem } from "../../lib/balancing/supermarket.js";
import type { BalancerPolicy } from "../../lib/balancing/config.js";
import { ConfigError } from "../../lib/errors.js";

const policyFor = (d: number): BalancerPolicy => (d === 1 ? { kind: "random" } : { kind: "power-of-d", d });

/** Mean time in system of one run, with its batch-means SE. */
function measured(d: number, load: number, seed: number) {
  const run = runBalancedCluster({ seed, servers: 100, policy: policyFor(d), load, durationMs: 700 });
  return timeInSystem(servedCopies(run.trace), 200, 650, 10);
}

describe("supermarket model (closed form)", () => {
  it("is 1/(1 − λ) for one choice, and the series for d ≥ 2 (hand-computed values)", () => {
    expect(supermarketTimeInSystem(0.5, 1)).to.equal(2);
    // d = 2, λ = 0.5: Σ 0.5^(2^i − 2) = 1 + 0.25 + 0.5^6 + 0.5^14 + ...
    expect(supermarketTimeInSystem(0.5, 2)).to.be.closeTo(1 + 0.25 + 1 / 64 + 1 / 16384 + 2 ** -30, 1e-12);
    // d = 3, λ = 0.9: exponents 0, 3, 12, 39, ...
    expect(supermarketTimeInSystem(0.9, 3)).to.be.closeTo(1 + 0.9 ** 3 + 0.9 ** 12 + 0.9 ** 39 + 0.9 ** 120 + 0.9 ** 363, 1e-12);
    expect(supermarketTailFraction(0.9, 2, 2)).to.be.closeTo(0.9 ** 3, 1e-12);
  });

  it("rejects d < 1 and a load outside [0, 1), naming the field", () => {
    expect(() => supermarketTimeInSystem(0.5, 0)).to.throw(ConfigError, /^d:/);
    expect(() => supermarketTimeInSystem(0.5, 1.5)).to.throw(ConfigError, /^d:/);
    expect(() => supermarketTimeInSystem(1, 2)).to.throw(ConfigError, /^lambda:/);
    expect(() => supermarketTimeInSystem(Number.NaN, 2)).to.throw(ConfigError, /^lambda:/);
  });
});

describe("load balancer against the supermarket model (100 servers, within 3 SE)", () => {
  const runs = new Map<string, ReturnType<typeof measured>>();
  for (const [d, load] of [[1, 0.5], [1, 0.7], [2, 0.5], [2, 0.9], [3, 0.9]] as const) {
    it(`d = ${d}, λ = ${load}`, () => {
      const s = measured(d, load, 7);
      runs.set(`${d}@${load}`, s);
      const expected = supermarketTimeInSystem(load, d);
      expect(s.count).to.be.greaterThan(20_000);
      expect(s.seTimeMs).to.be.greaterThan(0);
      expect(Math.abs(s.meanTimeMs - expected), `mean ${s.meanTimeMs}, SE ${s.seTimeMs}, closed form ${expected}`).to.be.below(3 * s.seTimeMs);
    });
  }

  it("can fail: two choices at λ = 0.9 are many SE from the one-choice value, three from two", () => {
    const two = runs.get("2@0.9") ?? measured(2, 0.9, 7);
    const three = runs.get("3@0.9") ?? measured(3, 0.9, 7);
    expect(Math.abs(two.meanTimeMs - supermarketTimeInSystem(0.9, 1))).to.be.above(10 * two.seTimeMs);
    expect(Math.abs(three.meanTimeMs - supermarketTimeInSystem(0.9, 2))).to.be.above(3 * three.seTimeMs);
  });
});
