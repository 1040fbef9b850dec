/**
 * Rendezvous, or highest-random-weight, hashing (Thaler & Ravishankar, "Using Name-Based
 * Mappings to Increase Hit Rates", IEEE/ACM Transactions on Networking, 1998): every node
 * scores the key with a hash of (node, key), and the key goes to the highest score. A join
 * takes from every node exactly the keys the newcomer now outscores (1/(n + 1) of them on
 * average); a leave moves only the leaver's keys; the next-highest scores are the replicas.
 * It costs one hash per node per lookup, against a ring's binary search.
 *
 * Introduced in notebooks/01.01-Many-Servers.ipynb.
 */
import { hash32 } from "../sim/hash.js";
import type { NodeId } from "../sim/trace.js";

/** The weight node `node` gives `key`: a hash of the key seeded by the node's own hash. Pure. */
export function rendezvousWeight(node: NodeId, key: string): number {
  return hash32(key, hash32(node));
}

/**
 * The `count` nodes with the highest weights for `key`, highest first; ties (equal 32-bit
 * weights) go to the smaller node id so the order never depends on the input order. Pure.
 */
export function rendezvousRanking(nodes: readonly NodeId[], key: string, count: number): NodeId[] {
  const scored = nodes.map((n) => ({ n, w: rendezvousWeight(n, key) }));
  scored.sort((a, b) => b.w - a.w || (a.n < b.n ? -1 : a.n > b.n ? 1 : 0));
  return scored.slice(0, Math.min(count, nodes.length)).map((s) => s.n);
}

/** The node that owns `key`: the one with the highest weight. Pure; one pass, no sort. */
export function rendezvousOwner(nodes: readonly NodeId[], key: string): NodeId {
  let best = nodes[0];
  let bestW = rendezvousWeight(best, key);
  for (let i = 1; i < nodes.length; i++) {
    const w = rendezvousWeight(nodes[i], key);
    if (w > bestW || (w === bestW && nodes[i] < best)) {
      best = nodes[i];
      bestW = w;
    }
  }
  return best;
}
