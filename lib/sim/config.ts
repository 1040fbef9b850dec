/**
 * The configuration of one simulation run, and its validation. A run is fully described
 * by this value: the same config (including `seed`) always gives the same trace.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import { ConfigError, describe, requireBoolean, requireInteger, requireKnownKeys, requireNumber, requirePlainObject, requireProbability } from "../errors.js";
import { validateWorkload, type WorkloadSpec } from "../workload/workload.js";
import { type CapacitySpec, validateCapacity } from "./capacity.js";
import type { Fault } from "./faults.js";
import { type NetworkSpec, validateNetwork } from "./network.js";
import type { Protocol } from "./protocol.js";
import { MAX_ENDPOINTS } from "./limits.js";
import { DEFAULT_STORAGE, type StorageSpec, validateStorage } from "./storage.js";
import type { NodeId } from "./trace.js";

/** Everything that defines a run. */
export interface SimConfig<S, C> {
  /** Seed of every random draw in the run. */
  readonly seed: number;
  /** The cluster: a node count (`n1`…`nN`) or explicit ids. */
  readonly nodes: number | readonly NodeId[];
  readonly protocol: Protocol<S, C>;
  /** The protocol's own settings. */
  readonly config: C;
  readonly network: NetworkSpec;
  /** Every node's disk (default: fsync always, 1 ms). */
  readonly storage?: StorageSpec;
  /** Per-node disks overriding `storage`. */
  readonly storageByNode?: Readonly<Record<NodeId, StorageSpec>>;
  /** Node capacity: service times (per message and per unit of work), cores, a FIFO queue, and an apply stage (lib/sim/capacity.ts). Default: free. */
  readonly capacity?: CapacitySpec;
  /** The fault schedule. */
  readonly faults?: readonly Fault[];
  /** The clients (default: none). */
  readonly workload?: WorkloadSpec;
  /** Virtual time at which the run stops, in ms. */
  readonly durationMs: number;
  /**
   * A safety stop for runaway protocols (default 20 million events, a few seconds of
   * running). A run also stops when 65,536 events in a row move virtual time by less
   * than 1 ms: a period or latency near 0 has stalled time.
   */
  readonly maxEvents?: number;
  /**
   * Keep every node state for time travel (`stateAt`, `diff`) by lookup. Default false:
   * a moment is then rebuilt by deterministic replay from the start. Recording costs one
   * small record per state change, never a copy of the state.
   */
  readonly recordStates?: boolean;
}

/** The options a SimConfig may hold; any other key is a typo and an error. */
export const SIM_CONFIG_KEYS = [
  "seed", "nodes", "protocol", "config", "network", "storage", "storageByNode", "faults", "workload", "durationMs", "maxEvents", "recordStates", "capacity",
] as const;

/**
 * The storage of node `id`: its `storageByNode` entry when it has one of its own, else the
 * run's `storage`, else the default. Own keys only, so ids like "constructor" are safe. Pure.
 */
export function storageOf(cfg: Pick<SimConfig<unknown, unknown>, "storage" | "storageByNode">, id: NodeId): StorageSpec {
  const byNode = cfg.storageByNode;
  if (byNode != null && Object.hasOwn(byNode, id)) return byNode[id];
  return cfg.storage ?? DEFAULT_STORAGE;
}

/** Node ids of a config. Pure. */
export function nodeIds(nodes: number | readonly NodeId[]): NodeId[] {
  if (typeof nodes === "number") {
    requireInteger("nodes", nodes, 1, MAX_ENDPOINTS);
    return Array.from({ length: nodes }, (_, i) => `n${i + 1}`);
  }
  if (!Array.isArray(nodes) || nodes.length === 0) {
    throw new ConfigError("nodes", `must be a node count or a non-empty list of ids, got ${describe(nodes)}`, 'write nodes: 3 or nodes: ["n1", "n2", "n3"]');
  }
  if (nodes.length > MAX_ENDPOINTS) {
    throw new ConfigError("nodes", `lists ${nodes.length} nodes, more than the ${MAX_ENDPOINTS} a run can hold`, `use at most ${MAX_ENDPOINTS} nodes`);
  }
  const seen = new Set<string>();
  nodes.forEach((n, i) => {
    if (typeof n !== "string" || n.length === 0) throw new ConfigError(`nodes[${i}]`, `must be a non-empty string, got ${describe(n)}`, 'use ids like "n1"');
    if (seen.has(n)) throw new ConfigError(`nodes[${i}]`, `duplicate id ${describe(n)}`, "give every node its own id");
    if (/^c\d/.test(n)) throw new ConfigError(`nodes[${i}]`, `${describe(n)} looks like a client id`, 'node ids start with "n"; "c1", "c2"... are clients');
    seen.add(n);
  });
  return nodes.slice();
}

