/**
 * Node capacity, as data: how long a node takes to handle each kind of message, how many
 * it handles at once (`cores`), and the FIFO queue where the rest wait. Without it (the
 * default) every node is free: a message's handler runs the instant it arrives, as before.
 *
 * What is queued, precisely:
 * - Every message delivered to a node that has a capacity (client requests such as `read`,
 *   `write`, `cas`, and messages from other nodes, replies included) joins that node's one
 *   FIFO queue on arrival.
 * - A message starts service when it reaches the head of the queue and a core is free. Its
 *   service time is drawn then, from `serviceMs[body.type]`, else `serviceMs["*"]`, else 0:
 *   a kind with no service time costs nothing but still waits its turn, as it would behind
 *   a single event loop (this also keeps FIFO links in order on a one-core node).
 * - The message's handler runs when its service completes (arrival + queueing + service);
 *   the trace's `deliver` event is written then, carrying `queuedMs` and `serviceMs`.
 * - Timers, disk completions and boot are free: they run at once, never queue, and take no
 *   core. Replies reaching a client are free (clients are not nodes).
 * - The queue and the messages in service are volatile: a crash drops them (traced as drops
 *   with reason `crashed`). A paused node starts no new service; arrivals keep queueing, and
 *   a service that ends during the pause has its handler run on resume.
 *
 * Service-time draws come from each node's own stream (`service:<node>`), so turning
 * capacity on changes no other random draw of the run.
 *
 * Introduced in notebooks/04.00-Multi-Leader-Replication.ipynb. The idea
 * first appears in notebooks/03.00-Single-Leader-Replication.ipynb, whose read scaling the
 * single-leader protocol still models privately.
 */
import { ConfigError, describe, requireInteger } from "../errors.js";
import { type Distribution, makeSampler, type Sampler, validateDistribution } from "./distributions.js";
import type { Rng } from "./rng.js";
import type { NodeId } from "./trace.js";

/** One node's capacity: service time per message kind, cores, and (implicitly) a FIFO queue. */
export interface NodeCapacity {
  /** How many messages the node serves at once (default 1). A positive integer. */
  readonly cores?: number;
  /**
   * Service time in ms per message kind (`body.type`: `read`, `write`, `replicate`, ...);
   * `"*"` for every kind not listed. Unlisted kinds, without `"*"`, take 0 ms.
   */
  readonly serviceMs: Readonly<Record<string, Distribution>>;
}

/**
 * `SimConfig.capacity`: the capacity of every node (`cores`, `serviceMs`), and per-node
 * overrides in `byNode` (an override replaces the whole spec for that node). A node with
 * neither is free. Omitted altogether: every node is free and runs are unchanged.
 */
export interface CapacitySpec {
  readonly cores?: number;
  readonly serviceMs?: Readonly<Record<string, Distribution>>;
  readonly byNode?: Readonly<Record<NodeId, NodeCapacity>>;
}

/** The message kinds clients send; always valid keys of `serviceMs`. */
export const CLIENT_REQUEST_KINDS: readonly string[] = ["read", "write", "cas"];

/**
 * Checks `SimConfig.capacity`; throws a ConfigError naming the field and the fix. `kinds`
 * are the message types the protocol declares (`Protocol.messageTypes`), if it does: then
 * a `serviceMs` key that is neither one of them, a client request kind, nor `"*"` is
 * rejected. Pure.
 */
