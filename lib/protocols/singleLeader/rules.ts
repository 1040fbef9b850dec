/**
 * The small decisions of single-leader replication, as pure functions the protocol calls and
 * the notebooks' exercises check against.
 * Introduced in notebooks/02.00-Split-Brain.ipynb and notebooks/03.00-Single-Leader-Replication.ipynb.
 */
import type { NodeId } from "../../sim/trace.js";
import type { SingleLeaderEntry } from "./state.js";

/**
 * The storage layer's fencing check: accept a write stamped `token` iff it is not older than
 * the highest token accepted so far, and remember the higher of the two. Pure.
 */
export function admitToken(highest: number, token: number): { readonly accept: boolean; readonly highest: number } {
  return token < highest ? { accept: false, highest } : { accept: true, highest: token };
}

/** A failover candidate: a node and how long its log is. */
export interface Candidate {
  readonly node: NodeId;
  readonly length: number;
}

/**
 * The follower to promote: the one with the longest log, ties going to the lower node id
 * (so every node that sees the same positions picks the same one). Pure.
 */
export function pickFailoverCandidate(candidates: readonly Candidate[]): NodeId {
  if (candidates.length === 0) throw new RangeError("pickFailoverCandidate: no candidates");
  let best = candidates[0];
  for (const c of candidates.slice(1)) {
    if (c.length > best.length || (c.length === best.length && c.node < best.node)) best = c;
  }
  return best.node;
}

/**
 * A follower's log after receiving `entries` (consecutive, the first at `entries[0].index`):
 * an entry already present with the same value is kept, the first one that differs cuts the
 * log there (that suffix came from another leader), and new ones are appended. Entries
 * beyond the end of the log (a gap) are not accepted. Pure: returns a new array.
 */
export function mergeEntries(log: readonly SingleLeaderEntry[], entries: readonly SingleLeaderEntry[]): SingleLeaderEntry[] {
  const next = log.slice();
  for (const e of entries) {
    if (e.index > next.length) break; // a gap: the leader must resend from our end
    if (e.index < next.length) {
      if (next[e.index].value === e.value) continue;
      next.length = e.index;
    }
    next.push(e);
  }
  return next;
}

/** A spell of leadership: who, from when, until when (ms). */
export interface Spell {
  readonly from: number;
  readonly to: number;
}

/** Total time (ms) during which two or more spells overlap: how long the brain was split. Pure. */
export function splitBrainMs(spells: readonly Spell[]): number {
  const edges: [number, number][] = [];
  for (const s of spells) if (s.to > s.from) edges.push([s.from, 1], [s.to, -1]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let total = 0;
  let last = 0;
  for (const [t, d] of edges) {
    if (open >= 2) total += t - last;
    open += d;
    last = t;
  }
  return total;
}
