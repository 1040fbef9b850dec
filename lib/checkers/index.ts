/**
 * Consistency checkers: pure functions from a recorded history (Jepsen style, invoke →
 * ok/fail/info) to a verdict in words. Start with `historyBuilder` to write a history by
 * hand, then ask `checkLinearizability`, `checkSessionGuarantees`, `findLostWrites`,
 * `checkConvergence` or `readStaleness` about it.
 *
 * Introduced in notebooks/00.01-Consistency-Checkers.ipynb.
 */
export type { Validity, Verdict } from "./verdict.js";
export { combineValidity } from "./verdict.js";
export { HistoryError } from "./historyError.js";
export { validateHistory } from "./validateHistory.js";
export type { Operation, Outcome } from "./operations.js";
export { pairOperations, precedes, observedValues } from "./operations.js";
export type { HistoryBuilder, BuilderOutcome } from "./historyBuilder.js";
export { historyBuilder } from "./historyBuilder.js";
export type { SingleCopyStep, SingleCopyRun } from "./singleCopyHistory.js";
export { singleCopyHistory } from "./singleCopyHistory.js";
export type { VersionOrder, VersionOrderOptions } from "./versionOrder.js";
export { versionOrder } from "./versionOrder.js";
export type { LinearizabilityOptions, LinearizabilityResult, KeyLinearizability, LinearizabilityWitness } from "./linearizability.js";
export { checkLinearizability, checkRegisterLinearizability } from "./linearizability.js";
export type { SessionGuarantee, SessionViolation, SessionGuaranteeResult, SessionGuaranteesResult, SessionOptions } from "./sessionGuarantees.js";
export {
  SESSION_GUARANTEES, checkSessionGuarantees, checkReadYourWrites, checkMonotonicReads,
  checkMonotonicWrites, checkWritesFollowReads, checkConsistentPrefix,
} from "./sessionGuarantees.js";
export type { LostWriteMode, LostWrite, LostWritesResult } from "./lostWrites.js";
export { findLostWrites } from "./lostWrites.js";
export type { ReplicaValue, Divergence, ArrayComparison, ConvergenceResult } from "./convergence.js";
export { checkConvergence } from "./convergence.js";
export type { ReadStaleness, KStalenessRow, StalenessSummary, TVisibilityRow } from "./staleness.js";
export { readStaleness, summarizeStaleness, tVisibility } from "./staleness.js";
