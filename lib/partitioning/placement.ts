/**
 * Key placement: which node holds a key. One interface over four schemes, so that the
 * notebook measures them all with the same metrics:
 *
 * - `ring`: consistent hashing (Karger et al., STOC 1997) with virtual nodes, as in Dynamo
 *   (DeCandia et al., SOSP 2007): the ring of lib/protocols/leaderless/ring.ts.
 * - `jump`: jump consistent hash (Lamping & Veach 2014), nodes as buckets 0 … n − 1.
 * - `rendezvous`: highest random weight (Thaler & Ravishankar 1998).
 * - `bounded`: consistent hashing with bounded loads (Mirrokni, Thorup & Zadimoghaddam,
 *   SODA 2018): keys are placed in order; each goes to the first node clockwise from its
 *   hash on the ring that holds fewer than ⌈c·m/n⌉ keys (m keys, n nodes, c > 1).
 *
 * Bounded loads places a whole set of keys at once (its capacity depends on m); the others
 * place each key on its own. The notebook's load balancers (bounded-load hashing of
 * *requests*) are a separate helper; this one places *keys*.
 *
 * Introduced in notebooks/01.01-Many-Servers.ipynb.
 */
import { ConfigError, describe, requireInteger, requireKnownKeys, requireNumber, requireOneOf, requirePlainObject } from "../errors.js";
import { firstTokenAt, makeRing, preferenceList, type HashRing } from "../protocols/leaderless/ring.js";
import { hash32 } from "../sim/hash.js";
import type { NodeId } from "../sim/trace.js";
import { hash64, jumpConsistentHash } from "./jump.js";
import { rendezvousOwner, rendezvousRanking } from "./rendezvous.js";

/** The placement schemes. */
export const PLACEMENT_KINDS = ["ring", "jump", "rendezvous", "bounded"] as const;
/** One of the placement schemes. */
export type PlacementKind = (typeof PLACEMENT_KINDS)[number];

/** What defines a placement: the scheme, the nodes, and the scheme's own knobs. Data. */
export interface PlacementSpec {
  readonly kind: PlacementKind;
  /** The nodes, in order (for `jump`, node i is bucket i: joins and leaves only at the end). */
  readonly nodes: readonly NodeId[];
  /** Tokens per node on the ring (`ring` and `bounded`; default 64 for `ring`, 1 for `bounded`). */
  readonly vnodes?: number;
  /** Bounded loads: the capacity factor c > 1; each node holds at most ⌈c·m/n⌉ keys (default 1.25). */
  readonly c?: number;
}

/** A built placement. `assign` is pure: the same keys always go to the same nodes. */
export interface KeyPlacement {
  readonly kind: PlacementKind;
  readonly nodes: readonly NodeId[];
  /** Each key's node. `bounded` depends on the whole list and its order; the others on each key alone. */
  assign(keys: readonly string[]): ReadonlyMap<string, NodeId>;
  /**
   * The key's preference list: its first `count` distinct nodes, where the scheme has one
   * (`ring`: walking clockwise, as Dynamo does; `rendezvous`: the highest weights). Absent for
   * `jump` and `bounded`, which name one node per key.
   */
  readonly replicas?: (key: string, count: number) => NodeId[];
}

const SPEC_KEYS = ["kind", "nodes", "vnodes", "c"] as const;

