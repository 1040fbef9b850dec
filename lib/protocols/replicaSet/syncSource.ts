/**
 * Choosing where a secondary pulls the oplog from. MongoDB manual, "Replica Set Data
 * Synchronization" (sync source selection): with chaining allowed a secondary may sync from
 * another secondary, preferring the nearest member (by heartbeat round trip) whose oplog is
 * newer than its own; with `chainingAllowed: false` it syncs from the primary only.
 *
 * Simplification (one sync source rule): a candidate is the primary, or a secondary that is
 * strictly ahead of us and does not sync from us (so two members never pull from each
 * other); among candidates the lowest round trip wins, the primary on ties, then the lower
 * id. MongoDB also drops candidates more than maxSyncSourceLagSecs behind the primary and
 * re-evaluates while syncing; here a member chooses again only when its source is lost.
 * Introduced in notebooks/06.00-Replica-Sets.ipynb.
 */
import type { NodeId } from "../../sim/trace.js";
import { compareOpTime, type OpTime } from "./oplog.js";
import type { MemberView } from "./state.js";

/** The member to sync from, or null when none qualifies. Pure. */
export function chooseSyncSource(
  self: NodeId,
  mine: OpTime,
  view: Readonly<Record<NodeId, MemberView>>,
  dataBearing: readonly NodeId[],
  chainingAllowed: boolean,
): NodeId | null {
  let best: NodeId | null = null;
  let bestKey: [number, number, string] | null = null;
  for (const id of dataBearing) {
    if (id === self) continue;
    const v = view[id];
    if (v === undefined || !v.up) continue;
    const isPrimary = v.state === "PRIMARY";
    if (!isPrimary) {
      if (!chainingAllowed || v.state !== "SECONDARY") continue;
      if (compareOpTime(v.applied, mine) <= 0 || v.syncSource === self) continue;
    }
    const key: [number, number, string] = [v.pingMs, isPrimary ? 0 : 1, id];
    if (bestKey === null || key[0] < bestKey[0] || (key[0] === bestKey[0] && (key[1] < bestKey[1] || (key[1] === bestKey[1] && key[2] < bestKey[2])))) {
      best = id;
      bestKey = key;
    }
  }
  return best;
}
