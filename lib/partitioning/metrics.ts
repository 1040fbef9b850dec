/**
 * How good a placement is, as pure functions: per-node load, load imbalance (max ÷ mean),
 * the spread of load (standard deviation ÷ mean, against 1/√vnodes for a ring), the fraction
 * of keys a join or a leave moves (against the ideal 1/(n + 1)), and the nodes a key's
 * replicas live on.
 *
 * Introduced in notebooks/01.01-Many-Servers.ipynb.
 */
import { ConfigError, requireInteger } from "../errors.js";
import type { NodeId } from "../sim/trace.js";
import { mean } from "../stats.js";

/** Keys per node (every node listed, 0 when it holds none). Pure. */
export function nodeLoads(assignment: ReadonlyMap<string, NodeId>, nodes: readonly NodeId[]): Record<NodeId, number> {
  const loads: Record<NodeId, number> = Object.fromEntries(nodes.map((n) => [n, 0]));
  for (const node of assignment.values()) {
    if (!Object.hasOwn(loads, node)) throw new ConfigError("assignment", `names node ${JSON.stringify(node)}, which is not in nodes`, "pass the nodes the placement was built with");
    loads[node]++;
  }
  return loads;
}

function loadValues(loads: Readonly<Record<NodeId, number>>): number[] {
  const xs = Object.values(loads);
  if (xs.length === 0) throw new ConfigError("loads", "is empty", "give the load of at least one node");
  const total = xs.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new ConfigError("loads", "sum to 0", "place at least one key (or give shares that sum to more than 0)");
  return xs;
}

/** Load imbalance: the busiest node's load ÷ the mean load (1 is perfect balance). Pure. */
export function loadImbalance(loads: Readonly<Record<NodeId, number>>): number {
  const xs = loadValues(loads);
  return Math.max(...xs) / mean(xs);
}

/** The spread of load: population standard deviation of per-node load ÷ its mean (coefficient of variation). Pure. */
export function loadSpread(loads: Readonly<Record<NodeId, number>>): number {
  const xs = loadValues(loads);
  const m = mean(xs);
  const variance = xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length;
  return Math.sqrt(variance) / m;
}

/**
 * The spread a ring's ownership shares should have, with `nodes` nodes of `vnodes` random
 * tokens each: the n·v arcs are the spacings of uniform points (a Dirichlet(1, …, 1) vector),
 * so a node's share, the sum of v of them, has standard deviation ÷ mean
 * √((N − v) / (v (N + 1))) with N = n·v, which is ≈ 1/√v. Pure.
 */
export function ringSpreadTheory(nodes: number, vnodes: number): number {
  requireInteger("nodes", nodes, 1);
  requireInteger("vnodes", vnodes, 1);
  const total = nodes * vnodes;
  return Math.sqrt((total - vnodes) / (vnodes * (total + 1)));
}

/**
 * The fraction of keys whose node differs between two assignments of the same keys: what a
 * membership change makes the cluster move. Pure.
 */
export function movedFraction(before: ReadonlyMap<string, NodeId>, after: ReadonlyMap<string, NodeId>): number {
  if (before.size === 0) throw new ConfigError("before", "assigns no keys", "place at least one key");
  if (after.size !== before.size) throw new ConfigError("after", `assigns ${after.size} keys, before assigns ${before.size}`, "assign the same keys before and after");
  let moved = 0;
  for (const [k, n] of before) {
    const m = after.get(k);
    if (m === undefined) throw new ConfigError("after", `misses key ${JSON.stringify(k)}`, "assign the same keys before and after");
    if (m !== n) moved++;
  }
  return moved / before.size;
}

/**
 * The least a change from `before` to `after` nodes can move when every node holds an equal
 * share: the newcomer's share, 1/(n + 1) for a join to n + 1 nodes (the leaver's, 1/(n + 1),
 * for a leave from n + 1). Pure.
 */
export function idealMovedFraction(before: number, after: number): number {
  requireInteger("before", before, 1);
  requireInteger("after", after, 1);
  return Math.abs(after - before) / Math.max(before, after);
}

/** Keys each node holds a replica of, when every key lives on its `replicas` nodes. Pure. */
export function replicaLoads(keys: readonly string[], nodes: readonly NodeId[], replicasOf: (key: string) => readonly NodeId[]): Record<NodeId, number> {
  const loads: Record<NodeId, number> = Object.fromEntries(nodes.map((n) => [n, 0]));
  for (const k of keys) for (const n of replicasOf(k)) loads[n]++;
  return loads;
}

/** The `count` key names `prefix0`, `prefix1`, ... a placement experiment uses. Pure. */
export function keyNames(count: number, prefix = "key"): string[] {
  requireInteger("keys", count, 1, 10_000_000);
  return Array.from({ length: count }, (_, i) => `${prefix}${i}`);
}
