/**
 * The oplog window: the capped oplog keeps its newest entries only, so a secondary that is
 * away longer than the window cannot catch up from the oplog and needs an initial sync.
 * MongoDB manual, "Replica Set Oplog" (oplog size) and "Resync a Member of a Replica Set".
 * Introduced in notebooks/06.00-Replica-Sets.ipynb.
 */

/** The oplog window in ms: how long `sizeEntries` entries last at `writesPerSec`. Pure. */
export function oplogWindowMs(sizeEntries: number, writesPerSec: number): number {
  return writesPerSec <= 0 ? Infinity : (1000 * sizeEntries) / writesPerSec;
}
