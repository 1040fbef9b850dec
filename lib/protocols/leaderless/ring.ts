/**
 * A consistent-hashing ring with virtual nodes, as in Dynamo (DeCandia et al., SOSP 2007,
 * §4.2) and Cassandra: each node owns `vnodes` pseudo-random points ("tokens") on a
 * 32-bit ring; a key belongs to the first token clockwise from its hash, and its
 * preference list is the first N distinct nodes met walking clockwise from there.
 *
 * Why virtual nodes: with one token per node the arcs are very unequal (a node may own
 * several times its share); with many tokens per node the shares even out, and when a
 * node joins it takes a little from every other node instead of a lot from one.
 *
 * Introduced in notebooks/05.00-Leaderless-Replication.ipynb.
 */
import { ConfigError, describe, requireInteger } from "../../errors.js";
import type { NodeId } from "../../sim/trace.js";
import { hash32 } from "../../sim/hash.js";

export { hash32 };


/** A ring: sorted tokens and the node owning each. Immutable once built. */
export interface HashRing {
  readonly nodes: readonly NodeId[];
  readonly vnodes: number;
  /** Token positions, ascending. */
  readonly tokens: Uint32Array;
  /** `owners[i]` owns `tokens[i]` (index into `nodes`). */
  readonly owners: Uint16Array;
}

/**
 * Builds a ring placing `vnodes` tokens per node at hash("node#i"). Pure: the same nodes
 * give the same ring whatever their order, so adding a node leaves the others' tokens put.
 */
export function makeRing(nodes: readonly NodeId[], vnodes = 64): HashRing {
  requireInteger("ring.vnodes", vnodes, 1, 4096);
  if (!Array.isArray(nodes) || nodes.length === 0) {
    throw new ConfigError("ring.nodes", `must be a non-empty list of node ids, got ${describe(nodes)}`, 'give e.g. ["n1", "n2", "n3"]');
  }
  if (new Set(nodes).size !== nodes.length) throw new ConfigError("ring.nodes", "has a duplicate id", "list each node once");
  const points: { token: number; owner: number }[] = [];
  nodes.forEach((n, owner) => {
    for (let v = 0; v < vnodes; v++) points.push({ token: hash32(`${n}#${v}`), owner });
  });
  // Ties (two equal tokens) are broken by node id so the order never depends on input order.
  points.sort((a, b) => a.token - b.token || (nodes[a.owner] < nodes[b.owner] ? -1 : 1));
  return {
    nodes: nodes.slice(),
    vnodes,
    tokens: Uint32Array.from(points.map((p) => p.token)),
    owners: Uint16Array.from(points.map((p) => p.owner)),
  };
}

/** Index of the first token at or clockwise after `h` (wrapping to 0). Pure. */
export function firstTokenAt(ring: HashRing, h: number): number {
  let lo = 0, hi = ring.tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ring.tokens[mid] < h) lo = mid + 1;
    else hi = mid;
  }
  return lo === ring.tokens.length ? 0 : lo;
}

/**
 * The first `count` distinct nodes clockwise from the key's hash: its preference list.
 * The first N are the key's replicas; the ones after them are the fallbacks a sloppy
 * quorum uses when a replica does not answer. Pure.
 */
export function preferenceList(ring: HashRing, key: string, count: number): NodeId[] {
  const want = Math.min(count, ring.nodes.length);
  const out: NodeId[] = [];
  const seen = new Uint8Array(ring.nodes.length);
  let i = firstTokenAt(ring, hash32(key));
  while (out.length < want) {
    const o = ring.owners[i];
    if (seen[o] === 0) {
      seen[o] = 1;
      out.push(ring.nodes[o]);
    }
    i = i + 1 === ring.tokens.length ? 0 : i + 1;
  }
  return out;
}

/** The node owning `key` (first on its preference list). Pure. */
export function ownerOf(ring: HashRing, key: string): NodeId {
  return preferenceList(ring, key, 1)[0];
}

/**
 * Fraction of the hash space each node owns as primary (sums to 1): how balanced the ring
 * is. Pure.
 */
export function ownershipShares(ring: HashRing): Record<NodeId, number> {
  const share: Record<NodeId, number> = Object.fromEntries(ring.nodes.map((n) => [n, 0]));
  const t = ring.tokens;
  const span = 2 ** 32;
  for (let i = 0; i < t.length; i++) {
    // Token i owns the arc (previous token, token i].
    const prev = i === 0 ? t[t.length - 1] - span : t[i - 1];
    share[ring.nodes[ring.owners[i]]] += (t[i] - prev) / span;
  }
  return share;
}

/**
 * Keys whose preference list (of length `n`) differs between two rings: what a
 * membership change makes the cluster move. Pure.
 */
export function movedKeys(before: HashRing, after: HashRing, keys: readonly string[], n = 1): string[] {
  return keys.filter((k) => preferenceList(before, k, n).join() !== preferenceList(after, k, n).join());
}

/**
 * The first node clockwise from `key`'s hash that `accept` takes, visiting each node once
 * (null when it takes none). What a load balancer with key affinity walks: the key's owner,
 * else the next server on the ring that is up (or, with bounded loads, not full). Lazy, so
 * a walk that stops at the owner costs one lookup. Pure when `accept` is.
 */
export function firstAccepted(ring: HashRing, key: string, accept: (node: NodeId) => boolean): NodeId | null {
  const seen = new Uint8Array(ring.nodes.length);
  let left = ring.nodes.length;
  let i = firstTokenAt(ring, hash32(key));
  while (left > 0) {
    const o = ring.owners[i];
    if (seen[o] === 0) {
      seen[o] = 1;
      left--;
      if (accept(ring.nodes[o])) return ring.nodes[o];
    }
    i = i + 1 === ring.tokens.length ? 0 : i + 1;
  }
  return null;
}
