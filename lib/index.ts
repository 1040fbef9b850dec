/**
 * Replication Lab: the public entry of the library, the names the notebooks use. Notebooks
 * import from here:
 *
 *     import { simulate, primaryBackup, show, lineChart } from "./lib/index.js";
 *
 * Curated, as immer's entry is: each group below is one topic, introduced by the notebook its
 * comment names, and a name is here because a notebook needs it (`test/librarySurface.test.ts`
 * keeps it so). Everything else, the tooling and the names tests use, is reachable through
 * `lib/internal.ts`. Some names stay out on purpose: the ones an exercise asks the student to
 * write (see each exercise's `samePurpose` metadata), so the student copy does not hand over
 * the answer.
 */

/** Errors for bad input, statistics, and the claims the prose cites (notebook 00.00). */
export { ConfigError } from "./errors.js";
export { quantile } from "./stats.js";
export { claim } from "./claims/claim.js";

/** The deterministic simulator: a run is a value, the same config gives the same trace (notebook 00.00). */
export { simulate } from "./sim/engine.js";
export { SimulationRun } from "./sim/run.js";
export { makeRng } from "./sim/rng.js";
export { hash32 } from "./sim/hash.js";
export { traceHash } from "./sim/traceHash.js";
export { meanOf } from "./sim/distributions.js";
export { DEFAULT_STORAGE, DEFAULT_OS_FLUSH_MS } from "./sim/storage.js";
export type { SimConfig } from "./sim/config.js";
export type { Protocol, Effects, Message, Body, BootContext } from "./sim/protocol.js";
export type { Fault } from "./sim/faults.js";
export type { NetworkSpec, LinkSpec, LinkOverride } from "./sim/network.js";
export type { StorageSpec, FsyncPolicy } from "./sim/storage.js";
export type { CapacitySpec } from "./sim/capacity.js";
export type { Distribution } from "./sim/distributions.js";
export type { Trace } from "./sim/trace.js";
export type { WorkloadSpec, OperationMix } from "./workload/workload.js";
export type { KeySpec } from "./workload/keys.js";

/** Histories and the consistency checkers: linearizability, session guarantees, lost writes, convergence, staleness (notebook 00.01). */
export type { History, HistoryOp } from "./history/types.js";
export type { Validity } from "./checkers/verdict.js";
export { historyBuilder } from "./checkers/historyBuilder.js";
export { checkLinearizability } from "./checkers/linearizability.js";
export {
  SESSION_GUARANTEES, checkSessionGuarantees, checkReadYourWrites, checkMonotonicReads, checkMonotonicWrites,
  checkWritesFollowReads, checkConsistentPrefix,
} from "./checkers/sessionGuarantees.js";
export { findLostWrites } from "./checkers/lostWrites.js";
export { pairOperations } from "./checkers/operations.js";
export { checkConvergence } from "./checkers/convergence.js";
export { readStaleness, summarizeStaleness } from "./checkers/staleness.js";

/** Metrics: tidy rows from a run, one meaning each (DESIGN.md; notebook 00.00). */
export { availability, availabilitySummary } from "./metrics/availability.js";
export { replicationLag, propagationDelays } from "./metrics/lag.js";
export { latencies, latencyPercentiles } from "./metrics/latency.js";
export { traffic } from "./metrics/traffic.js";

/** Charts: Vega-Lite builders, the one display helper, and a progress bar for long cells (notebook 00.00). */
export { show, showTable } from "./charts/display.js";
export { lineChart } from "./charts/lineChart.js";
export { barChart } from "./charts/barChart.js";
export { compareChart } from "./charts/compareChart.js";
export { historyTimeline } from "./charts/historyTimeline.js";
export { spaceTimeDiagram } from "./charts/spaceTimeDiagram.js";
export { faultWindows } from "./charts/faultWindows.js";
export { progress } from "./charts/progress.js";

/** Course helpers: tables of trace events and state changes, a window of a history (notebook 00.00). */
export { traceRows, changeRows } from "./course/tables.js";
export { historyWindow } from "./course/historyWindow.js";

/** Published numbers, checked on load (datasets/README.md; notebooks 01.00, 04.00 and 05.00). */
export { loadDriveFailureRates, loadAzureLatencies, azureRtt, pbsProfile } from "./datasets/loaders.js";
export { findAzureRtt } from "./datasets/azureLatencies.js";

/** Durability: fsync policies, copies in separate places, replication factor against data loss (notebook 01.00). */
export { primaryBackup, logLength } from "./protocols/primaryBackup.js";
export type { PrimaryBackupConfig, PrimaryBackupState, AckPolicy } from "./protocols/primaryBackup.js";
export { failureRatePerYear, lossProbability, mttdlYears, mttdlApproxYears, simulateLoss } from "./durability/dataLoss.js";
export { fsyncCrashTrials, disasterTrials, backupOutageRun, rebuildTrial, rebuildTimeMs, fsyncLabel } from "./durability/experiments.js";
export type { Placement } from "./durability/experiments.js";

