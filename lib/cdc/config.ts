/**
 * The settings of a change-data-capture pipeline: a single-leader source (its own settings)
 * and one consumer node that follows the leader's log and rebuilds a copy. Validation names
 * the field and the fix.
 *
 * Introduced in notebooks/01.01-Many-Servers.ipynb.
 */
import { ConfigError, requireInteger, requireKnownKeys, requireNumber, requireOneOf, requirePlainObject } from "../errors.js";
import { requirePeriod } from "../sim/limits.js";
import type { NodeId } from "../sim/trace.js";
import type { SingleLeaderConfig } from "../protocols/singleLeader/config.js";
import { validateSingleLeader } from "../protocols/singleLeader/config.js";

/**
 * How the consumer applies a change to its copy:
 * - `overwrite`: set key := value, whatever the copy held (idempotent: applying one change
 *   twice leaves the same copy; a replayed older change overwrites a newer value until the
 *   replay reaches the newer one again).
 * - `versioned`: set key := value only if the change's log index is above the one the copy
 *   holds for the key (idempotent, and a replay never takes a key backwards).
 */
export type CdcApply = "overwrite" | "versioned";

/** The consumer's settings (every field has a default). */
export interface CdcConsumerConfig {
  /**
   * The leader's change stream is split into this many partitions by a hash of the key, as a
   * Kafka topic is (default 4). Changes of one key stay in one partition, in log order; the
   * consumer reads partitions independently, so across keys the order is not kept.
   */
  readonly partitions?: number;
  /** The consumer asks each partition for new changes every this many ms (default 20). */
  readonly pollEveryMs?: number;
  /** At most this many changes per poll reply (default 50). */
  readonly batchSize?: number;
  /**
   * The consumer commits its read positions (offsets) to its disk every this many ms
   * (default 200). After a crash it resumes from the last committed positions, so the
   * changes read since then are delivered again: at-least-once delivery.
   */
  readonly commitEveryMs?: number;
  /** How a change is applied to the copy (default `versioned`). */
  readonly apply?: CdcApply;
  /**
   * The consumer connects this many ms into the run (default 0), so the leader already holds
   * data and the initial snapshot has something to copy.
   */
  readonly startMs?: number;
}

/** A CDC pipeline: the source's single-leader settings, and the consumer's. The last node is the consumer. */
export interface CdcConfig {
  /** The source database: single-leader replication over every node but the last (default `{ mode: "async" }`). */
  readonly source?: SingleLeaderConfig;
  readonly consumer?: CdcConsumerConfig;
}

/** The consumer's settings with every default filled in. */
export type CdcConsumerSettings = Required<CdcConsumerConfig>;

/** The default of every consumer setting. */
export const CDC_CONSUMER_DEFAULTS: CdcConsumerSettings = { partitions: 4, pollEveryMs: 20, batchSize: 50, commitEveryMs: 200, apply: "versioned", startMs: 0 };

/** The default source: asynchronous single-leader replication. */
export const CDC_SOURCE_DEFAULT: SingleLeaderConfig = { mode: "async" };

/** The consumer's settings of `c`, defaults filled in. Pure. */
export function consumerSettings(c: CdcConfig): CdcConsumerSettings {
  const k = c.consumer ?? {};
  return {
    partitions: k.partitions ?? CDC_CONSUMER_DEFAULTS.partitions,
    pollEveryMs: k.pollEveryMs ?? CDC_CONSUMER_DEFAULTS.pollEveryMs,
    batchSize: k.batchSize ?? CDC_CONSUMER_DEFAULTS.batchSize,
    commitEveryMs: k.commitEveryMs ?? CDC_CONSUMER_DEFAULTS.commitEveryMs,
    apply: k.apply ?? CDC_CONSUMER_DEFAULTS.apply,
    startMs: k.startMs ?? CDC_CONSUMER_DEFAULTS.startMs,
  };
}

/** The source nodes (all but the last) and the consumer (the last). Pure. */
export function cdcRoles(nodes: readonly NodeId[]): { source: NodeId[]; consumer: NodeId } {
  return { source: nodes.slice(0, -1), consumer: nodes[nodes.length - 1] };
}

/** Checks a CDC config for a cluster of `nodes`; throws a ConfigError naming the field. Pure. */
export function validateCdc(c: CdcConfig, nodes: readonly NodeId[]): void {
  requirePlainObject("config", c, "give e.g. { consumer: { partitions: 4, commitEveryMs: 200 } }");
  requireKnownKeys("config", c, ["source", "consumer"]);
  if (nodes.length < 2) throw new ConfigError("nodes", `a CDC pipeline needs a source and a consumer, got ${nodes.length} node`, "use at least 2 nodes: the last one is the consumer");
  try {
    validateSingleLeader(c.source ?? CDC_SOURCE_DEFAULT, cdcRoles(nodes).source);
  } catch (e) {
    // The source's own validation names its fields from `config.`; here they live under `config.source.`.
    if (!(e instanceof ConfigError)) throw e;
    const field = e.field.startsWith("config.") ? `config.source.${e.field.slice("config.".length)}` : e.field === "config" ? "config.source" : e.field;
    throw new ConfigError(field, e.message.slice(e.field.length + 2).replace(/\. Fix: [\s\S]*$/, ""), e.fix);
  }
  if (c.consumer === undefined) return;
  const k = requirePlainObject("config.consumer", c.consumer, "give e.g. { partitions: 4, pollEveryMs: 20 }");
  requireKnownKeys("config.consumer", k, ["partitions", "pollEveryMs", "batchSize", "commitEveryMs", "apply", "startMs"]);
  if (k.partitions !== undefined) requireInteger("config.consumer.partitions", k.partitions, 1, 256);
  if (k.pollEveryMs !== undefined) requirePeriod("config.consumer.pollEveryMs", k.pollEveryMs as number);
  if (k.batchSize !== undefined) requireInteger("config.consumer.batchSize", k.batchSize, 1);
  if (k.commitEveryMs !== undefined) requirePeriod("config.consumer.commitEveryMs", k.commitEveryMs as number);
  if (k.startMs !== undefined) requireNumber("config.consumer.startMs", k.startMs, 0);
  if (k.apply !== undefined) requireOneOf("config.consumer.apply", k.apply, ["overwrite", "versioned"] as const);
}
