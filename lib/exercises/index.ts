/**
 * Exercises: checks with a verdict in words and partial credit, for the notebooks' check cells.
 * Student copies of the notebooks (solutions stubbed out) are made by `npm run student`.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb (its Exercises).
 */
export { checkExercise, formatVerdict, gradeExercise } from "./check.js";
export type { CheckResult, ExerciseCheck, ExerciseVerdict } from "./check.js";
export { checksForExercise02 } from "./gettingStartedChecks.js";
export type { UncertainWrite } from "./gettingStartedChecks.js";
export { checksForExercise21, checksForExercise23 } from "./splitBrainChecks.js";
export type { FenceVerdict, StorageAccepts, VoterState, EpochVoteRequest, GrantVote } from "./splitBrainChecks.js";
export { checksForExercise51 } from "./leaderlessChecks.js";
export type { VersionCounts, VersionComparison, CompareVersions } from "./leaderlessChecks.js";
export { checksForExercise111, checksForExercise112, checksForExercise113, checksForExercise114 } from "./manyServersChecks.js";
export { checksForExercise115, checksForExercise116, checksForExercise117, checksForExercise118, exercise117Run, deliveredChanges, EXERCISE_116, EXERCISE_117 } from "./partitioningChecks.js";
export type { WeightedNode, WeightedOwner, DeliveredChange, VersionedCopy, ApplyChange } from "./partitioningChecks.js";
export { checksForExercise71, checksForExercise72, checksForExercise73, checksForExercise74 } from "./prosAndConsChecks.js";
