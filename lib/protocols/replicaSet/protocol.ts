/**
 * A MongoDB-style replica set (protocol version 1): a primary writes every operation to its
 * oplog; secondaries pull the oplog from a sync source and apply it; every member sends
 * every other a heartbeat every `heartbeatIntervalMillis` and marks one unheard for
 * `heartbeatTimeoutSecs` as down; a secondary that hears no primary for
 * `electionTimeoutMillis` (+ up to 15 %) calls an election (dry run, then a real one);
 * a primary that sees no majority steps down; a new primary catches up from fresher
 * members, writes a no-op and then accepts writes; a member that finds its oplog diverged
 * from its sync source rolls back to the common point and keeps what it undid as rollback
 * data; a member that fell off its source's oplog window resyncs (initial sync).
 * Clients' writes wait for the write concern, reads follow the read concern and preference.
 *
 * The rules live in small pure modules (elections.ts, writeConcern.ts, rollback.ts,
 * syncSource.ts, oplog.ts); this file wires them to messages and timers. Sources: the
 * MongoDB manual pages cited in each module.
 *
 * Simplifications, said here and in notebook 06: clients reach a member and that member
 * plays the driver (it forwards a request to the member the read preference or the primary
 * names; real drivers monitor every member and route themselves); heartbeat requests, not
 * only replies, count as hearing from a member; a member that fell off the oplog window
 * resyncs by itself (MongoDB waits for an operator); no hidden or delayed members, no tag
 * sets, no catch-up takeover; one sync source rule (syncSource.ts).
 *
 * Every handler is pure: it returns the next state and records effects in `out`.
 * Introduced in notebooks/06.00-Replica-Sets.ipynb.
 */
import { Map as ImmutableMap } from "immutable";
import type { Body, BootContext, Effects, Message, Protocol } from "../../sim/protocol.js";
import type { NodeId } from "../../sim/trace.js";
import { emptyLog, slice } from "../../sim/appendLog.js";
import { ERROR, errorBody } from "../shared/errorCodes.js";
import { forwardBody, unwrapForward } from "../shared/forwarding.js";
import { messageSize } from "../shared/messageSize.js";
import { isFromClient } from "../shared/messages.js";
import { type ReplicaSetConfig, settingsOf, type Settings, validateReplicaSet } from "./config.js";
import { decideVote, electable, electionTimeoutWithOffset, isMajority, majorityOf, priorityTakeoverDelay } from "./elections.js";
import { compareOpTime, NO_OPTIME, type OpTime, type OplogEntry } from "./oplog.js";
import { divergentSuffix, findCommonPoint, type RollbackRecord } from "./rollback.js";
import {
  advanceCommitted, appendBatch, appendEntry, capOplog, contentsOf, cutAfter, entriesAfter, freshState, lastIndex, lastOpTime,
  lastWall, type MemberView, persist, type ReplicaSetState, recoverState, termAt,
} from "./state.js";
import { chooseSyncSource } from "./syncSource.js";
import { type MemberProgress, satisfiedIndex } from "./writeConcern.js";

type Out = Effects<ReplicaSetConfig>;
type S = ReplicaSetState;

/** The run's settings, resolved at boot and kept in the member's state. */
const settings = (s: ReplicaSetState): Settings => s.settings;

const UNKNOWN_VIEW: MemberView = { state: "UNKNOWN", term: 0, applied: NO_OPTIME, durable: NO_OPTIME, lastHeard: -Infinity, up: false, pingMs: 1000, syncSource: null, lastWall: 0 };

function isArbiter(st: Settings, id: NodeId): boolean {
  return st.byId.get(id)?.arbiter === true;
}

function durableOpTime(s: S): OpTime {
  return s.durableIndex === lastIndex(s) ? lastOpTime(s) : { term: termAt(s, s.durableIndex) ?? 0, index: s.durableIndex };
}

/** Sends a request stamped with this boot's next msg_id (Maelstrom: every request has one, replies name it). */
function request(s: S, out: Out, to: NodeId, body: Body): S {
  const id = s.seq + 1;
  out.send(to, { ...body, msg_id: id });
  return { ...s, seq: id };
}

function resetElectionTimer(out: Out, st: Settings): void {
  out.setTimer("election", electionTimeoutWithOffset(st.electionTimeoutMs, out.random()));
}

// ---- terms, roles ---------------------------------------------------------------------

/** Adopts a newer term (durably); a primary steps down, a candidate gives up. */
function adoptTerm(s: S, out: Out, term: number, reason: string): S {
  if (term <= s.term) return s;
  let next = persist({ ...s, term }, out, { kind: "term", term, vote: s.lastVote }, null);
  if (s.role === "PRIMARY") next = stepDown(next, out, reason);
  return { ...next, election: null };
}