/** Checks a spec; throws a ConfigError naming the field and the fix. Pure. */
export function validatePlacement(spec: PlacementSpec): void {
  requirePlainObject("placement", spec, 'give e.g. { kind: "ring", nodes: ["n1", "n2", "n3"], vnodes: 64 }');
  requireKnownKeys("placement", spec, SPEC_KEYS);
  requireOneOf("placement.kind", spec.kind, PLACEMENT_KINDS);
  if (!Array.isArray(spec.nodes) || spec.nodes.length === 0) {
    throw new ConfigError("placement.nodes", `must be a non-empty list of node ids, got ${describe(spec.nodes)}`, 'give e.g. ["n1", "n2", "n3"]');
  }
  spec.nodes.forEach((n, i) => {
    if (typeof n !== "string" || n.length === 0) throw new ConfigError(`placement.nodes[${i}]`, `must be a non-empty string, got ${describe(n)}`, 'use ids like "n1"');
  });
  if (new Set(spec.nodes).size !== spec.nodes.length) throw new ConfigError("placement.nodes", "has a duplicate id", "list each node once");
  if (spec.vnodes !== undefined) {
    if (spec.kind === "jump" || spec.kind === "rendezvous") throw new ConfigError("placement.vnodes", `means nothing to ${spec.kind} hashing`, "leave vnodes out, or use kind ring or bounded");
    requireInteger("placement.vnodes", spec.vnodes, 1, 4096);
  }
  if (spec.c !== undefined) {
    if (spec.kind !== "bounded") throw new ConfigError("placement.c", `is the capacity factor of bounded loads, not of ${spec.kind}`, 'leave c out, or use kind "bounded"');
    requireNumber("placement.c", spec.c);
    if (!(spec.c > 1)) throw new ConfigError("placement.c", `must be greater than 1, got ${spec.c}`, "use e.g. 1.25: each node then holds at most 25% more than the mean");
  }
}

/** The default capacity factor of bounded loads. */
export const DEFAULT_BOUNDED_C = 1.25;

/** Bounded loads: the most keys a node may hold, ⌈c·m/n⌉ (Mirrokni et al. 2018). Pure. */
export function boundedCapacity(c: number, keys: number, nodes: number): number {
  requireNumber("placement.c", c);
  if (!(c > 1)) throw new ConfigError("placement.c", `must be greater than 1, got ${c}`, "use e.g. 1.25");
  requireInteger("keys", keys, 0);
  requireInteger("nodes", nodes, 1);
  // The small epsilon keeps c·m/n = 12.000000001 (floating point) from rounding up to 13.
  return Math.ceil((c * keys) / nodes - 1e-9);
}

/** Builds the placement `spec` describes; throws a ConfigError for a bad spec. Pure. */
export function makePlacement(spec: PlacementSpec): KeyPlacement {
  validatePlacement(spec);
  const nodes = spec.nodes.slice();
  switch (spec.kind) {
    case "ring": {
      const ring = makeRing(nodes, spec.vnodes ?? 64);
      return {
        kind: "ring", nodes,
        assign: (keys) => new Map(keys.map((k) => [k, preferenceList(ring, k, 1)[0]])),
        replicas: (key, count) => preferenceList(ring, key, count),
      };
    }
    case "jump":
      return { kind: "jump", nodes, assign: (keys) => new Map(keys.map((k) => [k, nodes[jumpConsistentHash(hash64(k), nodes.length)]])) };
    case "rendezvous":
      return {
        kind: "rendezvous", nodes,
        assign: (keys) => new Map(keys.map((k) => [k, rendezvousOwner(nodes, k)])),
        replicas: (key, count) => rendezvousRanking(nodes, key, count),
      };
    case "bounded": {
      const ring = makeRing(nodes, spec.vnodes ?? 1);
      const c = spec.c ?? DEFAULT_BOUNDED_C;
      return { kind: "bounded", nodes, assign: (keys) => assignBounded(ring, keys, c) };
    }
  }
}

/**
 * Bounded loads: each key, in order, goes to the first node clockwise from its hash that is
 * below capacity. Since n · ⌈c·m/n⌉ ≥ m, every key finds a node. Pure.
 */
function assignBounded(ring: HashRing, keys: readonly string[], c: number): Map<string, NodeId> {
  const cap = boundedCapacity(c, keys.length, ring.nodes.length);
  const load = new Array<number>(ring.nodes.length).fill(0);
  const out = new Map<string, NodeId>();
  for (const k of keys) {
    if (out.has(k)) continue;
    let i = firstTokenAt(ring, hash32(k));
    while (load[ring.owners[i]] >= cap) i = i + 1 === ring.tokens.length ? 0 : i + 1;
    load[ring.owners[i]]++;
    out.set(k, ring.nodes[ring.owners[i]]);
  }
  return out;
}
