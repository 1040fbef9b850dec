/**
 * Words for a linearizability violation: given the operation the search could not place
 * (a read or cas that needed a value the key could not hold), find the few operations that
 * prove no order works, and say why in one sentence.
 *
 * Introduced in notebooks/00.01-Consistency-Checkers.ipynb.
 */
import type { Value } from "../history/types.js";
import { precedes, showValue, type Operation } from "./operations.js";

/** A small, human-sized proof that one key's history is not linearizable. Plain data. */
export interface LinearizabilityWitness {
  readonly key: string;
  /** The operation (invoke index) the search could not place. */
  readonly op: number;
  /** The operations (invoke indices) the explanation rests on, the blocked one last. */
  readonly ops: readonly number[];
  /** How many operations the deepest attempt placed before it got stuck. */
  readonly prefixLength: number;
  /** The end of that deepest prefix, in order (invoke indices; its last 20 at most). */
  readonly prefix: readonly number[];
  /** The key's value after that prefix. */
  readonly state: Value;
  /** Why no order works, in one sentence. */
  readonly message: string;
}

/**
 * Explains why `blocked` cannot be linearized; pure. `considered` are the key's operations
 * the search used (fails and indeterminate reads dropped), `all` every operation on the key,
 * `prefix` the end of the deepest prefix placed (`prefixLength` operations in all), and
 * `core` finds the operations a violation rests on when no simple pattern explains it.
 */
export function explainViolation(
  key: string,
  considered: readonly Operation[],
  all: readonly Operation[],
  blocked: Operation,
  prefix: readonly Operation[],
  prefixLength: number,
  state: Value,
  initial: Value,
  core: () => readonly Operation[] = () => considered,
): LinearizabilityWitness {
  const need = blocked.f === "read" ? blocked.value : (blocked.expected as Value);
  const what = blocked.f === "read"
    ? `read of ${key} returned ${showValue(need)} at [${blocked.invokeTime}, ${blocked.completeTime}] (op ${blocked.index})`
    : `cas of ${key} from ${showValue(need)} to ${showValue(blocked.value)} succeeded at [${blocked.invokeTime}, ${blocked.completeTime}] (op ${blocked.index})`;
  const writes = considered.filter((o) => o.f !== "read");
  const writersOfNeed = writes.filter((w) => w.value === need);
  const base = { key, op: blocked.index, prefixLength, prefix: prefix.map((o) => o.index), state };
  const done = (ops: readonly Operation[], message: string): LinearizabilityWitness => ({ ...base, ops: [...ops.map((o) => o.index), blocked.index], message });

  if (need !== initial && writersOfNeed.length === 0) {
    const failed = all.filter((o) => o.f !== "read" && o.outcome === "fail" && o.value === need);
    const note = failed.length > 0 ? ` (op ${failed[0].index} tried and failed, so it did not happen)` : "";
    return done(failed.slice(0, 1), `${what} but no operation that could have happened wrote ${showValue(need)} to ${key}${note}`);
  }
  if (need !== initial && writersOfNeed.every((w) => (blocked.completionIndex as number) < w.index)) {
    const w = writersOfNeed[0];
    return done([w], `${what} but ${w.f} ${key}=${showValue(need)} (op ${w.index}) was invoked only at ${w.invokeTime}, after the ${blocked.f} completed`);
  }
  // The textbook stale read: the needed value was certainly overwritten before the op began.
  let overwrite: Operation | undefined;
  for (const w of writes) {
    if (w.value === need || !precedes(w, blocked)) continue;
    if (!writersOfNeed.every((v) => precedes(v, w))) continue;
    if (overwrite === undefined || (w.completionIndex as number) > (overwrite.completionIndex as number)) overwrite = w;
  }
  if (overwrite !== undefined) {
    const w2 = overwrite;
    const later = `${w2.f} ${key}=${showValue(w2.value)} (op ${w2.index}) completed at ${w2.completeTime}`;
    if (writersOfNeed.length === 0) {
      return done([w2], `${what} but ${later}, before the ${blocked.f} began, and no operation writes ${showValue(need)} back`);
    }
    const w1 = writersOfNeed.reduce((a, b) => ((a.completionIndex as number) > (b.completionIndex as number) ? a : b));
    return done([w1, w2], `${what} but ${later} after ${w1.f} ${key}=${showValue(need)} (op ${w1.index}) completed at ${w1.completeTime}; no order places the ${blocked.f} after ${key}=${showValue(need)} and not after ${key}=${showValue(w2.value)}`);
  }
  // Name only the operations the violation rests on (a non-linearizable core), in history order.
  const rest = core().filter((o) => o !== blocked).sort((a, b) => a.index - b.index);
  const shown = rest.length === 0 ? "no other operation" : rest.map((o) => `${describeStep(o)} (op ${o.index})`).join(", ");
  return done(
    rest,
    `${what}, but no order of it with ${shown} is legal: the deepest attempt left ${key}=${showValue(state)}, and no remaining operation could make ${key}=${showValue(need)} before the ${blocked.f} completed at ${blocked.completeTime}`,
  );
}

function describeStep(o: Operation): string {
  return o.f === "cas" ? `cas ${showValue(o.expected)}→${showValue(o.value)}` : `${o.f} ${showValue(o.value)}`;
}
