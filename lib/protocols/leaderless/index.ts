/**
 * Leaderless (Dynamo-style) replication: the consistent-hashing ring, version vectors,
 * Merkle trees, the quorum protocol, and the measurements notebook 05 makes of it.
 * Introduced in notebooks/05.00-Leaderless-Replication.ipynb.
 */
export { hash32, makeRing, preferenceList, ownerOf, ownershipShares, movedKeys, firstTokenAt, firstAccepted } from "./ring.js";
export type { HashRing } from "./ring.js";
export { compareVv, dominates, mergeVv, incrementVv, reconcile, EMPTY_VV } from "../shared/versionVector.js";
export type { VersionVector, VvOrder } from "../shared/versionVector.js";
export { buildMerkle, diffMerkle, leafOf } from "./merkle.js";
export type { MerkleTree, MerkleDiff } from "./merkle.js";
export { leaderlessQuorum, validateQuorumConfig, mergeVersions, lwwNewer } from "./quorum.js";
export type { QuorumConfig, QuorumState, QuorumVersion, QuorumHint, Versioning } from "./quorum.js";
export { conflictRate, lwwDroppedWrites, mergedContents, divergenceOverTime, antiEntropyTraffic } from "./analysis.js";
export type { ConflictSummary, LwwDropSummary, DivergenceRow, AntiEntropyTraffic } from "./analysis.js";
export { availabilityExperiment } from "./experiments.js";
export type { AvailabilityOptions, QuorumAvailabilityRow } from "./experiments.js";
