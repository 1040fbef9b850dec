/**
 * What the balancer notebook measures, read from a run's trace and history: each request's
 * time at its server (queueing plus service, as the engine recorded it), with batch-means
 * standard errors; failed requests over time; and the fraction of slow client requests.
 *
 * Introduced in notebooks/01.01-Many-Servers.ipynb.
 */
import type { History } from "../history/types.js";
import { completions } from "../metrics/availability.js";
import type { Trace } from "../sim/trace.js";
import { mean, quantileSorted, standardErrorOfMean as se } from "../stats.js";

/** One copy served by a server: when it arrived, how long it queued and was served, in ms. */
export interface ServedCopy {
  readonly arrived: number;
  readonly waitMs: number;
  readonly serviceMs: number;
}

/**
 * Every `serve` message a server handled, in trace order, with the queueing delay and the
 * service time the engine's node capacity gave it. Pure.
 */
export function servedCopies(trace: Trace): ServedCopy[] {
  const out: ServedCopy[] = [];
  for (const e of trace) {
    if (e.type !== "deliver" || e.msg !== "serve" || e.serviceMs === undefined) continue;
    const waitMs = e.queuedMs ?? 0;
    out.push({ arrived: e.t - e.serviceMs - waitMs, waitMs, serviceMs: e.serviceMs });
  }
  return out;
}

/** Summary of the copies that arrived in a window, with batch-means standard errors. */
export interface TimeInSystemStats {
  readonly count: number;
  /** Mean queueing plus service time, in ms. */
  readonly meanTimeMs: number;
  /** Its standard error from `batches` consecutive batches (sd of batch means ÷ √batches). */
  readonly seTimeMs: number;
  readonly meanWaitMs: number;
  readonly seWaitMs: number;
  readonly p99WaitMs: number;
  readonly batches: number;
}

/**
 * Mean time in system and queueing delay of the copies arriving in `[fromMs, toMs)`, with
 * standard errors by batch means: the window is cut into `batches` equal batches whose
 * means are close to independent when a batch is much longer than a busy period. Pure.
 */
export function timeInSystem(copies: readonly ServedCopy[], fromMs: number, toMs: number, batches = 10): TimeInSystemStats {
  const width = (toMs - fromMs) / batches;
  const sums = Array.from({ length: batches }, () => ({ n: 0, time: 0, wait: 0 }));
  const waits: number[] = [];
  for (const c of copies) {
    if (c.arrived < fromMs || c.arrived >= toMs) continue;
    const b = sums[Math.min(batches - 1, Math.floor((c.arrived - fromMs) / width))];
    b.n++;
    b.time += c.waitMs + c.serviceMs;
    b.wait += c.waitMs;
    waits.push(c.waitMs);
  }
  waits.sort((a, b) => a - b);
  const used = sums.filter((b) => b.n > 0);
  const times = used.map((b) => b.time / b.n);
  const ws = used.map((b) => b.wait / b.n);
  const count = waits.length;
  return {
    count,
    meanTimeMs: used.reduce((a, b) => a + b.time, 0) / count,
    seTimeMs: se(times),
    meanWaitMs: used.reduce((a, b) => a + b.wait, 0) / count,
    seWaitMs: se(ws),
    p99WaitMs: quantileSorted(waits, 0.99),
    batches: used.length,
  };
}

/** One window of client requests: how many were invoked, and how many did not complete `ok`. */
export interface FailureRow {
  /** Start of the window, in ms. */
  readonly t: number;
  readonly invoked: number;
  readonly failed: number;
  /** failed ÷ invoked (0 for an empty window). */
  readonly failedFraction: number;
}

/** Client requests invoked per window of `windowMs` and the fraction that failed or timed out. Pure. */
export function failuresOverTime(history: History, windowMs: number, endMs: number): FailureRow[] {
  const windows = Math.ceil(endMs / windowMs);
  const invoked = new Array<number>(windows).fill(0);
  const failed = new Array<number>(windows).fill(0);
  for (const [inv, done] of completions(history)) {
    const w = Math.floor(inv.time / windowMs);
    if (w >= windows) continue;
    invoked[w]++;
    if (done?.type !== "ok") failed[w]++;
  }
  return invoked.map((n, w) => ({ t: w * windowMs, invoked: n, failed: failed[w], failedFraction: n > 0 ? failed[w] / n : 0 }));
}

/** Latencies of the client requests that completed `ok`, invoked in `[fromMs, toMs)`, ascending. Pure. */
export function clientLatencies(history: History, fromMs = 0, toMs = Infinity): number[] {
  const out: number[] = [];
  for (const [inv, done] of completions(history)) {
    if (done?.type === "ok" && inv.time >= fromMs && inv.time < toMs) out.push(done.time - inv.time);
  }
  return out.sort((a, b) => a - b);
}
