/**
 * Shared generators for the checker tests: random single-copy executions (linearizable by
 * construction) and an independent legality check of a proposed linearization.
 */
import fc from "fast-check";
import type { History, HistoryOp, Value } from "../../lib/history/types.js";
import type { SingleCopyStep } from "../../lib/checkers/singleCopyHistory.js";

/** Steps on a few keys by five clients, with overlapping intervals and some info/fail outcomes. */
export function stepsArbitrary(options: { keys?: readonly string[]; maxLength?: number; uncertain?: boolean } = {}): fc.Arbitrary<SingleCopyStep[]> {
  const keys = options.keys ?? ["x", "y", "z"];
  const outcomes = options.uncertain === false ? (["ok"] as const) : (["ok", "ok", "ok", "ok", "ok", "info", "fail"] as const);
  return fc.array(
    fc.record({
      process: fc.constantFrom("c1", "c2", "c3", "c4", "c5"),
      f: fc.constantFrom("read", "read", "write", "write", "cas"),
      key: fc.constantFrom(...keys),
      gap: fc.integer({ min: 1, max: 8 }),
      before: fc.integer({ min: 0, max: 25 }),
      after: fc.integer({ min: 0, max: 25 }),
      outcome: fc.constantFrom(...outcomes),
      applied: fc.boolean(),
      casHits: fc.boolean(),
    }),
    { minLength: 1, maxLength: options.maxLength ?? 60, size: "max" },
  );
}

/**
 * Checks, without the search, that `order` (invoke indices) is a legal linearization of
 * the ops on `key`: it contains every ok op (and no failed op or non-ok read), respects
 * real-time order, and replays on a register from `initial` with every read and cas
 * seeing what it needs. Returns a reason, or null when legal.
 */
export function illegalLinearization(history: History, key: string, order: readonly number[], initial: Value = null): string | null {
  const completion = new Map<number, HistoryOp>();
  const open = new Map<string, HistoryOp>();
  for (const e of history) {
    if (e.type === "invoke") open.set(e.process, e);
    else { completion.set(open.get(e.process)!.index, e); open.delete(e.process); }
  }
  const invokes = history.filter((e) => e.type === "invoke" && e.key === key);
  const inOrder = new Set(order);
  for (const inv of invokes) {
    const done = completion.get(inv.index);
    if (done?.type === "ok" && !inOrder.has(inv.index)) return `ok op ${inv.index} missing`;
    if (done?.type === "fail" && inOrder.has(inv.index)) return `failed op ${inv.index} included`;
    if (inv.f === "read" && done?.type !== "ok" && inOrder.has(inv.index)) return `non-ok read ${inv.index} included`;
  }
  for (let i = 0; i < order.length; i++) {
    for (let j = i + 1; j < order.length; j++) {
      const later = completion.get(order[j]);
      if (later?.type === "ok" && later.index < order[i]) return `op ${order[j]} completed before op ${order[i]} began but is placed after it`;
    }
  }
  let state: Value = initial;
  for (const idx of order) {
    const inv = history[idx];
    if (inv.key !== key) return `op ${idx} is on another key`;
    if (inv.f === "write") state = inv.value;
    else if (inv.f === "cas") { if (state !== inv.expected) return `cas ${idx} expected ${inv.expected} but found ${state}`; state = inv.value; }
    else if (completion.get(idx)!.value !== state) return `read ${idx} returned ${completion.get(idx)!.value} but the register held ${state}`;
  }
  return null;
}

/** The history with the value returned by the read invoked at `readIndex` replaced. */
export function withReadValue(history: History, readIndex: number, value: Value): History {
  let target = -1;
  for (let i = readIndex + 1; i < history.length; i++) {
    if (history[i].process === history[readIndex].process) { target = i; break; }
  }
  return history.map((e) => (e.index === target ? { ...e, value } : e));
}

/**
 * Replaces the values of some ok reads: `choices[i]` picks, for the i-th ok read, either
 * "keep" (0) or a value among null, the values written so far, and one never written.
 */
export function corruptReads(history: History, choices: readonly number[]): History {
  const maxValue = history.reduce((m, e) => (e.f !== "read" && typeof e.value === "number" ? Math.max(m, e.value) : m), 0);
  const pool: Value[] = [null, 999_999];
  for (let v = 1; v <= maxValue; v++) pool.push(v);
  let i = 0;
  return history.map((e) => {
    if (e.type !== "ok" || e.f !== "read") return e;
    const c = choices[i++ % Math.max(1, choices.length)] ?? 0;
    return c % 3 === 0 ? e : { ...e, value: pool[c % pool.length] };
  });
}
