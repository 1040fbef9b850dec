/**
 * The CDC consumer: a node that follows the leader's log and rebuilds a copy of the data
 * (a cache: key → value), as Debezium's connectors do with a database's log.
 *
 * 1. **Initial snapshot.** It asks the leader for its whole key-value state and the log
 *    position the state corresponds to, installs it, and commits that position.
 * 2. **Streaming.** It polls every partition of the change stream for the changes after its
 *    position there, applies them in order, and moves its position on.
 * 3. **Offsets.** Every `commitEveryMs` it writes its positions to disk. The copy (the sink) is
 *    written through at once. A crash loses the positions read since the last commit, so on
 *    restart the consumer reads those changes again and applies them a second time: delivery is
 *    at-least-once, and the copy is right only if applying a change twice does no harm.
 *
 * Beside the copy it keeps a counter of changes per key (how many writes the key had since
 * the snapshot), which is *not* idempotent: a duplicate adds one more. The checker shows the
 * copy converges and the counter does not.
 *
 * Pure handlers over an immutable `ConsumerState`; effects are recorded in `out`.
 *
 * Introduced in notebooks/01.01-Many-Servers.ipynb.
 */
import { Map as ImmutableMap } from "immutable";
import type { Effects, Message } from "../sim/protocol.js";
import type { NodeId } from "../sim/trace.js";
import type { CdcConsumerSettings } from "./config.js";

/** One change of the stream: a write the leader logged at `index`. */
export interface CdcChange {
  readonly index: number;
  readonly key: string;
  readonly value: number;
}

/** The consumer's durable records: the snapshot it installed, one key's applied state, its committed positions. */
export type ConsumerRecord =
  | { readonly kind: "snapshot"; readonly offset: number; readonly kv: readonly (readonly [string, number])[] }
  | { readonly kind: "apply"; readonly key: string; readonly value: number; readonly seen: number; readonly count: number }
  | { readonly kind: "offsets"; readonly positions: readonly number[] };

/** The consumer's state. Immutable: handlers return a new one. */
export interface ConsumerState {
  readonly role: "consumer";
  readonly self: NodeId;
  readonly leader: NodeId;
  readonly settings: CdcConsumerSettings;
  /** `snapshot` until the initial snapshot is installed, then `streaming`. */
  readonly phase: "snapshot" | "streaming";
  /** The log position of the installed snapshot (−1 before one is installed). */
  readonly snapshotOffset: number;
  /** The copy: key → value (durable, as the sink is). */
  readonly copy: ImmutableMap<string, number>;
  /** Per key, the highest log index delivered so far (the snapshot counts as offset − 1). */
  readonly seen: ImmutableMap<string, number>;
  /** Per key, changes delivered since the snapshot, duplicates included (not idempotent). */
  readonly counts: ImmutableMap<string, number>;
  /** Per partition, the log position read up to (in memory: lost in a crash). */
  readonly positions: readonly number[];
  /** Per partition, the positions last committed to disk. */
  readonly committed: readonly number[];
  /** Per partition, whether a poll is out. */
  readonly polling: readonly boolean[];
  readonly msgId: number;
}

/** The timers of the consumer. */
export const CONSUMER_TIMERS = { start: "cdc-start", poll: "cdc-poll", commit: "cdc-commit" } as const;

/** The partition of `key` among `partitions`: a stable hash, so one key always lands in one partition. Pure. */
export function partitionOf(key: string, partitions: number, hash: (s: string) => number): number {
  return hash(key) % partitions;
}

/** A consumer at boot: fresh, or rebuilt from its durable records after a crash. Records effects. Pure. */
export function bootConsumer(self: NodeId, leader: NodeId, settings: CdcConsumerSettings, durable: readonly unknown[], restarted: boolean, out: Effects): ConsumerState {
  const p = settings.partitions;
  let s: ConsumerState = {
    role: "consumer", self, leader, settings, phase: "snapshot", snapshotOffset: -1,
    copy: ImmutableMap(), seen: ImmutableMap(), counts: ImmutableMap(),
    positions: new Array<number>(p).fill(0), committed: new Array<number>(p).fill(0), polling: new Array<boolean>(p).fill(false),
    msgId: 0,
  };
  // Replay what the sink and the offset store hold: the copy survives, the positions go back to the last commit.
  for (const raw of durable) {
    const r = raw as ConsumerRecord;
    if (r.kind === "snapshot") {
      const seen = ImmutableMap(r.kv.map(([k]) => [k, r.offset - 1] as [string, number]));
      const positions = new Array<number>(p).fill(r.offset);
      s = { ...s, phase: "streaming", snapshotOffset: r.offset, copy: ImmutableMap(r.kv.map(([k, v]) => [k, v] as [string, number])), seen, counts: ImmutableMap(), positions, committed: positions };
    } else if (r.kind === "apply") {
      s = { ...s, copy: s.copy.set(r.key, r.value), seen: s.seen.set(r.key, r.seen), counts: s.counts.set(r.key, r.count) };
    } else {
      s = { ...s, positions: r.positions.slice(), committed: r.positions.slice() };
    }
  }
  if (s.phase === "streaming") return startStreaming(s, out);
  // First boot: connect at startMs. After a crash before the snapshot was installed: at once.
  if (!restarted && settings.startMs > 0) {
    out.setTimer(CONSUMER_TIMERS.start, settings.startMs);
    return s;
  }
  return askSnapshot(s, out);
}

function askSnapshot(s: ConsumerState, out: Effects): ConsumerState {
  out.send(s.leader, { type: "cdc_snapshot", msg_id: s.msgId });
  return { ...s, msgId: s.msgId + 1 };
}

