/**
 * G-Counter, a grow-only counter: state-based, one entry per replica, merge by pointwise
 * maximum, value the sum (Shapiro, Preguiça, Baquero, Zawirski, "A comprehensive study of
 * Convergent and Commutative Replicated Data Types", INRIA RR-7506, 2011, § 3.1.2,
 * Specification 6). The per-replica entries are exactly a version vector, so the vector
 * operations of lib/protocols/shared/versionVector.ts do the work (shared, not copied;
 * that module may move to a shared place when protocols are refactored).
 *
 * Introduced in notebooks/04.00-Multi-Leader-Replication.ipynb; the
 * multi-value register is the siblings of notebooks/05.00-Leaderless-Replication.ipynb.
 */
import { ConfigError } from "../errors.js";
import { EMPTY_VV, mergeVv, type VersionVector } from "../protocols/shared/versionVector.js";
import { requireReplica, requireSameType } from "./sameType.js";

/** A G-Counter replica: how much each replica has added. Immutable plain data. */
export interface GCounter {
  readonly type: "g-counter";
  readonly counts: VersionVector;
}

/** A G-Counter at zero. Pure. */
export function gCounter(): GCounter {
  return { type: "g-counter", counts: EMPTY_VV };
}

/** `c` after `replica` adds `by` (a whole number ≥ 0; default 1). Pure (Spec. 6 `increment`). */
export function gIncrement(c: GCounter, replica: string, by = 1): GCounter {
  requireReplica("replica", replica);
  if (!Number.isInteger(by) || by < 0) throw new ConfigError("by", `a G-Counter only grows by a whole number ≥ 0, got ${by}`, "use a PN-Counter to decrement");
  return { type: "g-counter", counts: { ...c.counts, [replica]: (c.counts[replica] ?? 0) + by } };
}

/** The counter's value: the sum over replicas (Spec. 6 `value`). Pure. */
export function gValue(c: GCounter): number {
  let sum = 0;
  for (const k of Object.keys(c.counts)) sum += c.counts[k];
  return sum;
}

/** Merge: pointwise maximum (Spec. 6 `merge`). Throws a ConfigError on another CRDT type. Pure. */
export function mergeGCounter(a: GCounter, b: GCounter): GCounter {
  requireSameType(a, b, "g-counter");
  return { type: "g-counter", counts: mergeVv(a.counts, b.counts) };
}
