/**
 * Add-wins observed-remove set (OR-Set): every add gets a unique tag; a remove deletes only
 * the tags its replica has observed for the element, so an add concurrent with a remove
 * survives it (Shapiro et al., INRIA RR-7506, 2011, § 3.3.5, Specification 15).
 *
 * Departure, said here and in the notebook: Specification 15 is written op-based; this is
 * its state-based form, the payload being the live (tag → element) pairs plus the set of
 * removed tags (tombstones), merged by union, as Bieniusa et al. write it out ("An
 * optimized conflict-free replicated set", arXiv:1210.3368, 2012, Algorithm 1). Tags are
 * deterministic: `replica#k` for the replica's k-th add (the report's `unique()`), counted
 * in `clock`, a version vector merged by pointwise maximum. Removing an element the
 * replica does not hold is a no-op (the report's precondition `lookup(e)`).
 *
 * Introduced in notebooks/04.00-Multi-Leader-Replication.ipynb; the
 * multi-value register is the siblings of notebooks/05.00-Leaderless-Replication.ipynb.
 */
import { EMPTY_VV, mergeVv, type VersionVector } from "../protocols/shared/versionVector.js";
import { ConfigError, describe } from "../errors.js";
import { requireReplica, requireSameType } from "./sameType.js";

/** What an OR-Set holds: strings or numbers. */
export type OrSetElement = string | number;

/** An OR-Set replica. Immutable plain data. */
export interface OrSet<E extends OrSetElement = OrSetElement> {
  readonly type: "or-set";
  /** Live adds: tag → element. */
  readonly entries: Readonly<Record<string, E>>;
  /** Tags removed (tombstones), kept so a merge cannot bring them back. */
  readonly removed: Readonly<Record<string, true>>;
  /** How many adds each replica has made: the source of unique tags. */
  readonly clock: VersionVector;
}

/** An empty OR-Set. Pure. */
export function orSet<E extends OrSetElement = OrSetElement>(): OrSet<E> {
  return { type: "or-set", entries: {}, removed: {}, clock: EMPTY_VV };
}

/** The tag of `replica`'s `k`-th add. Injective: the counter is the digits after the last `#`. Pure. */
export function orTag(replica: string, k: number): string {
  return `${replica}#${k}`;
}

/** `s` after `replica` adds `element`, under a fresh tag (Spec. 15 `add`). Pure. */
export function orAdd<E extends OrSetElement>(s: OrSet<E>, element: E, replica: string): OrSet<E> {
  requireReplica("replica", replica);
  if (typeof element !== "string" && !(typeof element === "number" && Number.isFinite(element))) {
    throw new ConfigError("element", `must be a string or a finite number, got ${describe(element)}`, "store ids or names in the set");
  }
  const k = (s.clock[replica] ?? 0) + 1;
  return { ...s, entries: { ...s.entries, [orTag(replica, k)]: element }, clock: { ...s.clock, [replica]: k } };
}

/** `s` after removing `element`: every tag of it this replica has observed is tombstoned (Spec. 15 `remove`). Pure. */
export function orRemove<E extends OrSetElement>(s: OrSet<E>, element: E): OrSet<E> {
  const entries: Record<string, E> = {};
  const removed: Record<string, true> = { ...s.removed };
  let any = false;
  for (const tag of Object.keys(s.entries)) {
    if (s.entries[tag] === element) {
      removed[tag] = true;
      any = true;
    } else entries[tag] = s.entries[tag];
  }
  return any ? { ...s, entries, removed } : s;
}

/** Whether `element` is in the set: some add of it is not removed (Spec. 15 `lookup`). Pure. */
export function orHas<E extends OrSetElement>(s: OrSet<E>, element: E): boolean {
  for (const tag of Object.keys(s.entries)) if (s.entries[tag] === element) return true;
  return false;
}

/** The elements, each once, sorted (numbers before strings). Pure. */
export function orElements<E extends OrSetElement>(s: OrSet<E>): E[] {
  return [...new Set(Object.values(s.entries))].sort((a, b) =>
    typeof a === typeof b ? (a < b ? -1 : a > b ? 1 : 0) : typeof a === "number" ? -1 : 1,
  );
}

/** Merge: union of adds and of tombstones, minus the tombstoned adds. Throws a ConfigError on another CRDT type. Pure. */
export function mergeOrSet<E extends OrSetElement>(a: OrSet<E>, b: OrSet<E>): OrSet<E> {
  requireSameType(a, b, "or-set");
  const removed: Record<string, true> = { ...a.removed, ...b.removed };
  const entries: Record<string, E> = {};
  for (const src of [a.entries, b.entries]) for (const tag of Object.keys(src)) if (removed[tag] !== true) entries[tag] = src[tag];
  return { type: "or-set", entries, removed, clock: mergeVv(a.clock, b.clock) };
}
