/**
 * Single-leader replication: one leader orders every write in its log and ships the log, in
 * order, to its followers, which apply it and acknowledge what they have on disk. The leader
 * tracks each follower's position and answers the client after zero (async), one
 * (semi-sync) or every (sync) follower has the write. Followers answer reads if allowed.
 *
 * The leader sends heartbeats (empty appends); a follower that hears nothing for the failure
 * timeout starts a failover (naive or most-up-to-date). Three switchable protections keep a
 * deposed leader from doing harm: epochs on every message, majority leases, and fencing
 * tokens checked by each follower's storage layer. How they work is in config.ts.
 *
 * Why fencing lives in the followers' storage layer: in this model the data lives on the
 * replicas' disks, so "the storage" a deposed leader writes to is a follower's WAL. Each
 * follower's storage remembers (durably) the highest token that wrote to it and refuses an
 * older one, whatever the replication protocol above it believes; the refusal travels back as
 * a `fenced` message. It cannot undo what the deposed leader acknowledged on its own disk
 * alone (async mode): fencing protects the data, not an acknowledgement already given.
 *
 * Client sessions: every reply carries `session: { pos }`, the log position the client has
 * seen (its own write's position, or the position of the replica it read from). A client
 * that echoes it (workload `session: true`) gets read-your-writes and monotonic reads from
 * followers: a follower holds a read until its log reaches `pos`.
 *
 * Node capacity is the engine's (lib/sim/capacity.ts), not this protocol's: a read's service
 * time is `capacity.serviceMs.read`, and a slow follower is an apply stage
 * (`capacity.applyMs`). The protocol only says how much work its messages and WAL records
 * carry (`workOf`: an append's entries; `recordWorkOf`: 1 per entry) and applies entries
 * when the engine reports them applied (`onApplied`, at once on a node without a stage). A
 * follower acknowledges what is on its disk *and* applied. A leader applies each write as
 * it appends it: an apply stage on the leader costs time but holds nothing back.
 *
 * Every handler is pure: it returns the next state and records effects in `out`.
 * Introduced in notebooks/03.00-Single-Leader-Replication.ipynb and
 * notebooks/02.00-Split-Brain.ipynb.
 */
import { Map as ImmutableMap } from "immutable";
import { slice } from "../../sim/appendLog.js";
import type { Body, BootContext, Effects, Message, Protocol } from "../../sim/protocol.js";
import type { NodeId } from "../../sim/trace.js";
import { prefixHeldBy, settleWaiting } from "../shared/ackedPrefix.js";
import { planCatchUp } from "../shared/catchUp.js";
import { ERROR, errorBody } from "../shared/errorCodes.js";
import { forwardBody, unwrapForward } from "../shared/forwarding.js";
import { isFromClient, replyType } from "../shared/messages.js";
import { messageSize } from "../shared/messageSize.js";
import { SHIP_TIMER, shipLater } from "../shared/shipping.js";
import { admitToken, pickFailoverCandidate } from "./rules.js";
import { settingsOf, type SingleLeaderSettings, type SingleLeaderConfig, validateSingleLeader } from "./config.js";
import {
  appendEntry, type CandidateState, commonOf, singleLeaderContents, type SingleLeaderEntry, entryOf, type FollowerState, freshState, installSnapshot,
  lastEpoch, type LeaderState, singleLeaderLogLength, persistRecord, recoverState, type SingleLeaderState, truncateLog, type WalRecord,
} from "./state.js";

type Out = Effects<SingleLeaderConfig>;

const majority = (n: number): number => Math.floor(n / 2) + 1;
const sessionPos = (body: Body): number => {
  const session = body.session as { pos?: unknown } | undefined;
  return session != null && typeof session.pos === "number" ? session.pos : 0;
};

function followersOf(s: SingleLeaderState): NodeId[] {
  return s.members.filter((m) => m !== s.self);
}

function resetElectionTimer(out: Out, st: SingleLeaderSettings): void {
  out.setTimer("election", st.failureTimeoutMs + out.random() * st.jitterMs);
}

function leaderHint(s: SingleLeaderState): { leader?: NodeId } {
  return s.leader !== null && s.leader !== s.self ? { leader: s.leader } : {};
}

// ---- roles ----------------------------------------------------------------------------

/**
 * Steps down (or stays) as a follower of `leader` in `epoch`; answers waiting writers.
 * `fromLeader`: the cause is a message from that leader (an append or snapshot).
 */