function stepDown(s: S, out: Out, reason: string): S {
  if (s.role !== "PRIMARY") return s;
  out.note("step-down", { data: { term: s.term, reason } });
  // Their fate is unknown: a secondary may hold them and a later primary keep them.
  for (const w of s.waitingWrites) out.reply(w.request, { type: "error", code: ERROR.crash, text: `primary stepped down: ${reason}` });
  for (const r of s.waitingReads) out.reply(r.request, { type: "error", code: ERROR.temporarilyUnavailable, text: `primary stepped down: ${reason}` });
  out.cancelTimer("catchup");
  resetElectionTimer(out, settings(s));
  return { ...s, role: "SECONDARY", primary: null, writable: false, catchUp: null, waitingWrites: [], waitingReads: [], syncSource: null, fetchId: 0 };
}

function becomePrimary(s: S, out: Out): S {
  const st = settings(s);
  out.note("primary", { data: { term: s.term, index: lastIndex(s) } });
  out.cancelTimer("election");
  out.cancelTimer("takeover");
  let next: S = { ...s, role: "PRIMARY", primary: s.self, election: null, takeoverArmed: false, writable: false, syncSource: null, fetchId: 0, catchUp: { replies: [s.self], target: lastOpTime(s), from: null } };
  // Catch-up: learn the freshest optime of the others from a round of heartbeats.
  next = sendHeartbeats(next, out);
  if (st.catchUpTimeoutMs >= 0) out.setTimer("catchup", st.catchUpTimeoutMs);
  next = checkCatchUp(next, out);
  return next;
}

/** A new primary finished catching up (or gave up): it writes a no-op in its term and accepts writes. */
function finishCatchUp(s: S, out: Out, reason: string): S {
  if (s.role !== "PRIMARY" || s.catchUp === null) return s;
  out.cancelTimer("catchup");
  out.note("writable", { data: { term: s.term, reason } });
  let next: S = { ...s, catchUp: null, writable: true, syncSource: null, fetchId: 0 };
  next = appendNoop(next, out);
  return advanceWrites(next, out);
}

function checkCatchUp(s: S, out: Out): S {
  const c = s.catchUp;
  if (s.role !== "PRIMARY" || c === null) return s;
  const st = settings(s);
  if (compareOpTime(lastOpTime(s), c.target) >= 0 && c.replies.filter((r) => st.voters.includes(r)).length >= majorityOf(st.voters.length)) {
    return finishCatchUp(s, out, "caught up");
  }
  if (compareOpTime(lastOpTime(s), c.target) < 0 && c.from !== null && s.fetchId === 0) {
    return sendFetch({ ...s, syncSource: c.from }, out);
  }
  return s;
}

// ---- heartbeats -----------------------------------------------------------------------

function heartbeatBody(s: S, out: Out, type: string): Body {
  return {
    type, term: s.term, state: s.role, applied: lastOpTime(s), durable: durableOpTime(s), commitPoint: s.commitPoint,
    primary: s.primary, syncSource: s.syncSource, lastWall: lastWall(s), sentAt: out.now,
  };
}

function sendHeartbeats(s: S, out: Out): S {
  const body = heartbeatBody(s, out, "heartbeat");
  let next = s;
  for (const n of out.nodes) if (n !== s.self) next = request(next, out, n, body);
  return next;
}

/** Updates the view of `src` from a heartbeat (request or reply). */
function heard(s: S, out: Out, src: NodeId, b: Body, rtt: number | null): S {
  const old = s.view[src] ?? UNKNOWN_VIEW;
  const pingMs = rtt === null ? old.pingMs : old.lastHeard === -Infinity || old.pingMs === UNKNOWN_VIEW.pingMs ? rtt : 0.8 * old.pingMs + 0.2 * rtt;
  const applied = b.applied as OpTime;
  const durable = b.durable as OpTime;
  const v: MemberView = {
    state: b.state as MemberView["state"], term: b.term as number,
    // Positions only grow within a term; a rollback or a new term may move them back.
    applied, durable, lastHeard: out.now, up: true, pingMs, syncSource: (b.syncSource as NodeId | null) ?? null, lastWall: b.lastWall as number,
  };
  let next: S = { ...s, view: { ...s.view, [src]: v } };
  if (v.state === "PRIMARY" && v.term >= next.term && next.role !== "PRIMARY") {
    next = { ...next, primary: src };
    resetElectionTimer(out, settings(s));
  } else if (next.primary === src && v.state !== "PRIMARY") {
    next = { ...next, primary: null };
  }
  next = learnCommitPoint(next, b.commitPoint as OpTime, false);
  if (next.role === "PRIMARY") next = advanceWrites(next, out);
  // A secondary without a sync source chooses one as soon as it hears of a primary.
  else if (next.role === "SECONDARY" && next.syncSource === null && v.state === "PRIMARY") next = pickSyncSource(next, out);
  else if (next.role === "STARTUP2" && next.initialSync === null && v.state === "PRIMARY") next = startInitialSync(next, out);
  return next;
}

/**
 * Adopts a newer commit point, but only for entries this member holds on the same branch:
 * from its sync source (whose oplog matches ours up to our newest entry) capped at our
 * newest entry; from anyone else only if our entry at that point, or our newest entry
 * below it, has the commit point's term.
 */
