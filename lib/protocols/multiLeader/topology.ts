/**
 * Replication topologies of multi-leader replication, as data: which leaders a leader passes
 * a replicated write on to. Kleppmann, "Designing Data-Intensive Applications" (2017), ch. 5,
 * "Multi-Leader Replication Topologies" (Figure 5-8): all-to-all, circular (MySQL's default,
 * as DDIA notes), and star, which generalises to a tree.
 *
 * Every replicated write carries its origin and the leaders it has passed; a leader forwards
 * it only to neighbours it has not passed, so no write loops, whatever the topology.
 *
 * Introduced in notebooks/04.00-Multi-Leader-Replication.ipynb.
 */
import { ConfigError, describe } from "../../errors.js";
import type { NodeId } from "../../sim/trace.js";

/** A topology: how writes travel between leaders. */
export type Topology =
  | { readonly kind: "all-to-all" }
  /** Each leader sends to the next one in `order` (default: the leaders' order), the last to the first. */
  | { readonly kind: "ring"; readonly order?: readonly NodeId[] }
  /** Every leader sends to `hub`, which forwards to every other leader. */
  | { readonly kind: "star"; readonly hub: NodeId }
  /** An undirected tree over the leaders, as edges; a write floods along it. */
  | { readonly kind: "tree"; readonly edges: readonly (readonly [NodeId, NodeId])[] };

/** The topology names. */
export const TOPOLOGY_KINDS = ["all-to-all", "ring", "star", "tree"] as const;

/** A topology compiled for a set of leaders: neighbours each leader forwards to. */
export interface CompiledTopology {
  readonly kind: Topology["kind"];
  /** leader → the leaders it passes writes on to (directed). */
  readonly next: Readonly<Record<NodeId, readonly NodeId[]>>;
  /** Whether a leader that did not originate a write forwards it (false for all-to-all). */
  readonly relays: boolean;
}

/** Checks `t` against `leaders` and compiles it; throws a ConfigError naming the field. Pure. */
export function compileTopology(t: Topology | undefined, leaders: readonly NodeId[], field = "config.topology"): CompiledTopology {
  const topo = t ?? { kind: "all-to-all" };
  if (topo == null || typeof topo !== "object" || !(TOPOLOGY_KINDS as readonly string[]).includes((topo as { kind?: string }).kind as string)) {
    throw new ConfigError(`${field}.kind`, `unknown topology ${describe((topo as { kind?: unknown })?.kind ?? topo)}`, `use one of ${TOPOLOGY_KINDS.map((k) => JSON.stringify(k)).join(", ")}`);
  }
  const next: Record<NodeId, NodeId[]> = {};
  for (const l of leaders) next[l] = [];
  switch (topo.kind) {
    case "all-to-all":
      for (const l of leaders) next[l] = leaders.filter((m) => m !== l);
      return { kind: topo.kind, next, relays: false };
    case "ring": {
      const order = topo.order ?? leaders;
      const sorted = [...order].sort().join(",");
      if (!Array.isArray(order) || sorted !== [...leaders].sort().join(",")) {
        throw new ConfigError(`${field}.order`, `must list every leader once (${leaders.join(", ")}), got ${describe(order)}`, "list each leader exactly once, in ring order");
      }
      order.forEach((l, i) => (next[l] = [order[(i + 1) % order.length]]));
      return { kind: topo.kind, next, relays: true };
    }
    case "star": {
      if (!leaders.includes(topo.hub)) {
        throw new ConfigError(`${field}.hub`, `${describe(topo.hub)} is not a leader`, `use one of ${leaders.join(", ")}`);
      }
      for (const l of leaders) next[l] = l === topo.hub ? leaders.filter((m) => m !== l) : [topo.hub];
      return { kind: topo.kind, next, relays: true };
    }
    case "tree": {
      if (!Array.isArray(topo.edges) || topo.edges.length !== leaders.length - 1) {
        throw new ConfigError(`${field}.edges`, `a tree over ${leaders.length} leaders has ${leaders.length - 1} edges, got ${describe(topo.edges)}`, "give one [a, b] pair per edge of a spanning tree");
      }
      topo.edges.forEach(([a, b], i) => {
        for (const [end, n] of [["0", a], ["1", b]] as const) {
          if (!leaders.includes(n)) throw new ConfigError(`${field}.edges[${i}][${end}]`, `${describe(n)} is not a leader`, `use one of ${leaders.join(", ")}`);
        }
        next[a].push(b);
        next[b].push(a);
      });
      // Connected: a flood from the first leader reaches all.
      const seen = new Set<NodeId>([leaders[0]]);
      const stack = [leaders[0]];
      while (stack.length > 0) for (const m of next[stack.pop()!]) if (!seen.has(m)) (seen.add(m), stack.push(m));
      if (seen.size !== leaders.length) throw new ConfigError(`${field}.edges`, `do not connect every leader (${leaders.filter((l) => !seen.has(l)).join(", ")} unreachable)`, "give the edges of a spanning tree");
      return { kind: topo.kind, next, relays: true };
    }
  }
}

/**
 * The leaders `self` passes a write on to: its neighbours that the write has not passed
 * (`passed` holds the origin and every leader it went through). In all-to-all only the
 * origin sends. Pure.
 */
export function forwardTargets(topo: CompiledTopology, self: NodeId, origin: NodeId, passed: readonly NodeId[]): NodeId[] {
  if (!topo.relays && self !== origin) return [];
  return (topo.next[self] ?? []).filter((n) => !passed.includes(n));
}

/**
 * Whom to send to instead of a silent neighbour `silent` (the bypass option): the leaders
 * `silent` itself would have passed the write on to, skipping any that is also silent, that
 * the write has passed, or `self`. Pure.
 */
export function bypassTargets(topo: CompiledTopology, self: NodeId, silent: NodeId, passed: readonly NodeId[], isSilent: (n: NodeId) => boolean): NodeId[] {
  const out: NodeId[] = [];
  const skip = new Set<NodeId>([...passed, silent, self]);
  const visit = (n: NodeId): void => {
    for (const m of topo.next[n] ?? []) {
      if (skip.has(m)) continue;
      skip.add(m);
      if (isSilent(m)) visit(m);
      else out.push(m);
    }
  };
  visit(silent);
  return out;
}

/** Hops on the longest shortest path from any leader to any other (the topology's diameter for a write). Pure. */
export function topologyDiameter(topo: CompiledTopology, leaders: readonly NodeId[]): number {
  let diameter = 0;
  for (const origin of leaders) {
    // A write's path: breadth-first along `next`, with all-to-all's origin-only rule.
    const dist = new Map<NodeId, number>([[origin, 0]]);
    let frontier = [origin];
    while (frontier.length > 0) {
      const nextFrontier: NodeId[] = [];
      for (const n of frontier) {
        if (!topo.relays && n !== origin) continue;
        for (const m of topo.next[n]) if (!dist.has(m)) (dist.set(m, dist.get(n)! + 1), nextFrontier.push(m));
      }
      frontier = nextFrontier;
    }
    for (const d of dist.values()) diameter = Math.max(diameter, d);
  }
  return diameter;
}
