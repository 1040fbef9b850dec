/**
 * How likely is it to lose data stored as k copies, when drives fail at a given annualized
 * failure rate (AFR) and a failed copy is rebuilt from a surviving one? Introduced in
 * notebooks/01.00-Durability.ipynb.
 *
 * The model: each copy's drive fails independently at rate λ; each failed copy is rebuilt
 * independently at rate μ = 1 / (rebuild time); data is lost when all k copies are down at
 * once. This is the continuous-time Markov chain behind the classic mean-time-to-data-loss
 * (MTTDL) formulas (Patterson, Gibson and Katz, "A Case for Redundant Arrays of Inexpensive
 * Disks (RAID)", SIGMOD 1988; Greenan, Plank and Wylie, "Mean time to meaningless: MTTDL,
 * Markov models, and storage system reliability", HotStorage 2010). Here it is solved exactly
 * (a matrix exponential of a (k+1)-state chain) and also simulated, so the two can be compared.
 */
import { Matrix, solve } from "ml-matrix";
import { ConfigError, requireInteger, requireNumber } from "../errors.js";
import { makeRng } from "../sim/rng.js";
import { wilsonInterval } from "../stats.js";

const HOURS_PER_YEAR = 365.25 * 24;

/** k copies, a drive failure rate, and a rebuild time. */
export interface ReplicaGroupSpec {
  /** k: copies of the data, each on its own drive. */
  readonly copies: number;
  /** Annualized failure rate of one drive, as a fraction (Backblaze 2024: 0.0157). */
  readonly afr: number;
  /** Mean time to rebuild one lost copy, in hours. */
  readonly rebuildHours: number;
}

/** Checks a spec; throws a ConfigError naming the field. Pure. */
export function validateReplicaGroup(spec: ReplicaGroupSpec): ReplicaGroupSpec {
  if (spec == null || typeof spec !== "object") throw new ConfigError("spec", "is missing", "give { copies, afr, rebuildHours }");
  requireInteger("copies", spec.copies, 1, 10);
  requireNumber("afr", spec.afr, Number.MIN_VALUE);
  if (spec.afr >= 1) {
    throw new ConfigError("afr", `must be a fraction below 1 (an AFR of 100 % or more has no failure rate), got ${spec.afr}`, "write 1.57 % as 0.0157");
  }
  requireNumber("rebuildHours", spec.rebuildHours, Number.MIN_VALUE);
  return spec;
}

/**
 * Failure rate per year of one drive from its AFR: an AFR is the fraction failing within a
 * year, 1 − e^(−λ), so λ = −ln(1 − AFR) (≈ AFR when small). Pure.
 */
export function failureRatePerYear(afr: number): number {
  return -Math.log1p(-afr);
}

/** The chain's generator matrix over states 0..k (copies down); state k absorbs. Pure. */
function generator(spec: ReplicaGroupSpec): number[][] {
  const k = spec.copies;
  const lambda = failureRatePerYear(spec.afr);
  const mu = HOURS_PER_YEAR / spec.rebuildHours;
  const q = Array.from({ length: k + 1 }, () => new Array<number>(k + 1).fill(0));
  for (let down = 0; down < k; down++) {
    const fail = (k - down) * lambda;
    const repair = down * mu;
    q[down][down + 1] = fail;
    if (down > 0) q[down][down - 1] = repair;
    q[down][down] = -(fail + repair);
  }
  return q;
}

function matMul(a: number[][], b: number[][]): number[][] {
  const n = a.length;
  const c = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) c[i][j] += a[i][k] * b[k][j];
  return c;
}

/**
 * e^A for a small matrix, by scaling and squaring with a Taylor series. Pure.
 *
 * Written here rather than taken from a library on purpose: ml-matrix (used for the MTTDL
 * solve) has no matrix exponential, and e^(Qt) built from its eigen-decomposition,
 * V·e^(Λt)·V⁻¹, cancels catastrophically on these chains: for 5 copies it returns
 * −9.2 × 10⁻¹⁹ where the loss probability is 2.7 × 10⁻²¹. The test checks this one against
 * uniformization, a sum of positive terms.
 */
export function expm(a: readonly (readonly number[])[]): number[][] {
  const n = a.length;
  const norm = Math.max(...a.map((row) => row.reduce((s, x) => s + Math.abs(x), 0)));
  const squarings = Math.max(0, Math.ceil(Math.log2(norm / 0.25)));
  const scale = Math.pow(2, -squarings);
  const x = a.map((row) => row.map((v) => v * scale));
  let term: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  let sum = term.map((r) => r.slice());
  for (let k = 1; k <= 24; k++) {
    term = matMul(term, x).map((row) => row.map((v) => v / k));
    sum = sum.map((row, i) => row.map((v, j) => v + term[i][j]));
  }
  for (let s = 0; s < squarings; s++) sum = matMul(sum, sum);
  return sum;
}

/**
 * Exact probability that a group of k copies loses its data within `years`, starting with
 * every copy healthy: the chain's absorption probability, e^(Q t)[0][k]. Pure.
 */
