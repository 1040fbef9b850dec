/**
 * Convergence: after the faults heal and replication settles, do all replicas hold the
 * same state? (Eventual consistency's promise; DESIGN.md's "final converged state".)
 *
 * Introduced in notebooks/00.01-Consistency-Checkers.ipynb.
 */
import { ConfigError, describe } from "../errors.js";
import type { Value } from "../history/types.js";

/** What a replica holds under a key: one value (register) or several (a log or siblings). */
export type ReplicaValue = Value | readonly number[];

/** One key on which replicas disagree, with each replica's value (null: absent). Plain data. */
export interface Divergence {
  readonly key: string;
  readonly values: Readonly<Record<string, ReplicaValue>>;
}

/** How to compare multi-value entries: as sequences (order matters, e.g. logs) or as sets (siblings). */
export type ArrayComparison = "sequence" | "set";

/** The convergence verdict. Plain data. */
export interface ConvergenceResult {
  readonly valid: boolean;
  readonly message: string;
  readonly replicas: readonly string[];
  /** Keys on which replicas differ, sorted by key. */
  readonly differing: readonly Divergence[];
}

/**
 * Checks that every replica holds the same state; pure. `states` maps a node id to its
 * final key → value map. A key that is absent, null or an empty array all mean "no value"
 * (types.ts: null means the key is absent). Arrays compare as sequences unless `arrays` is
 * `"set"` (siblings, where order is meaningless).
 */
export function checkConvergence(states: Readonly<Record<string, ReadonlyMap<string, ReplicaValue>>>, arrays: ArrayComparison = "sequence"): ConvergenceResult {
  if (states === null || typeof states !== "object") {
    throw new ConfigError("states", `must be an object from node id to its final Map, got ${describe(states)}`, "pass { n1: map1, n2: map2, ... }");
  }
  if (arrays !== "sequence" && arrays !== "set") {
    throw new ConfigError("arrays", `unknown comparison ${describe(arrays)}`, "use \"sequence\" or \"set\"");
  }
  const replicas = Object.keys(states).sort();
  if (replicas.length === 0) throw new ConfigError("states", "holds no replicas", "pass at least one node's final state");
  for (const r of replicas) {
    if (!(states[r] instanceof Map)) throw new ConfigError(`states.${r}`, `must be a Map from key to value, got ${describe(states[r])}`, "pass the replica's final key → value Map");
  }
  const keys = new Set<string>();
  for (const r of replicas) for (const k of states[r].keys()) keys.add(k);
  const differing: Divergence[] = [];
  for (const key of [...keys].sort()) {
    const values: Record<string, ReplicaValue> = {};
    for (const r of replicas) values[r] = normalize(states[r].get(key), arrays);
    const first = canonical(values[replicas[0]]);
    if (replicas.some((r) => canonical(values[r]) !== first)) differing.push({ key, values });
  }
  const message = differing.length === 0
    ? `converged: ${replicas.length} replica(s) agree on ${keys.size} key(s)`
    : `not converged: ${differing.length} of ${keys.size} key(s) differ, e.g. ${differing[0].key}: ${replicas.map((r) => `${r}=${canonical(differing[0].values[r])}`).join(", ")}`;
  return { valid: differing.length === 0, message, replicas, differing };
}

function normalize(v: ReplicaValue | undefined, arrays: ArrayComparison): ReplicaValue {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) {
    if (v.length === 0) return null;
    return arrays === "set" ? [...new Set(v)].sort((a, b) => a - b) : v;
  }
  return v as Value;
}

function canonical(v: ReplicaValue): string {
  return Array.isArray(v) ? `[${v.join(", ")}]` : v === null ? "null" : String(v);
}
