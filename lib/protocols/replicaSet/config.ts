/**
 * The settings of a MongoDB-style replica set, their documented defaults, and validation.
 *
 * Defaults follow the MongoDB manual, "Replica Set Configuration"
 * (https://www.mongodb.com/docs/manual/reference/replica-configuration/):
 * `settings.heartbeatIntervalMillis` 2000, `settings.heartbeatTimeoutSecs` 10,
 * `settings.electionTimeoutMillis` 10000, `settings.catchUpTimeoutMillis` -1 (no limit),
 * `settings.chainingAllowed` true; `members[n].priority` in [0, 1000], default 1; arbiters
 * have priority 0; at most 7 voting members. The implicit default write concern is the one
 * of MongoDB 5.0+ ("Implicit Default Write Concern", write concern manual page):
 * `{ w: "majority" }`, except `{ w: 1 }` when arbiters make a majority of voters
 * unreachable by data-bearing members alone (e.g. primary-secondary-arbiter).
 *
 * Introduced in notebooks/06.00-Replica-Sets.ipynb.
 */
import { ConfigError, describe, requireInteger, requireNumber, requireOneOf } from "../../errors.js";
import type { NodeId } from "../../sim/trace.js";
import { majorityOf } from "./elections.js";

/** One member's configuration (`members[n]` in MongoDB). */
export interface MemberSpec {
  /** Election priority in [0, 1000] (default 1); 0: never primary. */
  readonly priority?: number;
  /** 1 (default) or 0: whether the member votes. */
  readonly votes?: 0 | 1;
  /** An arbiter votes and holds no data (priority must be 0). */
  readonly arbiterOnly?: boolean;
}

/** Write concern (MongoDB manual, "Write Concern"): how many members must hold a write before it is acknowledged. */
export interface WriteConcern {
  /** 1: the primary; N: N data-bearing members; "majority": a majority of voting members (data-bearing ones). Default: the implicit default. */
  readonly w?: number | "majority";
  /** Wait until the write is in the journal (on disk) of each counted member. Default: true for "majority" (writeConcernMajorityJournalDefault), false otherwise. */
  readonly j?: boolean;
  /** Give up waiting after this many ms with a write concern error; the write is NOT undone. 0 or absent: wait forever. */
  readonly wtimeout?: number;
}

/** Read concern levels (MongoDB manual, "Read Concern"). */
export type ReadConcernLevel = "local" | "majority" | "linearizable";

/** Read preference modes (MongoDB manual, "Read Preference"). */
export type ReadPreference = "primary" | "primaryPreferred" | "secondary" | "secondaryPreferred" | "nearest";

/** The replica set's `settings` document. */
export interface ReplicaSetSettings {
  readonly heartbeatIntervalMillis?: number;
  readonly heartbeatTimeoutSecs?: number;
  readonly electionTimeoutMillis?: number;
  /** How long a new primary may catch up from fresher members; -1: no limit (the default). */
  readonly catchUpTimeoutMillis?: number;
  readonly chainingAllowed?: boolean;
}

/** Everything that configures a replica-set run. Every field has a default. */
export interface ReplicaSetConfig {
  /** Per node; nodes not listed are ordinary members (priority 1, one vote, data-bearing). */
  readonly members?: Readonly<Record<NodeId, MemberSpec>>;
  readonly settings?: ReplicaSetSettings;
  /** The write concern of every client write (default: MongoDB's implicit default). */
  readonly writeConcern?: WriteConcern;
  /** The read concern of every client read (default "local"). */
  readonly readConcern?: ReadConcernLevel;
  /** Which member serves a read (default "primary"). */
  readonly readPreference?: ReadPreference;
  /** The capped oplog keeps at most this many entries (default 1 000 000). */
  readonly oplogSizeEntries?: number;
  /** Entries per oplog fetch reply (default 500). */
  readonly batchSize?: number;
  /** How long a sync source holds a fetch that finds nothing new before answering empty (default 1000 ms). */
  readonly awaitDataMs?: number;
  /** Initial sync: time to clone one key of the snapshot, in ms (default 0.01). */
  readonly initialSyncMsPerKey?: number;
  /** Read preference "nearest": members within this many ms of the lowest round trip are eligible (drivers' localThresholdMS, default 15). */
  readonly localThresholdMs?: number;
  /** The member elected when the set is initiated (default: the highest priority, then the lowest id). */
  readonly initialPrimary?: NodeId;
}

