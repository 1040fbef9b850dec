/**
 * The settings of multi-leader replication, their defaults and their validation.
 *
 * Introduced in notebooks/04.00-Multi-Leader-Replication.ipynb.
 */
import { CRDT_TYPES, type Crdt } from "../../crdt/crdt.js";
import { ConfigError, describe, requireNumber, requireOneOf } from "../../errors.js";
import type { NodeId } from "../../sim/trace.js";
import { withDefaults } from "../shared/settings.js";
import { compileTopology, type CompiledTopology, type Topology } from "./topology.js";

/**
 * What a leader does when two writes of one key are concurrent:
 * - `lww`: last writer wins by the origin's local timestamp, ties by node id;
 * - `siblings`: keep every concurrent version (version vectors); a read returns them all and
 *   a write carrying the read's context replaces what it read;
 * - `crdt`: the key holds a CRDT (config.crdt) and replicas merge;
 * - `custom`: `config.merge(key, mine, theirs)` combines two concurrent versions' values;
 * - `certify`: no conflict is kept: one total order (a sequencer) certifies each write, and
 *   the later of two conflicting writes is rolled back with a definite error.
 */
export type ConflictPolicy = "lww" | "siblings" | "crdt" | "custom" | "certify";

/** The policy names. */
export const CONFLICT_POLICIES: readonly ConflictPolicy[] = ["lww", "siblings", "crdt", "custom", "certify"];

/** A merge function for the `custom` policy: the values two concurrent versions of `key` resolve to. Must be pure. */
export type MergeFunction = (key: string, mine: readonly number[], theirs: readonly number[]) => readonly number[];

/** Settings of multi-leader replication (every field has a default). */
export interface MultiLeaderConfig {
  /** The leaders, one per region (default: every node that is no one's follower). At least 2. */
  readonly leaders?: readonly NodeId[];
  /** Local followers of each leader: they copy what their leader applies and serve reads. */
  readonly followers?: Readonly<Record<NodeId, readonly NodeId[]>>;
  /** How writes travel between leaders (default all-to-all). */
  readonly topology?: Topology;
  /** Conflict policy (default `lww`). */
  readonly policy?: ConflictPolicy;
  /** `crdt` policy: the CRDT every key holds, and optional initial states per key. */
  readonly crdt?: { readonly type: Crdt["type"]; readonly initial?: Readonly<Record<string, Crdt>> };
  /** `custom` policy: the merge function. */
  readonly merge?: MergeFunction;
  /** `certify` policy: the node that orders every write (default: the first leader). */
  readonly sequencer?: NodeId;
  /** A replicated write not acknowledged by the next node is sent again after this long (default 1000 ms: longer than the slowest wide-area round trip plus queueing, so a slow acknowledgement does not double the traffic). */
  readonly retryMs?: number;
  /**
   * Bypass a silent neighbour (ring, star, tree): a neighbour not heard from for
   * `failureTimeoutMs` is skipped and its own neighbours get the writes (default false: the
   * flow downstream waits until it returns).
   */
  readonly bypass?: boolean;
  /** Liveness: heartbeats between leaders every this many ms when `bypass` or `homeLeader` is on (default 50). */
  readonly heartbeatMs?: number;
  /** Liveness: a leader silent this long is suspected (default 300 ms). */
  readonly failureTimeoutMs?: number;
  /**
   * Conflict avoidance: each key has a home leader (a hash of the key picks it); a write
   * reaching another leader is forwarded there. A suspected home's keys move to the next
   * leader in order. Default false.
   */
  readonly homeLeader?: boolean;
  /**
   * Causal delivery: a leader holds back a replicated write until every write its origin had
   * applied before it is applied here (default false: apply on arrival, so a write can
   * overtake the one it depends on).
   */
  readonly causal?: boolean;
}

/** The default of every optional setting. */
export const MULTI_LEADER_DEFAULTS = {
  policy: "lww" as ConflictPolicy,
  retryMs: 1000,
  bypass: false,
  heartbeatMs: 50,
  failureTimeoutMs: 300,
  homeLeader: false,
  causal: false,
};

/** Every setting, resolved: defaults filled in, leaders and topology compiled. */
export type MultiLeaderSettings = typeof MULTI_LEADER_DEFAULTS & {
  readonly leaders: readonly NodeId[];
  /** node → its leader (a leader maps to itself). */
  readonly leaderOf: Readonly<Record<NodeId, NodeId>>;
  readonly followersOf: Readonly<Record<NodeId, readonly NodeId[]>>;
  readonly topology: CompiledTopology;
  readonly crdt: MultiLeaderConfig["crdt"];
  readonly merge: MergeFunction | undefined;
  readonly sequencer: NodeId;
};

/** The leaders of a config: given, or every node that is no one's follower. Pure. */
export function leadersOf(c: MultiLeaderConfig, nodes: readonly NodeId[]): NodeId[] {
  if (c.leaders !== undefined) return [...c.leaders];
  const followers = new Set(Object.values(c.followers ?? {}).flat());
  return nodes.filter((n) => !followers.has(n));
}