/** Client ids for a workload of `count` clients. Pure. */
export function clientIds(count: number): NodeId[] {
  return Array.from({ length: count }, (_, i) => `c${i + 1}`);
}

/**
 * Checks a whole config; throws a ConfigError naming the first bad field and the fix.
 * Unknown options are errors with a did-you-mean, at every level. Pure.
 */
export function validateConfig<S, C>(cfg: SimConfig<S, C>): { nodes: NodeId[]; clients: NodeId[] } {
  if (cfg == null || typeof cfg !== "object") throw new ConfigError("config", "is missing", "pass a SimConfig object");
  requireKnownKeys("", cfg, SIM_CONFIG_KEYS);
  requireInteger("seed", cfg.seed, 0, 2 ** 32 - 1);
  const nodes = nodeIds(cfg.nodes);
  requireNumber("durationMs", cfg.durationMs, Number.MIN_VALUE);
  if (cfg.maxEvents !== undefined) requireInteger("maxEvents", cfg.maxEvents, 1);
  if (cfg.recordStates !== undefined) requireBoolean("recordStates", cfg.recordStates, "write recordStates: true to keep every state for lookup, or leave it out to replay");
  if (cfg.protocol == null || typeof cfg.protocol.init !== "function" || typeof cfg.protocol.onMessage !== "function") {
    throw new ConfigError("protocol", "must be a Protocol with init and onMessage handlers", "pass e.g. primaryBackup");
  }
  const clientCount = cfg.workload !== undefined ? validateWorkload(cfg.workload, nodes, cfg.durationMs).clients : 0;
  if (nodes.length + clientCount > MAX_ENDPOINTS) {
    throw new ConfigError("workload.clients", `${nodes.length} nodes and ${clientCount} clients make ${nodes.length + clientCount} endpoints, more than the ${MAX_ENDPOINTS} a run can hold (the network keeps a link per pair)`, `use at most ${MAX_ENDPOINTS - nodes.length} clients, or an open loop with a higher ratePerSec per client`);
  }
  const clients = clientIds(clientCount);
  const endpoints = [...nodes, ...clients];
  validateNetwork(cfg.network, endpoints);
  validateStorage("storage", cfg.storage ?? DEFAULT_STORAGE);
  if (cfg.storageByNode !== undefined) {
    const byNode = requirePlainObject("storageByNode", cfg.storageByNode, 'write { n1: { fsync: { kind: "never" } } }');
    for (const node of Object.keys(byNode)) {
      if (!nodes.includes(node)) throw new ConfigError(`storageByNode.${node}`, "unknown node", `use one of ${nodes.join(", ")}`);
      validateStorage(`storageByNode.${node}`, byNode[node] as StorageSpec);
    }
  }
  validateFaults(cfg.faults ?? [], nodes, endpoints, cfg.durationMs);
  validateCapacity(cfg.capacity, nodes, cfg.protocol);
  cfg.protocol.validate?.(cfg.config, nodes);
  return { nodes, clients };
}

