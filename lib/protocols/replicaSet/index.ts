/**
 * A MongoDB-style replica set: the protocol, its settings, its rules as pure functions, and
 * helpers to read a run of it.
 * Introduced in notebooks/06.00-Replica-Sets.ipynb.
 */
export { replicaSet } from "./protocol.js";
export { settingsOf as replicaSetSettings, validateReplicaSet, replicaSetWarnings, implicitDefaultW, MAX_VOTERS } from "./config.js";
export type {
  ReplicaSetConfig, ReplicaSetSettings, MemberSpec, WriteConcern, ReadConcernLevel, ReadPreference,
  Settings as ResolvedReplicaSetSettings, Member as ReplicaSetMember,
} from "./config.js";
export { compareOpTime, opTimeOf, applyEntry, applyEntries, dataFrom, formatOpTime, NO_OPTIME } from "./oplog.js";
export type { OpTime, OplogEntry } from "./oplog.js";
export { electionTimeoutWithOffset, isMajority, electable, priorityTakeoverDelay } from "./elections.js";
export type { ReplicaSetVoterView, ReplicaSetVoteRequest, ReplicaSetVoteDecision } from "./elections.js";
export { satisfiedIndex } from "./writeConcern.js";
export type { MemberProgress } from "./writeConcern.js";
export { divergentSuffix } from "./rollback.js";
export type { RollbackRecord } from "./rollback.js";
export { chooseSyncSource } from "./syncSource.js";
export { oplogWindowMs } from "./oplogWindow.js";
export { lastIndex as replicaSetLastIndex, lastOpTime as replicaSetLastOpTime, contentsOf as replicaSetContents, oplogEntries } from "./state.js";
export type { ReplicaSetState, MemberState, MemberView } from "./state.js";
export {
  primarySpells, termsWithTwoPrimaries, applyDelays, failoverTimes, whoSeesWhom, finalPrimary, replicaSetLostWrites, rolledBackWrites,
} from "./inspect.js";
export type { PrimarySpell, SeesRow, RolledBackWrite } from "./inspect.js";
export { replicaSetLan, crashPrimaryScenario, isolatedPrimaryScenario } from "./scenarios.js";
export type { ScenarioOptions as ReplicaSetScenarioOptions } from "./scenarios.js";