export function lossProbability(spec: ReplicaGroupSpec, years = 1): number {
  validateReplicaGroup(spec);
  requireNumber("years", years, 0);
  const q = generator(spec).map((row) => row.map((v) => v * years));
  return Math.min(1, Math.max(0, expm(q)[0][spec.copies]));
}

/**
 * Mean time to data loss in years, exactly: the expected time to absorption of the chain,
 * from solving Q_T · m = −1 over the transient states. Pure.
 */
export function mttdlYears(spec: ReplicaGroupSpec): number {
  validateReplicaGroup(spec);
  const q = generator(spec);
  const k = spec.copies;
  // The k×k transient block, solved by ml-matrix (LU decomposition with partial pivoting).
  const a = new Matrix(q.slice(0, k).map((row) => row.slice(0, k)));
  return solve(a, Matrix.columnVector(new Array<number>(k).fill(-1))).get(0, 0);
}

/**
 * The textbook approximation MTTDL ≈ μ^(k−1) / (k · λ^k), valid when rebuilds are much
 * faster than failures (μ ≫ λ). Pure.
 */
export function mttdlApproxYears(spec: ReplicaGroupSpec): number {
  validateReplicaGroup(spec);
  const lambda = failureRatePerYear(spec.afr);
  const mu = HOURS_PER_YEAR / spec.rebuildHours;
  return Math.pow(mu, spec.copies - 1) / (spec.copies * Math.pow(lambda, spec.copies));
}

/** A Monte Carlo estimate with its 95 % interval. */
export type LossEstimate = {
  readonly trials: number;
  readonly losses: number;
  readonly probability: number;
  /** Wilson score interval, 95 %. */
  readonly ciLow: number;
  readonly ciHigh: number;
};


/**
 * Simulates `trials` replica groups for `years` each, event by event (failure and rebuild
 * times drawn from the seeded generator), and counts those that lost their data.
 * Deterministic for a given seed. With `rebuild: "fixed"` every rebuild takes exactly
 * `rebuildHours` (closer to reality than the chain's exponential rebuilds; the comparison
 * shows how little that changes).
 */
export function simulateLoss(spec: ReplicaGroupSpec, opts: { trials: number; years?: number; seed: number; rebuild?: "exponential" | "fixed" }): LossEstimate {
  validateReplicaGroup(spec);
  const trials = requireInteger("trials", opts.trials, 1, 50_000_000);
  const years = requireNumber("years", opts.years ?? 1, Number.MIN_VALUE);
  const rng = makeRng(opts.seed).fork(`data-loss:${spec.copies}:${spec.afr}:${spec.rebuildHours}`);
  const lambda = failureRatePerYear(spec.afr);
  const rebuild = spec.rebuildHours / HOURS_PER_YEAR;
  const fixed = (opts.rebuild ?? "exponential") === "fixed";
  const exp = (rate: number): number => -Math.log(rng.uniformOpen()) / rate;
  const k = spec.copies;
  const nextChange = new Float64Array(k);
  const down = new Uint8Array(k);
  let losses = 0;
  for (let trial = 0; trial < trials; trial++) {
    for (let c = 0; c < k; c++) {
      nextChange[c] = exp(lambda);
      down[c] = 0;
    }
    let downCount = 0;
    for (;;) {
      // The next change of any copy: a failure or the end of a rebuild.
      let c = 0;
      for (let i = 1; i < k; i++) if (nextChange[i] < nextChange[c]) c = i;
      const t = nextChange[c];
      if (t > years) break;
      if (down[c] === 0) {
        down[c] = 1;
        if (++downCount === k) {
          losses++;
          break;
        }
        nextChange[c] = t + (fixed ? rebuild : exp(1 / rebuild));
      } else {
        down[c] = 0;
        downCount--;
        nextChange[c] = t + exp(lambda);
      }
    }
  }
  const ci = wilsonInterval(losses, trials);
  return { trials, losses, probability: losses / trials, ciLow: ci.low, ciHigh: ci.high };
}

/**
 * Expected acknowledged writes lost by a crash at a uniformly random moment, when writes
 * arrive at `ratePerSec`, are acknowledged before the fsync, and an fsync of duration
 * `fsyncMs` starts every `intervalMs`: rate × (interval / 2 + fsync). Derivation: a crash at
 * phase φ of the interval loses the writes since the last fsync that completed, φ if the
 * current one did (φ ≥ fsync), φ + interval if it did not; averaging over φ gives
 * interval/2 + fsync. Pure.
 */
export function expectedLostWritesInterval(ratePerSec: number, intervalMs: number, fsyncMs: number): number {
  requireNumber("ratePerSec", ratePerSec, 0);
  requireNumber("intervalMs", intervalMs, Number.MIN_VALUE);
  requireNumber("fsyncMs", fsyncMs, 0, intervalMs);
  return (ratePerSec * (intervalMs / 2 + fsyncMs)) / 1000;
}
