/**
 * Replication Lab: the public entry of the library. Notebooks import from here:
 *
 *     import { simulate, primaryBackup, show, lineChart } from "./lib/index.js";
 *
 * Internals live in the folders behind it: `sim/` (the deterministic simulator),
 * `workload/` (clients and keys), `protocols/` (replication protocols), `history/` and
 * `checkers/` (what clients saw, and whether it was consistent), `metrics/` (tidy rows
 * from a run), `charts/` (Vega-Lite specs and the one display helper), `datasets/`
 * (published numbers, checked on load), `exercises/` (checks with a verdict in words).
 */
export { ConfigError } from "./errors.js";
export { quantile, quantileSorted, wilsonInterval } from "./stats.js";

// The simulator.
export { simulate } from "./sim/engine.js";
export type { SimConfig } from "./sim/config.js";
export { nodeIds, clientIds, validateConfig } from "./sim/config.js";
export { SimulationRun } from "./sim/run.js";
export type { NodeSnapshot, NodeChange } from "./sim/run.js";
export type { Protocol, Effects, Message, Body, BootContext } from "./sim/protocol.js";
export type { Fault } from "./sim/faults.js";
export type { NetworkSpec, LinkSpec, LinkOverride } from "./sim/network.js";
export type { StorageSpec, FsyncPolicy } from "./sim/storage.js";
export { DEFAULT_STORAGE, DEFAULT_OS_FLUSH_MS } from "./sim/storage.js";
export type { Distribution, Sampler } from "./sim/distributions.js";
export { constant, uniform, exponentialMean, makeSampler, meanOf, validateDistribution } from "./sim/distributions.js";
export type { Rng } from "./sim/rng.js";
export { makeRng } from "./sim/rng.js";
export type { AppendLog } from "./sim/appendLog.js";
export { emptyLog, append, truncate, entryAt, lastEntry, slice, logOf } from "./sim/appendLog.js";
export { diffValues } from "./sim/diff.js";
export { traceHash } from "./sim/traceHash.js";
export type { StateChange } from "./sim/diff.js";
export type * from "./sim/trace.js";

// Workloads.
export type { WorkloadSpec, OperationMix, Target } from "./workload/workload.js";
export type { KeySpec } from "./workload/keys.js";
export { keyName, zeta, zipfianSampler } from "./workload/keys.js";

// Protocols.
export { primaryBackup, copiesNeeded, logLength } from "./protocols/primaryBackup.js";
export type { PrimaryBackupConfig, PrimaryBackupState, AckPolicy, LogEntry } from "./protocols/primaryBackup.js";

// Histories, checkers, metrics.
export type * from "./history/types.js";
export * from "./checkers/index.js";
export * from "./metrics/index.js";

// Charts, datasets, exercises.
export * from "./charts/index.js";
export * from "./datasets/index.js";
export { checkExercise, formatVerdict, gradeExercise, checksForExercise02 } from "./exercises/index.js";
export type { CheckResult, ExerciseCheck, Verdict as ExerciseVerdict } from "./exercises/index.js";
export * from "./durability/index.js";

// Course helpers (tables for the getting-started notebooks).
export * from "./course/index.js";

// Leaderless replication and PBS staleness (notebook 05).
export * from "./protocols/leaderless/index.js";
export * from "./pbs/index.js";

// Single-leader replication (notebooks 02 and 03).
export * from "./protocols/singleLeader/index.js";

// Claims: the numbers the notebooks' prose cites, tied to the cells that compute them.
export { claim } from "./claims/claim.js";

// Node capacity: service times, cores and a FIFO queue per node (notebook 04).
export type { CapacitySpec, NodeCapacity } from "./sim/capacity.js";
export { validateCapacity, capacityOf } from "./sim/capacity.js";

// CRDTs: pure state-based types with merge (notebook 04).
export * from "./crdt/index.js";

// Multi-leader replication: the protocol, topologies, conflict policies and measurements (notebook 04).
export { multiLeader, MULTI_LEADER_DEFAULTS, CONFLICT_POLICIES, validateMultiLeader, compileTopology, topologyDiameter, TOPOLOGY_KINDS, regionNetwork } from "./protocols/multiLeader/index.js";
export { conflictProbability, conflictFractionOverKeys, keyProbabilities, conflictsInWindow, siblingsPerRead, overtakes, messagesPerWrite, certifySummary } from "./protocols/multiLeader/index.js";
export type { MultiLeaderConfig, MultiLeaderState, ConflictPolicy, MergeFunction, Topology, RegionNetwork, RegionNetworkOptions, WindowConflicts, CertifySummary } from "./protocols/multiLeader/index.js";
export { commitNotes } from "./protocols/multiLeader/index.js";
export type { CommitNote } from "./protocols/multiLeader/index.js";
export { checksForExercise43 } from "./exercises/multiLeaderChecks.js";
