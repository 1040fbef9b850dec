/**
 * A persistent append-only log: an immutable value that is cheap to append to and to keep.
 *
 * Why not an array copied per append (what immer would do)? A replica's log grows by one
 * entry per write; copying it each time makes a run quadratic. Here every version of a log
 * is a view `(items, length)` over one shared backing array. Appending to the newest
 * version pushes onto the shared array in O(1); appending to an older version (a log that
 * was truncated, e.g. after a crash lost its unsynced tail) first copies its prefix, so no
 * version ever sees another's entries. Keeping every version of a run costs one small
 * object each, which is what lets us inspect any moment of a run afterwards.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */

/** An immutable log of entries. Never mutate `items` yourself. */
export interface AppendLog<T> {
  /** Shared backing store; only the first `length` entries belong to this version. */
  readonly items: readonly T[];
  /** Number of entries in this version. */
  readonly length: number;
}

const EMPTY: AppendLog<never> = Object.freeze({ items: [] as never[], length: 0 });

/** The empty log. Pure. */
export function emptyLog<T>(): AppendLog<T> {
  return EMPTY as AppendLog<T>;
}

/**
 * The log with `entry` added at the end. Pure as seen from outside: `log` itself is
 * unchanged; amortised O(1) when `log` is the newest version of its backing array.
 */
export function append<T>(log: AppendLog<T>, entry: T): AppendLog<T> {
  if (log.items.length === log.length && log !== EMPTY) {
    (log.items as T[]).push(entry);
    return { items: log.items, length: log.length + 1 };
  }
  // Someone already appended past this version (or it is the shared empty log): branch.
  const items = log.items.slice(0, log.length) as T[];
  items.push(entry);
  return { items, length: items.length };
}

/** The first `length` entries of `log` (no copy). Pure. */
export function truncate<T>(log: AppendLog<T>, length: number): AppendLog<T> {
  if (length >= log.length) return log;
  if (length <= 0) return emptyLog<T>();
  return { items: log.items, length };
}

/** Entry `i` (0-based), or undefined past the end. Pure. */
export function entryAt<T>(log: AppendLog<T>, i: number): T | undefined {
  return i >= 0 && i < log.length ? log.items[i] : undefined;
}

/** Entries [from, to) as a fresh array. Pure. */
export function slice<T>(log: AppendLog<T>, from = 0, to = log.length): T[] {
  return log.items.slice(Math.max(0, from), Math.min(to, log.length)) as T[];
}
