/**
 * A builder for hand-written histories, for tests and for students:
 *
 * ```ts
 * const h = historyBuilder()
 *   .write("c1", "x", 1, 0, 10)    // c1 writes x=1, invoked at 0, ok at 10
 *   .read("c2", "x", 1, 20, 25)    // c2 reads x and gets 1, [20, 25]
 *   .build();
 * ```
 *
 * Entries may be added in any order; `build()` sorts them by time (ties keep the order they
 * were added), numbers them and validates the result.
 *
 * Introduced in notebooks/00.01-Consistency-Checkers.ipynb.
 */
import { ConfigError, describe, requireNumber } from "../errors.js";
import type { History, HistoryOp, OpFunction, OpType, ProcessId, Value } from "../history/types.js";
import { validateHistory } from "./validateHistory.js";

/** How a shorthand operation ends; `pending` records the invocation only. */
export type BuilderOutcome = "ok" | "fail" | "info" | "pending";

/** A mutable builder of one history (see `historyBuilder`). Not pure: each call appends. */
export interface HistoryBuilder {
  /** Records an invocation; for cas `value` is the new value and `expected` the old. */
  invoke(process: ProcessId, f: OpFunction, key: string, value: Value, time: number, expected?: Value): HistoryBuilder;
  /** Completes the process's open invocation with `ok`; `value` is what a read returned. */
  ok(process: ProcessId, time: number, value?: Value): HistoryBuilder;
  /** Completes the process's open invocation with `fail`: it certainly did not happen. */
  fail(process: ProcessId, time: number, error?: string): HistoryBuilder;
  /** Completes the process's open invocation with `info`: it may or may not have happened. */
  info(process: ProcessId, time: number, error?: string): HistoryBuilder;
  /** A whole write of `value` to `key`, invoked at `start` and completed at `end`. */
  write(process: ProcessId, key: string, value: number, start: number, end: number, outcome?: BuilderOutcome): HistoryBuilder;
  /** A whole read of `key` returning `value` (ignored unless the outcome is ok). */
  read(process: ProcessId, key: string, value: Value, start: number, end: number, outcome?: BuilderOutcome): HistoryBuilder;
  /** A whole compare-and-set of `key` from `expected` to `value`. */
  cas(process: ProcessId, key: string, expected: Value, value: number, start: number, end: number, outcome?: BuilderOutcome): HistoryBuilder;
  /** The history so far: sorted by time, numbered, validated and frozen. Pure; may be called again. */
  build(): History;
}

type Draft = Omit<HistoryOp, "index">;

/** Makes an empty history builder. Not pure: the builder it returns is mutable. */
export function historyBuilder(): HistoryBuilder {
  const drafts: Draft[] = [];
  const open = new Map<ProcessId, Draft>();

  const complete = (type: OpType, process: ProcessId, time: number, readValue: Value | undefined, error: string | undefined): void => {
    requireNumber(`${type}(${describe(process)}).time`, time);
    const inv = open.get(process);
    if (inv === undefined) {
      throw new ConfigError(`${type}(${describe(process)})`, `process ${process} has no open invocation`, "call invoke(...) for this process first");
    }
    if (time < inv.time) {
      throw new ConfigError(`${type}(${describe(process)}).time`, `completes at ${time}, before its invocation at ${inv.time}`, "a completion comes at or after its invocation");
    }
    if (readValue !== undefined && inv.f !== "read") {
      throw new ConfigError(`${type}(${describe(process)}).value`, `only a read's completion takes a value, but the open operation is a ${inv.f}`, "leave the value out: a write completes with the value it wrote");
    }
    open.delete(process);
    const value = inv.f === "read" ? (type === "ok" ? (readValue === undefined ? null : readValue) : null) : inv.value;
    drafts.push({
      type, process, f: inv.f, key: inv.key, value, time,
      ...(inv.expected !== undefined ? { expected: inv.expected } : {}),
      ...(error !== undefined ? { error } : {}),
    });
  };

  const whole = (process: ProcessId, f: OpFunction, key: string, value: Value, expected: Value | undefined, start: number, end: number, outcome: BuilderOutcome, readValue: Value): void => {
    const field = `${f}(${describe(process)}, ${describe(key)})`;
    requireNumber(`${field}.start`, start);
    if (outcome !== "pending" && requireNumber(`${field}.end`, end) < start) {
      throw new ConfigError(`${field}.end`, `ends at ${end}, before it starts at ${start}`, "give [start, end] with start ≤ end");
    }
    builder.invoke(process, f, key, value, start, expected);
    if (outcome === "ok") complete("ok", process, end, f === "read" ? readValue : undefined, undefined);
    else if (outcome === "fail" || outcome === "info") complete(outcome, process, end, undefined, undefined);
    else if (outcome === "pending") open.delete(process); // never completes: the next op of this process must not see it as open
    else throw new ConfigError(`${field}.outcome`, `unknown outcome ${describe(outcome)}`, "use \"ok\", \"fail\", \"info\" or \"pending\"");
  };

  const builder: HistoryBuilder = {
    invoke(process, f, key, value, time, expected) {
      requireNumber(`invoke(${describe(process)}).time`, time);
      const prior = open.get(process);
      if (prior !== undefined) {
        throw new ConfigError(`invoke(${describe(process)})`, `process ${process} still has an open ${prior.f} invoked at ${prior.time}`, "complete it with ok/fail/info first, or use another process");
      }
      const draft: Draft = {
        type: "invoke", process, f, key, value: f === "read" ? null : value, time,
        ...(f === "cas" ? { expected: expected === undefined ? null : expected } : {}),
      };
      drafts.push(draft);
      open.set(process, draft);
      return builder;
    },
    ok(process, time, value) { complete("ok", process, time, value, undefined); return builder; },
    fail(process, time, error) { complete("fail", process, time, undefined, error); return builder; },
    info(process, time, error) { complete("info", process, time, undefined, error); return builder; },
    write(process, key, value, start, end, outcome = "ok") { whole(process, "write", key, value, undefined, start, end, outcome, null); return builder; },
    read(process, key, value, start, end, outcome = "ok") { whole(process, "read", key, null, undefined, start, end, outcome, value); return builder; },
    cas(process, key, expected, value, start, end, outcome = "ok") { whole(process, "cas", key, value, expected, start, end, outcome, null); return builder; },
    build() {
      // Array.prototype.sort is stable, so entries at equal times keep the order they were added.
      const sorted = drafts.map((d, seq) => ({ d, seq })).sort((a, b) => a.d.time - b.d.time || a.seq - b.seq);
      const history: HistoryOp[] = sorted.map(({ d }, index) => Object.freeze({ index, ...d }));
      validateHistory(history);
      return Object.freeze(history);
    },
  };
  return builder;
}
