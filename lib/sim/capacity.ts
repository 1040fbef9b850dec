/**
 * Node capacity, as data: how long a node takes to handle each message (a cost per message
 * kind, plus a cost per unit of work the message carries), how many it handles at once
 * (`cores`), the FIFO queue where the rest wait, and an apply stage that works through what
 * the node's disk has written. Without it (the default) every node is free: a message's
 * handler runs the instant it arrives, and what is written counts as applied at once.
 *
 * The message queue (a node has one when `serviceMs` or `perUnitMs` is given):
 * - Every message delivered to the node (client requests such as `read`, `write`, `cas`,
 *   and messages from other nodes, replies included) joins its one FIFO queue on arrival.
 * - A message starts service when it reaches the head of the queue and a core is free. Its
 *   service time is drawn then: one draw from `serviceMs[body.type]`, else `serviceMs["*"]`,
 *   else 0; plus, when `perUnitMs` has the kind (or `"*"`), one draw from it per unit of work
 *   the message carries, as the protocol counts them (`Protocol.workOf`: for single-leader
 *   replication, the entries of an append). A kind with no service time costs nothing but
 *   still waits its turn, as behind a single event loop (this also keeps FIFO links in order
 *   on a one-core node).
 * - The message's handler runs when its service completes (arrival + queueing + service);
 *   the trace's `deliver` event is written then, carrying `queuedMs` and `serviceMs`.
 * - The cost is fixed on arrival by the message's kind: a node that passes a request on
 *   (a follower forwarding a read to its leader) pays that request's service time, and the
 *   copy it sends is charged at the receiver by its own kind (`forward`).
 *
 * The apply stage (a node has one when `applyMs` is given): one thread, besides the cores,
 * that applies what the disk has written, as a database replica replays its log.
 * - When a disk write completes, the protocol's `onPersisted` runs at once (durability is
 *   not delayed) and the WAL records it covers join the apply stage's FIFO queue.
 * - The stage applies one record at a time; a record takes one draw from `applyMs` per unit
 *   of apply work it carries (`Protocol.recordWorkOf`, default 1: for single-leader
 *   replication, 1 per log entry and 0 for bookkeeping records). Records of no work pass at
 *   once, in order.
 * - As records are applied the engine calls the protocol's `onApplied` with how many WAL
 *   records are applied so far, and the trace gets an `apply` event per record of work,
 *   carrying `queuedMs` and `serviceMs` (as a `deliver` does). Without an apply stage the
 *   engine calls `onApplied` right after `onPersisted`, in the same step: nothing waits.
 *
 * Free, always: timers, disk completions and boot run at once, never queue, and take no
 * core. Replies reaching a client are free (clients are not nodes).
 *
 * Both queues and the work in service are volatile: a crash drops them (queued messages are
 * traced as drops with reason `crashed`; what the stage had not applied is replayed by the
 * protocol's recovery). A paused node starts no new service; arrivals keep queueing, and a
 * service that ends during the pause has its handler run on resume.
 *
 * Service-time draws come from each node's own stream (`service:<node>`; the apply stage
 * from `apply:<node>`), so turning capacity on changes no other random draw of the run.
 *
 * Introduced in notebooks/03.00-Single-Leader-Replication.ipynb (read capacity and a slow
 * follower's apply stage); queueing measured in notebooks/04.00-Multi-Leader-Replication.ipynb.
 */
import { ConfigError, describe, requireInteger } from "../errors.js";
import { type Distribution, makeSampler, type Sampler, validateDistribution } from "./distributions.js";
import type { Rng } from "./rng.js";
import type { NodeId } from "./trace.js";

/** One node's capacity: service times, cores, (implicitly) a FIFO queue, and an apply stage. */
export interface NodeCapacity {
  /** How many messages the node serves at once (default 1). A positive integer. */
  readonly cores?: number;
  /**
   * Service time in ms per message kind (`body.type`: `read`, `write`, `replicate`, ...);
   * `"*"` for every kind not listed. Unlisted kinds, without `"*"`, take 0 ms.
   */
  readonly serviceMs?: Readonly<Record<string, Distribution>>;
  /**
   * Extra service time in ms per unit of work a message carries (`Protocol.workOf`), by
   * message kind, `"*"` for every kind not listed; one draw per unit. Unlisted kinds, without
   * `"*"`, add nothing.
   */
  readonly perUnitMs?: Readonly<Record<string, Distribution>>;
  /** Apply stage: time in ms per unit of apply work of each written WAL record (`Protocol.recordWorkOf`). */
  readonly applyMs?: Distribution;
}

/**
 * `SimConfig.capacity`: the capacity of every node (`cores`, `serviceMs`, `perUnitMs`,
 * `applyMs`), and per-node overrides in `byNode` (an override replaces the whole spec for
 * that node). A node with neither is free. Omitted altogether: every node is free and runs
 * are unchanged.
 */