/** The settings of `c` on `nodes`, defaults filled in. Pure. */
export function resolveMultiLeader(c: MultiLeaderConfig, nodes: readonly NodeId[]): MultiLeaderSettings {
  const leaders = leadersOf(c, nodes);
  const leaderOf: Record<NodeId, NodeId> = {};
  const followersOf: Record<NodeId, NodeId[]> = {};
  for (const l of leaders) {
    leaderOf[l] = l;
    followersOf[l] = [...(c.followers?.[l] ?? [])];
    for (const f of followersOf[l]) leaderOf[f] = l;
  }
  return {
    ...withDefaults(MULTI_LEADER_DEFAULTS, c),
    leaders,
    leaderOf,
    followersOf,
    topology: compileTopology(c.topology, leaders),
    crdt: c.crdt,
    merge: c.merge,
    sequencer: c.sequencer ?? leaders[0],
  };
}

/** Checks a multi-leader config against the cluster; throws a ConfigError naming the field. Pure. */
export function validateMultiLeader(c: MultiLeaderConfig, nodes: readonly NodeId[]): void {
  if (c == null || typeof c !== "object") throw new ConfigError("config", "is missing", "give {} for the defaults, or e.g. { policy: \"lww\" }");
  if (c.leaders !== undefined) {
    if (!Array.isArray(c.leaders)) throw new ConfigError("config.leaders", `must be a list of node ids, got ${describe(c.leaders)}`, 'write e.g. leaders: ["n1", "n2", "n3"]');
    c.leaders.forEach((l, i) => {
      if (!nodes.includes(l)) throw new ConfigError(`config.leaders[${i}]`, `unknown node ${describe(l)}`, `use one of ${nodes.join(", ")}`);
      if (c.leaders!.indexOf(l) !== i) throw new ConfigError(`config.leaders[${i}]`, `repeats ${l}`, "list each leader once");
    });
  }
  const leaders = leadersOf(c, nodes);
  if (leaders.length < 2) {
    throw new ConfigError("config.leaders", `multi-leader replication needs at least 2 leaders (L ≥ 2), got ${leaders.length}`, "list two or more leaders, one per region; with one leader use singleLeader");
  }
  const placed = new Set<NodeId>(leaders);
  for (const [leader, fs] of Object.entries(c.followers ?? {})) {
    if (!leaders.includes(leader)) throw new ConfigError(`config.followers.${leader}`, `${describe(leader)} is not a leader`, `use one of ${leaders.join(", ")}`);
    if (!Array.isArray(fs)) throw new ConfigError(`config.followers.${leader}`, `must be a list of node ids, got ${describe(fs)}`, 'write e.g. { n1: ["n4"] }');
    fs.forEach((f, i) => {
      if (!nodes.includes(f)) throw new ConfigError(`config.followers.${leader}[${i}]`, `unknown node ${describe(f)}`, `use one of ${nodes.join(", ")}`);
      if (placed.has(f)) throw new ConfigError(`config.followers.${leader}[${i}]`, `${f} is already a leader or another leader's follower`, "give each follower one leader");
      placed.add(f);
    });
  }
  const spare = nodes.find((n) => !placed.has(n));
  if (spare !== undefined) {
    throw new ConfigError("config.leaders", `node ${spare} is neither a leader nor a leader's follower`, `add ${spare} to config.leaders or to a leader's config.followers, or remove it from nodes`);
  }
  compileTopology(c.topology, leaders);
  const policy = c.policy === undefined ? "lww" : requireOneOf("config.policy", c.policy, CONFLICT_POLICIES);
  if (policy === "crdt") {
    if (c.crdt == null || typeof c.crdt !== "object") throw new ConfigError("config.crdt", "is missing: the crdt policy needs a CRDT type", `write crdt: { type: "pn-counter" } (one of ${CRDT_TYPES.join(", ")})`);
    requireOneOf("config.crdt.type", c.crdt.type, CRDT_TYPES);
    for (const [key, init] of Object.entries(c.crdt.initial ?? {})) {
      const t = (init as { type?: unknown })?.type;
      if (t !== c.crdt.type) {
        throw new ConfigError(`config.crdt.initial.${key}`, `is a ${describe(t)} but config.crdt.type is ${JSON.stringify(c.crdt.type)}: replicas of one key cannot merge two CRDT types`, `give key ${JSON.stringify(key)} an initial ${c.crdt.type}, or change config.crdt.type`);
      }
    }
  }
  if (policy === "custom" && typeof c.merge !== "function") {
    throw new ConfigError("config.merge", `the custom policy needs a merge function, got ${describe(c.merge)}`, "give merge: (key, mine, theirs) => values, e.g. the union of both");
  }
  if (c.sequencer !== undefined && !leaders.includes(c.sequencer)) {
    throw new ConfigError("config.sequencer", `${describe(c.sequencer)} is not a leader`, `use one of ${leaders.join(", ")}`);
  }
  if (c.retryMs !== undefined) requireNumber("config.retryMs", c.retryMs, Number.MIN_VALUE);
  if (c.heartbeatMs !== undefined) requireNumber("config.heartbeatMs", c.heartbeatMs, Number.MIN_VALUE);
  if (c.failureTimeoutMs !== undefined) requireNumber("config.failureTimeoutMs", c.failureTimeoutMs, Number.MIN_VALUE);
  for (const f of ["bypass", "homeLeader", "causal"] as const) {
    if (c[f] !== undefined && typeof c[f] !== "boolean") throw new ConfigError(`config.${f}`, `must be true or false, got ${describe(c[f])}`, `write ${f}: true to turn it on`);
  }
  if (c.homeLeader === true && policy === "certify") {
    throw new ConfigError("config.homeLeader", "cannot be combined with the certify policy (certification already orders every write)", "choose one: homeLeader or policy certify");
  }
}