function learnCommitPoint(s: S, cp: OpTime | undefined, fromSyncSource: boolean): S {
  if (cp === undefined || compareOpTime(cp, s.commitPoint) <= 0 || s.role === "PRIMARY") return s;
  const index = Math.min(cp.index, lastIndex(s));
  if (!fromSyncSource && termAt(s, index) !== cp.term) return s;
  const point = index === cp.index ? cp : { term: termAt(s, index) ?? cp.term, index };
  if (compareOpTime(point, s.commitPoint) <= 0) return s;
  return advanceCommitted({ ...s, commitPoint: point });
}

function onHeartbeatTick(state: S, out: Out): S {
  let s = state;
  const st = settings(s);
  out.setTimer("heartbeat", st.heartbeatIntervalMs);
  s = sendHeartbeats(s, out);
  // Mark down every member unheard for heartbeatTimeoutSecs.
  const view: Record<NodeId, MemberView> = {};
  for (const [id, v] of Object.entries(s.view)) view[id] = { ...v, up: out.now - v.lastHeard < st.heartbeatTimeoutMs };
  let next: S = { ...s, view };
  if (next.primary !== null && next.role !== "PRIMARY" && !(view[next.primary]?.up ?? false)) next = { ...next, primary: null };
  if (next.role === "PRIMARY") {
    // A primary that has not heard from a majority of voters within the election timeout steps down.
    const seen = st.voters.filter((v) => v === s.self || out.now - (view[v]?.lastHeard ?? -Infinity) < st.electionTimeoutMs);
    if (!isMajority(seen, st.voters)) return stepDown(next, out, "cannot see a majority of the voting members");
    return next;
  }
  if (next.role === "ARBITER") return next;
  if (next.role === "STARTUP2" || next.role === "RECOVERING") return startInitialSync(next, out);
  if (next.role === "SECONDARY") {
    if (next.syncSource === null || !(view[next.syncSource]?.up ?? false)) next = pickSyncSource(next, out);
    next = considerTakeover(next, out);
  }
  return next;
}

// ---- elections ------------------------------------------------------------------------

function canStand(s: S, st: Settings): boolean {
  const m = st.byId.get(s.self)!;
  return s.role === "SECONDARY" && electable(m);
}

function startElection(s: S, out: Out, reason: string): S {
  const st = settings(s);
  if (!canStand(s, st)) return s;
  resetElectionTimer(out, st);
  const term = s.term + 1;
  out.note("dry-run", { data: { term, reason } });
  const body = { type: "request_vote", term, candidate: s.self, lastOpTime: lastOpTime(s), dryRun: true };
  let next: S = { ...s, election: { dryRun: true, term, votes: [s.self], reason } };
  for (const v of st.voters) if (v !== s.self) next = request(next, out, v, body);
  return tallyVotes(next, out);
}

function startRealElection(s: S, out: Out): S {
  const st = settings(s);
  const term = s.term + 1;
  out.note("election", { data: { term, reason: s.election!.reason } });
  const vote = { term, candidate: s.self };
  let next: S = persist({ ...s, term, lastVote: vote, election: { ...s.election!, dryRun: false, term, votes: [s.self] } }, out, { kind: "term", term, vote }, null);
  // The vote for itself must be on disk before it asks anyone else.
  const body = { type: "request_vote", term, candidate: s.self, lastOpTime: lastOpTime(s), dryRun: false };
  const after = st.voters.filter((v) => v !== s.self).map((to, i) => ({ wal: next.walCount, to, body: { ...body, msg_id: next.seq + 1 + i } }));
  next = { ...next, seq: next.seq + after.length, afterPersist: [...next.afterPersist, ...after] };
  return tallyVotes(next, out);
}

function tallyVotes(s: S, out: Out): S {
  const e = s.election;
  if (e === null || !isMajority(e.votes, settings(s).voters)) return s;
  return e.dryRun ? startRealElection(s, out) : becomePrimary(s, out);
}

function onRequestVote(s: S, out: Out, msg: Message): S {
  const b = msg.body;
  let next = s;
  if (!b.dryRun) next = adoptTerm(next, out, b.term as number, `${msg.src} runs for term ${b.term}`);
  const decision = decideVote(
    { term: next.term, lastVote: next.lastVote, lastOpTime: next.role === "ARBITER" ? NO_OPTIME : lastOpTime(next) },
    { candidate: msg.src, term: b.term as number, lastOpTime: b.lastOpTime as OpTime, dryRun: b.dryRun === true },
  );
  const reply = { type: "vote", in_reply_to: b.msg_id, term: next.term, voteTerm: b.term, dryRun: b.dryRun, granted: decision.granted, reason: decision.reason };
  if (!decision.granted || b.dryRun) {
    out.send(msg.src, reply);
    return next;
  }
  const vote = { term: b.term as number, candidate: msg.src };
  next = persist({ ...next, lastVote: vote }, out, { kind: "term", term: next.term, vote }, null);
  // A vote counts only once it is on disk: a crash must not let this member vote twice in a term.
  resetElectionTimer(out, settings(s));
  return { ...next, afterPersist: [...next.afterPersist, { wal: next.walCount, to: msg.src, body: reply }] };
}