function follow(s: SingleLeaderState, out: Out, leader: NodeId | null, epoch: number, reason: string, fromLeader: boolean): FollowerState {
  let next: SingleLeaderState = s;
  if (epoch > s.epoch) {
    next = persistRecord({ ...next, epoch, votedFor: null }, out, { kind: "epoch", epoch, votedFor: null }, null);
  }
  if (s.role === "leader") {
    out.note("step-down", { data: { epoch: s.epoch, reason } });
    // Their fate is unknown (a follower may hold them): indefinite, not failed.
    for (const w of s.waiting) out.reply(w.request, errorBody(ERROR.crash, `leader stepped down: ${reason}`, leader ? { leader } : {}));
    out.cancelTimer("heartbeat");
    out.cancelTimer(SHIP_TIMER);
  }
  const applied = s.role === "leader" ? singleLeaderLogLength(next) : next.applied;
  const appliedKv = s.role === "leader" ? next.kv : next.appliedKv;
  // Raft, Figure 2 (Ongaro & Ousterhout 2014), Rules for Servers → Followers: the election
  // timer restarts only on hearing from the current leader or on granting a vote (which
  // onVoteRequest does itself). Learning of a newer term alone (a vote request, a refused
  // vote) does not restart it, or every refused candidate would push the next election back.
  // A leader stepping down has no timer running, so it starts one.
  if (s.role === "leader" || (fromLeader && (s.role !== "follower" || s.leader !== leader))) resetElectionTimer(out, s.settings);
  const verified = leader === s.leader ? next.verified : next.base;
  // An explicit literal: the leader's and candidate's own fields are left behind.
  return {
    self: next.self, settings: next.settings, role: "follower", epoch: next.epoch, votedFor: next.votedFor, leader, members: next.members,
    log: next.log, base: next.base, baseKv: next.baseKv, kv: next.kv, walCount: next.walCount, unpersisted: next.unpersisted,
    durable: next.durable, verified, fence: next.fence, lastHeard: next.lastHeard, afterPersist: next.afterPersist, msgId: next.msgId, ackTo: next.ackTo,
    committed: next.committed, parked: next.parked, applied, appliedKv, unapplied: s.role === "leader" ? [] : next.unapplied, preVotes: [],
  };
}

function becomeLeader(s: FollowerState | CandidateState, out: Out, epoch: number): LeaderState {
  const length = singleLeaderLogLength(s);
  let before: FollowerState | CandidateState = s;
  if (epoch !== s.epoch) before = persistRecord({ ...before, epoch, votedFor: s.self }, out, { kind: "epoch", epoch, votedFor: s.self }, null);
  const followers = followersOf(s);
  const next: LeaderState = {
    ...commonOf(before), role: "leader", leader: s.self, applied: length, appliedKv: before.kv, unapplied: [],
    match: Object.fromEntries(followers.map((f) => [f, 0])),
    next: Object.fromEntries(followers.map((f) => [f, length])),
    ackedAt: {}, committed: Math.max(s.committed, 0), waiting: [], shipped: length,
  };
  out.note("leader", { data: { epoch, length } });
  out.cancelTimer("election");
  out.cancelTimer("decide");
  return heartbeat(next, out);
}

function heartbeat(s: LeaderState, out: Out): LeaderState {
  let next = s;
  for (const f of followersOf(s)) next = sendAppend(next, out, f);
  out.setTimer("heartbeat", s.settings.heartbeatMs);
  return next;
}

/** Sends follower `f` an append from its next position: new entries, or a heartbeat. */
function sendAppend(s: LeaderState, out: Out, f: NodeId): LeaderState {
  const from = s.next[f] ?? singleLeaderLogLength(s);
  if (from < s.base) return sendSnapshot(s, out, f);
  const step = planCatchUp({ from, base: s.base, snapshotIndex: s.base, preferSnapshot: false, batchSize: s.settings.batchSize, end: s.shipped });
  const to = step.kind === "entries" ? step.to : from;
  const entries = to > from ? slice(s.log, from - s.base, to - s.base) : [];
  const prev = entryOf(s, from - 1);
  out.send(f, {
    type: "append", msg_id: s.msgId, epoch: s.epoch, token: s.epoch, prevIndex: from, prevValue: prev ? prev.value : null,
    entries, commit: s.committed, sentAt: out.now, members: s.members, length: singleLeaderLogLength(s),
  });
  return { ...s, next: { ...s.next, [f]: from + entries.length }, msgId: s.msgId + 1 };
}

function sendSnapshot(s: LeaderState, out: Out, f: NodeId): LeaderState {
  const index = singleLeaderLogLength(s);
  out.send(f, { type: "snapshot", msg_id: s.msgId, epoch: s.epoch, token: s.epoch, index, kv: [...s.kv.entries()], members: s.members });
  return { ...s, next: { ...s.next, [f]: index }, msgId: s.msgId + 1 };
}

/** Whether a majority acknowledged a heartbeat sent less than `leaseMs` ago. Pure. */
export function holdsLease(s: LeaderState, now: number, leaseMs: number): boolean {
  const times = [now, ...followersOf(s).map((f) => s.ackedAt[f] ?? -Infinity)].sort((a, b) => b - a);
  return times[majority(s.members.length) - 1] + leaseMs > now;
}

/** Copies needed beyond the leader's own before a write is acknowledged. Pure. */
export function followerAcksNeeded(mode: SingleLeaderSettings["mode"], followers: number): number {
  return mode === "async" ? 0 : mode === "semi-sync" ? Math.min(1, followers) : followers;
}

