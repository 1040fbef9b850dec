/**
 * Histories that are linearizable by construction: operations executed one at a time on a
 * single copy of a key-value map, each recorded with an invocation shortly before and a
 * completion shortly after the instant it takes effect. For tests, benchmarks and for a
 * notebook to corrupt on purpose and watch a checker catch it.
 *
 * Introduced in notebooks/00.01-Consistency-Checkers.ipynb.
 */
import { ConfigError, describe, requireInteger, requireNumber } from "../errors.js";
import type { History, HistoryOp, OpFunction, ProcessId, Value } from "../history/types.js";
import { validateHistory } from "./validateHistory.js";

/** One operation to execute on the single copy. Plain data. */
export interface SingleCopyStep {
  /** Preferred client; if it is still busy, the client that became free first takes the op. */
  readonly process: ProcessId;
  readonly f: OpFunction;
  readonly key: string;
  /** Virtual ms from the previous op's effect to this one's (≥ 1, so effects are strictly ordered). */
  readonly gap: number;
  /** Ms between invocation and effect (≥ 0). */
  readonly before: number;
  /** Ms between effect and completion (≥ 0). */
  readonly after: number;
  /**
   * `ok` (default): the op completes with its result; a cas whose expected value does not
   * match completes `fail`. `fail`: rejected without effect. `info`: the client never
   * learns the result; `applied` says whether it took effect anyway.
   */
  readonly outcome?: "ok" | "fail" | "info";
  /** For `info` ops: whether the op took effect (default true). */
  readonly applied?: boolean;
  /** For cas: compare against the current value (default true) or against one it cannot hold. */
  readonly casHits?: boolean;
}

/** A generated history and what the single copy did. Plain data. */
export interface SingleCopyRun {
  readonly history: History;
  /** The order the ops took effect in (invoke indices; reads only when ok): a linearization of the history. */
  readonly linearization: readonly number[];
  /** Each key's value at the end. */
  readonly finalState: ReadonlyMap<string, Value>;
}

/**
 * Executes steps one at a time on a single copy and records the history; pure and
 * deterministic. Write and cas values are 1, 2, 3, ... in step order (unique per run).
 * Each op's interval [invoke, complete] contains its effect instant, and a client has one
 * op open at a time, so the history is linearizable (in effect order) by construction.
 */
export function singleCopyHistory(steps: readonly SingleCopyStep[]): SingleCopyRun {
  const copy = new Map<string, Value>();
  const freeAt = new Map<ProcessId, number>(); // completion time of each client's last op
  const drafts: { op: Omit<HistoryOp, "index">; seq: number; at: number }[] = [];
  const effects: number[] = []; // draft positions of applied invocations, in effect order
  let now = 0, nextValue = 1;
  steps.forEach((s, i) => {
    const field = `steps[${i}]`;
    requireInteger(`${field}.gap`, s.gap, 1);
    requireNumber(`${field}.before`, s.before, 0);
    requireNumber(`${field}.after`, s.after, 0);
    if (typeof s.process !== "string" || s.process === "") throw new ConfigError(`${field}.process`, `must be a client id, got ${describe(s.process)}`, "use \"c1\", \"c2\", ...");
    let at = now + s.gap;
    let invoke = at - s.before;
    let process = s.process;
    if ((freeAt.get(process) ?? -Infinity) >= invoke) {
      // The preferred client is busy: hand the op to whichever client became free first,
      // delaying the invocation (and the effect, if need be) until it is free.
      let best = process, bestFree = freeAt.get(process) as number;
      for (const [p, t] of freeAt) if (t < bestFree || (t === bestFree && p < best)) { best = p; bestFree = t; }
      process = best;
      if (bestFree >= invoke) { invoke = bestFree + 1; at = Math.max(at, invoke); }
    }
    const complete = at + s.after;
    now = at;
    freeAt.set(process, complete);

    const outcome = s.outcome ?? "ok";
    const current = copy.has(s.key) ? (copy.get(s.key) as Value) : null;
    const value: Value = s.f === "read" ? null : nextValue++;
    const expected: Value | undefined = s.f === "cas" ? ((s.casHits ?? true) ? current : current === null ? -1 : -current) : undefined;
    let applied = outcome === "ok" || (outcome === "info" && (s.applied ?? true));
    let completion: "ok" | "fail" | "info" = outcome;
    if (applied && s.f === "cas" && current !== expected) { applied = false; if (outcome === "ok") completion = "fail"; }
    if (applied && s.f !== "read") copy.set(s.key, value);
    const common = { process, f: s.f, key: s.key, ...(expected !== undefined ? { expected } : {}) };
    const invokeDraft = { op: { type: "invoke" as const, ...common, value, time: invoke }, seq: drafts.length, at };
    drafts.push(invokeDraft);
    if (applied && !(s.f === "read" && completion !== "ok")) effects.push(invokeDraft.seq);
    const result = s.f === "read" ? (completion === "ok" ? current : null) : value;
    drafts.push({ op: { type: completion, ...common, value: result, time: complete }, seq: drafts.length, at });
  });
  // Time order; at equal times, effect order: completions of ops that took effect earlier,
  // then the op taking effect at that instant (invoke, completion), then invocations of ops
  // taking effect later. Effects are strictly ordered, so this agrees with the linearization.
  const order = drafts.slice().sort((a, b) => a.op.time - b.op.time || rank(a) - rank(b) || a.seq - b.seq);
  const indexOfSeq = new Map<number, number>();
  const history: HistoryOp[] = order.map((d, index) => { indexOfSeq.set(d.seq, index); return Object.freeze({ index, ...d.op }); });
  validateHistory(history);
  return {
    history: Object.freeze(history),
    linearization: effects.map((seq) => indexOfSeq.get(seq) as number),
    finalState: copy,
  };
}

function rank(d: { op: { type: string; time: number }; at: number }): number {
  if (d.op.type === "invoke") return d.at === d.op.time ? 1 : 3;
  return d.at === d.op.time ? 2 : 0;
}