function onVote(s: S, out: Out, msg: Message): S {
  const b = msg.body;
  const e = s.election;
  if (e === null || b.voteTerm !== e.term || b.dryRun !== e.dryRun || b.granted !== true || e.votes.includes(msg.src)) return s;
  return tallyVotes({ ...s, election: { ...e, votes: [...e.votes, msg.src] } }, out);
}

/** A higher-priority secondary that is caught up arms a takeover after its priority delay. */
function considerTakeover(s: S, out: Out): S {
  const st = settings(s);
  const me = st.byId.get(s.self)!;
  const p = s.primary;
  const pv = p === null ? undefined : s.view[p];
  const ok = p !== null && pv !== undefined && pv.up && pv.state === "PRIMARY" && electable(me) && me.priority > st.byId.get(p)!.priority && lastWall(s) >= pv.lastWall - st.takeoverFreshnessMs;
  if (!ok) {
    if (s.takeoverArmed) out.cancelTimer("takeover");
    return s.takeoverArmed ? { ...s, takeoverArmed: false } : s;
  }
  if (s.takeoverArmed) return s;
  out.setTimer("takeover", priorityTakeoverDelay(me, st.members, st.electionTimeoutMs, out.random()));
  return { ...s, takeoverArmed: true };
}

// ---- oplog fetching -------------------------------------------------------------------

function pickSyncSource(s: S, out: Out): S {
  const st = settings(s);
  const source = chooseSyncSource(s.self, lastOpTime(s), s.view, st.dataBearing, st.chainingAllowed);
  if (source === s.syncSource && s.fetchId !== 0) return s;
  if (source !== s.syncSource) out.note("sync-source", { data: { from: source } });
  const next: S = { ...s, syncSource: source, fetchId: 0 };
  return source === null ? next : sendFetch(next, out);
}

function sendFetch(s: S, out: Out): S {
  if (s.syncSource === null) return s;
  const id = s.seq + 1;
  out.send(s.syncSource, { type: "fetch", msg_id: id, term: s.term, after: lastOpTime(s), fetchId: id });
  out.setTimer("fetch-timeout", settings(s).awaitDataMs + settings(s).heartbeatIntervalMs);
  return { ...s, seq: id, fetchId: id };
}

/** A sync source answers a fetch: entries after the requester's last optime, or why it cannot. */
function serveFetch(s: S, out: Out, msg: Message, mayHold: boolean): S {
  const st = settings(s);
  const after = msg.body.after as OpTime;
  const base = { term: s.term, commitPoint: s.commitPoint, state: s.role, primary: s.primary, fetchId: msg.body.fetchId };
  if (s.role === "ARBITER" || s.role === "STARTUP2" || s.role === "ROLLBACK" || s.role === "RECOVERING") {
    out.reply(msg, { type: "fetch_behind", ...base });
    return s;
  }
  if (after.index < s.base.index) {
    out.reply(msg, { type: "fetch_stale", ...base, oldest: s.base.index });
    return s;
  }
  if (after.index > lastIndex(s)) {
    out.reply(msg, { type: compareOpTime(lastOpTime(s), after) > 0 ? "fetch_diverged" : "fetch_behind", ...base });
    return s;
  }
  if (termAt(s, after.index) !== after.term) {
    out.reply(msg, { type: "fetch_diverged", ...base });
    return s;
  }
  const entries = entriesAfter(s, after.index, st.batchSize);
  if (entries.length === 0 && mayHold) return { ...s, held: [...s.held, msg] };
  out.reply(msg, { type: "fetch_ok", ...base, entries, lastWall: lastWall(s) });
  return s;
}

/** Answers every fetch held here (new entries arrived, or the await time is up). */
function releaseHeld(s: S, out: Out): S {
  if (s.held.length === 0) return s;
  let next: S = { ...s, held: [] };
  for (const m of s.held) next = serveFetch(next, out, m, false);
  return next;
}

function onFetchReply(s: S, out: Out, msg: Message): S {
  const b = msg.body;
  if (b.fetchId !== s.fetchId || msg.src !== s.syncSource) return s;
  out.cancelTimer("fetch-timeout");
  let next: S = { ...s, fetchId: 0 };
  if (b.state === "PRIMARY" && (b.term as number) >= next.term && next.role !== "PRIMARY") {
    next = { ...next, primary: msg.src };
    resetElectionTimer(out, settings(s));
  }
  switch (b.type) {
    case "fetch_ok": {
      const entries = b.entries as OplogEntry[];
      const before = lastIndex(next);
      const skip = entries.findIndex((e) => e.index === lastIndex(next) + 1);
      // A batch that repeats entries we hold skips them (applying twice would be harmless anyway).
      if (skip >= 0) next = appendBatch(next, out, skip === 0 ? entries : entries.slice(skip));
      next = capOplog(next, settings(s).oplogSizeEntries);
      next = learnCommitPoint(next, b.commitPoint as OpTime, true);
      // The position is reported once the batch is journaled (onPersisted): one report per batch.
      if (lastIndex(next) > before) {
        // One note per batch (not per entry): how far this member applied, for propagation delays.
        out.note("apply-batch", { index: lastIndex(next) });
        next = releaseHeld(next, out);
      }
      if (next.role === "PRIMARY") return checkCatchUp(next, out);
      return sendFetch(next, out);
    }
    case "fetch_diverged":
      if (next.role === "PRIMARY") return finishCatchUp(next, out, "catch-up source diverged");
      return startRollback(next, out, msg.src);
    case "fetch_stale":
      if (next.role === "PRIMARY") return finishCatchUp(next, out, "catch-up source too far ahead");
      out.note("too-stale", { data: { source: msg.src, oldest: b.oldest, mine: lastIndex(next) } });
      return startInitialSync({ ...next, role: "RECOVERING", syncSource: null }, out);
    default:
      // fetch_behind: the source has nothing newer; choose again at the next heartbeat.
      if (next.role === "PRIMARY") return finishCatchUp(next, out, "no fresher member");
      return { ...next, syncSource: null };
  }
}

