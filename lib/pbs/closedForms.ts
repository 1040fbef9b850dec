/**
 * Closed forms for quorum systems: the binomial availability of a quorum and PBS's
 * k-staleness (Bailis et al., VLDB 2012, §3.2, Eq. 1–2).
 *
 * Introduced in notebooks/05.00-Leaderless-Replication.ipynb.
 */
import binomcoef from "@stdlib/math-base-special-binomcoef";
import binomialCdf from "@stdlib/stats-base-dists-binomial-cdf";
import { requireInteger, requireProbability } from "../errors.js";
import { makeRng } from "../sim/rng.js";
import { wilsonInterval } from "../stats.js";
import { validateNrw } from "./wars.js";

/** The binomial coefficient C(n, k) as a float (0 outside 0 ≤ k ≤ n), stdlib's binomcoef. Pure. */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  return binomcoef(n, k);
}

/**
 * P(at least `need` of `nodes` independent nodes are up) when each is down with
 * probability `pDown`: the availability of a quorum of `need`. Pure.
 */
export function quorumAvailability(nodes: number, need: number, pDown: number): number {
  requireInteger("nodes", nodes, 1);
  requireInteger("need", need, 0, nodes);
  requireProbability("pDown", pDown);
  // At least `need` up is at most nodes − need down: stdlib's binomial CDF of the down count,
  // which keeps the precision of a tiny unavailability (1 − CDF of the up count would not).
  return Math.min(1, binomialCdf(nodes - need, nodes, pDown));
}

/**
 * PBS Eq. 1: probability that a read quorum of R misses a write that reached only W of
 * N replicas, C(N−W, R) / C(N, R); to the power k (Eq. 2), the probability that it misses
 * each of the last k independent writes, i.e. returns something older than all of them. Pure.
 */
export function kStalenessMissProbability(n: number, r: number, w: number, k = 1): number {
  validateNrw(n, r, w);
  requireInteger("k", k, 1);
  return (binomial(n - w, r) / binomial(n, r)) ** k;
}

/**
 * Monte Carlo of the same question: each of the last k writes reaches W random replicas,
 * the read asks R random replicas; how often does it miss all k? Deterministic for a seed.
 */
export function kStalenessMonteCarlo(opts: { n: number; r: number; w: number; k?: number; samples: number; seed: number }): { probability: number; ciLow: number; ciHigh: number } {
  const { n, r, w } = opts;
  const k = opts.k ?? 1;
  validateNrw(n, r, w);
  requireInteger("samples", opts.samples, 1);
  const rng = makeRng(opts.seed);
  const subset = (size: number): Set<number> => {
    const pool = Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < size; i++) {
      const j = i + rng.int(n - i);
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    return new Set(pool.slice(0, size));
  };
  let misses = 0;
  for (let s = 0; s < opts.samples; s++) {
    const read = subset(r);
    let missedAll = true;
    for (let j = 0; j < k && missedAll; j++) {
      for (const x of subset(w)) if (read.has(x)) { missedAll = false; break; }
    }
    if (missedAll) misses++;
  }
  const ci = wilsonInterval(misses, opts.samples);
  return { probability: misses / opts.samples, ciLow: ci.low, ciHigh: ci.high };
}