/** Moves the commit point to what enough copies hold on disk; answers waiting writers. */
function advanceCommit(s: LeaderState, out: Out): LeaderState {
  const followers = followersOf(s);
  const needed = followerAcksNeeded(s.settings.mode, followers.length);
  // The leader's own disk always counts; beyond it, the `needed`-th best follower.
  const replicated = needed === 0 ? s.durable : Math.min(s.durable, prefixHeldBy(followers.map((f) => s.match[f] ?? 0), needed));
  if (replicated <= s.committed) return s;
  const waiting = settleWaiting(s.waiting, replicated, (w) => out.reply(w.request, { type: "write_ok", session: { pos: Math.max(w.index + 1, sessionPos(w.request.body)) } }));
  return { ...s, committed: replicated, waiting };
}

// ---- clients --------------------------------------------------------------------------

function refuse(s: SingleLeaderState, out: Out, req: Message, text: string): SingleLeaderState {
  out.reply(req, errorBody(ERROR.temporarilyUnavailable, text, leaderHint(s)));
  return s;
}

/**
 * A follower passes a client's request on to the leader it knows (once: a forwarded request
 * is never forwarded again, so two confused nodes cannot bounce it). The leader answers the
 * client directly.
 */
function forward(s: SingleLeaderState, out: Out, req: Message, forwarded: boolean): SingleLeaderState | null {
  if (forwarded || s.role === "leader" || s.role === "spare" || s.leader === null || s.leader === s.self) return null;
  out.send(s.leader, forwardBody(req, { msg_id: s.msgId, epoch: s.epoch }));
  return { ...s, msgId: s.msgId + 1 };
}

function onWrite(s: SingleLeaderState, out: Out, req: Message, forwarded = false): SingleLeaderState {
  const st = s.settings;
  const passed = forward(s, out, req, forwarded);
  if (passed !== null) return passed;
  if (s.role !== "leader") return refuse(s, out, req, `${s.self} is not the leader`);
  if (st.leases && !holdsLease(s, out.now, st.leaseMs)) return refuse(s, out, req, `${s.self} holds no lease`);
  const entry: SingleLeaderEntry = { index: singleLeaderLogLength(s), key: req.body.key as string, value: req.body.value as number, epoch: s.epoch };
  let next: LeaderState = appendEntry(s, out, entry);
  // Committed at the origin: replication lag is measured from here.
  out.note("commit", { key: entry.key, value: entry.value, index: entry.index });
  next = { ...next, waiting: [...next.waiting, { index: entry.index, request: req }] };
  if (shipLater(out, s.shipped, entry.index, st.shipEveryMs)) return releaseParked(next, out);
  next = { ...next, shipped: entry.index + 1 };
  for (const f of followersOf(next)) {
    // Send only to followers that are caught up; one still catching up gets it in order.
    if ((next.next[f] ?? 0) === entry.index) next = sendAppend(next, out, f);
  }
  return releaseParked(next, out);
}

/** The log position a node's reads reflect: the whole log at the leader, the applied prefix at a follower. */
function readPosition(s: SingleLeaderState): number {
  return s.role === "leader" ? singleLeaderLogLength(s) : s.applied;
}

function answerRead(s: SingleLeaderState, out: Out, req: Message): void {
  const pos = Math.max(sessionPos(req.body), readPosition(s));
  const kv = s.role === "leader" ? s.kv : s.appliedKv;
  out.reply(req, { type: "read_ok", value: kv.get(req.body.key as string) ?? null, session: { pos } });
}

function onRead(s: SingleLeaderState, out: Out, req: Message, forwarded = false): SingleLeaderState {
  const st = s.settings;
  const passed = st.readFrom === "leader" ? forward(s, out, req, forwarded) : null;
  if (passed !== null) return passed;
  if (s.role === "leader") {
    if (st.leases && !holdsLease(s, out.now, st.leaseMs)) return refuse(s, out, req, `${s.self} holds no lease`);
  } else if (s.role === "spare" || st.readFrom === "leader") {
    return refuse(s, out, req, `${s.self} does not serve reads`);
  }
  const pos = sessionPos(req.body);
  // The client has seen position `pos`: answering from a shorter log would go back in time.
  if (pos > readPosition(s)) return { ...s, parked: [...s.parked, { pos, request: req }] };
  answerRead(s, out, req);
  return s;
}

function releaseParked<S extends SingleLeaderState>(s: S, out: Out): S {
  if (s.parked.length === 0) return s;
  const length = readPosition(s);
  const still = s.parked.filter((p) => p.pos > length);
  if (still.length === s.parked.length) return s;
  for (const p of s.parked) if (p.pos <= length) answerRead(s, out, p.request);
  return { ...s, parked: still };
}

// ---- followers ------------------------------------------------------------------------

