/**
 * Consistency checkers: pure functions from a recorded history (Jepsen style, invoke →
 * ok/fail/info) to a verdict in words. Start with `historyBuilder` to write a history by
 * hand, then ask `checkLinearizability`, `checkSessionGuarantees`, `findLostWrites`,
 * `checkConvergence` or `readStaleness` about it.
 */
export type { Validity, Verdict } from "./verdict.js";
export { combineValidity } from "./verdict.js";
export { HistoryError } from "./history-error.js";
export { validateHistory } from "./validate-history.js";
export type { Operation, Outcome } from "./operations.js";
export { pairOperations, precedes, observedValues } from "./operations.js";
export type { HistoryBuilder, BuilderOutcome } from "./history-builder.js";
export { historyBuilder } from "./history-builder.js";
export type { SingleCopyStep, SingleCopyRun } from "./single-copy-history.js";
export { singleCopyHistory } from "./single-copy-history.js";
export type { VersionOrder, VersionOrderOptions } from "./version-order.js";
export { versionOrder } from "./version-order.js";
export type { LinearizabilityOptions, LinearizabilityResult, KeyLinearizability, LinearizabilityWitness } from "./linearizability.js";
export { checkLinearizability, checkRegisterLinearizability } from "./linearizability.js";
export type { SessionGuarantee, SessionViolation, SessionGuaranteeResult, SessionGuaranteesResult, SessionOptions } from "./session-guarantees.js";
export {
  SESSION_GUARANTEES, checkSessionGuarantees, checkReadYourWrites, checkMonotonicReads,
  checkMonotonicWrites, checkWritesFollowReads, checkConsistentPrefix,
} from "./session-guarantees.js";
export type { LostWriteMode, LostWrite, LostWritesResult } from "./lost-writes.js";
export { findLostWrites } from "./lost-writes.js";
export type { ReplicaValue, Divergence, ArrayComparison, ConvergenceResult } from "./convergence.js";
export { checkConvergence } from "./convergence.js";
export type { ReadStaleness, KStalenessRow, StalenessSummary, TVisibilityRow } from "./staleness.js";
export { readStaleness, summarizeStaleness, tVisibility } from "./staleness.js";
