/**
 * Write concern and the majority commit point, as pure functions.
 *
 * MongoDB manual, "Write Concern" (https://www.mongodb.com/docs/manual/reference/write-concern/):
 * `w: 1` is acknowledged once the primary applied the write; `w: N` once N data-bearing
 * members did; `w: "majority"` once a majority of the voting members hold it, counting
 * only data-bearing voting members (an arbiter holds no data), and, with
 * writeConcernMajorityJournalDefault (true by default), once it is in their journals;
 * `j: true` waits for the journal (our disk's fsync); `wtimeout` gives up with an error
 * but does not undo the write. The majority commit point (MongoDB's lastCommittedOpTime) is
 * the newest optime a majority holds; as in Raft (§5.4.2), a primary counts only entries of
 * its own term, so it writes a no-op when it is elected.
 * Introduced in notebooks/06.00-Replica-Sets.ipynb.
 */
import type { NodeId } from "../../sim/trace.js";
import { prefixHeldBy } from "../shared/ackedPrefix.js";
import { majorityOf } from "./elections.js";

/** What the primary knows of one member's oplog: the newest index it applied and the newest on its disk. */
export interface MemberProgress {
  readonly applied: number;
  readonly durable: number;
}

/**
 * The newest index that enough members hold for a write concern `w` with journaling `j`:
 * `w` a count of data-bearing members, or "majority" of `voters` (counting data-bearing
 * voters only). `progress` maps every data-bearing member, the primary included. Pure.
 */
export function satisfiedIndex(
  w: number | "majority",
  j: boolean,
  progress: ReadonlyMap<NodeId, MemberProgress>,
  voters: readonly NodeId[],
): number {
  // w: 0 asks for no acknowledgement at all: every write is "held" at once.
  if (w === 0) return Infinity;
  if (w === "majority") {
    const positions = voters.filter((v) => progress.has(v)).map((v) => progress.get(v)!.durable);
    return prefixHeldBy(positions, majorityOf(voters.length));
  }
  const positions = [...progress.values()].map((p) => (j ? p.durable : p.applied));
  return prefixHeldBy(positions, w);
}
