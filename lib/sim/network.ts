/**
 * The network as data: how long a message takes on each link, how often it is lost or
 * duplicated, whether a link keeps order, and which links a partition cuts.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import { ConfigError, describe, requireBoolean, requireKnownKeys, requireProbability } from "../errors.js";
import { type Distribution, makeSampler, type Sampler, validateDistribution } from "./distributions.js";
import type { PartitionFault } from "./faults.js";
import type { Rng } from "./rng.js";
import type { NodeId } from "./trace.js";

/** Settings of one direction of a link; every field optional in an override. */
export interface LinkSpec {
  /** One-way delay in ms. */
  readonly latency?: Distribution;
  /** Probability that a message is lost. */
  readonly loss?: number;
  /** Probability that a message is delivered twice (the copy with its own delay). */
  readonly duplicate?: number;
  /** Keep messages on this link in send order (TCP-like). Default false: they may reorder. */
  readonly fifo?: boolean;
}

/** A per-link override: `from` / `to` are ids or `*`; later overrides win. */
export interface LinkOverride extends LinkSpec {
  readonly from: NodeId | "*";
  readonly to: NodeId | "*";
}

/** The network of a run. Client↔node links use `clientLatency` when given. */
export interface NetworkSpec extends LinkSpec {
  readonly latency: Distribution;
  /** One-way delay between clients and nodes (default: `latency`). */
  readonly clientLatency?: Distribution;
  /** Per-link overrides, applied in order. */
  readonly links?: readonly LinkOverride[];
}

/** A compiled link: samplers and probabilities for one (src, dest) direction. */
export interface Link {
  readonly delay: Sampler;
  readonly loss: number;
  readonly duplicate: number;
  readonly fifo: boolean;
}

/** Checks a network spec against the endpoints; throws a ConfigError naming the field. Pure. */
export function validateNetwork(spec: NetworkSpec, endpoints: readonly NodeId[]): NetworkSpec {
  if (spec == null || typeof spec !== "object" || Array.isArray(spec)) {
    throw new ConfigError("network", spec == null ? "is missing" : `must be an object, got ${describe(spec)}`, 'give { latency: { kind: "constant", value: 1 } }');
  }
  requireKnownKeys("network", spec, NETWORK_KEYS);
  validateLink("network", spec);
  validateDistribution("network.latency", spec.latency);
  if (spec.clientLatency !== undefined) validateDistribution("network.clientLatency", spec.clientLatency);
  if (spec.links !== undefined && !Array.isArray(spec.links)) {
    throw new ConfigError("network.links", `must be a list of link overrides, got ${describe(spec.links)}`, 'write links: [{ from: "n1", to: "*", loss: 0.1 }], or leave it out');
  }
  (spec.links ?? []).forEach((l, i) => {
    const f = `network.links[${i}]`;
    if (l == null || typeof l !== "object" || Array.isArray(l)) {
      throw new ConfigError(f, `must be a link override object, got ${describe(l)}`, 'write { from: "n1", to: "*", loss: 0.1 } or remove the entry');
    }
    requireKnownKeys(f, l, LINK_OVERRIDE_KEYS);
    for (const end of ["from", "to"] as const) {
      if (l[end] !== "*" && !endpoints.includes(l[end])) {
        throw new ConfigError(`${f}.${end}`, `unknown node or client ${describe(l[end])}`, `use "*" or one of ${endpoints.join(", ")}`);
      }
    }
    validateLink(f, l);
    if (l.latency !== undefined) validateDistribution(`${f}.latency`, l.latency);
  });
  // A normal sampler seeds a generator of its own per link (see compileLinks): 250² of them
  // take seconds to build, so normal latencies are for clusters of up to 100 endpoints.
  if (endpoints.length > MAX_NORMAL_ENDPOINTS) {
    const normal = [["network.latency", spec.latency], ["network.clientLatency", spec.clientLatency], ...(spec.links ?? []).map((l, i) => [`network.links[${i}].latency`, l.latency])]
      .find(([, d]) => d !== undefined && !keepsNoState(d as Distribution));
    if (normal !== undefined) {
      throw new ConfigError(normal[0] as string, `is (or mixes in) a normal distribution, which needs a generator per link: ${endpoints.length} endpoints make ${endpoints.length ** 2} of them`, `use a normal latency with at most ${MAX_NORMAL_ENDPOINTS} nodes plus clients, or another distribution (uniform, exponential, pareto, empirical)`);
    }
  }
  return spec;
}

