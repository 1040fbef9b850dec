/**
 * Pros and cons: every strategy on one bench (same workloads and faults), and the counting
 * behind 2f + 1 and 3f + 1.
 *
 * Introduced in notebooks/07.00-Pros-and-Cons.ipynb.
 */
export { STRATEGY_NAMES, FAULT_NAMES, faultSchedule, benchPlacement, nodesOf, benchConfig, benchFinalState, benchVerdict, servingShare, nodeStatesSeen } from "./strategies.js";
export type { StrategyName, FaultName, BenchOptions, BenchVerdict } from "./strategies.js";
export { quorumSafety } from "./quorums.js";
export type { QuorumSafety } from "./quorums.js";