function onAppend(s: SingleLeaderState, out: Out, msg: Message): SingleLeaderState {
  const st = s.settings;
  const body = msg.body;
  const epoch = body.epoch as number;
  let next: SingleLeaderState = s;
  if (st.epochs && epoch < s.epoch) {
    out.reply(msg, { type: "append_ok", success: false, epoch: s.epoch, stale: true, hint: 0 });
    return s;
  }
  if (st.fencing) {
    const token = body.token as number;
    if (!admitToken(s.fence, token).accept) {
      // The storage layer refuses the write, whoever the protocol thinks leads.
      out.note("fenced", { data: { from: msg.src, token, fence: s.fence } });
      out.reply(msg, { type: "fenced", epoch: s.epoch, token: s.fence });
      return s;
    }
    if (token > s.fence) next = persistRecord({ ...next, fence: token }, out, { kind: "fence", token }, null);
  }
  if (st.epochs) {
    if (epoch > next.epoch || next.role !== "follower" || next.leader !== msg.src) next = follow(next, out, msg.src, epoch, `${msg.src} leads epoch ${epoch}`, true);
  } else if (next.role === "leader") {
    // Two leaders meet. Without epochs the rule is arbitrary but deterministic: the longer
    // log wins, ties go to the lower node id. The loser's extra entries will be overwritten.
    const theirs = body.length as number;
    const mine = singleLeaderLogLength(next);
    const theyWin = theirs > mine || (theirs === mine && msg.src < next.self);
    if (!theyWin) return next;
    next = follow(next, out, msg.src, Math.max(epoch, next.epoch), `${msg.src} has the longer log`, true);
  } else if (next.role !== "follower" || next.leader !== msg.src) {
    next = follow(next, out, msg.src, Math.max(epoch, next.epoch), `heard from ${msg.src}`, true);
  }
  // Every branch above leaves a follower of msg.src (or returned early).
  let f: FollowerState = { ...(next as FollowerState), lastHeard: out.now, members: body.members as NodeId[], committed: body.commit as number, ackTo: msg };
  resetElectionTimer(out, st);

  const prevIndex = body.prevIndex as number;
  const length = singleLeaderLogLength(f);
  if (prevIndex > length) {
    out.reply(msg, { type: "append_ok", success: false, epoch: f.epoch, hint: length });
    return f;
  }
  const prev = entryOf(f, prevIndex - 1);
  if (prev !== undefined && prev.value !== body.prevValue) {
    // Our entry at prevIndex − 1 came from another leader: back up past its whole epoch.
    let hint = prevIndex - 1;
    while (hint > f.base && entryOf(f, hint - 1)!.epoch === prev.epoch) hint--;
    out.reply(msg, { type: "append_ok", success: false, epoch: f.epoch, hint });
    return f;
  }
  for (const e of body.entries as SingleLeaderEntry[]) {
    if (e.index < f.base) continue;
    const mine = entryOf(f, e.index);
    if (mine !== undefined && mine.value === e.value) continue; // a duplicate
    if (mine !== undefined) {
      out.note("truncate", { index: e.index, data: { from: singleLeaderLogLength(f) } });
      f = truncateLog(f, out, e.index);
    }
    f = appendEntry(f, out, e);
  }
  const verified = prevIndex + (body.entries as SingleLeaderEntry[]).length;
  f = { ...f, verified };
  out.reply(msg, { type: "append_ok", success: true, epoch: f.epoch, length: ackPosition(f), received: verified, sentAt: body.sentAt });
  return releaseParked(f, out);
}

function onSnapshot(s: SingleLeaderState, out: Out, msg: Message): SingleLeaderState {
  const body = msg.body;
  // A leader (its leader is itself) or a candidate (its leader is null) follows no one: only a
  // spare or a follower of msg.src installs it.
  if (s.role === "leader" || s.role === "candidate" || (s.role !== "spare" && s.leader !== msg.src)) return s;
  const index = body.index as number;
  const pairs = body.kv as [string, number][];
  let next = installSnapshot({ ...s, role: "follower", leader: msg.src, epoch: Math.max(s.epoch, body.epoch as number) }, index, ImmutableMap(pairs));
  next = persistRecord(next, out, { kind: "snapshot", index, kv: pairs }, index);
  next = { ...next, members: body.members as NodeId[], lastHeard: out.now, ackTo: msg };
  // "install": the lag metric counts every write before `index` as applied here.
  out.note("install", { index, data: { keys: pairs.length } });
  out.cancelTimer("join");
  resetElectionTimer(out, s.settings);
  return next;
}

/** What a follower acknowledges: entries on its disk, matching the leader, and applied. Pure. */
function ackPosition(s: SingleLeaderState): number {
  return Math.min(s.durable, s.verified, s.applied);
}

/**
 * The apply stage has worked through the first `appliedWal` WAL records (at once when the
 * node has none; see lib/sim/capacity.ts): the follower applies the entries they end at,
 * releases reads waiting for them, and acknowledges. No record newly applied: nothing to do.
 */
