/**
 * Operations: a history's invoke entries paired with their completions, the unit every
 * checker reasons about. An operation is named by the index of its invoke entry.
 *
 * Introduced in notebooks/00.01-Consistency-Checkers.ipynb.
 */
import type { History, HistoryOp, OpFunction, ProcessId, Value } from "../history/types.js";
import { validateHistory } from "./validateHistory.js";

/**
 * How an operation ended: `ok` (it happened), `fail` (it did not), `info` (unknown) or
 * `pending` (the history ends before it completes; treated like `info`).
 */
export type Outcome = "ok" | "fail" | "info" | "pending";

/** One client operation, from its invocation to its completion. Plain immutable data. */
export interface Operation {
  /** Index of the invoke entry in the history: the operation's name in every report. */
  readonly index: number;
  /** Index of the completion entry, or null when the history ends first. */
  readonly completionIndex: number | null;
  readonly process: ProcessId;
  readonly f: OpFunction;
  readonly key: string;
  /** For writes and cas: the value written. For reads: the value returned (null unless ok). */
  readonly value: Value;
  /** For cas: the value compared against. */
  readonly expected?: Value;
  readonly outcome: Outcome;
  readonly invokeTime: number;
  /** Time of the completion entry, or null when pending. */
  readonly completeTime: number | null;
  /** For reads under multi-version replication: the concurrent values returned. */
  readonly siblings?: readonly number[];
}

/**
 * Validates a history and pairs every invocation with its completion; pure. Operations
 * come back in order of invocation. Throws `HistoryError` on a malformed history.
 */
export function pairOperations(history: History): Operation[] {
  validateHistory(history);
  // First pass: where each invocation completes. Second: build each operation once.
  const completionOf = new Int32Array(history.length).fill(-1);
  const openByProcess = new Map<string, number>();
  for (const entry of history) {
    if (entry.type === "invoke") openByProcess.set(entry.process, entry.index);
    else {
      completionOf[openByProcess.get(entry.process) as number] = entry.index;
      openByProcess.delete(entry.process);
    }
  }
  const ops: Operation[] = [];
  for (const entry of history) {
    if (entry.type !== "invoke") continue;
    const c = completionOf[entry.index];
    const done = c >= 0 ? history[c] : undefined;
    const readOk = entry.f === "read" && done !== undefined && done.type === "ok";
    ops.push({
      index: entry.index,
      completionIndex: done === undefined ? null : c,
      process: entry.process,
      f: entry.f,
      key: entry.key,
      value: entry.f === "read" ? (readOk ? (done as HistoryOp).value : null) : entry.value,
      expected: entry.f === "cas" ? (entry.expected as Value) : undefined,
      outcome: done === undefined ? "pending" : (done.type as Outcome),
      invokeTime: entry.time,
      completeTime: done === undefined ? null : done.time,
      siblings: readOk ? (done as HistoryOp).siblings : undefined,
    });
  }
  return ops;
}

/**
 * Whether `a` certainly finished before `b` began (real-time precedence); pure. Only an
 * `ok` completion counts: an `info` or pending operation may take effect at any later
 * time, so it precedes nothing. Ties in time are broken by history order.
 */
export function precedes(a: Operation, b: Operation): boolean {
  return a.outcome === "ok" && (a.completionIndex as number) < b.index;
}

/**
 * The values an ok read observed: its siblings when the store returned several, else its
 * single value (an empty list for null, "no value"). Pure.
 */
export function observedValues(read: Operation): readonly number[] {
  if (read.siblings !== undefined && read.siblings.length > 0) return read.siblings;
  return read.value === null ? [] : [read.value];
}

/** Formats a value for messages: `null` for "no value". Pure. */
export function showValue(v: Value | undefined): string {
  return v === null || v === undefined ? "null" : String(v);
}
