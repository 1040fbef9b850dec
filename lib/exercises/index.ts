/**
 * Exercises: checks with a verdict in words and partial credit, for the notebooks' check cells.
 * Student copies of the notebooks (solutions stubbed out) are made by `npm run student`.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb (its Exercises).
 */
export { checkExercise, formatVerdict, gradeExercise } from "./check.js";
export type { CheckResult, ExerciseCheck, Verdict } from "./check.js";
export { checksForExercise02 } from "./gettingStartedChecks.js";
export type { UncertainWrite } from "./gettingStartedChecks.js";