export interface CapacitySpec extends NodeCapacity {
  readonly byNode?: Readonly<Record<NodeId, NodeCapacity>>;
}

/** The message kinds clients send; always valid keys of `serviceMs` and `perUnitMs`. */
export const CLIENT_REQUEST_KINDS: readonly string[] = ["read", "write", "cas"];

/** What validation needs to know of the protocol: its name, message kinds, and which capacity hooks it has. */
export interface CapacityProtocolInfo {
  readonly name: string;
  readonly messageTypes?: readonly string[];
  readonly workOf?: unknown;
  readonly onApplied?: unknown;
}

const NODE_FIELDS = ["cores", "serviceMs", "perUnitMs", "applyMs"];

/**
 * Checks `SimConfig.capacity`; throws a ConfigError naming the field and the fix. When the
 * protocol declares its message types (`Protocol.messageTypes`), a `serviceMs` or
 * `perUnitMs` key that is neither one of them, a client request kind, nor `"*"` is
 * rejected. `perUnitMs` needs a protocol that counts work (`workOf`), `applyMs` one that
 * has an apply stage (`onApplied`). Pure.
 */
export function validateCapacity(spec: unknown, nodes: readonly NodeId[], protocol?: CapacityProtocolInfo): void {
  if (spec === undefined) return;
  if (spec === null || typeof spec !== "object" || Array.isArray(spec)) {
    throw new ConfigError("capacity", `must be an object, got ${describe(spec)}`, 'write e.g. capacity: { cores: 1, serviceMs: { write: { kind: "constant", value: 1 } } }');
  }
  const s = spec as CapacitySpec;
  for (const key of Object.keys(s)) {
    if (![...NODE_FIELDS, "byNode"].includes(key)) {
      throw new ConfigError(`capacity.${key}`, "unknown field", `use ${NODE_FIELDS.join(", ")} and byNode`);
    }
  }
  if (s.cores !== undefined && s.serviceMs === undefined && s.perUnitMs === undefined) {
    throw new ConfigError("capacity.cores", "is set but capacity.serviceMs is not, so no node has a message queue", "add serviceMs (e.g. { \"*\": { kind: \"constant\", value: 1 } }) or set cores inside byNode");
  }
  validateNodeCapacity("capacity", s, protocol);
  if (s.byNode !== undefined) {
    if (s.byNode === null || typeof s.byNode !== "object" || Array.isArray(s.byNode)) {
      throw new ConfigError("capacity.byNode", `must be an object from node id to capacity, got ${describe(s.byNode)}`, 'write byNode: { n1: { cores: 2, serviceMs: { "*": ... } } }');
    }
    for (const [node, c] of Object.entries(s.byNode)) {
      if (!nodes.includes(node)) throw new ConfigError(`capacity.byNode.${node}`, "unknown node", `use one of ${nodes.join(", ")}`);
      if (c === null || typeof c !== "object" || Array.isArray(c)) throw new ConfigError(`capacity.byNode.${node}`, `must be { cores, serviceMs, perUnitMs, applyMs }, got ${describe(c)}`, 'write { cores: 1, serviceMs: { "*": { kind: "constant", value: 1 } } }');
      for (const key of Object.keys(c)) {
        if (!NODE_FIELDS.includes(key)) throw new ConfigError(`capacity.byNode.${node}.${key}`, "unknown field", `use ${NODE_FIELDS.join(", ")}`);
      }
      if (c.serviceMs === undefined && c.perUnitMs === undefined && c.applyMs === undefined) {
        throw new ConfigError(`capacity.byNode.${node}`, "gives the node no capacity (no serviceMs, perUnitMs or applyMs)", 'add serviceMs: { "*": { kind: "constant", value: 0 } } for a queue at no cost, or remove the entry');
      }
      if (c.cores !== undefined && c.serviceMs === undefined && c.perUnitMs === undefined) {
        throw new ConfigError(`capacity.byNode.${node}.cores`, "is set but the node has no message queue (no serviceMs or perUnitMs)", "add serviceMs, or drop cores (the apply stage is one thread)");
      }
      validateNodeCapacity(`capacity.byNode.${node}`, c, protocol);
    }
  }
}

