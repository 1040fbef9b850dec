/**
 * Queueing at nodes with a capacity (`config.capacity`, lib/sim/capacity.ts): per node
 * utilisation, queueing-delay percentiles, and queue length over time as tidy rows for
 * Vega-Lite. Read from the trace: every `deliver` at such a node carries its `queuedMs`
 * and `serviceMs`, so its arrival is `t − serviceMs − queuedMs` and its service began at
 * `t − serviceMs`. Messages lost in a crash while queued, or still queued when the run
 * ended, never reached a handler and are not counted; measure over a window that ends
 * before the run does (`toMs`) to leave them out cleanly.
 *
 * The apply stage (capacity `applyMs`) is a queue too: `applyQueueingStats` reads its
 * `applied` events the same way (a record of no work passes unqueued and is not counted).
 *
 * Introduced in notebooks/04.00-Multi-Leader-Replication.ipynb (the capacity itself in
 * notebooks/03.00-Single-Leader-Replication.ipynb).
 */
import type { CapacitySpec } from "../sim/capacity.js";
import { capacityOf, hasMessageQueue } from "../sim/capacity.js";
import type { NodeId, Trace } from "../sim/trace.js";
import { quantileSorted } from "../stats.js";

/** What the queueing metrics read of a run (a `SimulationRun` has all of it). */
export type QueueingRun = {
  readonly trace: Trace;
  readonly nodes: readonly NodeId[];
  readonly endTime: number;
  readonly config: { readonly capacity?: CapacitySpec };
};

/** Which part of the run to measure: `[fromMs, toMs)` (default: the whole run). */
export type QueueingWindow = { readonly fromMs?: number; readonly toMs?: number };

/** One served message: when it arrived, began service and finished (its handler ran). */
type Served = { readonly arrived: number; readonly started: number; readonly done: number };

/** Per node, its served messages in trace order (only nodes with a message queue). */
function servedByNode(run: QueueingRun): Map<NodeId, { cores: number; jobs: Served[] }> {
  const out = new Map<NodeId, { cores: number; jobs: Served[] }>();
  for (const n of run.nodes) {
    const c = capacityOf(run.config.capacity, n);
    if (hasMessageQueue(c)) out.set(n, { cores: c!.cores ?? 1, jobs: [] });
  }
  for (const e of run.trace) {
    if (e.type !== "deliver" || e.serviceMs === undefined) continue;
    const node = out.get(e.dest);
    if (node === undefined) continue;
    const started = e.t - e.serviceMs;
    node.jobs.push({ arrived: started - (e.queuedMs ?? 0), started, done: e.t });
  }
  return out;
}

/** Length of the overlap of [a, b) with [lo, hi). */
const overlap = (a: number, b: number, lo: number, hi: number): number => Math.max(0, Math.min(b, hi) - Math.max(a, lo));

/** One node's queueing summary over a window. */
export type QueueingStatsRow = {
  readonly node: NodeId;
  readonly cores: number;
  /** Messages that arrived in the window and were served. */
  readonly served: number;
  /** Their arrival rate, per ms. */
  readonly arrivalsPerMs: number;
  /** Fraction of core time busy in the window: busy core-ms ÷ (cores × window). */
  readonly utilisation: number;
  /** Mean time-averaged number waiting (not in service) in the window. */
  readonly meanQueueLength: number;
  readonly meanServiceMs: number;
  /** Queueing delay (arrival to start of service) of messages that arrived in the window. */
  readonly meanWaitMs: number;
  readonly p50WaitMs: number;
  readonly p90WaitMs: number;
  readonly p99WaitMs: number;
  readonly maxWaitMs: number;
};

/**
 * Per node with a capacity: utilisation, mean queue length, mean service time and
 * queueing-delay mean and percentiles over `[fromMs, toMs)`. Pure. The numbers to compare
 * with queueing theory: utilisation is ρ = λ/(cμ), `meanWaitMs` is Wq.
 */
export function queueingStats(run: QueueingRun, window: QueueingWindow = {}): QueueingStatsRow[] {
  return summarise(servedByNode(run), window.fromMs ?? 0, window.toMs ?? run.endTime);
}

/** Per node with an apply stage, its applied records of work in trace order (one thread: cores 1). */
function appliedByNode(run: QueueingRun): Map<NodeId, { cores: number; jobs: Served[] }> {
  const out = new Map<NodeId, { cores: number; jobs: Served[] }>();
  for (const n of run.nodes) if (capacityOf(run.config.capacity, n)?.applyMs !== undefined) out.set(n, { cores: 1, jobs: [] });
  for (const e of run.trace) {
    if (e.type !== "applied") continue;
    const started = e.t - e.serviceMs;
    out.get(e.node)?.jobs.push({ arrived: started - e.queuedMs, started, done: e.t });
  }
  return out;
}

