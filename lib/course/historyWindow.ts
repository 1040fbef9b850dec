/**
 * A slice of a long history for display: the operations invoked in a time window, each with
 * its completion, so a timeline of a few dozen milliseconds stays readable.
 * Introduced in notebooks/00.01-Consistency-Checkers.ipynb.
 */
import { requireNumber } from "../errors.js";
import type { History, HistoryOp } from "../history/types.js";

/**
 * The entries of the operations invoked in [from, to] (and of the given processes, if
 * listed), each invocation with its completion, in history order. Pure.
 *
 * Entries keep their original `index`, so a checker's op numbers still name them (e.g. to
 * highlight them in `historyTimeline`); the result is for display, not for checkers, which
 * want a complete history.
 */
export function historyWindow(history: History, from: number, to: number, processes?: readonly string[]): HistoryOp[] {
  requireNumber("from", from);
  requireNumber("to", to, from);
  const wanted = processes === undefined ? undefined : new Set(processes);
  const open = new Map<string, boolean>();
  const out: HistoryOp[] = [];
  for (const op of history) {
    if (op.type === "invoke") {
      const keep = op.time >= from && op.time <= to && (wanted === undefined || wanted.has(op.process));
      open.set(op.process, keep);
      if (keep) out.push(op);
    } else if (open.get(op.process) === true) {
      // The completion of a kept invocation, however late it came.
      out.push(op);
      open.delete(op.process);
    }
  }
  return out;
}
