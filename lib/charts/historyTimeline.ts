/**
 * A history as a timeline, in the style of Jepsen's timeline.html: one lane per client
 * process, one bar per operation from invocation to completion, coloured by outcome. It
 * shows which operations were concurrent, which is what decides linearizability.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import type { TopLevelSpec } from "vega-lite";
import { ConfigError, describe, requireInteger, requireNumber, requireOneOf } from "../errors.js";
import type { History, HistoryOp, OpType, Value } from "../history/types.js";
import type { FaultWindow } from "./faultWindows.js";
import { naturalCompare } from "./naturalOrder.js";
import { asTopLevelSpec, FAULT_LABEL_ROW_HEIGHT, faultLayers, skeleton, type SpecPart } from "./spec.js";
import { OUTCOME_COLORS, THEME } from "./theme.js";
import { requireFaultWindows, requireRows, requireTitle, type Row } from "./validate.js";

/** Options of `historyTimeline`. */
export interface HistoryTimelineOptions {
  readonly title: string;
  /** `<mark>_<subject>` name; "bar_history_timeline" by default. */
  readonly name?: string;
  readonly subtitle?: string;
  readonly description?: string;
  /** Fault windows (from `faultWindows`) shaded behind the operations. */
  readonly faults?: readonly FaultWindow[];
  /**
   * History indices of operations to outline, e.g. the ones a checker says violate
   * linearizability. The index of either the invocation or the completion selects the op.
   */
  readonly highlight?: readonly number[];
  /** Writes "write x=3" on each bar. On by default up to 40 operations (more would overprint). */
  readonly labels?: boolean;
}

/** One operation of a history, invocation paired with completion: a timeline bar. Plain data. */
export interface TimelineOp {
  readonly process: string;
  /** History index of the invocation. */
  readonly op: number;
  /** History index of the completion; -1 if the op never completed. */
  readonly completion: number;
  readonly f: string;
  readonly key: string;
  /** Value written, or value read on `ok`; `nil` when there is none. */
  readonly value: string;
  readonly outcome: "ok" | "fail" | "info";
  /** Invocation time (ms). */
  readonly start: number;
  /** Completion time (ms); the end of the history for an op that never completed. */
  readonly end: number;
  /** For `info` ops: the end of the history; the op may take effect until then. Else `end`. */
  readonly may_apply_until: number;
  readonly highlighted: boolean;
  readonly label: string;
  readonly node: string;
  readonly error: string;
}

/**
 * Pairs each invocation with the next completion of the same process. Pure. An `info`
 * completion, or none at all, means the op may take effect at any later time, so its
 * `may_apply_until` is the end of the history (Jepsen's meaning of `info`: indeterminate).
 */
export function timelineOps(history: History, highlight: readonly number[] = []): TimelineOp[] {
  const ops = requireRows("history", history) as unknown as History;
  const marked = new Set(highlight.map((h, i) => requireInteger(`highlight[${i}]`, h, 0)));
  let endOfHistory = -Infinity;
  ops.forEach((op, i) => {
    requireNumber(`history[${i}].time`, op.time);
    requireOneOf<OpType>(`history[${i}].type`, op.type, ["invoke", "ok", "fail", "info"]);
    if (typeof op.process !== "string") {
      throw new ConfigError(`history[${i}].process`, `must be a process id such as "c1", got ${describe(op.process)}`, "record every op with its client process");
    }
    endOfHistory = Math.max(endOfHistory, op.time);
  });

  const pending = new Map<string, HistoryOp>();
  const out: TimelineOp[] = [];
  const push = (inv: HistoryOp, done: HistoryOp | undefined): void => {
    const outcome = done === undefined ? "info" : (done.type as "ok" | "fail" | "info");
    const end = done === undefined ? endOfHistory : done.time;
    // A read's value is known only from its ok completion; a write's from its invocation.
    const value: Value = inv.f === "read" ? (done !== undefined && done.type === "ok" ? done.value : null) : inv.value;
    const shown = valueText(value);
    const cas = inv.f === "cas" ? `${valueText(inv.expected ?? null)}→${shown}` : shown;
    out.push({
      process: inv.process,
      op: inv.index,
      completion: done === undefined ? -1 : done.index,
      f: inv.f,
      key: inv.key,
      value: inv.f === "cas" ? cas : shown,
      outcome,
      start: inv.time,
      end,
      may_apply_until: outcome === "info" ? endOfHistory : end,
      highlighted: marked.has(inv.index) || (done !== undefined && marked.has(done.index)),
      label: `${inv.f} ${inv.key}=${inv.f === "cas" ? cas : shown}`,
      node: done?.node ?? inv.node ?? "",
      error: done?.error ?? "",
    });
  };
  ops.forEach((op) => {
    if (op.type === "invoke") {
      // An invocation while one is pending means the earlier never completed.
      const earlier = pending.get(op.process);
      if (earlier !== undefined) push(earlier, undefined);
      pending.set(op.process, op);
      return;
    }
    const inv = pending.get(op.process);
    if (inv === undefined) return; // a completion without its invocation: nothing to draw
    pending.delete(op.process);
    push(inv, op);
  });
  for (const inv of pending.values()) push(inv, undefined);
  return out.sort((a, b) => a.start - b.start || a.op - b.op);
}