/** Tells the sync source (and through it the primary) how far this member applied and journaled. */
function reportPosition(s: S, out: Out, extra: Readonly<Record<NodeId, { applied: OpTime; durable: OpTime }>> = {}): S {
  if (s.syncSource === null || s.role === "PRIMARY") return s;
  return request(s, out, s.syncSource, { type: "update_position", term: s.term, positions: { ...extra, [s.self]: { applied: lastOpTime(s), durable: durableOpTime(s) } } });
}

function onUpdatePosition(s: S, out: Out, msg: Message): S {
  const positions = msg.body.positions as Record<NodeId, { applied: OpTime; durable: OpTime }>;
  const view = { ...s.view };
  for (const [id, p] of Object.entries(positions)) {
    if (id === s.self) continue;
    const old = view[id] ?? UNKNOWN_VIEW;
    view[id] = { ...old, applied: p.applied, durable: p.durable };
  }
  const next: S = { ...s, view };
  if (next.role === "PRIMARY") return advanceWrites(next, out);
  // Chained: pass the positions upstream, toward the primary.
  return reportPosition(next, out, positions);
}

// ---- rollback and initial sync ---------------------------------------------------------

function startRollback(s: S, out: Out, source: NodeId): S {
  // Majority-committed entries are never rolled back: look from the commit point on.
  const from = Math.max(s.base.index, s.commitPoint.index);
  const terms = entriesAfter(s, from, lastIndex(s) - from).map((e) => e.term);
  return request({ ...s, role: "ROLLBACK", syncSource: source, fetchId: 0 }, out, source, { type: "rollback_query", term: s.term, from, count: terms.length + 1 });
}

function onRollbackQuery(s: S, out: Out, msg: Message): S {
  const from = msg.body.from as number;
  const count = msg.body.count as number;
  const terms: (number | null)[] = [];
  for (let i = from; i < from + count && i <= lastIndex(s); i++) terms.push(termAt(s, i) ?? null);
  out.reply(msg, { type: "rollback_terms", term: s.term, from, terms });
  return s;
}

function onRollbackTerms(s: S, out: Out, msg: Message): S {
  if (s.role !== "ROLLBACK" || msg.src !== s.syncSource) return s;
  const from = msg.body.from as number;
  const theirs = msg.body.terms as (number | null)[];
  const mine: number[] = [];
  for (let i = from; i <= lastIndex(s); i++) mine.push(termAt(s, i) ?? -1);
  const common = findCommonPoint(from, mine, theirs.map((t) => t ?? -2));
  if (common < s.base.index || common < from) {
    // The common point is older than this member's oplog window: only a resync helps.
    out.note("too-stale", { data: { source: msg.src, reason: "rollback common point outside the oplog window" } });
    return startInitialSync({ ...s, role: "RECOVERING", syncSource: null }, out);
  }
  const undone = divergentSuffix(slice(s.oplog), s.base.index + 1, common);
  const record: RollbackRecord = { at: out.now, commonPoint: common, syncSource: msg.src, undone };
  out.note("rollback", { index: common, data: { undone: undone.length, values: undone.filter((e) => e.op === "set").map((e) => e.value) } });
  let next = cutAfter(s, common);
  next = persist(next, out, { kind: "truncate", index: common }, null);
  next = persist(next, out, { kind: "rollback", record }, null);
  next = { ...next, rollbacks: [...next.rollbacks, record], role: "SECONDARY", committedIndex: Math.min(next.committedIndex, common) };
  return sendFetch(next, out);
}

function startInitialSync(s: S, out: Out): S {
  if (s.initialSync !== null) return s;
  const st = settings(s);
  const source = chooseSyncSource(s.self, NO_OPTIME, s.view, st.dataBearing, true);
  if (source === null) return s;
  out.note("initial-sync", { data: { phase: "start", source } });
  return request({ ...s, role: "STARTUP2", initialSync: { source, startedAt: out.now, clone: null } }, out, source, { type: "clone", term: s.term });
}

function onClone(s: S, out: Out, msg: Message): S {
  if (s.role !== "PRIMARY" && s.role !== "SECONDARY") {
    out.reply(msg, { type: "clone_refused", term: s.term });
    return s;
  }
  out.reply(msg, { type: "clone_ok", term: s.term, base: lastOpTime(s), wall: lastWall(s), kv: [...s.data.entries()] });
  return s;
}