function startStreaming(s: ConsumerState, out: Effects): ConsumerState {
  out.setTimer(CONSUMER_TIMERS.commit, s.settings.commitEveryMs);
  return pollIdle(s, out);
}

/** Sends a poll to every partition that has none out. */
function pollIdle(s: ConsumerState, out: Effects): ConsumerState {
  let msgId = s.msgId;
  const polling = s.polling.slice();
  for (let p = 0; p < polling.length; p++) {
    if (polling[p]) continue;
    out.send(s.leader, { type: "cdc_poll", msg_id: msgId++, partition: p, from: s.positions[p], max: s.settings.batchSize });
    polling[p] = true;
  }
  out.setTimer(CONSUMER_TIMERS.poll, s.settings.pollEveryMs);
  return { ...s, polling, msgId };
}

/** Applies one delivered change to the copy, the counter and the bookkeeping; persists the key's new state. */
function applyChange(s: ConsumerState, c: CdcChange, out: Effects): ConsumerState {
  const seenBefore = s.seen.get(c.key) ?? -1;
  const duplicate = c.index <= seenBefore;
  const count = (s.counts.get(c.key) ?? 0) + 1;
  // Versioned apply skips a change older than what the copy holds; overwrite applies it anyway.
  const write = s.settings.apply === "overwrite" || !duplicate;
  const value = write ? c.value : s.copy.get(c.key)!;
  const seen = Math.max(seenBefore, c.index);
  out.persist({ kind: "apply", key: c.key, value, seen, count } satisfies ConsumerRecord);
  // Overwrite applying a replayed change over a newer value takes the key back in time until the replay catches up.
  if (duplicate && write && value !== s.copy.get(c.key)) out.note("regress", { key: c.key, value: c.value, index: c.index });
  if (duplicate) out.note("duplicate", { key: c.key, value: c.value, index: c.index });
  else out.note("apply", { key: c.key, value: c.value, index: c.index });
  // Deliveries, duplicates and reorderings are read from these notes (checkCdcCopy), not kept here: a crash would wipe them.
  return { ...s, copy: s.copy.set(c.key, value), seen: s.seen.set(c.key, seen), counts: s.counts.set(c.key, count) };
}

/** Handles a message from the leader: the snapshot, or a partition's changes. Pure; records effects. */
export function consumerOnMessage(s: ConsumerState, msg: Message, out: Effects): ConsumerState {
  const b = msg.body;
  if (b.type === "cdc_snapshot_ok" && s.phase === "snapshot") {
    const kv = b.kv as readonly (readonly [string, number])[];
    const offset = b.offset as number;
    out.persist({ kind: "snapshot", offset, kv } satisfies ConsumerRecord);
    // Every write the leader logged before `offset` is now in the copy (the lag metric reads this note).
    out.note("install", { index: offset });
    const positions = new Array<number>(s.settings.partitions).fill(offset);
    const next: ConsumerState = {
      ...s, phase: "streaming", snapshotOffset: offset,
      copy: ImmutableMap(kv.map(([k, v]) => [k, v] as [string, number])), seen: ImmutableMap(kv.map(([k]) => [k, offset - 1] as [string, number])),
      positions, committed: positions,
    };
    return startStreaming(next, out);
  }
  if (b.type === "cdc_poll_ok" && s.phase === "streaming") {
    const p = b.partition as number;
    // A reply to a poll sent before a crash, or for a position already passed: ignore it.
    if (!s.polling[p] || b.from !== s.positions[p]) return s;
    let next = s;
    for (const c of b.entries as readonly CdcChange[]) next = applyChange(next, c, out);
    const positions = next.positions.slice();
    positions[p] = b.next as number;
    const polling = next.polling.slice();
    polling[p] = false;
    next = { ...next, positions, polling };
    // A full batch means more is waiting: ask again at once instead of at the next tick.
    if ((b.entries as readonly CdcChange[]).length >= s.settings.batchSize) {
      out.send(s.leader, { type: "cdc_poll", msg_id: next.msgId, partition: p, from: positions[p], max: s.settings.batchSize });
      polling[p] = true;
      return { ...next, polling: polling.slice(), msgId: next.msgId + 1 };
    }
    return next;
  }
  return s;
}

/** Handles the consumer's timers: poll idle partitions; commit positions. Pure; records effects. */
export function consumerOnTimer(s: ConsumerState, name: string, out: Effects): ConsumerState {
  if (name === CONSUMER_TIMERS.start && s.phase === "snapshot") return askSnapshot(s, out);
  if (name === CONSUMER_TIMERS.poll && s.phase === "streaming") return pollIdle(s, out);
  if (name === CONSUMER_TIMERS.commit && s.phase === "streaming") {
    out.setTimer(CONSUMER_TIMERS.commit, s.settings.commitEveryMs);
    if (s.positions.every((x, i) => x === s.committed[i])) return s;
    out.persist({ kind: "offsets", positions: s.positions.slice() } satisfies ConsumerRecord);
    out.note("offsets", { data: { positions: s.positions.slice() } });
    return { ...s, committed: s.positions.slice() };
  }
  return s;
}

/** The changes of partition `p` in `log` from position `from`: at most `max` of them, and the position after the last one scanned. Pure. */
export function changesFrom(
  length: number, entryAt: (i: number) => CdcChange | undefined, p: number, partitionOfKey: (key: string) => number, from: number, max: number,
): { entries: CdcChange[]; next: number } {
  const entries: CdcChange[] = [];
  let i = Math.max(0, from);
  while (i < length && entries.length < max) {
    const e = entryAt(i);
    if (e !== undefined && partitionOfKey(e.key) === p) entries.push({ index: e.index, key: e.key, value: e.value });
    i++;
  }
  return { entries, next: i };
}