/**
 * A timeline spec of a history: a lane per client process, a bar per op from invocation to
 * completion coloured ok / fail / info, a faint tail where an info op may still take
 * effect, highlighted ops outlined, faults shaded. Pure. Throws `ConfigError` for an empty
 * history, a malformed op, or an empty title.
 */
export function historyTimeline(history: History, opts: HistoryTimelineOptions): TopLevelSpec {
  requireTitle("title", opts?.title);
  const rows = timelineOps(history, opts.highlight ?? []);
  const windows = requireFaultWindows("faults", opts.faults ?? []);
  const processes = [...new Set(rows.map((r) => r.process))].sort(naturalCompare);
  const xTitle = "time (ms)";
  const top = skeleton(
    { title: opts.title, name: opts.name ?? "bar_history_timeline", subtitle: opts.subtitle, description: opts.description },
    `${opts.title}: ${rows.length} operations of ${processes.length} client processes over time, coloured by outcome.`,
  );
  // A window late in a run should fill the chart, not sit squeezed at the right of a 0 axis.
  const x = { field: "start", type: "quantitative", title: xTitle, scale: { zero: false } };
  const fault = faultLayers(windows, xTitle);
  // Room above the first lane for the fault labels, which run along the top.
  const paddingOuter = windows.length === 0 ? 0.2 : Math.min(1.5, (2 + Math.min(windows.length, 3) * FAULT_LABEL_ROW_HEIGHT) / THEME.laneStep);
  const y = {
    field: "process",
    type: "nominal",
    title: "client process",
    sort: processes,
    scale: { paddingInner: 0.35, paddingOuter },
  };
  const color = {
    field: "outcome",
    type: "nominal",
    title: "outcome",
    scale: { domain: ["ok", "fail", "info"], range: [OUTCOME_COLORS.ok, OUTCOME_COLORS.fail, OUTCOME_COLORS.info] },
    // The faint info tails would otherwise make the legend's swatches faint too.
    legend: { symbolOpacity: 1 },
  };
  const tooltip = [
    { field: "process", type: "nominal" },
    { field: "f", type: "nominal" },
    { field: "key", type: "nominal" },
    { field: "value", type: "nominal" },
    { field: "outcome", type: "nominal" },
    { field: "start", type: "quantitative", title: "invoked (ms)" },
    { field: "end", type: "quantitative", title: "completed (ms)" },
    { field: "node", type: "nominal" },
    { field: "error", type: "nominal" },
    { field: "op", type: "quantitative", title: "history index" },
  ];
  const showLabels = opts.labels ?? rows.length <= 40;
  const opLayers: SpecPart[] = [
    // The main bar comes first so the legend takes its (opaque) colours.
    { mark: { type: "bar" }, encoding: { x, x2: { field: "end" }, y, color, tooltip } },
    {
      // The tail: from an info op's completion to the end, where it may still take effect.
      transform: [{ filter: "datum.may_apply_until > datum.end" }],
      mark: { type: "bar", opacity: 0.25 },
      encoding: { x: { field: "end", type: "quantitative", title: xTitle }, x2: { field: "may_apply_until" }, y, color, tooltip },
    },
    {
      transform: [{ filter: "datum.highlighted" }],
      mark: { type: "bar", filled: false, stroke: THEME.theoryColor, strokeWidth: 2.5 },
      encoding: { x, x2: { field: "end" }, y, tooltip },
    },
  ];
  if (showLabels) {
    opLayers.push({
      mark: { type: "text", align: "left", baseline: "middle", dx: 2, fontSize: THEME.labelFontSize - 2, color: "black", clip: true },
      encoding: { x, y, text: { field: "label" } },
    });
  }
  return asTopLevelSpec({
    ...top,
    width: THEME.width,
    height: { step: THEME.laneStep },
    layer: [...fault.shading, { data: { values: rows as unknown as Row[] }, layer: opLayers }, ...fault.labels],
  });
}

function valueText(v: Value | undefined): string {
  return v === null || v === undefined ? "nil" : String(v);
}