/**
 * Single-leader replication and split brain (notebooks 02.00 and 03.00). The fencing rule
 * (`admitToken`), the vote rule (`atLeastAsUpToDate`) and the follower's append rule
 * (`mergeEntries`) stay internal: Exercises 2.1, 2.3, 3.1 and 3.4 ask the student to write them.
 */
export { singleLeader } from "./protocols/singleLeader/protocol.js";
export { settingsOf } from "./protocols/singleLeader/config.js";
export type { SingleLeaderConfig } from "./protocols/singleLeader/config.js";
export { singleLeaderLogLength } from "./protocols/singleLeader/state.js";
export type { SingleLeaderState, SingleLeaderEntry } from "./protocols/singleLeader/state.js";
export { leaderEpochs, lostWritesOf, finalWriteOrder, finalReplicaStates } from "./protocols/singleLeader/inspect.js";
export { splitBrainMs } from "./protocols/singleLeader/rules.js";

/**
 * Leaderless replication: the ring, quorums, version vectors, repair (notebook 05.00).
 * `compareVv` and `dominates` stay internal: Exercise 5.1 asks the student to write them.
 */
export { makeRing, preferenceList, ownershipShares, movedKeys } from "./protocols/leaderless/ring.js";
export { leaderlessQuorum } from "./protocols/leaderless/quorum.js";
export type { QuorumConfig, QuorumState } from "./protocols/leaderless/quorum.js";
export { mergeVv, incrementVv } from "./protocols/shared/versionVector.js";
export type { VersionVector } from "./protocols/shared/versionVector.js";
export { conflictRate, lwwDroppedWrites, mergedContents, divergenceOverTime, antiEntropyTraffic } from "./protocols/leaderless/analysis.js";
export { availabilityExperiment } from "./protocols/leaderless/experiments.js";

/** Load balancers: the balancer protocol's runs, the supermarket model's closed form, queueing and tail metrics (notebook 01.01). */
export { balancedClusterConfig, runBalancedCluster, loadSweep } from "./balancing/experiments.js";
export { supermarketTimeInSystem } from "./balancing/supermarket.js";
export { failuresOverTime, clientLatencies } from "./balancing/metrics.js";
export type { BalancerConfig, BalancerPolicy, ServerView, ChooseServer, HealthCheckConfig } from "./balancing/config.js";
export type { BalancedClusterOptions, LoadSweepRow } from "./balancing/experiments.js";
export { checksForExercise111, checksForExercise112, checksForExercise113, checksForExercise114 } from "./exercises/manyServersChecks.js";

/** PBS staleness: the WARS model, its closed forms, and the same experiment in the simulator (notebook 05.00). */
export { warsMonteCarlo, warsTVisibility, waitForConsistency, warsLatencyQuantile } from "./pbs/wars.js";
export type { WarsLatencies, WarsSamples } from "./pbs/wars.js";
export { quorumAvailability, kStalenessMissProbability } from "./pbs/closedForms.js";
export { warsSimulationConfig, measuredTVisibility } from "./pbs/simulated.js";

/** Exercise checks: a verdict in words with partial credit; the references stay inside lib/exercises (every notebook's Exercises). */
export { checkExercise } from "./exercises/check.js";
export type { ExerciseCheck, ExerciseVerdict } from "./exercises/check.js";
export { checksForExercise02 } from "./exercises/gettingStartedChecks.js";
export { checksForExercise21, checksForExercise23 } from "./exercises/splitBrainChecks.js";
export { checksForExercise31, checksForExercise34 } from "./exercises/singleLeaderChecks.js";
export type { Voter, VoteRequest } from "./exercises/singleLeaderChecks.js";
export { checksForExercise51 } from "./exercises/leaderlessChecks.js";

/**
 * A MongoDB-style replica set: the protocol, its scenarios, and readings of a run (notebook 06.00).
 * The vote rule and the rollback common point are left out: Exercises 6.1 and 6.2 ask for them
 * (see lib/exercises/replicaSetChecks.ts).
 */