/**
 * Per node with an apply stage (`capacity.applyMs`): the same summary as `queueingStats`,
 * of the stage's queue: records arrive when their disk write completes, wait, and are
 * applied one at a time (`cores` is 1). Pure. `meanWaitMs` is Wq, `utilisation` is ρ.
 */
export function applyQueueingStats(run: QueueingRun, window: QueueingWindow = {}): QueueingStatsRow[] {
  return summarise(appliedByNode(run), window.fromMs ?? 0, window.toMs ?? run.endTime);
}

function summarise(groups: Map<NodeId, { cores: number; jobs: Served[] }>, lo: number, hi: number): QueueingStatsRow[] {
  const span = hi - lo;
  const rows: QueueingStatsRow[] = [];
  for (const [node, { cores, jobs }] of groups) {
    let busy = 0;
    let waiting = 0;
    let service = 0;
    const waits: number[] = [];
    for (const j of jobs) {
      busy += overlap(j.started, j.done, lo, hi);
      waiting += overlap(j.arrived, j.started, lo, hi);
      if (j.arrived >= lo && j.arrived < hi) {
        waits.push(j.started - j.arrived);
        service += j.done - j.started;
      }
    }
    waits.sort((a, b) => a - b);
    const n = waits.length;
    rows.push({
      node,
      cores,
      served: n,
      arrivalsPerMs: span > 0 ? n / span : NaN,
      utilisation: span > 0 ? busy / (cores * span) : NaN,
      meanQueueLength: span > 0 ? waiting / span : NaN,
      meanServiceMs: n ? service / n : NaN,
      meanWaitMs: n ? waits.reduce((s, w) => s + w, 0) / n : NaN,
      p50WaitMs: quantileSorted(waits, 0.5),
      p90WaitMs: quantileSorted(waits, 0.9),
      p99WaitMs: quantileSorted(waits, 0.99),
      maxWaitMs: n ? waits[n - 1] : NaN,
    });
  }
  return rows;
}

/** One queueing-delay percentile of one node. */
export type QueueingDelayRow = { readonly node: NodeId; readonly percentile: number; readonly waitMs: number; readonly count: number };

/** Queueing-delay percentiles (default p50, p90, p99, p99.9) per node with a capacity, over a window. Pure. */
export function queueingDelayPercentiles(run: QueueingRun, percentiles: readonly number[] = [50, 90, 99, 99.9], window: QueueingWindow = {}): QueueingDelayRow[] {
  const lo = window.fromMs ?? 0;
  const hi = window.toMs ?? run.endTime;
  const out: QueueingDelayRow[] = [];
  for (const [node, { jobs }] of servedByNode(run)) {
    const waits = jobs.filter((j) => j.arrived >= lo && j.arrived < hi).map((j) => j.started - j.arrived).sort((a, b) => a - b);
    for (const p of percentiles) out.push({ node, percentile: p, waitMs: quantileSorted(waits, p / 100), count: waits.length });
  }
  return out;
}

/** One window of one node: time-averaged queue length and busy cores. */
export type QueueLengthRow = {
  readonly node: NodeId;
  /** Start of the window, in ms. */
  readonly t: number;
  /** Mean number of messages waiting (not in service) over the window. */
  readonly queueLength: number;
  /** Mean number of cores busy over the window. */
  readonly busyCores: number;
  /** busyCores ÷ cores. */
  readonly utilisation: number;
};

/**
 * Queue length and utilisation over time, per node with a capacity, as time averages over
 * consecutive windows of `windowMs` (default: a hundredth of the run). Tidy rows: plot `t`
 * against `queueLength`, coloured by `node`. Pure.
 */
export function queueLengthOverTime(run: QueueingRun, windowMs: number = run.endTime / 100): QueueLengthRow[] {
  const rows: QueueLengthRow[] = [];
  const windows = Math.max(1, Math.ceil(run.endTime / windowMs));
  for (const [node, { cores, jobs }] of servedByNode(run)) {
    const waiting = new Float64Array(windows);
    const busy = new Float64Array(windows);
    // Spread each job's waiting and service intervals over the windows they cover.
    const spread = (acc: Float64Array, a: number, b: number): void => {
      for (let w = Math.floor(a / windowMs); w < windows && w * windowMs < b; w++) acc[w] += overlap(a, b, w * windowMs, (w + 1) * windowMs);
    };
    for (const j of jobs) {
      spread(waiting, j.arrived, j.started);
      spread(busy, j.started, j.done);
    }
    for (let w = 0; w < windows; w++) {
      const width = Math.min(windowMs, run.endTime - w * windowMs);
      rows.push({ node, t: w * windowMs, queueLength: waiting[w] / width, busyCores: busy[w] / width, utilisation: busy[w] / width / cores });
    }
  }
  return rows;
}