function applyThrough<S extends SingleLeaderState>(s: S, out: Out, appliedWal: number): S {
  if (s.role === "leader" || s.unapplied.length === 0 || s.unapplied[0].wal > appliedWal) return s;
  let k = 0;
  let end = s.applied;
  while (k < s.unapplied.length && s.unapplied[k].wal <= appliedWal) end = s.unapplied[k++].end;
  let next: S = { ...s, unapplied: s.unapplied.slice(k) };
  // Never beyond what is on disk and still in the log (a truncation may have cut it).
  const target = Math.min(end, next.durable, singleLeaderLogLength(next));
  if (target > next.applied) {
    let kv = next.appliedKv;
    for (let i = Math.max(next.applied, next.base); i < target; i++) {
      const e = entryOf(next, i)!;
      kv = kv.set(e.key, e.value);
      out.note("apply", { key: e.key, value: e.value, index: e.index });
    }
    next = releaseParked({ ...next, applied: target, appliedKv: kv }, out);
  }
  return acknowledge(next, out);
}

/** A follower tells its leader how much it has on disk and applied (a cumulative acknowledgement). */
function acknowledge<S extends SingleLeaderState>(s: S, out: Out): S {
  if (s.leader === null || s.leader === s.self) return s;
  const ackTo = s.ackTo;
  // The answer (append_ok or snapshot_ok) to the newest request from the leader.
  if (ackTo !== null && ackTo.src === s.leader) {
    out.reply(ackTo, { type: replyType(ackTo.body.type), success: true, epoch: s.epoch, length: ackPosition(s), sentAt: null });
    return s;
  }
  // No request from this leader yet (not reached in practice): the same report, one way.
  out.send(s.leader, { type: "persisted", msg_id: s.msgId, success: true, epoch: s.epoch, length: ackPosition(s), sentAt: null });
  return { ...s, msgId: s.msgId + 1 };
}

// ---- elections ------------------------------------------------------------------------

function startFailover(s: FollowerState | CandidateState, out: Out): SingleLeaderState {
  const st = s.settings;
  if (st.failover === "none" || s.role === "spare" || !s.members.includes(s.self)) return s;
  out.note("suspect", { data: { leader: s.leader, epoch: s.epoch } });
  const peers = followersOf(s);
  if (st.epochs && st.preVote && majority(s.members.length) > 1) {
    // PreVote (thesis §9.6): ask first, without bumping the epoch; campaign on a majority.
    let msgId = s.msgId;
    for (const p of peers) out.send(p, { type: "pre_vote", msg_id: msgId++, epoch: s.epoch, proposed: s.epoch + 1, length: singleLeaderLogLength(s), lastEpoch: lastEpoch(s) });
    resetElectionTimer(out, st);
    return { ...s, preVotes: [s.self], msgId };
  }
  return st.epochs ? campaign(s, out) : failoverWithoutEpochs(s, out);
}

/** Campaigns for the next epoch: a majority must vote, one vote per node per epoch (Raft §5.2). */
function campaign(s: FollowerState | CandidateState, out: Out): CandidateState | LeaderState {
  const st = s.settings;
  const peers = followersOf(s);
  const epoch = s.epoch + 1;
  const candidate: CandidateState = { ...commonOf(s), role: "candidate", leader: null, epoch, votedFor: s.self, votes: [s.self], preVotes: [], positions: {} };
  let next = persistRecord(candidate, out, { kind: "epoch", epoch, votedFor: s.self }, null);
  resetElectionTimer(out, st);
  if (majority(s.members.length) <= 1) return becomeLeader(next, out, epoch);
  const wal = next.walCount;
  const requests = peers.map((p, i) => ({ wal, to: p, body: { type: "vote_request", msg_id: next.msgId + i, epoch, length: singleLeaderLogLength(s), lastEpoch: lastEpoch(s) } }));
  next = { ...next, afterPersist: [...next.afterPersist, ...requests], msgId: next.msgId + peers.length };
  return next;
}

function failoverWithoutEpochs(s: FollowerState | CandidateState, out: Out): CandidateState | LeaderState {
  const st = s.settings;
  const peers = followersOf(s);
  if (st.failover === "naive") return becomeLeader({ ...s, leader: null }, out, s.epoch + 1);
  // Most up to date, without epochs: ask the others how long their logs are, then decide.
  let msgId = s.msgId;
  for (const p of peers) out.send(p, { type: "position", msg_id: msgId++, epoch: s.epoch });
  out.setTimer("decide", st.failureTimeoutMs / 2);
  resetElectionTimer(out, st);
  return { ...commonOf(s), msgId, role: "candidate", leader: null, positions: {}, votes: s.role === "candidate" ? s.votes : [], preVotes: s.preVotes };
}

/** Whether a candidate's log (`length`, `epoch` of its last entry) is at least as up to date as `s`'s (Raft §5.4.1). Pure. */
export function atLeastAsUpToDate(s: SingleLeaderState, length: number, epoch: number): boolean {
  const mine = lastEpoch(s);
  return epoch > mine || (epoch === mine && length >= singleLeaderLogLength(s));
}

