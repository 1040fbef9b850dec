/**
 * PN-Counter: a counter that goes up and down, as two G-Counters, P for increments and N
 * for decrements; value P − N, merge each half (Shapiro et al., INRIA RR-7506, 2011,
 * § 3.1.3, Specification 7).
 *
 * Introduced in notebooks/04.00-Multi-Leader-Replication.ipynb; the
 * multi-value register is the siblings of notebooks/05.00-Leaderless-Replication.ipynb.
 */
import { gCounter, gIncrement, gValue, mergeGCounter, type GCounter } from "./gCounter.js";
import { requireSameType } from "./sameType.js";

/** A PN-Counter replica. Immutable plain data. */
export interface PNCounter {
  readonly type: "pn-counter";
  readonly p: GCounter;
  readonly n: GCounter;
}

/** A PN-Counter at zero. Pure. */
export function pnCounter(): PNCounter {
  return { type: "pn-counter", p: gCounter(), n: gCounter() };
}

/** `c` after `replica` adds `by` (default 1). Pure (Spec. 7 `increment`). */
export function pnIncrement(c: PNCounter, replica: string, by = 1): PNCounter {
  return { ...c, p: gIncrement(c.p, replica, by) };
}

/** `c` after `replica` subtracts `by` (default 1). Pure (Spec. 7 `decrement`). */
export function pnDecrement(c: PNCounter, replica: string, by = 1): PNCounter {
  return { ...c, n: gIncrement(c.n, replica, by) };
}

/** Increments minus decrements (Spec. 7 `value`). Pure. */
export function pnValue(c: PNCounter): number {
  return gValue(c.p) - gValue(c.n);
}

/** Merge: each half by pointwise maximum (Spec. 7 `merge`). Throws a ConfigError on another CRDT type. Pure. */
export function mergePNCounter(a: PNCounter, b: PNCounter): PNCounter {
  requireSameType(a, b, "pn-counter");
  return { type: "pn-counter", p: mergeGCounter(a.p, b.p), n: mergeGCounter(a.n, b.n) };
}
