/**
 * Catch-up of a copy that is behind: from a snapshot, or by log batches. Given where the copy
 * stands and what the serving node still has, `planCatchUp` says what to send next.
 *
 * Use, in the node that serves: `const p = planCatchUp({ from, base, snapshotIndex, preferSnapshot, batchSize, end })`;
 * `p.kind === "snapshot"` → send the snapshot; else send entries `[p.from, p.to)`.
 *
 * Introduced in notebooks/01.00-Durability.ipynb.
 */

/** Where a lagging copy stands and what the serving node has. */
export interface CatchUpFrom {
  /** The copy's log length (the first entry it lacks). */
  readonly from: number;
  /** The server's first entry still in its log (earlier ones are only in a snapshot). */
  readonly base: number;
  /** The position the server's latest snapshot covers. */
  readonly snapshotIndex: number;
  /** Rebuild from the snapshot when the copy is behind it, even if the log still has the entries. */
  readonly preferSnapshot: boolean;
  /** Entries per batch. */
  readonly batchSize: number;
  /** The end of what may be sent (the server's log length, or what it has shipped). */
  readonly end: number;
}

/** What to send a lagging copy next. */
export type CatchUpStep = { readonly kind: "snapshot" } | { readonly kind: "entries"; readonly from: number; readonly to: number };

/** The next catch-up step: a snapshot when the entries are gone (or preferred), else the next batch. Pure. */
export function planCatchUp(p: CatchUpFrom): CatchUpStep {
  if (p.from < p.base || (p.preferSnapshot && p.from < p.snapshotIndex)) return { kind: "snapshot" };
  return { kind: "entries", from: p.from, to: Math.max(p.from, Math.min(p.end, p.from + p.batchSize)) };
}