function onVoteRequest(s: SingleLeaderState, out: Out, msg: Message): SingleLeaderState {
  const st = s.settings;
  const body = msg.body;
  const epoch = body.epoch as number;
  // Lease holders' followers stay loyal: no vote while the leader was heard within the lease.
  const loyal = st.leases && ((s.role === "follower" && s.leader !== null && out.now - s.lastHeard < st.leaseMs) || (s.role === "leader" && holdsLease(s, out.now, st.leaseMs)));
  if (epoch < s.epoch || loyal) {
    out.reply(msg, { type: replyType("vote_request"), epoch: s.epoch, granted: false });
    return s;
  }
  let next = epoch > s.epoch ? follow(s, out, null, epoch, `${msg.src} campaigns in epoch ${epoch}`, false) : s;
  const free = next.votedFor === null || next.votedFor === msg.src;
  const upToDate = st.failover === "naive" || atLeastAsUpToDate(next, body.length as number, body.lastEpoch as number);
  if (!free || !upToDate) {
    out.reply(msg, { type: replyType("vote_request"), epoch: next.epoch, granted: false });
    return next;
  }
  next = persistRecord({ ...next, votedFor: msg.src }, out, { kind: "epoch", epoch: next.epoch, votedFor: msg.src }, null);
  resetElectionTimer(out, st);
  // The vote is cast once it is on disk, so a restart cannot vote twice in one epoch.
  const reply = { type: replyType("vote_request"), epoch: next.epoch, granted: true };
  return { ...next, afterPersist: [...next.afterPersist, { wal: next.walCount, to: msg.src, body: reply, reply: msg }] };
}

/**
 * A pre-vote request (thesis §9.6): would this node vote for the asker in epoch `proposed`?
 * Yes only if the epoch is new to it, it has not heard from a leader within the failure
 * timeout (a leader itself says no), and the asker's log is at least as up to date. Nothing
 * changes here: no epoch adopted, no vote recorded, no timer reset.
 */
function onPreVote(s: SingleLeaderState, out: Out, msg: Message): SingleLeaderState {
  const st = s.settings;
  const body = msg.body;
  const heardLeader = s.role === "leader" || (s.role === "follower" && s.leader !== null && out.now - s.lastHeard < st.failureTimeoutMs);
  const upToDate = st.failover === "naive" || atLeastAsUpToDate(s, body.length as number, body.lastEpoch as number);
  out.reply(msg, { type: replyType("pre_vote"), epoch: s.epoch, granted: (body.proposed as number) > s.epoch && !heardLeader && upToDate });
  return s;
}

function onPreVoteReply(s: FollowerState | CandidateState, out: Out, msg: Message): SingleLeaderState {
  if (s.preVotes.length === 0 || msg.body.granted !== true || s.preVotes.includes(msg.src)) return s;
  const preVotes = [...s.preVotes, msg.src];
  return preVotes.length >= majority(s.members.length) ? campaign({ ...s, preVotes: [] }, out) : { ...s, preVotes };
}

function onVote(s: SingleLeaderState, out: Out, msg: Message): SingleLeaderState {
  const body = msg.body;
  if (s.role !== "candidate" || body.epoch !== s.epoch || body.granted !== true || s.votes.includes(msg.src)) return s;
  const votes = [...s.votes, msg.src];
  const next = { ...s, votes };
  return votes.length >= majority(s.members.length) ? becomeLeader(next, out, s.epoch) : next;
}

function decide(s: CandidateState, out: Out): SingleLeaderState {
  const candidates = [{ node: s.self, length: singleLeaderLogLength(s) }, ...Object.entries(s.positions).map(([node, length]) => ({ node, length }))];
  if (pickFailoverCandidate(candidates) !== s.self) return { ...commonOf(s), role: "follower", preVotes: s.preVotes };
  return becomeLeader(s, out, s.epoch + 1);
}

// ---- the protocol ---------------------------------------------------------------------

function onNodeMessage(s: SingleLeaderState, out: Out, msg: Message): SingleLeaderState {
  const st = s.settings;
  const body = msg.body;
  if (body.type === "vote_request") return onVoteRequest(s, out, msg);
  let next = s;
  // Epochs: a newer epoch anywhere means this node's view is stale.
  if (st.epochs && typeof body.epoch === "number" && body.epoch > s.epoch && body.type !== "append" && body.type !== "snapshot") {
    next = follow(s, out, null, body.epoch, `saw epoch ${body.epoch}`, false);
  }
  // Messages every role handles alike; the rest go to the step function of this node's role.
  switch (body.type) {
    case "append":
      return s.role === "spare" && !isJoining(s, out) ? s : onAppend(next, out, msg);
    case "snapshot":
      if (st.epochs && (body.epoch as number) < s.epoch) return s;
      return onSnapshot(next, out, msg);
    case "pre_vote":
      return onPreVote(next, out, msg);
    case "forward": {
      const req = unwrapForward(msg, next.self);
      return req.body.type === "write" ? onWrite(next, out, req, true) : onRead(next, out, req, true);
    }
    case "position":
      out.reply(msg, { type: replyType("position"), epoch: next.epoch, length: singleLeaderLogLength(next) });
      return next;
  }
  switch (next.role) {
    case "leader":
      return stepLeader(next, out, msg);
    case "candidate":
      return stepCandidate(next, out, msg);
    default:
      return stepFollower(next, out, msg);
  }
}

