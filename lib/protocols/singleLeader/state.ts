/**
 * One node's state in single-leader replication, and the pure helpers that change its log.
 * Introduced in notebooks/03.00-Single-Leader-Replication.ipynb.
 */
import { Map as ImmutableMap } from "immutable";
import { append, type AppendLog, emptyLog, entryAt, slice, truncate } from "../../sim/appendLog.js";
import type { Body, Effects, Message } from "../../sim/protocol.js";
import type { NodeId } from "../../sim/trace.js";
import type { WaitingWrite } from "../shared/ackedPrefix.js";
import { entryOf as snapshotEntryOf, logHoldings, logLength as snapshotLogLength } from "../shared/snapshotLog.js";
import type { SingleLeaderSettings } from "./config.js";

/** One replicated write: its position in the log (0-based), and the epoch of the leader that wrote it. */
export interface SingleLeaderEntry {
  readonly index: number;
  readonly key: string;
  readonly value: number;
  readonly epoch: number;
}

/** What a node does: lead, follow, campaign for leadership, or wait as a spare (not yet a replica). */
export type SingleLeaderRole = "leader" | "follower" | "candidate" | "spare";

/** A write-ahead-log record. Replaying them rebuilds a node after a crash. */
export type WalRecord =
  | { readonly kind: "entry"; readonly entry: SingleLeaderEntry }
  | { readonly kind: "truncate"; readonly length: number }
  | { readonly kind: "epoch"; readonly epoch: number; readonly votedFor: NodeId | null }
  | { readonly kind: "fence"; readonly token: number }
  | { readonly kind: "snapshot"; readonly index: number; readonly kv: readonly (readonly [string, number])[] };

/**
 * What every role keeps: identity, epoch, the log and its key-value state, the WAL's
 * bookkeeping, and the follower-side read state. Notebooks read these fields on any node
 * (`role`, `epoch`, `leader`, `log`, `kv`, `committed`, `applied`).
 */
interface CommonState {
  readonly self: NodeId;
  /** The run's settings, resolved once at boot (kept here so no handler re-derives them). */
  readonly settings: SingleLeaderSettings;
  /** The newest epoch (term) this node knows of. */
  readonly epoch: number;
  /** Whom this node voted for in `epoch` (epochs on). */
  readonly votedFor: NodeId | null;
  /** The node this one believes leads, if any. */
  readonly leader: NodeId | null;
  /** The replica set: leader and followers, as this node last heard it. */
  readonly members: readonly NodeId[];
  /** Entries from `base` on; earlier ones are folded into the snapshot `baseKv`. */
  readonly log: AppendLog<SingleLeaderEntry>;
  readonly base: number;
  readonly baseKv: ImmutableMap<string, number>;
  /** The key-value state after every entry of the log. */
  readonly kv: ImmutableMap<string, number>;
  readonly walCount: number;
  /** WAL records not yet reported written: position → log length once it is. */
  readonly unpersisted: readonly { readonly wal: number; readonly end: number }[];
  /** Log length on this node's disk. */
  readonly durable: number;
  /** Follower: log length known to match the current leader's log. */
  readonly verified: number;
  /** The storage layer's highest accepted fencing token. */
  readonly fence: number;
  /** Local clock time of the last message from the leader. */
  readonly lastHeard: number;
  /** Messages to send once the WAL holds `wal` records (a vote must be on disk before it is cast); `reply`: the request they answer. */
  readonly afterPersist: readonly { readonly wal: number; readonly to: NodeId; readonly body: Body; readonly reply?: Message }[];
  /** The `msg_id` of this node's next request to another node (Maelstrom: replies carry it back as `in_reply_to`). */
  readonly msgId: number;
  /**
   * Follower: the newest append or snapshot accepted from its leader. Acknowledgements are
   * cumulative (how much is on disk and applied), so a later one answers the newest request.
   */
  readonly ackTo: Message | null;
  /** Leader: entries replicated enough to acknowledge. Follower: the leader's last word on it. */
  readonly committed: number;
  /** Reads waiting until this node's log reaches the client's session position. */
  readonly parked: readonly { readonly pos: number; readonly request: Message }[];
  /** Follower: log position its apply stage has reached (reads see the state there). */
  readonly applied: number;
  /** Follower: the key-value state after the first `applied` entries. */
  readonly appliedKv: ImmutableMap<string, number>;
  /**
   * Follower: WAL records written but not yet reported applied (the engine's apply stage,
   * lib/sim/capacity.ts): position → log length once it is applied.
   */
  readonly unapplied: readonly { readonly wal: number; readonly end: number }[];
}

