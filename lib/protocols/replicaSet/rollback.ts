/**
 * Rollback: what a former primary undoes when it rejoins. MongoDB manual, "Rollbacks During
 * Replica Set Failover" (https://www.mongodb.com/docs/manual/core/replica-set-rollbacks/):
 * a member whose oplog holds writes the current sync source's oplog does not finds the
 * newest entry both oplogs share (the common point), reverts every entry after it, and
 * writes the reverted operations to rollback files for an administrator to inspect.
 * Writes acknowledged with `w: "majority"` are never rolled back.
 *
 * Entries with the same index and term are the same entry (a primary writes each index
 * once per term), so the common point is the last index at which the terms agree.
 * Introduced in notebooks/06.00-Replica-Sets.ipynb.
 */
import type { OplogEntry } from "./oplog.js";

/**
 * The index of the newest entry shared by two oplogs, given the terms of their entries
 * from index `from` on (`mine[i]`, `theirs[i]` are the terms at index `from + i`), assuming
 * they agree before `from`. Returns `from - 1` when they differ from the first one. Pure.
 */
export function findCommonPoint(from: number, mine: readonly number[], theirs: readonly number[]): number {
  let i = 0;
  while (i < mine.length && i < theirs.length && mine[i] === theirs[i]) i++;
  return from + i - 1;
}

/** What one rollback undid: the rollback data MongoDB writes to its rollback files. Plain data. */
export interface RollbackRecord {
  /** When it happened (the member's clock, ms). */
  readonly at: number;
  /** The index of the newest entry kept. */
  readonly commonPoint: number;
  /** The member it compared its oplog with. */
  readonly syncSource: string;
  /** The entries undone, oldest first. */
  readonly undone: readonly OplogEntry[];
}

/** The entries of `oplog` (oldest first, starting at index `firstIndex`) after `commonPoint`: the divergent suffix to undo. Pure. */
export function divergentSuffix(oplog: readonly OplogEntry[], firstIndex: number, commonPoint: number): OplogEntry[] {
  return oplog.slice(Math.max(0, commonPoint + 1 - firstIndex));
}