/**
 * A leader's own messages: followers' acknowledgements and refusals, a fencing refusal, a
 * spare asking to join. As etcd's raft `stepLeader`. Pure; records effects in `out`.
 */
function stepLeader(s: LeaderState, out: Out, msg: Message): SingleLeaderState {
  const st = s.settings;
  const body = msg.body;
  switch (body.type) {
    case "append_ok":
    case "snapshot_ok":
    case "persisted": {
      // Maelstrom style: the reply to an append is `append_ok`; `success: false` is Raft's
      // refusal (a gap, a mismatched entry, or a stale epoch), with a hint where to resume.
      if (body.success === false) return onAppendRefused(s, out, msg);
      if (st.epochs && body.epoch !== s.epoch) return s;
      const length = body.length as number;
      const match = { ...s.match, [msg.src]: Math.max(s.match[msg.src] ?? 0, length) };
      const ackedAt = typeof body.sentAt === "number" ? { ...s.ackedAt, [msg.src]: Math.max(s.ackedAt[msg.src] ?? -Infinity, body.sentAt) } : s.ackedAt;
      let after = advanceCommit({ ...s, match, ackedAt }, out);
      // A follower catching up gets its next batch as soon as it has the last one.
      const nx = after.next[msg.src] ?? 0;
      if (typeof body.received === "number" && body.received >= nx && nx < after.shipped) after = sendAppend(after, out, msg.src);
      return after;
    }
    case "fenced":
      if ((body.token as number) <= s.epoch) return s;
      out.note("fenced-off", { data: { by: msg.src, token: body.token, epoch: s.epoch } });
      return follow(s, out, null, Math.max(s.epoch, body.token as number), `fenced off by ${msg.src} (token ${body.token})`, false);
    case "join": {
      const members = s.members.includes(msg.src) ? s.members : [...s.members, msg.src];
      const grown = { ...s, members, match: { ...s.match, [msg.src]: 0 } };
      out.note("member-added", { data: { node: msg.src } });
      if (st.joinFrom === "snapshot") return sendSnapshot(grown, out, msg.src);
      return sendAppend({ ...grown, next: { ...grown.next, [msg.src]: 0 } }, out, msg.src);
    }
    default:
      return s;
  }
}

/** A candidate's own messages: votes, pre-votes, and (epochs off) peers' log positions. As etcd's `stepCandidate`. Pure. */
function stepCandidate(s: CandidateState, out: Out, msg: Message): SingleLeaderState {
  const body = msg.body;
  switch (body.type) {
    case "vote_request_ok":
      return onVote(s, out, msg);
    case "pre_vote_ok":
      return onPreVoteReply(s, out, msg);
    case "position_ok":
      // Without epochs the epoch is only a counter (the fencing token): keep it the highest seen.
      return { ...s, epoch: Math.max(s.epoch, body.epoch as number), positions: { ...s.positions, [msg.src]: body.length as number } };
    default:
      return s;
  }
}

/** A follower's (or spare's) own messages: answers to its pre-votes. As etcd's `stepFollower`. Pure. */
function stepFollower(s: FollowerState, out: Out, msg: Message): SingleLeaderState {
  return msg.body.type === "pre_vote_ok" ? onPreVoteReply(s, out, msg) : s;
}

/** A follower refused an append: resume from its hint. */
function onAppendRefused(s: LeaderState, out: Out, msg: Message): LeaderState {
  const body = msg.body;
  if (body.stale === true) return s; // handled by the caller: it carried a newer epoch
  const hint = body.hint as number;
  const after = { ...s, next: { ...s.next, [msg.src]: Math.min(s.next[msg.src] ?? hint, hint) }, match: { ...s.match, [msg.src]: Math.min(s.match[msg.src] ?? 0, hint) } };
  return sendAppend(after, out, msg.src);
}

/** A leader's timers: heartbeats and batched shipping. A stale election or apply timer does nothing. Pure. */
function tickLeader(s: LeaderState, name: string, out: Out): SingleLeaderState {
  switch (name) {
    case "heartbeat":
      return heartbeat(s, out);
    case SHIP_TIMER: {
      let next: LeaderState = { ...s, shipped: singleLeaderLogLength(s) };
      for (const f of followersOf(next)) next = sendAppend(next, out, f);
      return next;
    }
    default:
      return s;
  }
}

/** A candidate's timers: the election timer (campaign again), the decision (epochs off). Pure. */
function tickCandidate(s: CandidateState, name: string, out: Out): SingleLeaderState {
  switch (name) {
    case "election":
      return startFailover(s, out);
    case "decide":
      return decide(s, out);
    default:
      return s;
  }
}

