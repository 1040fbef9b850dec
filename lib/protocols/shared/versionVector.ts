/**
 * Version vectors (Parker et al., 1983; Dynamo's "vector clocks", SOSP 2007 §4.4): one
 * counter per node that coordinated a write of the key. Version a happened before b iff
 * every counter of a is ≤ b's and one is smaller; if neither happened before the other
 * the versions are concurrent, and a store must keep both as siblings for the client to
 * merge.
 *
 * Shared by the leaderless quorums, the multi-leader protocol's siblings policy and the
 * CRDTs. Introduced in notebooks/05.00-Leaderless-Replication.ipynb.
 */
import type { NodeId } from "../../sim/trace.js";

/** A version vector: node → how many writes that node coordinated in this history. Plain data. */
export type VersionVector = Readonly<Record<NodeId, number>>;

/** How two versions relate. */
export type VvOrder = "equal" | "before" | "after" | "concurrent";

/** The empty vector (no writes seen). */
export const EMPTY_VV: VersionVector = Object.freeze({});

/** Compares a with b: `before` means a happened before b. Pure. */
export function compareVv(a: VersionVector, b: VersionVector): VvOrder {
  let aLess = false, bLess = false;
  for (const k of Object.keys(a)) {
    const x = a[k] ?? 0, y = b[k] ?? 0;
    if (x < y) aLess = true;
    else if (x > y) bLess = true;
  }
  for (const k of Object.keys(b)) {
    if (k in a) continue;
    if ((b[k] ?? 0) > 0) aLess = true;
  }
  if (aLess && bLess) return "concurrent";
  if (aLess) return "before";
  if (bLess) return "after";
  return "equal";
}

/** True when a ≥ b on every counter (a equals or descends from b). Pure. */
export function dominates(a: VersionVector, b: VersionVector): boolean {
  const o = compareVv(a, b);
  return o === "after" || o === "equal";
}

/** The pointwise maximum: the smallest vector that descends from both. Pure. */
export function mergeVv(a: VersionVector, b: VersionVector): VersionVector {
  const out: Record<NodeId, number> = { ...a };
  for (const k of Object.keys(b)) out[k] = Math.max(out[k] ?? 0, b[k]);
  return out;
}

/** `vv` with `node`'s counter one higher: the version a write coordinated by `node` gets. Pure. */
export function incrementVv(vv: VersionVector, node: NodeId): VersionVector {
  return { ...vv, [node]: (vv[node] ?? 0) + 1 };
}

/**
 * Keeps the versions no other version descends from (the siblings), dropping duplicates.
 * `vvOf` reads a version's vector. Pure; keeps input order among survivors.
 */
export function reconcile<T>(versions: readonly T[], vvOf: (v: T) => VersionVector): T[] {
  const out: T[] = [];
  versions.forEach((v, i) => {
    const vv = vvOf(v);
    const superseded = versions.some((w, j) => {
      if (j === i) return false;
      const o = compareVv(vv, vvOf(w));
      // Equal vectors: keep the first copy only.
      return o === "before" || (o === "equal" && j < i);
    });
    if (!superseded) out.push(v);
  });
  return out;
}
