/**
 * The settings of single-leader replication and their validation.
 * Introduced in notebooks/03.00-Single-Leader-Replication.ipynb (split-brain protections in
 * notebooks/02.00-Split-Brain.ipynb).
 */
import { requirePeriod } from "../../sim/limits.js";
import { ConfigError, describe, requireInteger, requireNumber, requireOneOf } from "../../errors.js";
import type { NodeId } from "../../sim/trace.js";

/**
 * When the leader tells a client its write succeeded: `async` once the write is on the
 * leader's own disk, `semi-sync` once one follower also has it, `sync` once every follower has.
 */
export type ReplicationMode = "sync" | "semi-sync" | "async";

/**
 * How a follower becomes leader when the leader stops sending heartbeats:
 * - `none`: it does not; the cluster waits for the first node (`n1`) to come back.
 * - `naive`: the first follower to time out takes over (with epochs on: the first to
 *   collect a majority of votes, whatever its log holds).
 * - `most-up-to-date`: only a follower whose log is at least as long as the others' may take
 *   over (with epochs on: voters refuse candidates behind them, as in Raft §5.4.1).
 */
export type FailoverPolicy = "none" | "naive" | "most-up-to-date";

/** Settings of single-leader replication (every field but `mode` has a default). */
export interface SingleLeaderConfig {
  readonly mode: ReplicationMode;
  /** How many followers replicate the leader (default: every other node). Nodes beyond them are spares. */
  readonly followers?: number;
  /** Whether followers answer reads (`any`) or redirect them to the leader (`leader`, default). */
  readonly readFrom?: "leader" | "any";
  /** The leader sends a heartbeat (an empty append) to each follower every this many ms (default 10). */
  readonly heartbeatMs?: number;
  /** A follower that has not heard from the leader for this long suspects it (default 50 ms). */
  readonly failureTimeoutMs?: number;
  /**
   * Random extra wait, uniform in [0, jitterMs), added to each failure timeout (default: half
   * the timeout). Without enough spread, followers that heard the last heartbeat together
   * campaign together and split the vote (Raft §5.2 randomises election timeouts for this).
   */
  readonly jitterMs?: number;
  readonly failover?: FailoverPolicy;
  /**
   * Epochs (terms): every message carries the sender's epoch; a node that sees a newer one
   * adopts it (a leader steps down) and ignores messages from older ones; an epoch is won by a
   * majority vote, one vote per node per epoch. Default false.
   */
  readonly epochs?: boolean;
  /**
   * Majority leases: the leader serves only while a majority acknowledged a heartbeat it sent
   * less than `leaseMs` ago, and a follower votes for nobody while it heard from a leader less
   * than `leaseMs` ago. Needs `failureTimeoutMs ≥ leaseMs`. Default false.
   */
  readonly leases?: boolean;
  /**
   * PreVote (Ongaro's thesis §9.6): before campaigning, a follower asks whether a majority
   * would vote for it (no epoch is bumped, nothing persisted); a node answers yes only if it
   * has not heard from a leader for a failure timeout and the asker's log is up to date. A
   * node cut off from the others then cannot raise the epoch and depose a working leader on
   * its return. Needs `epochs`. Default false.
   */
  readonly preVote?: boolean;
  /** Lease length in ms (default: the failure timeout). */
  readonly leaseMs?: number;
  /**
   * Fencing tokens: the leader stamps each replicated write with its epoch number, and every
   * follower's storage layer refuses a write stamped lower than the highest it has accepted
   * (Kleppmann, DDIA ch. 8). Default false.
   */
  readonly fencing?: boolean;
  /** Entries per append message when a follower catches up (default 100). */
  readonly batchSize?: number;
  /** Ship new entries every this many ms in a batch instead of at once (default 0: at once). */
  readonly shipEveryMs?: number;
  /** Spare nodes that join as followers at a given time, rebuilt from a snapshot or the whole log. */
  readonly joins?: readonly { readonly node: NodeId; readonly atMs: number }[];
  /** How a joining follower is rebuilt (default `snapshot`): a snapshot of the leader's state plus the log after it, or the whole log. */
  readonly joinFrom?: "snapshot" | "log";
}

/** Every setting with its default filled in. */
export interface SingleLeaderSettings {
  readonly mode: ReplicationMode;
  readonly followers: number;
  readonly readFrom: "leader" | "any";
  readonly heartbeatMs: number;
  readonly failureTimeoutMs: number;
  readonly jitterMs: number;
  readonly failover: FailoverPolicy;
  readonly epochs: boolean;
  readonly leases: boolean;
  readonly leaseMs: number;
  readonly preVote: boolean;
  readonly fencing: boolean;
  readonly batchSize: number;
  readonly shipEveryMs: number;
  readonly joinFrom: "snapshot" | "log";
}

/** The settings of `c` for a cluster of `nodeCount` nodes, defaults filled in. Pure. */
export function settingsOf(c: SingleLeaderConfig, nodeCount: number): SingleLeaderSettings {
  const failureTimeoutMs = c.failureTimeoutMs ?? 50;
  return {
    mode: c.mode,
    followers: c.followers ?? nodeCount - 1,
    readFrom: c.readFrom ?? "leader",
    heartbeatMs: c.heartbeatMs ?? 10,
    failureTimeoutMs,
    jitterMs: c.jitterMs ?? failureTimeoutMs / 2,
    failover: c.failover ?? "most-up-to-date",
    epochs: c.epochs ?? false,
    leases: c.leases ?? false,
    leaseMs: c.leaseMs ?? failureTimeoutMs,
    preVote: c.preVote ?? false,
    fencing: c.fencing ?? false,
    batchSize: c.batchSize ?? 100,
    shipEveryMs: c.shipEveryMs ?? 0,
    joinFrom: c.joinFrom ?? "snapshot",
  };
}