/** Most endpoints of a run whose network has a normal latency (each link then has its own generator). */
export const MAX_NORMAL_ENDPOINTS = 100;

const LINK_KEYS = ["latency", "loss", "duplicate", "fifo"] as const;
const NETWORK_KEYS = [...LINK_KEYS, "clientLatency", "links"] as const;
const LINK_OVERRIDE_KEYS = ["from", "to", ...LINK_KEYS] as const;

function validateLink(field: string, l: LinkSpec): void {
  if (l.loss !== undefined) requireProbability(`${field}.loss`, l.loss);
  if (l.duplicate !== undefined) requireProbability(`${field}.duplicate`, l.duplicate);
  if (l.fifo !== undefined) requireBoolean(`${field}.fifo`, l.fifo, "write fifo: true to keep send order");
}

/**
 * Compiles the spec into a table of links indexed [src][dest] over `endpoints` (nodes
 * first, then clients). Each link gets its own sampler over the shared network stream.
 */
export function compileLinks(spec: NetworkSpec, endpoints: readonly NodeId[], isClient: (id: NodeId) => boolean, rng: Rng): Link[][] {
  const table: Link[][] = [];
  // A sampler that keeps no state of its own and draws nothing when made can serve every
  // link with the same distribution: the draws, from the one shared stream, are the same
  // either way, and 250² links no longer make 62,500 samplers. Normal samplers (stdlib's
  // ziggurat seeds a generator of its own from one draw) stay one per link, as before.
  const shared = new Map<Distribution, Sampler>();
  const samplerOf = (d: Distribution): Sampler => {
    if (!keepsNoState(d)) return makeSampler(d, rng);
    let s = shared.get(d);
    if (s === undefined) shared.set(d, (s = makeSampler(d, rng)));
    return s;
  };
  for (const src of endpoints) {
    const row: Link[] = [];
    for (const dest of endpoints) {
      const clientLink = isClient(src) || isClient(dest);
      let latency = clientLink && spec.clientLatency ? spec.clientLatency : spec.latency;
      let loss = spec.loss ?? 0;
      let duplicate = spec.duplicate ?? 0;
      let fifo = spec.fifo ?? false;
      for (const o of spec.links ?? []) {
        if ((o.from === "*" || o.from === src) && (o.to === "*" || o.to === dest)) {
          latency = o.latency ?? latency;
          loss = o.loss ?? loss;
          duplicate = o.duplicate ?? duplicate;
          fifo = o.fifo ?? fifo;
        }
      }
      row.push({ delay: samplerOf(latency), loss, duplicate, fifo });
    }
    table.push(row);
  }
  return table;
}

/** Whether a sampler of `d` is a pure function of the shared stream (no normal inside). */
function keepsNoState(d: Distribution): boolean {
  if (d.kind === "normal") return false;
  return d.kind !== "mixture" || d.components.every((c) => keepsNoState(c.dist));
}

/**
 * Which directed links a partition cuts, as a group number per endpoint. Endpoints not
 * listed in any group share one extra group. Pure.
 */
export interface PartitionState {
  /** Group of each endpoint (by endpoint index). */
  readonly group: Int32Array;
  /** When true, only messages *from* group 0 to other groups are cut. */
  readonly oneWay: boolean;
}

/** The partition state a partition fault creates. Pure. */
export function partitionState(fault: PartitionFault, index: ReadonlyMap<NodeId, number>): PartitionState {
  const group = new Int32Array(index.size).fill(fault.groups.length);
  fault.groups.forEach((members, g) => {
    for (const m of members) group[index.get(m)!] = g;
  });
  return { group, oneWay: fault.oneWay ?? false };
}

/** True when a partition cuts the link from endpoint `src` to `dest`. Pure. */
export function isCut(p: PartitionState | null, src: number, dest: number): boolean {
  if (p === null) return false;
  const gs = p.group[src];
  const gd = p.group[dest];
  if (gs === gd) return false;
  return p.oneWay ? gs === 0 : true;
}