function onCloneReply(s: S, out: Out, msg: Message): S {
  const is = s.initialSync;
  if (is === null || msg.src !== is.source) return s;
  if (msg.body.type !== "clone_ok") return { ...s, initialSync: null };
  const data = msg.body.kv as [string, number][];
  // Copying the data takes time in proportion to its size; the oplog since is replayed after.
  out.setTimer("clone", data.length * settings(s).initialSyncMsPerKey);
  return { ...s, initialSync: { ...is, clone: { base: msg.body.base as OpTime, wall: msg.body.wall as number, data } } };
}

function finishClone(s: S, out: Out): S {
  const is = s.initialSync;
  if (is === null || is.clone === null) return s;
  const c = is.clone;
  const data = ImmutableMap(c.data);
  let next: S = {
    ...s, role: "SECONDARY", initialSync: null, oplog: emptyLog(), base: c.base, baseWall: c.wall, baseData: data, data,
    committedIndex: c.base.index, committedData: data,
    syncSource: is.source, unpersisted: [], durableIndex: c.base.index,
  };
  next = persist(next, out, { kind: "snapshot", base: c.base, wall: c.wall, data: c.data }, null);
  out.note("initial-sync", { index: c.base.index, data: { phase: "cloned", source: is.source, ms: out.now - is.startedAt, keys: c.data.length } });
  return sendFetch(next, out);
}

// ---- writes ---------------------------------------------------------------------------

function appendNoop(s: S, out: Out): S {
  const e: OplogEntry = { term: s.term, index: lastIndex(s) + 1, op: "noop", key: "", value: 0, wall: out.now };
  const next = capOplog(appendEntry(s, out, e), settings(s).oplogSizeEntries);
  return releaseHeld(next, out);
}

/** What the primary knows of every data-bearing member's progress on its own branch. */
function progressOf(s: S, st: Settings): Map<NodeId, MemberProgress> {
  const m = new Map<NodeId, MemberProgress>();
  const onBranch = (t: OpTime): number => (t.index <= lastIndex(s) && (t.index <= s.base.index || termAt(s, t.index) === t.term) ? t.index : 0);
  for (const id of st.dataBearing) {
    if (id === s.self) m.set(id, { applied: lastIndex(s), durable: s.durableIndex });
    else {
      const v = s.view[id];
      if (v !== undefined) m.set(id, { applied: onBranch(v.applied), durable: onBranch(v.durable) });
    }
  }
  return m;
}

/** Moves the commit point and answers the writes and reads whose concern is now met. */
function advanceWrites(s: S, out: Out): S {
  if (s.role !== "PRIMARY") return s;
  const st = settings(s);
  const progress = progressOf(s, st);
  let next = s;
  const majority = satisfiedIndex("majority", true, progress, st.voters);
  // Only an entry of the primary's own term can move the commit point (Raft §5.4.2).
  if (majority > next.commitPoint.index && termAt(next, majority) === next.term) {
    next = advanceCommitted({ ...next, commitPoint: { term: next.term, index: majority } });
  }
  const wc = st.writeConcern;
  const ready = wc.w === "majority" ? next.commitPoint.index : satisfiedIndex(wc.w, wc.j, progress, st.voters);
  if (next.waitingWrites.length > 0 && next.waitingWrites[0].index <= ready) {
    const done = next.waitingWrites.filter((w) => w.index <= ready);
    for (const w of done) out.reply(w.request, { type: "write_ok" });
    next = { ...next, waitingWrites: next.waitingWrites.filter((w) => w.index > ready) };
  }
  if (next.waitingReads.length > 0 && next.waitingReads[0].index <= next.commitPoint.index) {
    for (const r of next.waitingReads.filter((x) => x.index <= next.commitPoint.index)) out.reply(r.request, { type: "read_ok", value: r.value });
    next = { ...next, waitingReads: next.waitingReads.filter((x) => x.index > next.commitPoint.index) };
  }
  return next;
}

function onWrite(s: S, out: Out, req: Message, forwarded: boolean): S {
  const st = settings(s);
  if (s.role !== "PRIMARY" || !s.writable) {
    if (!forwarded && s.role !== "PRIMARY" && s.primary !== null) {
      out.send(s.primary, forwardBody(req, { msg_id: s.seq + 1 }));
      return { ...s, seq: s.seq + 1 };
    }
    out.reply(req, { type: "error", code: ERROR.temporarilyUnavailable, text: `${s.self} is not a writable primary` });
    return s;
  }
  const e: OplogEntry = { term: s.term, index: lastIndex(s) + 1, op: "set", key: req.body.key as string, value: req.body.value as number, wall: out.now };
  let next = appendEntry(s, out, e);
  out.note("commit", { key: e.key, value: e.value, index: e.index });
  next = capOplog(next, st.oplogSizeEntries);
  next = { ...next, waitingWrites: [...next.waitingWrites, { index: e.index, request: req }] };
  if (st.writeConcern.wtimeout > 0) out.setTimer(`wtimeout:${e.index}`, st.writeConcern.wtimeout);
  next = releaseHeld(next, out);
  return advanceWrites(next, out);
}

