/**
 * The library's internal entry: every module's exports, for tooling (scripts/), tests and
 * anyone extending the library. Notebooks import `lib/index.ts`, the curated public entry;
 * names that an exercise asks the student to write are reachable here on purpose, never there.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb (its public counterpart, lib/index.ts).
 */
export * from "./index.js";
export * from "./errors.js";
export * from "./stats.js";
export * from "./claims/claim.js";
export * from "./sim/config.js";
export * from "./sim/engine.js";
export * from "./sim/run.js";
export * from "./sim/protocol.js";
export * from "./sim/faults.js";
export * from "./sim/network.js";
export * from "./sim/storage.js";
export * from "./sim/capacity.js";
export * from "./sim/limits.js";
export * from "./sim/distributions.js";
export * from "./sim/rng.js";
export * from "./sim/appendLog.js";
export * from "./sim/lazyArray.js";
export * from "./sim/diff.js";
export * from "./sim/versionedMap.js";
export * from "./sim/traceHash.js";
export type * from "./sim/trace.js";
export * from "./workload/workload.js";
export * from "./workload/keys.js";
export type * from "./history/types.js";
export * from "./checkers/index.js";
export * from "./metrics/index.js";
export * from "./charts/index.js";
export * from "./datasets/index.js";
export * from "./durability/index.js";
export * from "./costs/index.js";
export * from "./prosCons/index.js";
export { expectedLostWritesInterval } from "./durability/dataLoss.js";
export * from "./course/index.js";
export * from "./pbs/index.js";
export * from "./crdt/index.js";
export * from "./exercises/index.js";
export * from "./protocols/shared/index.js";
export * from "./protocols/leaderless/index.js";
export * from "./protocols/singleLeader/index.js";
export * from "./protocols/multiLeader/index.js";
export * from "./protocols/replicaSet/index.js";
export * from "./balancing/index.js";
export * from "./partitioning/index.js";
export * from "./cdc/index.js";
export { primaryBackup, copiesNeeded, logLength } from "./protocols/primaryBackup.js";
export type { PrimaryBackupConfig, PrimaryBackupState, AckPolicy, LogEntry } from "./protocols/primaryBackup.js";
