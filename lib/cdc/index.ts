/**
 * Change data capture: a consumer that follows a single-leader log (snapshot, then
 * streaming; offsets committed periodically, so delivery is at-least-once), rebuilds a copy,
 * and the checker and lag readings of such a run.
 * Introduced in notebooks/01.01-Many-Servers.ipynb.
 */
export { CDC_CONSUMER_DEFAULTS, CDC_SOURCE_DEFAULT, consumerSettings, cdcRoles, validateCdc } from "./config.js";
export type { CdcApply, CdcConfig, CdcConsumerConfig, CdcConsumerSettings } from "./config.js";
export { CONSUMER_TIMERS, partitionOf, bootConsumer, consumerOnMessage, consumerOnTimer, changesFrom } from "./consumer.js";
export type { CdcChange, ConsumerRecord, ConsumerState } from "./consumer.js";
export { cdcPipeline } from "./pipeline.js";
export type { CdcNodeState, SourceState } from "./pipeline.js";
export { checkCdcCopy, cdcLag } from "./check.js";
export type { CdcCopyCheck } from "./check.js";