/** A member with every default filled in. */
export interface Member {
  readonly id: NodeId;
  readonly priority: number;
  readonly votes: 0 | 1;
  readonly arbiter: boolean;
}

/** Every setting with its default filled in. */
export interface Settings {
  readonly members: readonly Member[];
  readonly byId: ReadonlyMap<NodeId, Member>;
  readonly voters: readonly NodeId[];
  readonly dataBearing: readonly NodeId[];
  readonly heartbeatIntervalMs: number;
  readonly heartbeatTimeoutMs: number;
  readonly electionTimeoutMs: number;
  /** Largest random offset added to the election timeout: 15 % of it (MongoDB's electionTimeoutOffsetLimitFraction, 0.15). */
  readonly electionOffsetMs: number;
  readonly catchUpTimeoutMs: number;
  readonly chainingAllowed: boolean;
  readonly writeConcern: { readonly w: number | "majority"; readonly j: boolean; readonly wtimeout: number };
  readonly readConcern: ReadConcernLevel;
  readonly readPreference: ReadPreference;
  readonly oplogSizeEntries: number;
  readonly batchSize: number;
  readonly awaitDataMs: number;
  readonly initialSyncMsPerKey: number;
  readonly localThresholdMs: number;
  readonly initialPrimary: NodeId;
  /** A higher-priority member takes over only when its oplog is within this of the primary's newest write (MongoDB's priorityTakeoverFreshnessWindowSeconds, 2 s). */
  readonly takeoverFreshnessMs: number;
}

/** MongoDB's limit on voting members ("Replica Set Members": at most 7 voting members). */
export const MAX_VOTERS = 7;

function membersOf(c: ReplicaSetConfig, nodes: readonly NodeId[]): Member[] {
  return nodes.map((id) => {
    const m = c.members?.[id] ?? {};
    const arbiter = m.arbiterOnly === true;
    return { id, priority: m.priority ?? (arbiter ? 0 : 1), votes: m.votes ?? 1, arbiter };
  });
}

/**
 * MongoDB 5.0's implicit default write concern: majority, unless the set has arbiters and
 * its data-bearing voters are no more than a bare majority of the voters. Pure.
 */
export function implicitDefaultW(members: readonly Member[]): number | "majority" {
  const voters = members.filter((m) => m.votes === 1);
  const arbiters = voters.filter((m) => m.arbiter).length;
  const dataVoters = voters.length - arbiters;
  return arbiters > 0 && dataVoters <= majorityOf(voters.length) ? 1 : "majority";
}

/** The settings of `c` for a set of `nodes`, defaults filled in. Pure. */
export function settingsOf(c: ReplicaSetConfig, nodes: readonly NodeId[]): Settings {
  const members = membersOf(c, nodes);
  const s = c.settings ?? {};
  const electionTimeoutMs = s.electionTimeoutMillis ?? 10_000;
  const w = c.writeConcern?.w ?? implicitDefaultW(members);
  const electable = members.filter((m) => m.priority > 0 && !m.arbiter);
  const initialPrimary = c.initialPrimary ?? [...electable].sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : 1))[0]?.id ?? nodes[0];
  return {
    members,
    byId: new Map(members.map((m) => [m.id, m])),
    voters: members.filter((m) => m.votes === 1).map((m) => m.id),
    dataBearing: members.filter((m) => !m.arbiter).map((m) => m.id),
    heartbeatIntervalMs: s.heartbeatIntervalMillis ?? 2000,
    heartbeatTimeoutMs: 1000 * (s.heartbeatTimeoutSecs ?? 10),
    electionTimeoutMs,
    electionOffsetMs: 0.15 * electionTimeoutMs,
    catchUpTimeoutMs: s.catchUpTimeoutMillis ?? -1,
    chainingAllowed: s.chainingAllowed ?? true,
    writeConcern: { w, j: c.writeConcern?.j ?? w === "majority", wtimeout: c.writeConcern?.wtimeout ?? 0 },
    readConcern: c.readConcern ?? "local",
    readPreference: c.readPreference ?? "primary",
    oplogSizeEntries: c.oplogSizeEntries ?? 1_000_000,
    batchSize: c.batchSize ?? 500,
    awaitDataMs: c.awaitDataMs ?? 1000,
    initialSyncMsPerKey: c.initialSyncMsPerKey ?? 0.01,
    localThresholdMs: c.localThresholdMs ?? 15,
    initialPrimary,
    takeoverFreshnessMs: 2000,
  };
}

