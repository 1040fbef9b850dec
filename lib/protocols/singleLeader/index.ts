/**
 * Single-leader replication: the protocol, its settings, and helpers to read a run of it.
 * Introduced in notebooks/03.00-Single-Leader-Replication.ipynb and notebooks/02.00-Split-Brain.ipynb.
 */
export { singleLeader, holdsLease, followerAcksNeeded, atLeastAsUpToDate } from "./protocol.js";
export { settingsOf, validateSingleLeader } from "./config.js";
export type { SingleLeaderConfig, ReplicationMode, FailoverPolicy, SingleLeaderSettings } from "./config.js";
export { singleLeaderLogLength, writeOrderOf, singleLeaderContents } from "./state.js";
export type { SingleLeaderState, SingleLeaderEntry, SingleLeaderRole } from "./state.js";
export { finalLeader, leaderEpochs, lostWritesOf, finalWriteOrder, finalReplicaStates, type LeaderTerm } from "./inspect.js";
export { admitToken, pickFailoverCandidate, mergeEntries, splitBrainMs, type Candidate, type Spell } from "./rules.js";