const NODE_FAULTS = ["crash", "restart", "pause", "resume", "lose-disk", "clock", "corrupt"];
const NODE_FAULT_KEYS = ["kind", "at", "node"];
/** The options of each fault kind. */
const FAULT_KEYS: Readonly<Record<string, readonly string[]>> = {
  crash: NODE_FAULT_KEYS, restart: NODE_FAULT_KEYS, pause: NODE_FAULT_KEYS, resume: NODE_FAULT_KEYS, "lose-disk": NODE_FAULT_KEYS,
  clock: [...NODE_FAULT_KEYS, "skewMs", "drift"],
  corrupt: [...NODE_FAULT_KEYS, "fraction"],
  partition: ["kind", "at", "groups", "oneWay"],
  heal: ["kind", "at"],
};

/** Checks a fault schedule; throws a ConfigError naming the fault. Pure. */
export function validateFaults(faults: readonly Fault[], nodes: readonly NodeId[], endpoints: readonly NodeId[], durationMs: number): void {
  if (!Array.isArray(faults)) throw new ConfigError("faults", "must be a list of faults", "write faults: [] for none");
  faults.forEach((f, i) => {
    const field = `faults[${i}]`;
    if (f == null || typeof f !== "object" || Array.isArray(f)) throw new ConfigError(field, `must be a fault object, got ${describe(f)}`, 'write e.g. { kind: "crash", at: 1000, node: "n1" }');
    const keys = FAULT_KEYS[f.kind as string];
    if (keys === undefined || !Object.hasOwn(FAULT_KEYS, f.kind)) {
      throw new ConfigError(`${field}.kind`, `unknown fault ${describe((f as { kind?: unknown }).kind)}`, `use one of ${Object.keys(FAULT_KEYS).join(", ")}`);
    }
    requireKnownKeys(field, f, keys);
    if (typeof f.at !== "number" || !Number.isFinite(f.at) || f.at < 0) {
      throw new ConfigError(`${field}.at`, `must be a time ≥ 0 ms (a fault cannot be in the past), got ${describe(f.at)}`, "give the virtual time in ms at which the fault happens");
    }
    if (f.at > durationMs) {
      throw new ConfigError(`${field}.at`, `is ${f.at} ms, after the run ends at ${durationMs} ms`, "move the fault into the run or lengthen durationMs");
    }
    if (NODE_FAULTS.includes(f.kind)) {
      const node = (f as { node?: unknown }).node;
      if (typeof node !== "string" || !nodes.includes(node)) {
        throw new ConfigError(`${field}.node`, `unknown node ${describe(node)}`, `use one of ${nodes.join(", ")}`);
      }
      if (f.kind === "clock") {
        requireNumber(`${field}.skewMs`, f.skewMs);
        if (f.drift !== undefined) requireNumber(`${field}.drift`, f.drift, -0.5, 0.5);
      }
      if (f.kind === "corrupt") requireProbability(`${field}.fraction`, f.fraction);
    } else if (f.kind === "partition") {
      if (!Array.isArray(f.groups) || f.groups.length === 0) {
        throw new ConfigError(`${field}.groups`, "must be a non-empty list of groups of ids", 'write groups: [["n1"], ["n2", "n3"]]');
      }
      const seen = new Set<string>();
      (f.groups as readonly (readonly string[])[]).forEach((g, gi) => {
        if (!Array.isArray(g)) throw new ConfigError(`${field}.groups[${gi}]`, "must be a list of ids", 'write ["n1", "n2"]');
        g.forEach((m, mi) => {
          if (!endpoints.includes(m)) throw new ConfigError(`${field}.groups[${gi}][${mi}]`, `unknown node or client ${describe(m)}`, `use one of ${endpoints.join(", ")}`);
          if (seen.has(m)) throw new ConfigError(`${field}.groups[${gi}][${mi}]`, `${describe(m)} is in two groups`, "put each id in one group only");
          seen.add(m);
        });
      });
      if (f.oneWay !== undefined) requireBoolean(`${field}.oneWay`, f.oneWay, "write oneWay: true to cut only messages from the first group");
    } else if (f.kind !== "heal") {
      throw new ConfigError(`${field}.kind`, `unknown fault ${describe((f as { kind?: unknown }).kind)}`, `use one of ${[...NODE_FAULTS, "partition", "heal"].join(", ")}`);
    }
  });
}
