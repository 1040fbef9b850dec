/**
 * Any of the library's CRDTs, and one `mergeCrdt` and `crdtValue` over all of them, for code
 * (a replication protocol, a notebook) that handles whichever type a run configures.
 * State-based CRDTs after Shapiro, Preguiça, Baquero, Zawirski, "A comprehensive study of
 * Convergent and Commutative Replicated Data Types", INRIA RR-7506, 2011, § 2.2: states form
 * a join semilattice and merge is its join, so merge is commutative, associative and
 * idempotent and replicas that have seen the same updates are equal.
 *
 * Introduced in notebooks/04.00-Multi-Leader-Replication.ipynb; the
 * multi-value register is the siblings of notebooks/05.00-Leaderless-Replication.ipynb.
 */
import { ConfigError, describe } from "../errors.js";
import { gValue, mergeGCounter, type GCounter } from "./gCounter.js";
import { lwwValue, mergeLwwRegister, type LwwRegister } from "./lwwRegister.js";
import { mergeMvRegister, mvValues, type MvRegister } from "./mvRegister.js";
import { mergeOrSet, orElements, type OrSet, type OrSetElement } from "./orSet.js";
import { mergePNCounter, pnValue, type PNCounter } from "./pnCounter.js";
import { requireSameType } from "./sameType.js";

/** One replica of any CRDT here. Discriminated on `type`. */
export type Crdt = GCounter | PNCounter | OrSet<OrSetElement> | LwwRegister<unknown> | MvRegister<unknown>;

/** The CRDT type names. */
export const CRDT_TYPES: readonly Crdt["type"][] = ["g-counter", "pn-counter", "or-set", "lww-register", "mv-register"];

/** Merges two replicas of one CRDT; throws a ConfigError naming both types if they differ. Pure. */
export function mergeCrdt<T extends Crdt>(a: T, b: T): T {
  requireSameType(a, b);
  switch (a.type) {
    case "g-counter":
      return mergeGCounter(a, b as GCounter) as T;
    case "pn-counter":
      return mergePNCounter(a, b as PNCounter) as T;
    case "or-set":
      return mergeOrSet(a, b as OrSet) as T;
    case "lww-register":
      return mergeLwwRegister(a, b as LwwRegister<unknown>) as T;
    case "mv-register":
      return mergeMvRegister(a, b as MvRegister<unknown>) as T;
    default:
      throw unknownType(a);
  }
}

/** What a read returns: a counter's number, a set's sorted elements, a register's value or values. Pure. */
export function crdtValue(c: Crdt): number | OrSetElement[] | unknown {
  switch (c.type) {
    case "g-counter":
      return gValue(c);
    case "pn-counter":
      return pnValue(c);
    case "or-set":
      return orElements(c);
    case "lww-register":
      return lwwValue(c);
    case "mv-register":
      return mvValues(c);
    default:
      throw unknownType(c);
  }
}

function unknownType(c: unknown): ConfigError {
  return new ConfigError("crdt.type", `unknown CRDT type ${describe((c as { type?: unknown })?.type)}`, `use one of ${CRDT_TYPES.join(", ")}`);
}
