/**
 * Partitioning: key → node placement by a ring with virtual nodes, jump consistent hash,
 * rendezvous hashing and bounded loads, and the measurements that compare them.
 * Introduced in notebooks/01.01-Many-Servers.ipynb.
 */
export { hash64, jumpConsistentHash } from "./jump.js";
export { rendezvousWeight, rendezvousRanking, rendezvousOwner } from "./rendezvous.js";
export { PLACEMENT_KINDS, DEFAULT_BOUNDED_C, makePlacement, validatePlacement, boundedCapacity } from "./placement.js";
export type { PlacementKind, PlacementSpec, KeyPlacement } from "./placement.js";
export { nodeLoads, loadImbalance, loadSpread, ringSpreadTheory, movedFraction, idealMovedFraction, replicaLoads, keyNames } from "./metrics.js";
export { partitionJoin, validateJoin, joinReading, joinAvailabilityRows } from "./joinStreaming.js";
export type { JoinConfig, JoinStrategy, JoinNodeState, JoinReading } from "./joinStreaming.js";
