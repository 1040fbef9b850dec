/**
 * Lost acknowledged writes (DESIGN.md: "acknowledged writes absent from the final converged
 * state; count and fraction of acknowledged writes"), as in Jepsen's set and register
 * checkers: the system said `ok`, and the write is gone.
 *
 * Introduced in notebooks/00.01-Consistency-Checkers.ipynb.
 */
import { ConfigError, describe, requireOneOf } from "../errors.js";
import type { History, ProcessId } from "../history/types.js";
import { pairOperations, precedes, type Operation } from "./operations.js";
import { versionOrder } from "./versionOrder.js";

/**
 * How the store keeps versions. `all-versions`: it keeps every write (a log, a set), so an
 * acknowledged write is lost iff its value is absent. `latest`: it keeps one value per key
 * (a register), so a missing write is lost only if nothing legitimately overwrote it.
 */
export type LostWriteMode = "all-versions" | "latest";

/** One acknowledged write that did not survive. Plain data. */
export interface LostWrite {
  /** Invoke index of the write. */
  readonly op: number;
  readonly process: ProcessId;
  readonly key: string;
  readonly value: number;
  /** When the client was told `ok`. */
  readonly ackTime: number;
}

/** The lost-writes verdict. `valid` is true iff nothing acknowledged was lost. Plain data. */
export interface LostWritesResult {
  readonly valid: boolean;
  readonly message: string;
  readonly mode: LostWriteMode;
  /** Acknowledged (ok) writes and successful cas operations. */
  readonly acknowledged: number;
  readonly lostCount: number;
  /** lostCount / acknowledged (0 when nothing was acknowledged). */
  readonly fraction: number;
  readonly lost: readonly LostWrite[];
}

/**
 * Finds acknowledged writes absent from the final state; pure. `finalState` maps each key
 * to the values that survived (a key missing from it has none). In `latest` mode a write W
 * whose value is gone is not lost if some surviving value was written by an operation that
 * did not complete before W was invoked, i.e. a concurrent or later write replaced it.
 * Write values must be unique per key (throws `HistoryError` otherwise).
 */
export function findLostWrites(history: History, finalState: ReadonlyMap<string, readonly number[]>, mode: LostWriteMode = "all-versions"): LostWritesResult {
  requireOneOf("mode", mode, ["all-versions", "latest"] as const);
  if (!(finalState instanceof Map)) {
    throw new ConfigError("finalState", `must be a Map from key to surviving values, got ${describe(finalState)}`, "pass new Map([[\"x\", [1, 2]]])");
  }
  for (const [key, values] of finalState) {
    if (!Array.isArray(values) || !values.every((v) => typeof v === "number")) {
      throw new ConfigError(`finalState.get(${describe(key)})`, `must be an array of numbers, got ${describe(values)}`, "list the values that survived on that key ([] for none)");
    }
  }
  const ops = pairOperations(history);
  const order = versionOrder(ops);
  const acknowledged = ops.filter((o) => o.f !== "read" && o.outcome === "ok");
  const lost: LostWrite[] = [];
  for (const w of acknowledged) {
    const surviving: readonly number[] = finalState.get(w.key) ?? [];
    if (surviving.includes(w.value as number)) continue;
    if (mode === "latest" && surviving.some((v) => overwrote(order.writer(w.key, v), w))) continue;
    lost.push({ op: w.index, process: w.process, key: w.key, value: w.value as number, ackTime: w.completeTime as number });
  }
  const fraction = acknowledged.length === 0 ? 0 : lost.length / acknowledged.length;
  const message = lost.length === 0
    ? `no acknowledged write lost (${acknowledged.length} acknowledged, mode ${mode})`
    : `${lost.length} of ${acknowledged.length} acknowledged writes lost (${(100 * fraction).toFixed(1)}%), e.g. ${lost[0].key}=${lost[0].value} (op ${lost[0].op}, acknowledged at ${lost[0].ackTime})`;
  return { valid: lost.length === 0, message, mode, acknowledged: acknowledged.length, lostCount: lost.length, fraction, lost };
}

/** Whether a surviving value's writer legitimately replaced `w`: it did not finish before w began. */
function overwrote(survivor: Operation | undefined, w: Operation): boolean {
  return survivor !== undefined && survivor !== w && !precedes(survivor, w);
}
