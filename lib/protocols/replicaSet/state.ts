/**
 * One member's state in a replica set, its write-ahead-log records, and the pure helpers
 * that change its oplog.
 * Introduced in notebooks/06.00-Replica-Sets.ipynb.
 */
import { Map as ImmutableMap } from "immutable";
import { append, type AppendLog, emptyLog, entryAt, slice, truncate } from "../../sim/appendLog.js";
import type { Body, Effects, Message } from "../../sim/protocol.js";
import type { NodeId } from "../../sim/trace.js";
import { applyEntries, applyEntry, NO_OPTIME, type OpTime, type OplogEntry } from "./oplog.js";
import type { RollbackRecord } from "./rollback.js";
import type { Settings } from "./config.js";

/** A member's state, MongoDB's names (replSetGetStatus `stateStr`). */
export type MemberState = "PRIMARY" | "SECONDARY" | "ARBITER" | "STARTUP2" | "ROLLBACK" | "RECOVERING";

/** What a member knows of another from heartbeats and position reports. Plain data. */
export interface MemberView {
  readonly state: MemberState | "UNKNOWN";
  readonly term: number;
  readonly applied: OpTime;
  readonly durable: OpTime;
  /** The member's clock when this member last heard from it (ms); -Infinity: never. */
  readonly lastHeard: number;
  /** Heard from within heartbeatTimeoutSecs, as of this member's last check. */
  readonly up: boolean;
  /** Measured heartbeat round trip (ms; an average). */
  readonly pingMs: number;
  readonly syncSource: NodeId | null;
  /** The `wall` time of its newest entry (ms). */
  readonly lastWall: number;
}

/** A write-ahead-log record (MongoDB keeps these in its journal, local.oplog.rs and local.replset.election). */
export type WalRecord =
  | { readonly kind: "entry"; readonly entry: OplogEntry }
  | { readonly kind: "entries"; readonly entries: readonly OplogEntry[] }
  | { readonly kind: "truncate"; readonly index: number }
  | { readonly kind: "term"; readonly term: number; readonly vote: { readonly term: number; readonly candidate: NodeId | null } }
  | { readonly kind: "snapshot"; readonly base: OpTime; readonly wall: number; readonly data: readonly (readonly [string, number])[] }
  | { readonly kind: "rollback"; readonly record: RollbackRecord };

/** One member's state. Immutable: handlers return a new one. */
export interface ReplicaSetState {
  readonly self: NodeId;
  /** The run's settings, resolved once at boot (no module-level cache: a config edited between runs is read afresh). */
  readonly settings: Settings;
  readonly role: MemberState;
  readonly term: number;
  readonly lastVote: { readonly term: number; readonly candidate: NodeId | null };
  /** Oplog entries after `base` (the capped oplog's window); earlier ones are folded into `baseData`. */
  readonly oplog: AppendLog<OplogEntry>;
  readonly base: OpTime;
  readonly baseWall: number;
  readonly baseData: ImmutableMap<string, number>;
  /** The data after every entry of the oplog (what "local" reads see). */
  readonly data: ImmutableMap<string, number>;
  /** Newest index on this member's disk (journal). */
  readonly durableIndex: number;
  readonly walCount: number;
  readonly unpersisted: readonly { readonly wal: number; readonly index: number }[];
  readonly afterPersist: readonly { readonly wal: number; readonly to: NodeId; readonly body: Body }[];
  /** The majority commit point as this member knows it, and the data as of it ("majority" reads). */
  readonly commitPoint: OpTime;
  readonly committedIndex: number;
  readonly committedData: ImmutableMap<string, number>;
  /** What this member sees of every other member. */
  readonly view: Readonly<Record<NodeId, MemberView>>;
  /** The member this one believes is primary. */
  readonly primary: NodeId | null;
  readonly syncSource: NodeId | null;
  /** Id of the fetch in flight (0: none). */
  readonly fetchId: number;
  readonly seq: number;
  /** Fetches waiting here for new entries (MongoDB's awaitData getMore). */
  readonly held: readonly Message[];
  /** A candidate's election: dry run or real, its term, votes so far. */
  readonly election: { readonly dryRun: boolean; readonly term: number; readonly votes: readonly NodeId[]; readonly reason: string } | null;
  readonly takeoverArmed: boolean;
  /** A new primary catching up: members heard from, the freshest optime seen. */
  readonly catchUp: { readonly replies: readonly NodeId[]; readonly target: OpTime; readonly from: NodeId | null } | null;
  /** A primary that finished catching up and accepts writes. */
  readonly writable: boolean;
  readonly waitingWrites: readonly { readonly index: number; readonly request: Message }[];
  readonly waitingReads: readonly { readonly index: number; readonly request: Message; readonly value: number | null }[];
  /** Rollback data: what each rollback undid (MongoDB's rollback files). */
  readonly rollbacks: readonly RollbackRecord[];
  /** Initial sync in progress: the source, the clone received, when it started. */
  readonly initialSync: { readonly source: NodeId; readonly startedAt: number; readonly clone: { readonly base: OpTime; readonly wall: number; readonly data: readonly (readonly [string, number])[] } | null } | null;
}