function validateNodeCapacity(field: string, c: NodeCapacity, protocol?: CapacityProtocolInfo): void {
  if (c.cores !== undefined) requireInteger(`${field}.cores`, c.cores, 1, 1_000_000);
  const kinds = protocol?.messageTypes;
  const known = kinds === undefined ? undefined : new Set([...CLIENT_REQUEST_KINDS, ...kinds, "*"]);
  const byKind = (name: "serviceMs" | "perUnitMs", example: string): void => {
    const table: unknown = c[name];
    if (table === undefined) return;
    if (table === null || typeof table !== "object" || Array.isArray(table)) {
      throw new ConfigError(`${field}.${name}`, `must be an object from message kind to distribution, got ${describe(table)}`, `write ${name}: ${example}`);
    }
    for (const [kind, d] of Object.entries(table as Record<string, unknown>)) {
      if (known !== undefined && !known.has(kind)) {
        throw new ConfigError(`${field}.${name}.${kind}`, `unknown message kind ${describe(kind)}`, `use one of ${[...known].join(", ")}`);
      }
      // Non-negative: a service cannot take negative time (normal draws are truncated at 0).
      validateDistribution(`${field}.${name}.${kind}`, d, true);
    }
  };
  byKind("serviceMs", '{ write: { kind: "exponential", rate: 1 } }');
  byKind("perUnitMs", '{ append: { kind: "constant", value: 0.1 } }');
  if (c.perUnitMs !== undefined && protocol !== undefined && typeof protocol.workOf !== "function") {
    throw new ConfigError(`${field}.perUnitMs`, `${protocol.name} does not count the work its messages carry (it has no workOf)`, "use serviceMs, a cost per message");
  }
  if (c.applyMs !== undefined) {
    if (protocol !== undefined && typeof protocol.onApplied !== "function") {
      throw new ConfigError(`${field}.applyMs`, `${protocol.name} has no apply stage (no onApplied handler)`, "drop applyMs, or use serviceMs to slow the messages that carry writes");
    }
    validateDistribution(`${field}.applyMs`, c.applyMs, true);
  }
}

/** The capacity `spec` gives `node` (its `byNode` entry, else the shared one), or null when free. Pure. */
export function capacityOf(spec: CapacitySpec | undefined, node: NodeId): NodeCapacity | null {
  const c: NodeCapacity | undefined = spec?.byNode && Object.prototype.hasOwnProperty.call(spec.byNode, node) ? spec.byNode[node] : spec;
  if (c === undefined || (c.serviceMs === undefined && c.perUnitMs === undefined && c.applyMs === undefined)) return null;
  return { cores: c.cores ?? 1, serviceMs: c.serviceMs, perUnitMs: c.perUnitMs, applyMs: c.applyMs };
}

/** Whether a node's capacity includes a message queue (`serviceMs` or `perUnitMs`). Pure. */
export function hasMessageQueue(c: NodeCapacity | null): boolean {
  return c !== null && (c.serviceMs !== undefined || c.perUnitMs !== undefined);
}

/** Samplers per message kind, with the `"*"` one apart (null: none). */
export interface KindSamplers {
  readonly byKind: ReadonlyMap<string, Sampler>;
  readonly fallback: Sampler | null;
}

/** One node's message queue at run time. Internal to the engine. */
export interface CapacityRuntime {
  readonly cores: number;
  /** Per-message service time, bound to the node's `service:<node>` stream (unlisted, no `"*"`: 0 ms). */
  readonly service: KindSamplers;
  /** Per-unit service time, on the same stream; null when `perUnitMs` is not given. */
  readonly perUnit: KindSamplers | null;
}

function kindSamplers(table: Readonly<Record<string, Distribution>>, rng: Rng): KindSamplers {
  const byKind = new Map<string, Sampler>();
  let fallback: Sampler | null = null;
  // Sorted keys: the samplers share one stream, and no draw depends on key order anyway,
  // but a stable order keeps construction independent of how the object was written.
  for (const kind of Object.keys(table).sort()) {
    const sampler = makeSampler(table[kind], rng, true);
    if (kind === "*") fallback = sampler;
    else byKind.set(kind, sampler);
  }
  return { byKind, fallback };
}

/** The sampler for `kind` in `k` (its own, else `"*"`), or null. */
export function samplerFor(k: KindSamplers, kind: string): Sampler | null {
  return k.byKind.get(kind) ?? k.fallback;
}

/**
 * The message queue of each node (null: none), in node order, with samplers bound to
 * streams forked from `root` as `service:<node>`. Deterministic. Expects a validated spec.
 */
export function compileCapacity(spec: CapacitySpec | undefined, nodes: readonly NodeId[], root: Rng): (CapacityRuntime | null)[] {
  return nodes.map((id) => {
    const c = capacityOf(spec, id);
    if (c === null || !hasMessageQueue(c)) return null;
    const rng = root.fork(`service:${id}`);
    const service = kindSamplers(c.serviceMs ?? {}, rng);
    const perUnit = c.perUnitMs === undefined ? null : kindSamplers(c.perUnitMs, rng);
    return { cores: c.cores ?? 1, service, perUnit };
  });
}

/**
 * The apply-stage sampler of each node (null: no apply stage), in node order, bound to
 * streams forked from `root` as `apply:<node>`. Deterministic. Expects a validated spec.
 */
export function compileApplyStages(spec: CapacitySpec | undefined, nodes: readonly NodeId[], root: Rng): (Sampler | null)[] {
  return nodes.map((id) => {
    const c = capacityOf(spec, id);
    return c?.applyMs === undefined ? null : makeSampler(c.applyMs, root.fork(`apply:${id}`), true);
  });
}
