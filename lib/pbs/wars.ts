/**
 * The WARS model of Probabilistically Bounded Staleness: Bailis, Venkataraman, Franklin,
 * Hellerstein & Stoica, "Probabilistically Bounded Staleness for Practical Partial
 * Quorums", VLDB 2012 (§4–5). A write goes to N replicas: message W_i to replica i, its
 * acknowledgement A_i back; the write commits when W acknowledgements are in. A read
 * started t ms later sends R_i to each replica and gets S_i back, and returns the newest
 * of the first R responses. Replica i has the write by the time the read reaches it iff
 * W_i ≤ commit + t + R_i.
 *
 * Because the order of read responses (by R_i + S_i) does not depend on t, each trial
 * gives one threshold t*: the read is consistent iff t ≥ t*. So one set of trials yields
 * the whole t-visibility curve (the empirical distribution of t*) and the wait for any
 * target probability (a quantile of t*).
 *
 * Introduced in notebooks/05.00-Leaderless-Replication.ipynb.
 */
import { ConfigError, requireInteger, requireNumber, requireProbability } from "../errors.js";
import { type Distribution, makeSampler, type Sampler, validateDistribution } from "../sim/distributions.js";
import { makeRng, type Rng } from "../sim/rng.js";
import { quantileSorted, wilsonInterval } from "../stats.js";

/** The four WARS delay distributions (ms) and, for a WAN, the remote replicas' extra delay. */
export interface WarsLatencies {
  readonly W: Distribution;
  readonly A: Distribution;
  readonly R: Distribution;
  readonly S: Distribution;
  /** WAN: `oneWayDelayMs` added to every leg to replicas past the first `localReplicas`. */
  readonly wan?: { readonly oneWayDelayMs: number; readonly localReplicas: number } | null;
}

/** Settings of a WARS Monte Carlo. */
export interface WarsOptions {
  readonly n: number;
  readonly r: number;
  readonly w: number;
  readonly latencies: WarsLatencies;
  /** Trials (default 100 000). */
  readonly samples?: number;
  readonly seed: number;
  /**
   * WAN only: `same` (default) when reads are coordinated in the write coordinator's
   * datacenter, `other` when the read's local replica is the last replica instead.
   */
  readonly readDatacenter?: "same" | "other";
}

/** The trials of a WARS Monte Carlo, each column sorted ascending. Plain data. */
export interface WarsSamples {
  readonly n: number;
  readonly r: number;
  readonly w: number;
  /** Per trial, the smallest t (ms after commit) at which the read is consistent; may be < 0. */
  readonly tStar: Float64Array;
  /** Per trial, the write's latency: W-th smallest W_i + A_i (ms). */
  readonly writeLatency: Float64Array;
  /** Per trial, the read's latency: R-th smallest R_i + S_i (ms). */
  readonly readLatency: Float64Array;
}

/** Checks N, R, W; throws ConfigError naming the field. Pure. */
export function validateNrw(n: unknown, r: unknown, w: unknown): void {
  requireInteger("n", n, 1, 1000);
  requireInteger("r", r, 1);
  requireInteger("w", w, 1);
  if ((r as number) > (n as number)) throw new ConfigError("r", `is ${String(r)}, larger than n = ${String(n)}`, `use 1 ≤ r ≤ ${String(n)}`);
  if ((w as number) > (n as number)) throw new ConfigError("w", `is ${String(w)}, larger than n = ${String(n)}`, `use 1 ≤ w ≤ ${String(n)}`);
}

/** Validates the four distributions (mixture weights must sum to 1). Pure. */
export function validateWarsLatencies(l: WarsLatencies): void {
  if (l == null || typeof l !== "object") throw new ConfigError("latencies", "is missing", 'give { W, A, R, S } distributions, e.g. pbsProfile("LNKD-SSD")');
  for (const leg of ["W", "A", "R", "S"] as const) validateDistribution(`latencies.${leg}`, l[leg]);
  if (l.wan) {
    requireNumber("latencies.wan.oneWayDelayMs", l.wan.oneWayDelayMs, 0);
    requireInteger("latencies.wan.localReplicas", l.wan.localReplicas, 0);
  }
}

