/**
 * Multi-leader replication: the protocol, its topologies and conflict policies, and the
 * measurements notebook 04 makes of a run.
 * Introduced in notebooks/04.00-Multi-Leader-Replication.ipynb.
 */
export { multiLeader } from "./protocol.js";
export type { MultiLeaderState } from "./protocol.js";
export { MULTI_LEADER_DEFAULTS, CONFLICT_POLICIES, resolveMultiLeader, validateMultiLeader } from "./config.js";
export type { MultiLeaderConfig, MultiLeaderSettings, ConflictPolicy, MergeFunction } from "./config.js";
export { compileTopology, forwardTargets, bypassTargets, topologyDiameter, TOPOLOGY_KINDS } from "./topology.js";
export type { Topology, CompiledTopology } from "./topology.js";
export { absorb, valuesOf, readContext } from "./policies.js";
export type { Write as MultiLeaderWrite, Version as MultiLeaderVersion, KeyState as MultiLeaderKeyState } from "./policies.js";
export {
  conflictProbability, conflictProbabilityByLink, conflictFractionOverKeys, keyProbabilities,
  commitNotes, conflictsInWindow, lwwLosses, siblingsPerRead, overtakes, messagesPerWrite, certifySummary,
} from "./analysis.js";
export type { CommitNote, WindowConflicts, LwwLosses, CertifySummary } from "./analysis.js";
export { regionNetwork } from "./experiments.js";
export type { RegionNetworkOptions, RegionNetwork } from "./experiments.js";
