/**
 * Table rows for the getting-started notebooks: a trace event or a state change as one flat
 * row of short text, so `showTable` can show the first events of a run or what changed
 * between two moments without a wall of nested JSON.
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import { requireInteger, requireNumber } from "../errors.js";
import type { Fault } from "../sim/faults.js";
import type { NodeChange } from "../sim/run.js";
import type { TraceEvent } from "../sim/trace.js";

/** One trace event as a table row. Plain data (a type, not an interface, so it fits `showTable`'s rows). */
export type TraceRow = {
  /** Virtual time in ms, rounded to `digits` decimals. */
  readonly t: number;
  /** The event's kind: `send`, `deliver`, `drop`, `fault`, `timer`, `disk`, `note` or `op`. */
  readonly event: string;
  /** Where it happened: `c1 → n1` for a message, a node or client id, or `network`. */
  readonly where: string;
  /** What happened, in a few words. */
  readonly what: string;
};

/** Options of `traceRows`. */
export interface TraceRowOptions {
  /** Keep events at or after this time (ms; default 0). */
  readonly from?: number;
  /** Keep events at or before this time (ms; default: the end). */
  readonly to?: number;
  /** At most this many rows, the earliest first (default 30). */
  readonly limit?: number;
  /** Only these event kinds (default: all). */
  readonly kinds?: readonly TraceEvent["type"][];
  /** Decimals of `t` (default 2). */
  readonly digits?: number;
}

/**
 * The events of a trace as table rows, in trace order, within [from, to] and of the given
 * kinds, at most `limit` of them. Pure. Throws `ConfigError` for a bad window or limit.
 */
export function traceRows(trace: readonly TraceEvent[], opts: TraceRowOptions = {}): TraceRow[] {
  const from = requireNumber("from", opts.from ?? 0);
  const to = requireNumber("to", opts.to ?? Number.MAX_VALUE, from);
  const limit = requireInteger("limit", opts.limit ?? 30, 1);
  const digits = requireInteger("digits", opts.digits ?? 2, 0, 6);
  const kinds = opts.kinds === undefined ? undefined : new Set<string>(opts.kinds);
  const rows: TraceRow[] = [];
  for (const e of trace) {
    if (rows.length >= limit) break;
    if (e.t < from || e.t > to || (kinds !== undefined && !kinds.has(e.type))) continue;
    rows.push({ t: roundTo(e.t, digits), event: e.type, ...describeEvent(e) });
  }
  return rows;
}

/** Where an event happened and what it was, in words. Pure. */
export function describeEvent(e: TraceEvent): { where: string; what: string } {
  switch (e.type) {
    case "send":
      return { where: `${e.src} → ${e.dest}`, what: `${e.msg} #${e.id} sent (${e.bytes} B)` };
    case "deliver":
      return { where: `${e.src} → ${e.dest}`, what: `${e.msg} #${e.id} delivered` };
    case "drop":
      return { where: `${e.src} → ${e.dest}`, what: `${e.msg} #${e.id} dropped (${e.reason})` };
    case "fault":
      return { where: "node" in e.fault ? e.fault.node : "network", what: describeFault(e.fault) };
    case "timer":
      return { where: e.node, what: `timer ${e.name} fired` };
    case "disk":
      return { where: e.node, what: `log: ${e.written} written, ${e.synced} synced` };
    case "applied":
      return { where: e.node, what: `WAL record ${e.record} applied (queued ${e.queuedMs} ms, took ${e.serviceMs} ms)` };
    case "note": {
      const parts = [e.kind];
      if (e.key !== undefined) parts.push(`${e.key}=${e.value === undefined || e.value === null ? "nil" : e.value}`);
      if (e.index !== undefined) parts.push(`index ${e.index}`);
      if (e.data !== undefined) parts.push(JSON.stringify(e.data));
      return { where: e.node, what: parts.join(" ") };
    }
    case "op": {
      const op = e.op;
      // A read's value is only known when it completes; an invocation shows no value.
      const value = op.f === "read" && op.type === "invoke" ? "" : `=${op.value === null ? "nil" : op.value}`;
      const cas = op.f === "cas" && op.expected !== undefined ? ` if ${op.expected === null ? "nil" : op.expected}` : "";
      const error = op.error === undefined ? "" : ` (${op.error})`;
      return { where: op.process, what: `${op.type} ${op.f} ${op.key}${value}${cas}${error}` };
    }
  }
}

function describeFault(f: Fault): string {
  switch (f.kind) {
    case "partition":
      return `partition ${f.groups.map((g) => `{${g.join(",")}}`).join(" | ")}${f.oneWay === true ? " (one way)" : ""}`;
    case "heal":
      return "heal: every partition ends";
    case "clock":
      return `clock ${f.skewMs >= 0 ? "+" : ""}${f.skewMs} ms${f.drift === undefined ? "" : `, drift ${f.drift}`}`;
    default:
      return f.kind;
  }
}

/** One state change as a table row, its values as short text. Plain data (a type, so it fits `showTable`). */
export type ChangeRow = {
  readonly node: string;
  readonly path: string;
  readonly before: string;
  readonly after: string;
};

/**
 * State changes (from `run.diff(t1, t2)`) as table rows whose values are text of at most
 * `maxChars` characters (longer ones end in `…`), so a log of appended entries stays one
 * readable cell. Pure.
 */
export function changeRows(changes: readonly NodeChange[], maxChars = 60): ChangeRow[] {
  requireInteger("maxChars", maxChars, 4);
  return changes.map((c) => ({ node: c.node, path: c.path, before: shortText(c.before, maxChars), after: shortText(c.after, maxChars) }));
}

/** A value as text of at most `maxChars` characters. Pure. */
export function shortText(v: unknown, maxChars = 60): string {
  let s: string;
  if (typeof v === "string") s = v;
  else if (v === undefined) s = "(absent)";
  else {
    try {
      s = JSON.stringify(v) ?? String(v);
    } catch {
      s = String(v);
    }
  }
  return s.length <= maxChars ? s : `${s.slice(0, maxChars - 1)}…`;
}

function roundTo(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
