/**
 * Durability: how likely data is to survive, in closed form and by simulation.
 *
 * Introduced in notebooks/01.00-Durability.ipynb.
 */
export {
  failureRatePerYear, lossProbability, mttdlYears, mttdlApproxYears, simulateLoss,
  validateReplicaGroup, expm,
} from "./dataLoss.js";
// expectedLostWritesInterval stays internal (import it from ./dataLoss.js): Exercise 1.1 of the
// durability notebook asks the student to predict that very number.
export type { ReplicaGroupSpec, LossEstimate } from "./dataLoss.js";
export {
  fsyncCrashTrials, disasterTrials, backupOutageRun, rebuildTrial, rebuildTimeMs, placementLinks, fsyncLabel,
} from "./experiments.js";
export type { CrashTrialRow, DisasterTrialRow, RebuildRow, Placement } from "./experiments.js";