/** Index of the newest entry (0: none). Pure. */
export function lastIndex(s: ReplicaSetState): number {
  return s.base.index + s.oplog.length;
}

/** The newest entry's optime. Pure. */
export function lastOpTime(s: ReplicaSetState): OpTime {
  if (s.oplog.length === 0) return s.base;
  const e = entryAt(s.oplog, s.oplog.length - 1)!;
  return { term: e.term, index: e.index };
}

/** The `wall` time of the newest entry. Pure. */
export function lastWall(s: ReplicaSetState): number {
  return s.oplog.length === 0 ? s.baseWall : entryAt(s.oplog, s.oplog.length - 1)!.wall;
}

/** The entry at `index`, if it is inside the window. Pure. */
export function entryOf(s: ReplicaSetState, index: number): OplogEntry | undefined {
  return index <= s.base.index ? undefined : entryAt(s.oplog, index - s.base.index - 1);
}

/** The term of the entry at `index` (the base's term at the window's edge; undefined outside the window). Pure. */
export function termAt(s: ReplicaSetState, index: number): number | undefined {
  if (index === s.base.index) return s.base.term;
  return entryOf(s, index)?.term;
}

/** The entries after `index`, at most `max`. Pure. */
export function entriesAfter(s: ReplicaSetState, index: number, max: number): OplogEntry[] {
  const from = index - s.base.index;
  return slice(s.oplog, from, Math.min(s.oplog.length, from + max));
}

/** A member that has never run. Pure. */
export function freshState(self: NodeId, settings: Settings): ReplicaSetState {
  const empty = ImmutableMap<string, number>();
  return {
    self, settings, role: "SECONDARY", term: 0, lastVote: { term: 0, candidate: null },
    oplog: emptyLog(), base: NO_OPTIME, baseWall: 0, baseData: empty, data: empty,
    durableIndex: 0, walCount: 0, unpersisted: [], afterPersist: [],
    commitPoint: NO_OPTIME, committedIndex: 0, committedData: empty,
    view: {}, primary: null, syncSource: null, fetchId: 0, seq: 0, held: [],
    election: null, takeoverArmed: false, catchUp: null, writable: false,
    waitingWrites: [], waitingReads: [], rollbacks: [], initialSync: null,
  };
}

/** Records `record` in the WAL; `index` is the oplog index it makes durable once written (null: none). Pure. */
export function persist(s: ReplicaSetState, out: Effects<unknown>, record: WalRecord, index: number | null): ReplicaSetState {
  out.persist(record);
  const walCount = s.walCount + 1;
  return { ...s, walCount, unpersisted: index === null ? s.unpersisted : [...s.unpersisted, { wal: walCount, index }] };
}

/** Appends `e` (the next index), applies it, and journals it. Pure. */
export function appendEntry(s: ReplicaSetState, out: Effects<unknown>, e: OplogEntry): ReplicaSetState {
  const next = { ...s, oplog: append(s.oplog, e), data: applyEntry(s.data, e) };
  return persist(next, out, { kind: "entry", entry: e }, e.index);
}

/** Appends a fetched batch (consecutive, starting right after the newest entry), applies it, and journals it as one record. Pure. */
export function appendBatch(s: ReplicaSetState, out: Effects<unknown>, entries: readonly OplogEntry[]): ReplicaSetState {
  if (entries.length === 0) return s;
  if (entries.length === 1) return appendEntry(s, out, entries[0]);
  let oplog = s.oplog;
  for (const e of entries) oplog = append(oplog, e);
  const next = { ...s, oplog, data: applyEntries(s.data, entries) };
  return persist(next, out, { kind: "entries", entries }, entries[entries.length - 1].index);
}

