/**
 * A replicated log whose prefix may be folded into a snapshot: the entries from `base` on,
 * and what a node holding it would report as its data. Shared by primary-backup and
 * single-leader replication (any protocol that ships a log can use it).
 *
 * A node keeps `log` (an AppendLog of entries from position `base`) and the key-value state
 * the whole log leads to. `logLength` is its logical length, `entryOf` an entry by global
 * position, and `holdings` the data for lost-write and convergence checks.
 *
 * Introduced in notebooks/01.00-Durability.ipynb.
 */
import { type AppendLog, entryAt, slice } from "../../sim/appendLog.js";

/** The part of a node's state that holds a log with a snapshot base. */
export interface SnapshotLog<E> {
  /** Entries from `base` on (earlier ones are folded into a snapshot). */
  readonly log: AppendLog<E>;
  /** Index of `log`'s first entry. */
  readonly base: number;
}

/** One write as a log carries it. */
export interface KeyValue {
  readonly key: string;
  readonly value: number;
}

/** Logical length of a log (snapshot base plus entries). Pure. */
export function logLength(s: SnapshotLog<unknown>): number {
  return s.base + s.log.length;
}

/** The entry at global position `i`, or undefined if absent or folded into the snapshot. Pure. */
export function entryOf<E>(s: SnapshotLog<E>, i: number): E | undefined {
  return i < s.base ? undefined : entryAt(s.log, i - s.base);
}

/**
 * What a node holds, as key → every value present: the current value of each key (from
 * `current`, in its order), then every other value still in `versions` (a log's entries, a
 * key's siblings), each once. Versions folded into a snapshot are gone for good. Pure.
 */
export function holdings(current: Iterable<readonly [string, number]>, versions: Iterable<KeyValue>): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (const [k, v] of current) m.set(k, [v]);
  for (const e of versions) {
    const list = m.get(e.key);
    if (list === undefined) m.set(e.key, [e.value]);
    else if (!list.includes(e.value)) list.push(e.value);
  }
  return m;
}

/** `holdings` of a snapshot log: the key-value state `kv` and every entry of the log. Pure. */
export function logHoldings<E extends KeyValue>(s: SnapshotLog<E>, kv: Iterable<readonly [string, number]>): Map<string, number[]> {
  return holdings(kv, slice(s.log));
}
