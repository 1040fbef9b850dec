/**
 * The order of versions of a key, which read-your-writes, monotonic reads and staleness
 * compare against. Writes carry unique values, so a value names its write.
 *
 * Which order: the first of these that places both versions.
 *  1. `finalOrder.get(key)`: a per-key version order known from outside (a replica's log).
 *  2. `writeOrder`: a global write order (the leader's log), restricted to the key.
 *  3. Real time (the default): version a is older than version b when a's write was
 *     acknowledged (`ok`) before b's write was invoked. Overlapping writes are *unordered*,
 *     so a read that returns either of two concurrent writes is never flagged; a write that
 *     completed `info` precedes nothing (it may have taken effect at any later time).
 * `null` (no value) is older than every write; a value that no write in the history
 * produced also counts as older than every write (it reflects none of them), and is not
 * itself a version anything could be older than.
 *
 * Introduced in notebooks/00.01-Consistency-Checkers.ipynb.
 */
import { ConfigError, describe } from "../errors.js";
import type { Value } from "../history/types.js";
import { HistoryError } from "./historyError.js";
import { precedes, type Operation } from "./operations.js";

/** Externally known version orders; both optional (see the module comment for precedence). */
export interface VersionOrderOptions {
  /** Per key, every version in order (oldest first), e.g. read off a replica's log. */
  readonly finalOrder?: ReadonlyMap<string, readonly number[]>;
  /** Every write's value in the global (leader's log) order, oldest first. Values must be unique across keys. */
  readonly writeOrder?: readonly number[];
}

/** Answers "which write made this value" and "is this version older than that one". Pure. */
export interface VersionOrder {
  /** The (non-failed) write or cas that wrote `value` to `key`, if any. */
  writer(key: string, value: number): Operation | undefined;
  /** Whether version `a` of `key` is strictly older than version `b`. */
  isOlder(key: string, a: Value, b: number): boolean;
  /** `isOlder` with `a` fixed: a test to apply to many `b` (looks `a` up once). */
  olderThan(key: string, a: Value): (b: number) => boolean;
  /** True when no external order was given, so versions are ordered by real time alone. */
  readonly realTimeOnly: boolean;
  /**
   * Under real-time order only: the history index after which a write to `key` must have
   * been invoked to be newer than every one of `values` (what a read observed). A write W
   * is newer than all of them iff `W.index > newerAfter(key, values)`; -1 when they are
   * none or unknown (every write is newer), Infinity when one came from an unacknowledged
   * write (it may have taken effect last, so no write is certainly newer).
   */
  newerAfter(key: string, values: readonly number[]): number;
  /** Position of `value` in `writeOrder`, if given and listed. */
  globalPosition(value: number): number | undefined;
  /** Position of `value` in `finalOrder.get(key)`, if given and listed. */
  keyPosition(key: string, value: number): number | undefined;
}

/**
 * Builds the version order of a history's writes; pure. Throws `HistoryError` if two
 * writes that did not fail wrote the same value to one key (or to any key when
 * `writeOrder` is given), since then a read's value would not name its write.
 */
export function versionOrder(ops: readonly Operation[], options: VersionOrderOptions = {}): VersionOrder {
  const writers = new Map<string, Map<number, Operation>>();
  const byValue = new Map<number, Operation>();
  const global = options.writeOrder !== undefined;
  for (const op of ops) {
    if (op.f === "read" || op.outcome === "fail") continue;
    const value = op.value as number;
    let perKey = writers.get(op.key);
    if (perKey === undefined) writers.set(op.key, (perKey = new Map()));
    const twin = global ? byValue.get(value) : perKey.get(value);
    if (twin !== undefined) {
      throw new HistoryError(op.index, op.process, `writes ${describe(op.key)}=${value}, a value history[${twin.index}] already wrote${global ? ` (to ${describe(twin.key)})` : ""}`, "give every write a unique value so a read's value names the write it saw");
    }
    perKey.set(value, op);
    byValue.set(value, op);
  }
  const finalPositions = positionsPerKey(options.finalOrder);
  const globalPositions = positionsOf("writeOrder", options.writeOrder);
  const writer = (key: string, value: number): Operation | undefined => writers.get(key)?.get(value);
  const keyPosition = (key: string, value: number): number | undefined => finalPositions.get(key)?.get(value);
  const globalPosition = (value: number): number | undefined => globalPositions.get(value);

  const olderThan = (key: string, a: Value): ((b: number) => boolean) => {
    const keyFinal = finalPositions.get(key), keyWriters = writers.get(key);
    // "No value" is older than every known version; a value nobody wrote is not a version.
    if (a === null) return (b) => keyWriters?.has(b) === true || keyFinal?.has(b) === true || globalPositions.has(b);
    const fa = keyFinal?.get(a), ga = globalPositions.get(a), wa = keyWriters?.get(a);
    return (b) => {
      if (a === b) return false;
      if (fa !== undefined) { const fb = (keyFinal as Map<number, number>).get(b); if (fb !== undefined) return fa < fb; }
      if (ga !== undefined) { const gb = globalPositions.get(b); if (gb !== undefined) return ga < gb; }
      const wb = keyWriters?.get(b);
      if (wb === undefined) return false;
      if (wa === undefined) return true;
      return precedes(wa, wb);
    };
  };
  const newerAfter = (key: string, values: readonly number[]): number => {
    let after = -1;
    for (const v of values) {
      const w = writer(key, v);
      if (w === undefined) continue;
      after = Math.max(after, w.outcome === "ok" ? (w.completionIndex as number) : Infinity);
    }
    return after;
  };
  return {
    writer,
    keyPosition,
    globalPosition,
    olderThan,
    isOlder: (key, a, b) => olderThan(key, a)(b),
    realTimeOnly: finalPositions.size === 0 && globalPositions.size === 0,
    newerAfter,
  };
}

function positionsOf(field: string, order: readonly number[] | undefined): Map<number, number> {
  const positions = new Map<number, number>();
  if (order === undefined) return positions;
  if (!Array.isArray(order)) {
    throw new ConfigError(field, `must be an array of write values, got ${describe(order)}`, "list the values written, oldest first");
  }
  order.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new ConfigError(`${field}[${i}]`, `must be a write's value (a number), got ${describe(v)}`, "list the values written, oldest first");
    }
    if (positions.has(v)) {
      throw new ConfigError(`${field}[${i}]`, `value ${v} is listed twice (also at ${positions.get(v)})`, "list each write once");
    }
    positions.set(v, i);
  });
  return positions;
}

function positionsPerKey(finalOrder: ReadonlyMap<string, readonly number[]> | undefined): Map<string, Map<number, number>> {
  const result = new Map<string, Map<number, number>>();
  if (finalOrder === undefined) return result;
  if (!(finalOrder instanceof Map)) {
    throw new ConfigError("finalOrder", `must be a Map from key to values in version order, got ${describe(finalOrder)}`, "pass new Map([[\"x\", [1, 2]]])");
  }
  for (const [key, order] of finalOrder) result.set(key, positionsOf(`finalOrder.get(${describe(key)})`, order));
  return result;
}
