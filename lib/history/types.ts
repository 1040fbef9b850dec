/**
 * The history of client operations, in the vocabulary of Jepsen and Maelstrom: every
 * operation a client performs is recorded once when it is invoked and once when it
 * completes, as `ok` (it happened), `fail` (it certainly did not happen) or `info`
 * (unknown: it timed out or the node crashed, so it may or may not have taken effect).
 *
 * Introduced in notebooks/00.01-Consistency-Checkers.ipynb.
 */

/** A client process id, `c1`, `c2`, ... (nodes are `n1`, `n2`, ...). */
export type ProcessId = string;

/** What an operation does. `cas` is compare-and-set: `expected` → `value`. */
export type OpFunction = "read" | "write" | "cas";

/** The four kinds of history entry. */
export type OpType = "invoke" | "ok" | "fail" | "info";

/**
 * A value stored under a key. Writes in generated workloads carry values unique across a
 * run, so a read's value names the write it saw. `null` means "no value" (key absent).
 */
export type Value = number | null;

/** One entry of a history. Completions follow their invocation on the same process. */
export interface HistoryOp {
  /** Position in the history, 0-based and dense. */
  readonly index: number;
  readonly type: OpType;
  readonly process: ProcessId;
  readonly f: OpFunction;
  readonly key: string;
  /**
   * For a write: the value written (on invoke and completion). For a read: `null` on
   * invoke, the value read on `ok`. For cas: the new value.
   */
  readonly value: Value;
  /** For cas only: the value the key must hold for the cas to apply. */
  readonly expected?: Value;
  /** Virtual time in ms. */
  readonly time: number;
  /** The node the client sent the request to, when known. */
  readonly node?: string;
  /** Why an op failed or is indeterminate (`timeout`, `not-leader`, ...). */
  readonly error?: string;
  /** Siblings returned by a read under multi-version (leaderless) replication. */
  readonly siblings?: readonly number[];
}

/** A whole history, in order of time (ties in order of occurrence). */
export type History = readonly HistoryOp[];
