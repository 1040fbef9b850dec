/**
 * Checks shared by the CRDTs: two replicas merged must be of one type, and a replica id
 * must be a usable key.
 *
 * Introduced in notebooks/04.00-Multi-Leader-Replication.ipynb; the
 * multi-value register is the siblings of notebooks/05.00-Leaderless-Replication.ipynb.
 */
import { ConfigError, describe } from "../errors.js";

/** Anything with a CRDT type tag. */
export interface Typed {
  readonly type: string;
}

/**
 * Throws a ConfigError naming both types unless `a` and `b` are both of type `expected`
 * (or, without `expected`, of one type). Pure.
 */
export function requireSameType(a: Typed, b: Typed, expected?: string): void {
  const ta = typeOf(a);
  const tb = typeOf(b);
  if (ta !== tb || (expected !== undefined && ta !== expected)) {
    const want = expected ?? ta;
    throw new ConfigError("merge", `cannot merge a ${ta} with a ${tb}${expected !== undefined && ta === tb ? ` (this merge is for ${expected})` : ""}`, `merge two replicas of the same CRDT, both ${want}`);
  }
}

function typeOf(x: unknown): string {
  return x !== null && typeof x === "object" && typeof (x as Typed).type === "string" ? (x as Typed).type : describe(x);
}

/** Throws unless `replica` is a non-empty string that is not a built-in object key. Pure. */
export function requireReplica(field: string, replica: unknown): string {
  if (typeof replica !== "string" || replica.length === 0 || replica in Object.prototype) {
    throw new ConfigError(field, `must be a replica id such as "n1", got ${describe(replica)}`, 'name the replica doing the update ("n1", "n2", ...)');
  }
  return replica;
}
