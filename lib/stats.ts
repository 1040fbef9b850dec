/**
 * The small statistics every part of the course uses: the mean and its standard error,
 * nearest-rank quantiles (latency percentiles, PBS waits) and the Wilson score interval
 * (simulated probabilities).
 * One definition each, so a p99 or a 95 % interval means the same in every notebook.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb (percentiles) and
 * notebooks/01.00-Durability.ipynb (intervals).
 */
import { ConfigError, describe } from "./errors.js";

/** The arithmetic mean of `values`; NaN for none. Pure. */
export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/**
 * The standard error of the mean of `values`: the sample standard deviation (n − 1) over
 * √n; NaN for fewer than two values. Pure.
 */
export function standardErrorOfMean(values: readonly number[]): number {
  const m = mean(values);
  let squares = 0;
  for (const v of values) squares += (v - m) ** 2;
  return Math.sqrt(squares / (values.length - 1) / values.length);
}

/**
 * The q-quantile (0 ≤ q ≤ 1) of ascending `sorted` values by the nearest-rank method:
 * the smallest value such that at least a fraction q of the values are ≤ it; NaN for no
 * values. Always an observed value (no interpolation), which is what latency SLOs quote.
 * Pure.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new ConfigError("q", `must be a fraction in [0, 1], got ${describe(q)}`, "write the 99th percentile as 0.99");
  if (sorted.length === 0) return NaN;
  // The rounding guards against 0.07 × 100 = 7.000000000000001 stepping up one rank.
  const rank = Math.ceil(Math.round(q * sorted.length * 1e9) / 1e9);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** The q-quantile of `values` in any order (nearest rank; NaN for none). Pure. */
export function quantile(values: readonly number[], q: number): number {
  return quantileSorted([...values].sort((a, b) => a - b), q);
}

/**
 * Wilson score interval for `hits` successes in `n` trials at `z` (1.96: 95 %). Unlike
 * p ± z·SE it stays inside [0, 1] and behaves near 0 and 1 (Wilson, JASA 1927). Pure.
 */
export function wilsonInterval(hits: number, n: number, z = 1.96): { low: number; high: number } {
  if (n === 0) return { low: 0, high: 1 };
  const p = hits / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
