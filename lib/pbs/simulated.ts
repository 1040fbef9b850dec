/**
 * The WARS experiment run in the full simulator: N replicas on a ring, one node that
 * coordinates every write and one that coordinates every read, with the PBS latency
 * distributions on the links (coordinator → replica: W for writes, R for reads; replica →
 * coordinator: A for write acks, S for read responses), so the staleness the checker
 * measures can be laid over the Monte Carlo's prediction.
 *
 * Introduced in notebooks/05.00-Leaderless-Replication.ipynb.
 */
import { requireInteger, requireNumber } from "../errors.js";
import type { ReadStaleness } from "../checkers/staleness.js";
import type { SimConfig } from "../sim/config.js";
import { constant, type Distribution, makeSampler } from "../sim/distributions.js";
import type { LinkOverride } from "../sim/network.js";
import { makeRng } from "../sim/rng.js";
import type { NodeId } from "../sim/trace.js";
import { leaderlessQuorum, type QuorumConfig, type QuorumState } from "../protocols/leaderless/quorum.js";
import { wilsonInterval } from "../stats.js";
import { type TVisibilityPoint, validateNrw, validateWarsLatencies, type WarsLatencies } from "./wars.js";

/**
 * `dist` shifted by `shiftMs`, as an empirical distribution of `count` seeded draws (the
 * simulator's vocabulary has no sum of distributions). Deterministic for a seed.
 */
export function shiftedDistribution(dist: Distribution, shiftMs: number, seed: number, count = 20_000): Distribution {
  if (shiftMs === 0) return dist;
  const draw = makeSampler(dist, makeRng(seed).fork("shift"));
  return { kind: "empirical", values: Array.from({ length: count }, () => draw() + shiftMs) };
}

/** Settings of `warsSimulationConfig`. */
export interface WarsSimOptions {
  readonly n: number;
  readonly r: number;
  readonly w: number;
  readonly latencies: WarsLatencies;
  readonly seed: number;
  /** Simulated time (default 20 000 ms). */
  readonly durationMs?: number;
  /** Keys, each read and written uniformly (default 20). */
  readonly keys?: number;
  /**
   * Mean time between two writes to one key (default 1000 ms). Keep it several times the
   * wait you want to measure: WARS assumes the previous write had long propagated.
   */
  readonly writeGapMs?: number;
  /** Reads per second over all keys (default 1000). */
  readonly readsPerSec?: number;
  /** As in `WarsOptions`. */
  readonly readDatacenter?: "same" | "other";
  /** Extra protocol settings (read repair is off by default: WARS has none). */
  readonly protocol?: Partial<QuorumConfig>;
}

/**
 * A SimConfig for the WARS experiment: nodes n1…nN are replicas, n(N+1) coordinates
 * writes, n(N+2) reads; clients reach the coordinators instantly; reads and
 * writes pick keys uniformly, writes rarely enough per key that each has propagated before
 * the next. Pure.
 */
export function warsSimulationConfig(o: WarsSimOptions): SimConfig<QuorumState, QuorumConfig> {
  validateNrw(o.n, o.r, o.w);
  validateWarsLatencies(o.latencies);
  const durationMs = requireNumber("durationMs", o.durationMs ?? 20_000, 1);
  const keys = requireInteger("keys", o.keys ?? 20, 1);
  const writesPerSec = (1000 * keys) / requireNumber("writeGapMs", o.writeGapMs ?? 1000, Number.MIN_VALUE);
  const readsPerSec = requireNumber("readsPerSec", o.readsPerSec ?? 1000, Number.MIN_VALUE);
  requireInteger("seed", o.seed, 0);
  const replicas: NodeId[] = Array.from({ length: o.n }, (_, i) => `n${i + 1}`);
  const wc = `n${o.n + 1}`, rc = `n${o.n + 2}`;
  const wan = o.latencies.wan ?? null;
  const remoteForWrite = (i: number): boolean => wan !== null && i >= wan.localReplicas;
  const remoteForRead = (i: number): boolean => wan !== null && (o.readDatacenter === "other" ? i < o.n - wan.localReplicas : i >= wan.localReplicas);
  const shift = (d: Distribution, remote: boolean, salt: number): Distribution => (remote && wan !== null ? shiftedDistribution(d, wan.oneWayDelayMs, o.seed * 8 + salt) : d);
  const links: LinkOverride[] = [];
  replicas.forEach((rep, i) => {
    links.push({ from: wc, to: rep, latency: shift(o.latencies.W, remoteForWrite(i), 1) });
    links.push({ from: rep, to: wc, latency: shift(o.latencies.A, remoteForWrite(i), 2) });
    links.push({ from: rc, to: rep, latency: shift(o.latencies.R, remoteForRead(i), 3) });
    links.push({ from: rep, to: rc, latency: shift(o.latencies.S, remoteForRead(i), 4) });
  });
  const total = writesPerSec + readsPerSec;
  return {
    seed: o.seed,
    nodes: o.n + 2,
    protocol: leaderlessQuorum,
    config: { n: o.n, r: o.r, w: o.w, replicas, readRepair: false, timeoutMs: 60_000, ...o.protocol },
    network: { latency: o.latencies.R, clientLatency: constant(0), links },
    workload: {
      clients: 1,
      loop: "open",
      ratePerSec: total,
      mix: { read: readsPerSec / total, update: writesPerSec / total },
      // Uniform keys: every key is read at the same rate whatever its age, so reads t ms
      // after a commit are not biased towards fast or slow writes.
      keys: { count: keys, distribution: "uniform" },
      timeoutMs: 120_000,
      route: { read: rc, write: wc },
    },
    durationMs,
    recordStates: false,
  };
}

/**
 * The measured t-visibility curve: reads grouped by time since the latest acknowledged
 * write to their key into the bins [edges[i], edges[i+1]), with the fraction fresh and a
 * 95 % Wilson interval; `t` is the bin's midpoint. Bins with no read are left out. Pure.
 */
export function measuredTVisibility(rows: readonly ReadStaleness[], edges: readonly number[]): TVisibilityPoint[] {
  const reads = new Array<number>(edges.length - 1).fill(0);
  const fresh = new Array<number>(edges.length - 1).fill(0);
  for (const r of rows) {
    const t = r.sinceLatestWriteMs;
    if (t === null || t < edges[0] || t >= edges[edges.length - 1]) continue;
    let i = 0;
    while (t >= edges[i + 1]) i++;
    reads[i]++;
    if (!r.stale) fresh[i]++;
  }
  const out: TVisibilityPoint[] = [];
  for (let i = 0; i < reads.length; i++) {
    if (reads[i] === 0) continue;
    const ci = wilsonInterval(fresh[i], reads[i]);
    out.push({ t: (edges[i] + edges[i + 1]) / 2, probability: fresh[i] / reads[i], ciLow: ci.low, ciHigh: ci.high, samples: reads[i] });
  }
  return out;
}
