/**
 * The oplog: an ordered log of idempotent operations, each stamped with an optime
 * (term, index). MongoDB manual, "Replica Set Oplog": "each operation in the oplog is
 * idempotent", so applying an entry once or many times gives the same data; optimes
 * compare by term first, then by position (MongoDB's OpTime orders by term, then timestamp;
 * here the position stands in for the timestamp).
 *
 * Simplification: an operation sets one key to a value (a `$set`), or does nothing (a
 * no-op, which a new primary and a linearizable read write); there are no documents.
 * Introduced in notebooks/06.00-Replica-Sets.ipynb.
 */
import { Map as ImmutableMap } from "immutable";

/** The position of an oplog entry: the term of the primary that wrote it, and its index (1, 2, ...; 0 for none). */
export interface OpTime {
  readonly term: number;
  readonly index: number;
}

/** The optime before every entry. */
export const NO_OPTIME: OpTime = { term: 0, index: 0 };

/** One oplog entry. Applying it is idempotent. */
export interface OplogEntry {
  readonly term: number;
  readonly index: number;
  readonly op: "set" | "noop";
  readonly key: string;
  readonly value: number;
  /** The primary's clock when it wrote the entry, in ms (MongoDB's `wall` field). */
  readonly wall: number;
}

/** Negative, zero or positive as `a` is older than, equal to or newer than `b`. Pure. */
export function compareOpTime(a: OpTime, b: OpTime): number {
  return a.term !== b.term ? a.term - b.term : a.index - b.index;
}

/** The optime of `e` (or NO_OPTIME for none). Pure. */
export function opTimeOf(e: OplogEntry | undefined): OpTime {
  return e === undefined ? NO_OPTIME : { term: e.term, index: e.index };
}

/** The data after applying `e`: idempotent, so applying it again changes nothing. Pure. */
export function applyEntry(data: ImmutableMap<string, number>, e: OplogEntry): ImmutableMap<string, number> {
  return e.op === "set" ? data.set(e.key, e.value) : data;
}

/** The data after applying `entries` in order. Pure. */
export function applyEntries(data: ImmutableMap<string, number>, entries: readonly OplogEntry[]): ImmutableMap<string, number> {
  if (entries.length === 0) return data;
  return data.withMutations((m) => {
    for (const e of entries) if (e.op === "set") m.set(e.key, e.value);
  });
}

/** "t3:17": an optime for tables and traces. Pure. */
export function formatOpTime(t: OpTime): string {
  return `t${t.term}:${t.index}`;
}

/** Key-value data, as oplog entries apply to it, holding `pairs`. Pure. */
export function dataFrom(pairs: Iterable<readonly [string, number]> = []): ImmutableMap<string, number> {
  return ImmutableMap<string, number>(pairs as Iterable<[string, number]>);
}