// ---- reads ----------------------------------------------------------------------------

/** The member a read goes to under the read preference, as the driver would choose it here. */
function readTarget(s: S, out: Out, st: Settings): NodeId | null {
  const serving = (id: NodeId, state: string): boolean => !isArbiter(st, id) && (state === "PRIMARY" || state === "SECONDARY");
  const members = out.nodes.filter((n) => n === s.self ? serving(n, s.role) : (s.view[n]?.up ?? false) && serving(n, s.view[n].state));
  const stateOf = (n: NodeId): string => (n === s.self ? s.role : s.view[n].state);
  const rtt = (n: NodeId): number => (n === s.self ? 0 : s.view[n].pingMs);
  const primary = s.role === "PRIMARY" ? s.self : s.primary;
  const secondaries = members.filter((n) => stateOf(n) === "SECONDARY");
  const nearestOf = (list: NodeId[]): NodeId | null => {
    if (list.length === 0) return null;
    if (list.includes(s.self)) return s.self;
    const min = Math.min(...list.map(rtt));
    // Drivers pick at random among members within localThresholdMS of the nearest.
    const eligible = list.filter((n) => rtt(n) <= min + st.localThresholdMs);
    return eligible[Math.floor(out.random() * eligible.length)];
  };
  switch (st.readPreference) {
    case "primary":
      return primary;
    case "primaryPreferred":
      return primary ?? nearestOf(secondaries);
    case "secondary":
      return nearestOf(secondaries);
    case "secondaryPreferred":
      return nearestOf(secondaries) ?? primary;
    case "nearest": {
      if (members.length === 0) return null;
      const min = Math.min(...members.map(rtt));
      const eligible = members.filter((n) => rtt(n) <= min + st.localThresholdMs);
      return eligible[Math.floor(out.random() * eligible.length)];
    }
  }
}

function onRead(s: S, out: Out, req: Message, forwarded: boolean): S {
  const st = settings(s);
  const target = forwarded ? s.self : readTarget(s, out, st);
  if (target !== null && target !== s.self) {
    out.send(target, forwardBody(req, { msg_id: s.seq + 1 }));
    return { ...s, seq: s.seq + 1 };
  }
  const servable = s.role === "PRIMARY" ? s.writable || st.readConcern !== "linearizable" : s.role === "SECONDARY" && st.readPreference !== "primary";
  if (target === null || !servable) {
    out.reply(req, { type: "error", code: ERROR.temporarilyUnavailable, text: `${s.self} cannot serve this read (${st.readPreference}, ${st.readConcern})` });
    return s;
  }
  const key = req.body.key as string;
  switch (st.readConcern) {
    case "local":
      out.reply(req, { type: "read_ok", value: s.data.get(key) ?? null });
      return s;
    case "majority":
      out.reply(req, { type: "read_ok", value: s.committedData.get(key) ?? null });
      return s;
    case "linearizable": {
      // MongoDB: read, then confirm this member is still primary by majority-committing a no-op.
      if (s.role !== "PRIMARY") {
        out.reply(req, errorBody(ERROR.temporarilyUnavailable, "linearizable reads are served by the primary"));
        return s;
      }
      const value = s.data.get(key) ?? null;
      let next = appendNoop(s, out);
      next = { ...next, waitingReads: [...next.waitingReads, { index: lastIndex(next), request: req, value }] };
      return advanceWrites(next, out);
    }
  }
}

// ---- the protocol ---------------------------------------------------------------------

function onNodeMessage(s: S, out: Out, msg: Message): S {
  const b = msg.body;
  let next = s;
  if (b.type !== "request_vote" && typeof b.term === "number" && b.term > next.term) next = adoptTerm(next, out, b.term, `${msg.src} is in term ${b.term}`);
  switch (b.type) {
    case "heartbeat":
      next = heard(next, out, msg.src, b, null);
      out.reply(msg, heartbeatBody(next, out, "heartbeat_ok"));
      return next;
    case "heartbeat_ok": {
      next = heard(next, out, msg.src, b, out.now - (b.sentAt as number));
      if (next.role === "PRIMARY" && next.catchUp !== null && !next.catchUp.replies.includes(msg.src)) {
        const c = next.catchUp;
        const fresher = compareOpTime(b.applied as OpTime, c.target) > 0 && !isArbiter(settings(s), msg.src);
        next = { ...next, catchUp: { replies: [...c.replies, msg.src], target: fresher ? (b.applied as OpTime) : c.target, from: fresher ? msg.src : c.from } };
        return checkCatchUp(next, out);
      }
      return next;
    }
    case "request_vote":
      return onRequestVote(next, out, msg);
    case "vote":
      return onVote(next, out, msg);
    case "fetch":
      return serveFetch(next, out, msg, true);
    case "fetch_ok":
    case "fetch_diverged":
    case "fetch_stale":
    case "fetch_behind":
      return onFetchReply(next, out, msg);
    case "update_position":
      return onUpdatePosition(next, out, msg);
    case "rollback_query":
      return onRollbackQuery(next, out, msg);
    case "rollback_terms":
      return onRollbackTerms(next, out, msg);
    case "clone":
      return onClone(next, out, msg);
    case "clone_ok":
    case "clone_refused":
      return onCloneReply(next, out, msg);
    case "forward": {
      const req = unwrapForward(msg, next.self);
      return req.body.type === "write" ? onWrite(next, out, req, true) : onRead(next, out, req, true);
    }
    default:
      return next;
  }
}