export { replicaSet } from "./protocols/replicaSet/protocol.js";
export { replicaSetWarnings } from "./protocols/replicaSet/config.js";
export type { ReplicaSetConfig } from "./protocols/replicaSet/config.js";
export { applyEntry, dataFrom, formatOpTime } from "./protocols/replicaSet/oplog.js";
export type { OplogEntry } from "./protocols/replicaSet/oplog.js";
export type { ReplicaSetVoterView, ReplicaSetVoteRequest } from "./protocols/replicaSet/elections.js";
export { oplogWindowMs } from "./protocols/replicaSet/oplogWindow.js";
export { oplogEntries } from "./protocols/replicaSet/state.js";
export type { ReplicaSetState } from "./protocols/replicaSet/state.js";
export { replicaSetLan, crashPrimaryScenario, isolatedPrimaryScenario } from "./protocols/replicaSet/scenarios.js";
export { primarySpells, failoverTimes, whoSeesWhom, finalPrimary, replicaSetLostWrites, rolledBackWrites, applyDelays } from "./protocols/replicaSet/inspect.js";
export { checksForExercise61, checksForExercise62 } from "./exercises/replicaSetChecks.js";
/** The distribution of a measured quantity as a CDF chart (notebook 06.00's failover times). */
export { cdfChart } from "./charts/distributionCharts.js";

/**
 * Multi-leader replication: the protocol, topologies, conflict policies and measurements
 * (notebook 04.00). `lwwLosses` and `conflictProbabilityByLink` stay internal: Exercises 4.1
 * and 4.3 ask for them.
 */
export { multiLeader, compileTopology, topologyDiameter, regionNetwork } from "./protocols/multiLeader/index.js";
export { conflictFractionOverKeys, keyProbabilities, conflictsInWindow, siblingsPerRead, overtakes, messagesPerWrite, certifySummary } from "./protocols/multiLeader/index.js";
export type { MultiLeaderConfig, MultiLeaderState, ConflictPolicy, MergeFunction, Topology, RegionNetwork, RegionNetworkOptions, WindowConflicts, CertifySummary } from "./protocols/multiLeader/index.js";
export { commitNotes } from "./protocols/multiLeader/index.js";
export type { CommitNote } from "./protocols/multiLeader/index.js";
export { checksForExercise43 } from "./exercises/multiLeaderChecks.js";

/**
 * Partitioning: key placement by a ring with virtual nodes, jump hash, rendezvous hashing and
 * bounded loads; balance and keys moved; a node join in the simulator (notebook 01.01).
 * `ringSpreadTheory` and the rendezvous scoring stay internal: Exercises 1.1.5 and 1.1.6 ask for them.
 */
export { makePlacement, boundedCapacity, nodeLoads, loadImbalance, loadSpread, movedFraction, idealMovedFraction, replicaLoads, keyNames } from "./partitioning/index.js";
export type { PlacementKind, PlacementSpec, KeyPlacement } from "./partitioning/index.js";
export { partitionJoin, joinReading, joinAvailabilityRows } from "./partitioning/index.js";
export type { JoinConfig, JoinStrategy, JoinNodeState, JoinReading } from "./partitioning/index.js";

/** Change data capture: a consumer following a single-leader log, the copy checker, its lag (notebook 01.01). */
export { cdcPipeline, checkCdcCopy, cdcLag } from "./cdc/index.js";
export type { CdcConfig, CdcConsumerConfig, CdcApply, CdcNodeState, CdcCopyCheck } from "./cdc/index.js";
export { checksForExercise115, checksForExercise116, checksForExercise117, checksForExercise118, EXERCISE_116, EXERCISE_117 } from "./exercises/partitioningChecks.js";
export type { WeightedNode, DeliveredChange, VersionedCopy } from "./exercises/partitioningChecks.js";

/**
 * Pros and cons: every strategy on one bench of workloads and faults, money from a price
 * dataset, silent corruption and checksums (notebook 07.00). `quorumSafety` stays internal:
 * Exercise 7.2 asks for the replica counts it checks.
 */
export { ycsbMix, loadCloudPrices } from "./datasets/loaders.js";
export type { CloudPrices, LinkClass } from "./datasets/cloudPrices.js";
export { STRATEGY_NAMES, FAULT_NAMES, benchConfig, benchVerdict, benchPlacement, nodesOf, nodeStatesSeen } from "./prosCons/strategies.js";
export type { StrategyName, FaultName, BenchOptions, BenchVerdict } from "./prosCons/strategies.js";
export { priceTableOf, bytesByLink, monthlyCost, totalUsd, HOURS_PER_MONTH } from "./costs/costModel.js";
export type { CostPlacement, PriceTable, CostRow, Site } from "./costs/costModel.js";
export { corruptionSummary } from "./metrics/corruption.js";
export type { CorruptionRow } from "./metrics/corruption.js";
export type { CorruptFault } from "./sim/faults.js";
export { checksForExercise71, checksForExercise72, checksForExercise73, checksForExercise74 } from "./exercises/prosAndConsChecks.js";