export function validateCapacity(spec: unknown, nodes: readonly NodeId[], kinds?: readonly string[]): void {
  if (spec === undefined) return;
  if (spec === null || typeof spec !== "object" || Array.isArray(spec)) {
    throw new ConfigError("capacity", `must be an object, got ${describe(spec)}`, 'write e.g. capacity: { cores: 1, serviceMs: { write: { kind: "constant", value: 1 } } }');
  }
  const s = spec as CapacitySpec;
  for (const key of Object.keys(s)) {
    if (!["cores", "serviceMs", "byNode"].includes(key)) {
      throw new ConfigError(`capacity.${key}`, "unknown field", "use cores, serviceMs and byNode");
    }
  }
  if (s.cores !== undefined && s.serviceMs === undefined) {
    throw new ConfigError("capacity.cores", "is set but capacity.serviceMs is not, so no node has a capacity", "add serviceMs (e.g. { \"*\": { kind: \"constant\", value: 1 } }) or set cores inside byNode");
  }
  if (s.serviceMs !== undefined) validateNodeCapacity("capacity", s, kinds);
  if (s.byNode !== undefined) {
    if (s.byNode === null || typeof s.byNode !== "object" || Array.isArray(s.byNode)) {
      throw new ConfigError("capacity.byNode", `must be an object from node id to capacity, got ${describe(s.byNode)}`, 'write byNode: { n1: { cores: 2, serviceMs: { "*": ... } } }');
    }
    for (const [node, c] of Object.entries(s.byNode)) {
      if (!nodes.includes(node)) throw new ConfigError(`capacity.byNode.${node}`, "unknown node", `use one of ${nodes.join(", ")}`);
      if (c === null || typeof c !== "object") throw new ConfigError(`capacity.byNode.${node}`, `must be { cores, serviceMs }, got ${describe(c)}`, 'write { cores: 1, serviceMs: { "*": { kind: "constant", value: 1 } } }');
      validateNodeCapacity(`capacity.byNode.${node}`, c, kinds);
    }
  }
}

function validateNodeCapacity(field: string, c: { cores?: unknown; serviceMs?: unknown }, kinds?: readonly string[]): void {
  if (c.cores !== undefined) requireInteger(`${field}.cores`, c.cores, 1, 1_000_000);
  const svc = c.serviceMs;
  if (svc === null || typeof svc !== "object" || Array.isArray(svc)) {
    throw new ConfigError(`${field}.serviceMs`, `must be an object from message kind to distribution, got ${describe(svc)}`, 'write serviceMs: { write: { kind: "exponential", rate: 1 } }');
  }
  const known = kinds === undefined ? undefined : new Set([...CLIENT_REQUEST_KINDS, ...kinds, "*"]);
  for (const [kind, d] of Object.entries(svc as Record<string, unknown>)) {
    if (known !== undefined && !known.has(kind)) {
      throw new ConfigError(`${field}.serviceMs.${kind}`, `unknown message kind ${describe(kind)}`, `use one of ${[...known].join(", ")}`);
    }
    // Non-negative: a service cannot take negative time (normal draws are truncated at 0).
    validateDistribution(`${field}.serviceMs.${kind}`, d, true);
  }
}

/** The capacity `spec` gives `node` (its `byNode` entry, else the shared one), or null when free. Pure. */
export function capacityOf(spec: CapacitySpec | undefined, node: NodeId): NodeCapacity | null {
  const c = spec?.byNode && Object.prototype.hasOwnProperty.call(spec.byNode, node) ? spec.byNode[node] : spec;
  return c?.serviceMs === undefined ? null : { cores: c.cores ?? 1, serviceMs: c.serviceMs };
}

/** One node's capacity at run time. Internal to the engine. */
export interface CapacityRuntime {
  readonly cores: number;
  /** Service-time sampler per kind, bound to the node's `service:<node>` stream. */
  readonly samplers: ReadonlyMap<string, Sampler>;
  /** For unlisted kinds: the `"*"` sampler, or null for 0 ms. */
  readonly fallback: Sampler | null;
}

/**
 * The capacity of each node (null: free), in node order, with samplers bound to streams
 * forked from `root` as `service:<node>`. Deterministic. Expects a validated spec.
 */
export function compileCapacity(spec: CapacitySpec | undefined, nodes: readonly NodeId[], root: Rng): (CapacityRuntime | null)[] {
  return nodes.map((id) => {
    const c = capacityOf(spec, id);
    if (c === null) return null;
    const rng = root.fork(`service:${id}`);
    const samplers = new Map<string, Sampler>();
    let fallback: Sampler | null = null;
    // Sorted keys: the samplers share one stream, and no draw depends on key order anyway,
    // but a stable order keeps construction independent of how the object was written.
    for (const kind of Object.keys(c.serviceMs).sort()) {
      const sampler = makeSampler(c.serviceMs[kind], rng, true);
      if (kind === "*") fallback = sampler;
      else samplers.set(kind, sampler);
    }
    return { cores: c.cores ?? 1, samplers, fallback };
  });
}