/**
 * Keeps the oplog within `cap` entries: when it is a tenth over, the oldest entries are
 * folded into the base data (MongoDB's capped collection drops them; our fold keeps the
 * data they produced). Pure.
 */
export function capOplog(s: ReplicaSetState, cap: number): ReplicaSetState {
  if (s.oplog.length <= cap + Math.max(1, Math.floor(cap / 10))) return s;
  const drop = s.oplog.length - cap;
  const dropped = slice(s.oplog, 0, drop);
  const last = dropped[dropped.length - 1];
  let oplog = emptyLog<OplogEntry>();
  for (const e of slice(s.oplog, drop)) oplog = append(oplog, e);
  return { ...s, oplog, base: { term: last.term, index: last.index }, baseWall: last.wall, baseData: applyEntries(s.baseData, dropped) };
}

/** Drops every entry after `index` and rebuilds the data from the base. Pure (no WAL record). */
export function cutAfter(s: ReplicaSetState, index: number): ReplicaSetState {
  const oplog = truncate(s.oplog, Math.max(0, index - s.base.index));
  const unpersisted = s.unpersisted.map((u) => (u.index > index ? { wal: u.wal, index } : u));
  return { ...s, oplog, data: applyEntries(s.baseData, slice(oplog)), unpersisted, durableIndex: Math.min(s.durableIndex, index) };
}

/** Moves the data "majority" reads see up to the commit point (never beyond the oplog's end). Pure. */
export function advanceCommitted(s: ReplicaSetState): ReplicaSetState {
  const to = Math.min(s.commitPoint.index, lastIndex(s));
  if (to <= s.committedIndex) return s;
  const from = Math.max(s.committedIndex, s.base.index);
  const data = s.committedIndex < s.base.index ? s.baseData : s.committedData;
  return { ...s, committedIndex: to, committedData: applyEntries(data, entriesAfter(s, from, to - from)) };
}

/** Rebuilds a member from its durable WAL (an empty one on first boot). Pure. */
export function recoverState(base: ReplicaSetState, wal: readonly unknown[]): ReplicaSetState {
  let s = base;
  for (const r of wal as readonly WalRecord[]) {
    switch (r.kind) {
      case "entry":
        if (r.entry.index <= s.base.index) break;
        // An entry rewritten at an earlier index replaces everything from there on.
        if (r.entry.index <= lastIndex(s)) s = cutAfter(s, r.entry.index - 1);
        s = { ...s, oplog: append(s.oplog, r.entry), data: applyEntry(s.data, r.entry) };
        break;
      case "entries":
        for (const e of r.entries) {
          if (e.index <= s.base.index) continue;
          if (e.index <= lastIndex(s)) s = cutAfter(s, e.index - 1);
          s = { ...s, oplog: append(s.oplog, e), data: applyEntry(s.data, e) };
        }
        break;
      case "truncate":
        s = cutAfter(s, r.index);
        break;
      case "term":
        s = { ...s, term: Math.max(s.term, r.term), lastVote: r.vote.term >= s.lastVote.term ? r.vote : s.lastVote };
        break;
      case "snapshot": {
        const data = ImmutableMap(r.data);
        s = { ...s, oplog: emptyLog(), base: r.base, baseWall: r.wall, baseData: data, data, committedIndex: r.base.index, committedData: data };
        break;
      }
      case "rollback":
        s = { ...s, rollbacks: [...s.rollbacks, r.record] };
        break;
    }
  }
  return { ...s, walCount: wal.length, unpersisted: [], durableIndex: lastIndex(s) };
}

/** Every value a member holds: the current value of each key, and every value in its oplog. Pure. */
export function contentsOf(s: ReplicaSetState): ReadonlyMap<string, readonly number[]> {
  const m = new Map<string, number[]>();
  for (const [k, v] of s.data) m.set(k, [v]);
  for (const e of slice(s.oplog)) {
    if (e.op !== "set") continue;
    const list = m.get(e.key);
    if (list === undefined) m.set(e.key, [e.value]);
    else if (!list.includes(e.value)) list.push(e.value);
  }
  return m;
}

/** The entries of a member's oplog window, oldest first. Pure. */
export function oplogEntries(s: ReplicaSetState): OplogEntry[] {
  return slice(s.oplog);
}