/** Throws a ConfigError naming the first bad field of `c` for a set of `nodes`. Pure. */
export function validateReplicaSet(c: ReplicaSetConfig, nodes: readonly NodeId[]): void {
  if (c == null || typeof c !== "object") throw new ConfigError("config", "is missing", "give {} for MongoDB's defaults");
  if (c.members !== undefined) {
    if (c.members === null || typeof c.members !== "object") throw new ConfigError("config.members", `must be a record of node → member settings, got ${describe(c.members)}`, 'write members: { n3: { arbiterOnly: true } }');
    for (const [id, m] of Object.entries(c.members)) {
      const field = `config.members.${id}`;
      if (!nodes.includes(id)) throw new ConfigError(field, "unknown node", `use one of ${nodes.join(", ")}`);
      if (m == null || typeof m !== "object") throw new ConfigError(field, `must be an object, got ${describe(m)}`, "write { priority: 2 }");
      if (m.priority !== undefined) requireNumber(`${field}.priority`, m.priority, 0, 1000);
      if (m.votes !== undefined && m.votes !== 0 && m.votes !== 1) throw new ConfigError(`${field}.votes`, `must be 0 or 1, got ${describe(m.votes)}`, "write votes: 1 (votes) or votes: 0 (does not vote)");
      if (m.arbiterOnly !== undefined && typeof m.arbiterOnly !== "boolean") throw new ConfigError(`${field}.arbiterOnly`, `must be true or false, got ${describe(m.arbiterOnly)}`, "write arbiterOnly: true for an arbiter");
      if (m.arbiterOnly === true && (m.priority ?? 0) > 0) throw new ConfigError(`${field}.priority`, `is ${m.priority}, but an arbiter holds no data and can never be primary`, "give the arbiter priority 0 (or leave it out)");
      if (m.votes === 0 && (m.priority ?? 1) > 0) throw new ConfigError(`${field}.priority`, "is above 0 for a non-voting member (MongoDB: non-voting members must have priority 0)", "set priority: 0, or give the member votes: 1");
    }
  }
  const s = c.settings ?? {};
  if (s.heartbeatIntervalMillis !== undefined) requireNumber("config.settings.heartbeatIntervalMillis", s.heartbeatIntervalMillis, Number.MIN_VALUE);
  if (s.heartbeatTimeoutSecs !== undefined) requireNumber("config.settings.heartbeatTimeoutSecs", s.heartbeatTimeoutSecs, Number.MIN_VALUE);
  if (s.electionTimeoutMillis !== undefined) requireNumber("config.settings.electionTimeoutMillis", s.electionTimeoutMillis, Number.MIN_VALUE);
  if (s.catchUpTimeoutMillis !== undefined && s.catchUpTimeoutMillis !== -1) {
    requireNumber("config.settings.catchUpTimeoutMillis", s.catchUpTimeoutMillis, 0);
  }
  if (s.chainingAllowed !== undefined && typeof s.chainingAllowed !== "boolean") throw new ConfigError("config.settings.chainingAllowed", `must be true or false, got ${describe(s.chainingAllowed)}`, "write chainingAllowed: false to make every secondary sync from the primary");
  const st = settingsOf(c, nodes);
  if (st.voters.length > MAX_VOTERS) {
    throw new ConfigError("config.members", `gives ${st.voters.length} voting members; MongoDB allows at most ${MAX_VOTERS}`, `give ${st.voters.length - MAX_VOTERS} of them votes: 0, priority: 0`);
  }
  if (st.voters.length === 0) throw new ConfigError("config.members", "gives no voting member, so no primary can ever be elected", "leave votes at 1 on at least one member");
  if (!st.members.some((m) => m.priority > 0 && !m.arbiter && m.votes === 1)) throw new ConfigError("config.members", "has no member that may become primary (priority > 0, data-bearing)", "give one data-bearing member a priority above 0");
  const wc = c.writeConcern;
  if (wc !== undefined) {
    if (wc === null || typeof wc !== "object") throw new ConfigError("config.writeConcern", `must be an object, got ${describe(wc)}`, 'write writeConcern: { w: "majority" }');
    if (wc.w !== undefined && wc.w !== "majority") {
      if (typeof wc.w !== "number") {
        throw new ConfigError("config.writeConcern.w", `${describe(wc.w)} is not a member count or "majority" (custom tag sets are not modelled)`, 'write w: 1, w: 2 or w: "majority"');
      }
      requireInteger("config.writeConcern.w", wc.w, 0);
      if (wc.w > st.dataBearing.length) {
        throw new ConfigError("config.writeConcern.w", `is ${wc.w}, more than the ${st.dataBearing.length} data-bearing members (arbiters hold no data), so no write could ever be acknowledged`, `use w ≤ ${st.dataBearing.length} or w: "majority"`);
      }
    }
    if (wc.j !== undefined && typeof wc.j !== "boolean") throw new ConfigError("config.writeConcern.j", `must be true or false, got ${describe(wc.j)}`, "write j: true to wait for the journal");
    if (wc.wtimeout !== undefined) requireNumber("config.writeConcern.wtimeout", wc.wtimeout, 0);
  }
  if (c.readConcern !== undefined) requireOneOf("config.readConcern", c.readConcern, ["local", "majority", "linearizable"] as const);
  if (c.readPreference !== undefined) requireOneOf("config.readPreference", c.readPreference, ["primary", "primaryPreferred", "secondary", "secondaryPreferred", "nearest"] as const);
  if (c.readConcern === "linearizable" && (c.readPreference ?? "primary") !== "primary") {
    throw new ConfigError("config.readConcern", `"linearizable" is served by the primary only, but readPreference is ${describe(c.readPreference)}`, 'use readPreference: "primary" with linearizable reads');
  }
  if (c.oplogSizeEntries !== undefined) requireInteger("config.oplogSizeEntries", c.oplogSizeEntries, 1);
  if (c.batchSize !== undefined) requireInteger("config.batchSize", c.batchSize, 1);
  if (c.awaitDataMs !== undefined) requireNumber("config.awaitDataMs", c.awaitDataMs, Number.MIN_VALUE);
  if (c.initialSyncMsPerKey !== undefined) requireNumber("config.initialSyncMsPerKey", c.initialSyncMsPerKey, 0);
  if (c.localThresholdMs !== undefined) requireNumber("config.localThresholdMs", c.localThresholdMs, 0);
  if (c.initialPrimary !== undefined) {
    const m = st.byId.get(c.initialPrimary);
    if (m === undefined) throw new ConfigError("config.initialPrimary", `unknown node ${describe(c.initialPrimary)}`, `use one of ${nodes.join(", ")}`);
    if (m.priority === 0 || m.arbiter) throw new ConfigError("config.initialPrimary", `${c.initialPrimary} can never be primary (priority 0 or arbiter)`, "pick a data-bearing member with priority above 0");
  }
}

/**
 * What is legal but risky in a configuration, in words (for the notebook to show). Pure.
 * MongoDB warns about an even number of voters: a 2–2 split leaves no side a majority.
 */
export function replicaSetWarnings(c: ReplicaSetConfig, nodes: readonly NodeId[]): string[] {
  const st = settingsOf(c, nodes);
  const warnings: string[] = [];
  if (st.voters.length % 2 === 0) {
    warnings.push(`${st.voters.length} voting members: an even number, so a partition into two equal halves leaves no majority; add an arbiter or a voter, or remove one`);
  }
  if (st.writeConcern.w === "majority" && st.members.some((m) => m.arbiter)) {
    const dataVoters = st.members.filter((m) => m.votes === 1 && !m.arbiter).length;
    if (dataVoters <= majorityOf(st.voters.length)) warnings.push('w: "majority" with an arbiter: one data-bearing member down and no write can be acknowledged');
  }
  return warnings;
}