/** A leader: it orders writes and tracks every follower's position (etcd raft's StateLeader). */
export interface LeaderState extends CommonState {
  readonly role: "leader";
  /** Entries each follower has on disk (and matching). */
  readonly match: Readonly<Record<NodeId, number>>;
  /** Index of the next entry to send each follower. */
  readonly next: Readonly<Record<NodeId, number>>;
  /** The latest heartbeat send time (leader's clock) each follower acknowledged, for leases. */
  readonly ackedAt: Readonly<Record<NodeId, number>>;
  /** Client writes waiting for enough copies, by log index. */
  readonly waiting: readonly WaitingWrite[];
  /** Entries handed to the network (below the log length while a shipping batch is pending). */
  readonly shipped: number;
}

/** A candidate: it asked for votes in `epoch` (epochs on) or for peers' log lengths (epochs off). */
export interface CandidateState extends CommonState {
  readonly role: "candidate";
  /** Votes received in `epoch`. */
  readonly votes: readonly NodeId[];
  /** PreVote: the nodes (itself first) that said they would vote for it; empty when not asking. */
  readonly preVotes: readonly NodeId[];
  /** Epochs off, most-up-to-date failover: peers' log lengths collected before deciding. */
  readonly positions: Readonly<Record<NodeId, number>>;
}

/**
 * A follower, or a spare not yet in the replica set. A follower running PreVote (thesis
 * §9.6) is still a follower: asking bumps no epoch and changes no role, so its pre-votes
 * live here (as on a candidate whose election timed out and asks again).
 */
export interface FollowerState extends CommonState {
  readonly role: "follower" | "spare";
  /** PreVote: the nodes (itself first) that said they would vote for it; empty when not asking. */
  readonly preVotes: readonly NodeId[];
}

/** One node's state, a union by role: leader-only and candidate-only fields live only in their variant. Immutable: handlers return a new one. */
export type SingleLeaderState = LeaderState | CandidateState | FollowerState;

/** The fields every role keeps, copied from `s` as one explicit object literal (no spread of a whole state). Pure. */
export function commonOf(s: SingleLeaderState): CommonState {
  return {
    self: s.self, settings: s.settings, epoch: s.epoch, votedFor: s.votedFor, leader: s.leader, members: s.members,
    log: s.log, base: s.base, baseKv: s.baseKv, kv: s.kv, walCount: s.walCount, unpersisted: s.unpersisted,
    durable: s.durable, verified: s.verified, fence: s.fence, lastHeard: s.lastHeard, afterPersist: s.afterPersist, msgId: s.msgId, ackTo: s.ackTo,
    committed: s.committed, parked: s.parked, applied: s.applied, appliedKv: s.appliedKv, unapplied: s.unapplied,
  };
}

/** Logical length of a node's log (snapshot base plus entries). Pure. */
export function singleLeaderLogLength(s: SingleLeaderState): number {
  return snapshotLogLength(s);
}

/** The entry at log position `i`, or undefined if absent or folded into the snapshot. Pure. */
export function entryOf(s: SingleLeaderState, i: number): SingleLeaderEntry | undefined {
  return snapshotEntryOf(s, i);
}

/** Epoch of the last entry (0 for none). Pure. */
export function lastEpoch(s: SingleLeaderState): number {
  return s.log.length ? entryAt(s.log, s.log.length - 1)!.epoch : 0;
}

/** The values of a node's log in order: the write order its leader imposed. Pure. */
export function writeOrderOf(s: SingleLeaderState): number[] {
  return slice(s.log).map((e) => e.value);
}

/** A fresh node. Pure. */
export function freshState(self: NodeId, role: "follower" | "spare", members: readonly NodeId[], leader: NodeId | null, settings: SingleLeaderSettings): FollowerState {
  const kv = ImmutableMap<string, number>();
  return {
    self, settings, role, epoch: 1, votedFor: null, leader, members,
    log: emptyLog(), base: 0, baseKv: kv, kv,
    walCount: 0, unpersisted: [], durable: 0, verified: 0, fence: 0, lastHeard: 0,
    preVotes: [], afterPersist: [], msgId: 0, ackTo: null, committed: 0, parked: [],
    applied: 0, appliedKv: kv, unapplied: [],
  };
}