/** k-th smallest (1-based) of `xs`, using `scratch` (same length) for an insertion sort: N is small. */
function kthSmallest(xs: Float64Array, k: number, scratch: Float64Array): number {
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i];
    let j = i - 1;
    while (j >= 0 && scratch[j] > v) {
      scratch[j + 1] = scratch[j];
      j--;
    }
    scratch[j + 1] = v;
  }
  return scratch[k - 1];
}

/** Sorts `order` (replica indices) by `key[index]`, insertion sort: N is small. */
function sortIndicesBy(order: Int32Array, key: Float64Array): void {
  for (let i = 1; i < order.length; i++) {
    const v = order[i];
    let j = i - 1;
    while (j >= 0 && key[order[j]] > key[v]) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = v;
  }
}

/**
 * Runs the WARS Monte Carlo. Deterministic for a seed (not pure only in that it allocates
 * its own generator).
 */
export function warsMonteCarlo(opts: WarsOptions): WarsSamples {
  const { n, r, w } = opts;
  validateNrw(n, r, w);
  validateWarsLatencies(opts.latencies);
  const samples = requireInteger("samples", opts.samples ?? 100_000, 1, 50_000_000);
  const rng: Rng = makeRng(opts.seed);
  const legs = (["W", "A", "R", "S"] as const).map((leg) => makeSampler(opts.latencies[leg], rng.fork(`wars:${leg}`)));
  const [dW, dA, dR, dS]: Sampler[] = legs;
  const wan = opts.latencies.wan ?? null;
  // Replica i is local to the write coordinator iff i < localReplicas; to the read
  // coordinator likewise, or (reads from another datacenter) iff i ≥ n − localReplicas.
  const readOther = opts.readDatacenter === "other";
  const extraW = (i: number): number => (wan !== null && i >= wan.localReplicas ? wan.oneWayDelayMs : 0);
  const extraR = (i: number): number => (wan === null ? 0 : (readOther ? i < n - wan.localReplicas : i >= wan.localReplicas) ? wan.oneWayDelayMs : 0);
  const tStar = new Float64Array(samples);
  const writeLatency = new Float64Array(samples);
  const readLatency = new Float64Array(samples);
  const Wi = new Float64Array(n), Ri = new Float64Array(n), ack = new Float64Array(n), resp = new Float64Array(n);
  const scratch = new Float64Array(n);
  const order = new Int32Array(n);
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < n; i++) {
      const e = extraW(i), f = extraR(i);
      Wi[i] = dW() + e;
      ack[i] = Wi[i] + dA() + e;
      Ri[i] = dR() + f;
      resp[i] = Ri[i] + dS() + f;
    }
    const commit = kthSmallest(ack, w, scratch);
    for (let i = 0; i < n; i++) order[i] = i;
    sortIndicesBy(order, resp);
    let best = Infinity;
    for (let j = 0; j < r; j++) {
      const i = order[j];
      best = Math.min(best, Wi[i] - Ri[i]);
    }
    tStar[s] = best - commit;
    writeLatency[s] = commit;
    readLatency[s] = resp[order[r - 1]];
  }
  tStar.sort();
  writeLatency.sort();
  readLatency.sort();
  return { n, r, w, tStar, writeLatency, readLatency };
}

/** Number of sorted values ≤ x (binary search). Pure. */
function countAtMost(sorted: Float64Array, x: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}


/** One point of a t-visibility curve with its 95 % interval. Plain data. */
export interface TVisibilityPoint {
  readonly t: number;
  readonly probability: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  readonly samples: number;
}

/** P(a read started t ms after commit is consistent) at each t, from the trials. Pure. */
export function warsTVisibility(s: WarsSamples, ts: readonly number[]): TVisibilityPoint[] {
  const total = s.tStar.length;
  return ts.map((t) => {
    const ok = countAtMost(s.tStar, t);
    const ci = wilsonInterval(ok, total);
    return { t, probability: ok / total, ciLow: ci.low, ciHigh: ci.high, samples: total };
  });
}


/**
 * How long after commit a read must wait to be consistent with probability `p`
 * (0 when even an immediate read is). Pure.
 */
export function waitForConsistency(s: WarsSamples, p = 0.999): number {
  requireProbability("p", p);
  return Math.max(0, quantileSorted(s.tStar, p));
}

/** Quantile `q` of the write or read latency of the trials. Pure. */
export function warsLatencyQuantile(s: WarsSamples, which: "read" | "write", q: number): number {
  requireProbability("q", q);
  return quantileSorted(which === "read" ? s.readLatency : s.writeLatency, q);
}
