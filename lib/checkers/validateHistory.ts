/**
 * Validation of a recorded history before any checker reads it: every malformed entry is
 * reported by position and process instead of surfacing later as a wrong verdict.
 *
 * Introduced in notebooks/00.01-Consistency-Checkers.ipynb.
 */
import { ConfigError, describe } from "../errors.js";
import type { History, HistoryOp, OpFunction, OpType } from "../history/types.js";
import { HistoryError } from "./historyError.js";

const OP_TYPES: readonly OpType[] = ["invoke", "ok", "fail", "info"];
const OP_FUNCTIONS: readonly OpFunction[] = ["read", "write", "cas"];

/**
 * Checks that a history follows the Jepsen rules; pure, returns nothing, throws
 * `HistoryError` naming the first bad entry. The rules: entries are objects whose `index`
 * is their position; `type` is invoke/ok/fail/info and `f` is read/write/cas; time is a
 * finite number that never decreases; a process has at most one open invocation; every
 * completion closes its process's open invocation with the same `f`, `key` (and, for
 * writes and cas, the same value); writes and cas carry a number and cas an `expected`.
 * An invocation still open at the end is allowed (it is treated as `info`: unknown).
 */
export function validateHistory(history: History): void {
  if (!Array.isArray(history)) {
    throw new ConfigError("history", `must be an array of operations, got ${describe(history)}`, "pass the array a client recorder or historyBuilder().build() returns");
  }
  const open = new Map<string, HistoryOp>();
  let lastTime = -Infinity;
  for (let i = 0; i < history.length; i++) {
    const op = history[i] as HistoryOp;
    if (op === null || typeof op !== "object") {
      throw new HistoryError(i, undefined, `must be an operation object, got ${describe(op)}`, "record {index, type, process, f, key, value, time}");
    }
    const process = op.process;
    if (typeof process !== "string" || process === "") {
      throw new HistoryError(i, undefined, `process must be a non-empty string such as "c1", got ${describe(process)}`, "name the client process that issued the operation");
    }
    if (op.index !== i) {
      throw new HistoryError(i, process, `index is ${describe(op.index)} but the entry is at position ${i}`, "number entries 0, 1, 2, ... in history order");
    }
    if (!(OP_TYPES as readonly unknown[]).includes(op.type)) {
      throw new HistoryError(i, process, `unknown op type ${describe(op.type)}`, `use one of ${OP_TYPES.join(", ")}`);
    }
    if (!(OP_FUNCTIONS as readonly unknown[]).includes(op.f)) {
      throw new HistoryError(i, process, `unknown op f ${describe(op.f)}`, `use one of ${OP_FUNCTIONS.join(", ")}`);
    }
    if (typeof op.key !== "string") {
      throw new HistoryError(i, process, `key must be a string, got ${describe(op.key)}`, "give the key the operation reads or writes, e.g. \"x\"");
    }
    if (typeof op.time !== "number" || !Number.isFinite(op.time)) {
      throw new HistoryError(i, process, `time must be a finite number of ms, got ${describe(op.time)}`, "record the virtual time of the entry");
    }
    if (op.time < lastTime) {
      throw new HistoryError(i, process, `time ${op.time} is earlier than the previous entry's ${lastTime}`, "keep the history in time order (sort entries by time before numbering them)");
    }
    lastTime = op.time;
    checkValueFields(op, i);

    const pending = open.get(process);
    if (op.type === "invoke") {
      if (pending !== undefined) {
        throw new HistoryError(i, process, `invokes ${op.f} on ${describe(op.key)} while its ${pending.f} invoked at history[${pending.index}] is still open`, "complete the earlier operation (ok, fail or info) before the process invokes another");
      }
      open.set(process, op);
      continue;
    }
    if (pending === undefined) {
      throw new HistoryError(i, process, `completion ${op.type} of ${op.f} on ${describe(op.key)} without an open invocation`, "record the invoke entry first, on the same process");
    }
    if (pending.f !== op.f || pending.key !== op.key) {
      throw new HistoryError(i, process, `completion is ${op.f} on ${describe(op.key)} but the open invocation at history[${pending.index}] is ${pending.f} on ${describe(pending.key)}`, "a completion repeats its invocation's f and key");
    }
    if ((op.f === "write" || op.f === "cas") && op.value !== pending.value) {
      throw new HistoryError(i, process, `${op.f} completes with value ${describe(op.value)} but was invoked at history[${pending.index}] with ${describe(pending.value)}`, "a write's completion carries the value it wrote");
    }
    open.delete(process);
  }
}

function isValue(v: unknown): boolean {
  return v === null || (typeof v === "number" && Number.isFinite(v));
}

function checkValueFields(op: HistoryOp, i: number): void {
  if (!isValue(op.value)) {
    throw new HistoryError(i, op.process, `value must be a number or null, got ${describe(op.value)}`, "use null for \"no value\"");
  }
  if ((op.f === "write" || op.f === "cas") && op.value === null) {
    throw new HistoryError(i, op.process, `${op.f} must carry the number it writes, got null`, "give each write a value (unique values let checkers tell writes apart)");
  }
  if (op.f === "cas" && !isValue(op.expected)) {
    throw new HistoryError(i, op.process, `cas needs expected (a number or null), got ${describe(op.expected)}`, "record the value the cas compares against in `expected`");
  }
  if (op.siblings !== undefined) {
    if (!Array.isArray(op.siblings) || !op.siblings.every((s) => typeof s === "number" && Number.isFinite(s))) {
      throw new HistoryError(i, op.process, `siblings must be an array of numbers, got ${describe(op.siblings)}`, "list the concurrent values the read returned, or omit siblings");
    }
  }
}
