/**
 * Last-writer-wins register: each assignment carries a timestamp; merge keeps the later
 * (Shapiro et al., INRIA RR-7506, 2011, § 3.2.1, Specification 8). The report assumes
 * unique timestamps; here ties are broken by replica id (the larger wins), and, for two
 * assignments by one replica at one timestamp, by the value's JSON text, so merge stays a
 * deterministic join even when a clock repeats.
 *
 * Introduced in notebooks/04.00-Multi-Leader-Replication.ipynb; the
 * multi-value register is the siblings of notebooks/05.00-Leaderless-Replication.ipynb.
 */
import { requireNumber } from "../errors.js";
import { requireReplica, requireSameType } from "./sameType.js";

/** An LWW-register replica. Immutable plain data; `replica` is "" before any assignment. */
export interface LwwRegister<V> {
  readonly type: "lww-register";
  readonly value: V | null;
  readonly timestamp: number;
  readonly replica: string;
}

/** An unassigned register (value null, below every assignment). Pure. */
export function lwwRegister<V>(): LwwRegister<V> {
  return { type: "lww-register", value: null, timestamp: -Infinity, replica: "" };
}

/** `r` after `replica` assigns `value` at its clock's `timestamp` (Spec. 8 `assign`, then merged with `r`). Pure. */
export function lwwAssign<V>(r: LwwRegister<V>, value: V, timestamp: number, replica: string): LwwRegister<V> {
  requireNumber("timestamp", timestamp);
  requireReplica("replica", replica);
  return mergeLwwRegister(r, { type: "lww-register", value, timestamp, replica });
}

/** The current value (null if never assigned) (Spec. 8 `value`). Pure. */
export function lwwValue<V>(r: LwwRegister<V>): V | null {
  return r.value;
}

/** Order of two assignments: timestamp, then replica id, then value text. Pure. */
function compareLww<V>(a: LwwRegister<V>, b: LwwRegister<V>): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1;
  if (a.replica !== b.replica) return a.replica < b.replica ? -1 : 1;
  const x = JSON.stringify(a.value) ?? "";
  const y = JSON.stringify(b.value) ?? "";
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Merge: the later assignment (Spec. 8 `merge`). Throws a ConfigError on another CRDT type. Pure. */
export function mergeLwwRegister<V>(a: LwwRegister<V>, b: LwwRegister<V>): LwwRegister<V> {
  requireSameType(a, b, "lww-register");
  return compareLww(a, b) >= 0 ? a : b;
}
