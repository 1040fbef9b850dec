/**
 * Multi-value register: an assignment overwrites what its replica has seen; concurrent
 * assignments are all kept, each with its version vector, and a read returns every one
 * (Shapiro et al., INRIA RR-7506, 2011, § 3.2.2, Specification 10; the siblings of
 * Dynamo). Uses the version vectors of lib/protocols/shared/versionVector.ts (shared,
 * not copied; that module may move to a shared place when protocols are refactored).
 *
 * Introduced in notebooks/04.00-Multi-Leader-Replication.ipynb; the
 * multi-value register is the siblings of notebooks/05.00-Leaderless-Replication.ipynb.
 */
import { EMPTY_VV, incrementVv, mergeVv, reconcile, type VersionVector } from "../protocols/shared/versionVector.js";
import { requireReplica, requireSameType } from "./sameType.js";

/** One value with the version vector of the assignment that wrote it. */
export interface MvEntry<V> {
  readonly value: V;
  readonly vv: VersionVector;
}

/** A multi-value register replica: its concurrent values, in a canonical order. Immutable plain data. */
export interface MvRegister<V> {
  readonly type: "mv-register";
  readonly entries: readonly MvEntry<V>[];
}

/** An unassigned register (no values). Pure. */
export function mvRegister<V>(): MvRegister<V> {
  return { type: "mv-register", entries: [] };
}

/**
 * `r` after `replica` assigns `value`: one entry whose vector is the merge of every vector
 * seen, with `replica`'s entry one higher (Spec. 10 `assign`). Pure.
 */
export function mvAssign<V>(r: MvRegister<V>, value: V, replica: string): MvRegister<V> {
  requireReplica("replica", replica);
  const seen = r.entries.reduce((vv, e) => mergeVv(vv, e.vv), EMPTY_VV);
  return { type: "mv-register", entries: [{ value, vv: incrementVv(seen, replica) }] };
}

/** Every concurrent value (Spec. 10 `value`); one after a causal overwrite. Pure. */
export function mvValues<V>(r: MvRegister<V>): V[] {
  return r.entries.map((e) => e.value);
}

/** A vector's text with sorted keys: the canonical order of entries. */
function vvKey(vv: VersionVector): string {
  return JSON.stringify(Object.keys(vv).sort().filter((k) => vv[k] > 0).map((k) => [k, vv[k]]));
}

/**
 * Merge: the entries of both that no entry of either descends from, each once, in the
 * canonical order of their vectors (Spec. 10 `merge`). Throws a ConfigError on another
 * CRDT type. Pure.
 */
export function mergeMvRegister<V>(a: MvRegister<V>, b: MvRegister<V>): MvRegister<V> {
  requireSameType(a, b, "mv-register");
  const kept = reconcile([...a.entries, ...b.entries], (e) => e.vv);
  const keyed = kept.map((e) => [vvKey(e.vv), e] as const).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  return { type: "mv-register", entries: keyed.map(([, e]) => e) };
}