/** A follower's (or spare's) timers: the election timer, a spare's request to join. Pure. */
function tickFollower(s: FollowerState, name: string, out: Out): SingleLeaderState {
  switch (name) {
    case "election":
      return startFailover(s, out);
    case "join":
      if (s.role !== "spare") return s;
      let msgId = s.msgId;
      for (const n of out.nodes) if (n !== s.self) out.send(n, { type: "join", msg_id: msgId++, epoch: s.epoch });
      out.setTimer("join", s.settings.failureTimeoutMs);
      return { ...s, msgId };
    default:
      return s;
  }
}

function isJoining(s: SingleLeaderState, out: Out): boolean {
  return (out.config.joins ?? []).some((j) => j.node === s.self);
}

/**
 * Single-leader replication (see the module comment). Pure handlers over `SingleLeaderState`.
 * Introduced in notebooks/03.00-Single-Leader-Replication.ipynb.
 */
export const singleLeader: Protocol<SingleLeaderState, SingleLeaderConfig> = {
  name: "single-leader",

  validate: validateSingleLeader,

  init(ctx: BootContext<SingleLeaderConfig>, out: Out): SingleLeaderState {
    // Settings are resolved once per boot and kept in the state: no module-level cache.
    const st = settingsOf(ctx.config, ctx.nodes.length);
    const members = ctx.nodes.slice(0, 1 + st.followers);
    const first = ctx.nodes[0];
    const isMember = members.includes(ctx.self);
    let s = recoverState(freshState(ctx.self, isMember ? "follower" : "spare", members, first, st), ctx.durable);
    if (!isMember && (s.base > 0 || s.log.length > 0)) s = { ...s, role: "follower", members: [...members, ctx.self], leader: null };
    s = { ...s, lastHeard: out.now };
    if (s.role === "spare") {
      const join = (ctx.config.joins ?? []).find((j) => j.node === ctx.self);
      if (join && !ctx.restarted) out.setTimer("join", join.atMs);
      return s;
    }
    if (ctx.self === first && (!ctx.restarted || st.failover === "none")) {
      // The first node leads at boot (and, with failover off, again after a restart).
      return becomeLeader({ ...s, role: "follower" }, out, s.epoch);
    }
    resetElectionTimer(out, st);
    return { ...s, leader: ctx.restarted ? null : first };
  },

  onMessage(s: SingleLeaderState, msg: Message, out: Out): SingleLeaderState {
    if (isFromClient(msg, out.nodes)) {
      switch (msg.body.type) {
        case "write":
          return onWrite(s, out, msg);
        case "read":
          return onRead(s, out, msg);
        default:
          out.reply(msg, errorBody(ERROR.notSupported, `${msg.body.type} is not supported by single-leader replication`));
          return s;
      }
    }
    return onNodeMessage(s, out, msg);
  },

  onTimer(s: SingleLeaderState, name: string, out: Out): SingleLeaderState {
    // Time is one more input, stepped by role (etcd raft's tickHeartbeat / tickElection).
    switch (s.role) {
      case "leader":
        return tickLeader(s, name, out);
      case "candidate":
        return tickCandidate(s, name, out);
      default:
        return tickFollower(s, name, out);
    }
  },

  onPersisted(s: SingleLeaderState, written: number, out: Out): SingleLeaderState {
    let next = s;
    if (s.afterPersist.length > 0 && s.afterPersist[0].wal <= written) {
      const ready = s.afterPersist.filter((a) => a.wal <= written);
      for (const a of ready) {
        if (a.reply !== undefined) out.reply(a.reply, a.body);
        else out.send(a.to, a.body);
      }
      next = { ...next, afterPersist: s.afterPersist.filter((a) => a.wal > written) };
    }
    let k = 0;
    let durable = next.durable;
    while (k < next.unpersisted.length && next.unpersisted[k].wal <= written) durable = next.unpersisted[k++].end;
    if (k === 0) return next;
    const done = next.unpersisted.slice(0, k);
    next = { ...next, durable: Math.min(durable, singleLeaderLogLength(next)), unpersisted: next.unpersisted.slice(k) };
    if (next.role === "leader") return advanceCommit(next, out);
    // A follower applies what is written once its apply stage gets to it (onApplied).
    return { ...next, unapplied: [...next.unapplied, ...done] };
  },

  onApplied(s: SingleLeaderState, applied: number, out: Out): SingleLeaderState {
    return applyThrough(s, out, applied);
  },

  /** Capacity's unit of work (perUnitMs): an entry an append carries, a key a snapshot installs. */
  workOf(body: Body): number {
    if (body.type === "append") return (body.entries as readonly unknown[]).length;
    if (body.type === "snapshot") return (body.kv as readonly unknown[]).length;
    return 0;
  },

  /** The apply stage's unit of work (applyMs): one per log entry; epoch, fence, truncate and snapshot records cost nothing. */
  recordWorkOf(record: unknown): number {
    return (record as WalRecord).kind === "entry" ? 1 : 0;
  },

  messageTypes: [
    "append", "append_ok", "snapshot", "snapshot_ok", "persisted", "fenced", "join", "forward",
    "position", "position_ok", "vote_request", "vote_request_ok", "pre_vote", "pre_vote_ok",
  ],

  contents: singleLeaderContents,

  sizeOf: messageSize,
};