/** The replica set protocol: pure handlers over one member's immutable state. */
export const replicaSet: Protocol<ReplicaSetState, ReplicaSetConfig> = {
  name: "replica-set",

  validate: validateReplicaSet,

  init(ctx: BootContext<ReplicaSetConfig>, out: Out): ReplicaSetState {
    const st = settingsOf(ctx.config, ctx.nodes);
    let s = recoverState(freshState(ctx.self, st), ctx.durable);
    // Every member counts as just heard at boot; heartbeats then keep the view current.
    s = { ...s, view: Object.fromEntries(ctx.nodes.filter((n) => n !== ctx.self).map((n) => [n, { ...UNKNOWN_VIEW, lastHeard: out.now, up: true }])) };
    out.setTimer("heartbeat", 0);
    out.setTimer("await", st.awaitDataMs);
    if (isArbiter(st, ctx.self)) return { ...s, role: "ARBITER", term: Math.max(s.term, 1) };
    if (!ctx.restarted) {
      // The run starts from an initiated set: term 1, its first primary elected.
      s = { ...s, term: 1, primary: st.initialPrimary };
      if (ctx.self === st.initialPrimary) {
        s = persist({ ...s, lastVote: { term: 1, candidate: ctx.self } }, out, { kind: "term", term: 1, vote: { term: 1, candidate: ctx.self } }, null);
        return becomePrimary(s, out);
      }
      resetElectionTimer(out, st);
      return s;
    }
    resetElectionTimer(out, st);
    // A member that lost its data comes back empty and needs an initial sync.
    if (lastIndex(s) === 0) return { ...s, role: "STARTUP2" };
    return { ...s, role: "SECONDARY", commitPoint: NO_OPTIME };
  },

  onMessage(s: ReplicaSetState, msg: Message, out: Out): ReplicaSetState {
    if (isFromClient(msg, out.nodes)) {
      switch (msg.body.type) {
        case "write":
          return onWrite(s, out, msg, false);
        case "read":
          return onRead(s, out, msg, false);
        default:
          out.reply(msg, { type: "error", code: ERROR.notSupported, text: `${msg.body.type} is not supported by the replica set` });
          return s;
      }
    }
    return onNodeMessage(s, out, msg);
  },

  onTimer(s: ReplicaSetState, name: string, out: Out): ReplicaSetState {
    switch (name) {
      case "heartbeat":
        return onHeartbeatTick(s, out);
      case "await":
        out.setTimer("await", settings(s).awaitDataMs);
        return releaseHeld(s, out);
      case "election":
        if (s.role !== "SECONDARY") return s;
        return startElection(s, out, "no primary heard for the election timeout");
      case "takeover":
        if (!s.takeoverArmed) return s;
        return startElection({ ...s, takeoverArmed: false }, out, "priority takeover");
      case "catchup":
        return finishCatchUp(s, out, "catch-up timeout");
      case "fetch-timeout":
        if (s.fetchId === 0) return s;
        if (s.role === "PRIMARY") return finishCatchUp({ ...s, fetchId: 0 }, out, "catch-up source silent");
        return { ...s, fetchId: 0, syncSource: null };
      case "clone":
        return finishClone(s, out);
      default: {
        if (name.startsWith("wtimeout:")) {
          const index = Number(name.slice(9));
          const w = s.waitingWrites.find((x) => x.index === index);
          if (w === undefined) return s;
          // The write stays in the oplog: a wtimeout reports, it does not undo.
          out.reply(w.request, errorBody(ERROR.timeout, "waiting for replication timed out (wtimeout)"));
          return { ...s, waitingWrites: s.waitingWrites.filter((x) => x !== w) };
        }
        return s;
      }
    }
  },

  onPersisted(s: ReplicaSetState, written: number, out: Out): ReplicaSetState {
    let next = s;
    if (s.afterPersist.length > 0 && s.afterPersist[0].wal <= written) {
      for (const a of s.afterPersist.filter((x) => x.wal <= written)) out.send(a.to, a.body);
      next = { ...next, afterPersist: s.afterPersist.filter((x) => x.wal > written) };
    }
    let k = 0;
    let durable = next.durableIndex;
    while (k < next.unpersisted.length && next.unpersisted[k].wal <= written) durable = Math.max(durable, next.unpersisted[k++].index);
    if (k === 0) return next;
    next = { ...next, durableIndex: Math.min(durable, lastIndex(next)), unpersisted: next.unpersisted.slice(k) };
    if (next.role === "PRIMARY") return advanceWrites(next, out);
    return reportPosition(next, out);
  },

  contents: contentsOf,

  // A header plus bytes per entry or key carried: fetches and clones show in bytes.
  sizeOf: messageSize,
};

