/**
 * Operation latency from the history: invoke to `ok`, per operation kind.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import type { History, OpFunction } from "../history/types.js";
import { quantile } from "../stats.js";
import { completions } from "./availability.js";

/** One completed operation's latency. */
export type LatencyRow = {
  readonly t: number;
  readonly f: OpFunction;
  readonly process: string;
  readonly latencyMs: number;
};

/** Latencies of every op that completed `ok`. Pure. */
export function latencies(history: History): LatencyRow[] {
  const rows: LatencyRow[] = [];
  for (const [inv, done] of completions(history)) {
    if (done?.type === "ok") rows.push({ t: inv.time, f: inv.f, process: inv.process, latencyMs: done.time - inv.time });
  }
  return rows;
}

/** One percentile of one operation kind. */
export type PercentileRow = {
  readonly f: OpFunction | "all";
  readonly percentile: number;
  readonly latencyMs: number;
  readonly count: number;
};

/** Latency percentiles (default p50, p90, p99, p99.9) per kind and overall. Pure. */
export function latencyPercentiles(history: History, percentiles: readonly number[] = [50, 90, 99, 99.9]): PercentileRow[] {
  const rows = latencies(history);
  const kinds: (OpFunction | "all")[] = [...new Set(rows.map((r) => r.f)), "all"];
  const out: PercentileRow[] = [];
  for (const f of kinds) {
    const values = rows.filter((r) => f === "all" || r.f === f).map((r) => r.latencyMs);
    for (const p of percentiles) out.push({ f, percentile: p, latencyMs: quantile(values, p / 100), count: values.length });
  }
  return out;
}