/** Records `record` in the WAL; `end` is the log length it makes durable once written. Pure. */
export function persistRecord<S extends SingleLeaderState>(s: S, out: Effects, record: WalRecord, end: number | null): S {
  out.persist(record);
  const walCount = s.walCount + 1;
  return { ...s, walCount, unpersisted: end === null ? s.unpersisted : [...s.unpersisted, { wal: walCount, end }] };
}

/** Appends `e` (at the end of the log), applies it, and writes it to the WAL. Pure. */
export function appendEntry<S extends SingleLeaderState>(s: S, out: Effects, e: SingleLeaderEntry): S {
  const next = { ...s, log: append(s.log, e), kv: s.kv.set(e.key, e.value) };
  return persistRecord(next, out, { kind: "entry", entry: e }, e.index + 1);
}

function replay(baseKv: ImmutableMap<string, number>, entries: readonly SingleLeaderEntry[]): ImmutableMap<string, number> {
  return baseKv.withMutations((m) => {
    for (const e of entries) m.set(e.key, e.value);
  });
}

/**
 * Drops every entry from position `length` on (a suffix another leader never had) and
 * rebuilds the key-value state from the snapshot. Pure.
 */
export function truncateLog(s: FollowerState, out: Effects, length: number): FollowerState {
  const log = truncate(s.log, Math.max(0, length - s.base));
  // Records still on their way to disk can no longer make the dropped entries durable.
  const unpersisted = s.unpersisted.map((u) => (u.end > length ? { wal: u.wal, end: length } : u));
  const unapplied = s.unapplied.map((u) => (u.end > length ? { wal: u.wal, end: length } : u));
  const applied = Math.min(s.applied, length);
  const next: FollowerState = {
    ...s, log, kv: replay(s.baseKv, slice(log)), unpersisted, unapplied,
    applied, appliedKv: applied < s.applied ? replay(s.baseKv, slice(log, 0, applied - s.base)) : s.appliedKv,
    durable: Math.min(s.durable, length), verified: Math.min(s.verified, length),
  };
  return persistRecord(next, out, { kind: "truncate", length }, null);
}

/** Replaces the whole state before `index` with a snapshot. Pure (no WAL record). */
export function installSnapshot(s: FollowerState, index: number, kv: ImmutableMap<string, number>): FollowerState {
  return { ...s, log: emptyLog(), base: index, baseKv: kv, kv, applied: index, appliedKv: kv, verified: index };
}

/** Rebuilds a node from its durable WAL (first boot: an empty one). Pure. */
export function recoverState(base: FollowerState, wal: readonly unknown[]): FollowerState {
  let s = base;
  const cut = (length: number): void => {
    const log = truncate(s.log, Math.max(0, length - s.base));
    s = { ...s, log, kv: replay(s.baseKv, slice(log)) };
  };
  for (const r of wal as readonly WalRecord[]) {
    switch (r.kind) {
      case "entry":
        if (r.entry.index < s.base) break;
        // An entry rewritten at an earlier position replaces everything from there on.
        if (r.entry.index < singleLeaderLogLength(s)) cut(r.entry.index);
        s = { ...s, log: append(s.log, r.entry), kv: s.kv.set(r.entry.key, r.entry.value) };
        break;
      case "truncate":
        cut(r.length);
        break;
      case "epoch":
        if (r.epoch >= s.epoch) s = { ...s, epoch: r.epoch, votedFor: r.votedFor };
        break;
      case "fence":
        s = { ...s, fence: Math.max(s.fence, r.token) };
        break;
      case "snapshot":
        s = installSnapshot(s, r.index, ImmutableMap(r.kv));
        break;
    }
  }
  const length = singleLeaderLogLength(s);
  // What survived on disk counts as applied: the node replays it at boot.
  return { ...s, walCount: wal.length, durable: length, committed: 0, verified: s.base, applied: length, appliedKv: s.kv, unapplied: [] };
}

/** Every version a node holds: the current value of each key, and every value in its log. Pure. */
export function singleLeaderContents(s: SingleLeaderState): ReadonlyMap<string, readonly number[]> {
  return logHoldings(s, s.kv);
}