/** Throws a ConfigError naming the first bad field of `c` for a cluster of `nodes`. Pure. */
export function validateSingleLeader(c: SingleLeaderConfig, nodes: readonly NodeId[]): void {
  if (c == null || typeof c !== "object") throw new ConfigError("config", "is missing", 'give { mode: "async" } (or "semi-sync", "sync")');
  requireOneOf("config.mode", c.mode, ["sync", "semi-sync", "async"] as const);
  if (c.followers !== undefined) {
    requireInteger("config.followers", c.followers, 0);
    if (c.followers > nodes.length - 1) {
      throw new ConfigError(
        "config.followers",
        `is ${c.followers} but a cluster of ${nodes.length} nodes has room for ${nodes.length - 1} followers besides the leader`,
        `use at most ${nodes.length - 1} followers, or set nodes to ${c.followers + 1} or more`,
      );
    }
  }
  if (c.readFrom !== undefined) requireOneOf("config.readFrom", c.readFrom, ["leader", "any"] as const);
  if (c.failover !== undefined) requireOneOf("config.failover", c.failover, ["none", "naive", "most-up-to-date"] as const);
  for (const flag of ["epochs", "leases", "fencing", "preVote"] as const) {
    if (c[flag] !== undefined && typeof c[flag] !== "boolean") throw new ConfigError(`config.${flag}`, `must be true or false, got ${describe(c[flag])}`, `write ${flag}: true to switch it on`);
  }
  if (c.heartbeatMs !== undefined) requirePeriod("config.heartbeatMs", c.heartbeatMs);
  if (c.failureTimeoutMs !== undefined) requirePeriod("config.failureTimeoutMs", c.failureTimeoutMs);
  if (c.jitterMs !== undefined) requireNumber("config.jitterMs", c.jitterMs, 0);
  if (c.leaseMs !== undefined) requirePeriod("config.leaseMs", c.leaseMs);
  if (c.batchSize !== undefined) requireInteger("config.batchSize", c.batchSize, 1);
  if (c.shipEveryMs !== undefined) requirePeriod("config.shipEveryMs", c.shipEveryMs, true);
  rejectMovedSettings(c);
  if (c.joinFrom !== undefined) requireOneOf("config.joinFrom", c.joinFrom, ["snapshot", "log"] as const);
  const s = settingsOf(c, nodes.length);
  if (s.failureTimeoutMs <= s.heartbeatMs) {
    throw new ConfigError(
      "config.failureTimeoutMs",
      `is ${s.failureTimeoutMs} ms, not above the heartbeat interval of ${s.heartbeatMs} ms, so followers would suspect a healthy leader between two heartbeats`,
      `set failureTimeoutMs to several heartbeats (e.g. ${3 * s.heartbeatMs} ms) or lower heartbeatMs`,
    );
  }
  if (s.preVote && !s.epochs) {
    throw new ConfigError("config.preVote", "needs epochs: a pre-vote asks whether a node would vote in the next epoch", "set epochs: true as well, or drop preVote");
  }
  if (s.leases && s.leaseMs > s.failureTimeoutMs) {
    throw new ConfigError(
      "config.leaseMs",
      `is ${s.leaseMs} ms, longer than the failure timeout of ${s.failureTimeoutMs} ms`,
      "keep leaseMs ≤ failureTimeoutMs so a follower suspects the leader only after its lease ran out",
    );
  }
  if (c.joins !== undefined) {
    if (!Array.isArray(c.joins)) throw new ConfigError("config.joins", `must be a list, got ${describe(c.joins)}`, 'write joins: [{ node: "n4", atMs: 500 }]');
    const spares = nodes.slice(1 + s.followers);
    c.joins.forEach((j, i) => {
      if (j == null || !spares.includes(j.node)) {
        throw new ConfigError(`config.joins[${i}].node`, `${describe(j?.node)} is not a spare node`, spares.length ? `use one of ${spares.join(", ")}` : "lower config.followers to leave spare nodes, or add nodes");
      }
      requireNumber(`config.joins[${i}].atMs`, j.atMs, 0);
    });
  }
}

/**
 * Settings that moved to the engine's node capacity (lib/sim/capacity.ts): a node's read
 * service time and a follower's apply thread are queues the engine models for every
 * protocol, so they are set in the simulation's `capacity`, not here. Each error says what
 * to write instead, with the value given.
 */
function rejectMovedSettings(c: SingleLeaderConfig): void {
  const old = c as { readServiceMs?: unknown; applyMs?: unknown };
  if (old.readServiceMs !== undefined) {
    const ms = typeof old.readServiceMs === "number" ? old.readServiceMs : 2;
    throw new ConfigError(
      "config.readServiceMs",
      "is no longer a single-leader setting: read service time is node capacity, modelled by the engine",
      `did you mean capacity: { serviceMs: { read: { kind: "constant", value: ${ms} } } } in the simulation config (beside config, not inside it)?`,
    );
  }
  if (old.applyMs !== undefined) {
    const example = typeof old.applyMs === "number"
      ? `capacity: { applyMs: { kind: "constant", value: ${old.applyMs} } }`
      : old.applyMs !== null && typeof old.applyMs === "object"
        ? `capacity: { byNode: { ${Object.entries(old.applyMs).map(([n, ms]) => `${n}: { applyMs: { kind: "constant", value: ${String(ms)} } }`).join(", ")} } }`
        : 'capacity: { byNode: { n3: { applyMs: { kind: "constant", value: 1 } } } }';
    throw new ConfigError(
      "config.applyMs",
      "is no longer a single-leader setting: the apply thread is the engine's apply stage (node capacity)",
      `did you mean ${example} in the simulation config (beside config, not inside it)?`,
    );
  }
}
