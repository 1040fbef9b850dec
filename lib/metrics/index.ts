/**
 * Metrics: pure functions from a run's trace and history to tidy rows (one object per
 * point) that Vega-Lite plots directly. Each has one meaning everywhere (lib/GLOSSARY.md).
 * Row shapes are `type` aliases, not interfaces, so they pass as plain records to the chart
 * builders and `showTable` without copying.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
export { availability, availabilitySummary, completions } from "./availability.js";
export type { AvailabilityRow, AvailabilitySummary } from "./availability.js";
export { replicationLag, propagationDelays, replicasOf } from "./lag.js";
export type { LagRow, PropagationRow } from "./lag.js";
export { latencies, latencyPercentiles } from "./latency.js";
export type { LatencyRow, PercentileRow } from "./latency.js";
export { traffic } from "./traffic.js";
export type { TrafficSummary } from "./traffic.js";
export { applyQueueingStats, queueingStats, queueingDelayPercentiles, queueLengthOverTime } from "./queueing.js";
export type { QueueingStatsRow, QueueingDelayRow, QueueLengthRow, QueueingRun, QueueingWindow } from "./queueing.js";
export { corruptionSummary, writtenValues } from "./corruption.js";
export type { CorruptionRow } from "./corruption.js";
