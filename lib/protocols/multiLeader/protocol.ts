/**
 * Multi-leader replication: Kleppmann, "Designing Data-Intensive Applications" (2017), ch. 5,
 * "Multi-Leader Replication". L leaders, typically one per region, each optionally with local
 * followers. A client writes to its nearest leader, which applies the write, persists it and
 * acknowledges it locally (once its disk has it), then replicates it asynchronously to the
 * other leaders along the topology (lib/protocols/multiLeader/topology.ts).
 *
 * Every replicated write carries its origin and the leaders it has passed: a leader never
 * sends a write back to one it passed, and drops (but acknowledges) one it has already taken
 * in, so under loss, duplication and reordering each node applies each write exactly once.
 * Each hop is acknowledged once the receiver's disk holds the write; the sender retransmits
 * until then (`retryMs`). On a ring or a star, a crashed forwarder stops the flow downstream
 * until it returns; with `bypass`, a neighbour not heard from for `failureTimeoutMs` is
 * skipped and the write goes on to the leaders it would have passed it to.
 *
 * Concurrent writes of one key are resolved by the conflict policy (policies.ts). With
 * `certify` there are no concurrent versions: in the style of MySQL Group Replication's
 * multi-primary mode (MySQL 8.4 Reference Manual § 20.1.1.2 "Group Replication" and
 * § 20.1.3.2 "Multi-Primary Mode"), a write goes through one total order and is certified
 * against the writes its origin had not yet applied when it took it; of two conflicting
 * writes the later in the order is rolled back ("first committer wins") and its client
 * gets a definite error (MySQL returns error 3101, ER_TRANSACTION_ROLLBACK_DURING_COMMIT).
 * Departures, said here and in the notebook: MySQL orders messages with a Paxos-based group
 * communication system (a majority of members must agree); here one sequencer node orders
 * them, which costs one round trip to that node instead of to a majority, and stalls while
 * it is down. Reads are served locally, as MySQL's default (eventual) consistency does.
 *
 * Options: `homeLeader` (conflict avoidance: each key's writes go to one home leader, moved
 * when the home is suspected) and `causal` (hold a replicated write back until every write
 * its origin had applied before taking it is applied here).
 *
 * Built on the shared mechanisms (lib/protocols/shared): Maelstrom messages and error codes,
 * request forwarding, settings with defaults, WAL replay, answering writes once the disk
 * holds them (settleWaiting) and the modelled message size. Every handler is pure.
 *
 * Introduced in notebooks/04.00-Multi-Leader-Replication.ipynb.
 */
import { Map as ImmutableMap, Set as ImmutableSet } from "immutable";
import type { Crdt } from "../../crdt/crdt.js";
import { hash32 } from "../../sim/hash.js";
import type { Body, BootContext, Effects, Message, Protocol } from "../../sim/protocol.js";
import type { NodeId } from "../../sim/trace.js";
import { settleWaiting, type WaitingWrite } from "../shared/ackedPrefix.js";
import { ERROR, errorBody } from "../shared/errorCodes.js";
import { forwardBody, unwrapForward } from "../shared/forwarding.js";
import { isFromClient, replyType, request } from "../shared/messages.js";
import { messageSize } from "../shared/messageSize.js";
import { holdings } from "../shared/snapshotLog.js";
import { replayWal } from "../shared/walReplay.js";
import { EMPTY_VV, incrementVv, type VersionVector } from "../shared/versionVector.js";
import { resolveMultiLeader, validateMultiLeader, type MultiLeaderConfig, type MultiLeaderSettings } from "./config.js";
import { absorb, crdtUpdate, EMPTY_KEY, initialCrdt, readContext, valuesOf, type KeyState, type Write } from "./policies.js";
import { bypassTargets, forwardTargets } from "./topology.js";

/** The writes of one origin a node has taken in: every seq ≤ upTo, and those in `above`. */
export interface Seen {
  readonly upTo: number;
  readonly above: readonly number[];
}

/** A replicated write waiting for the next node's acknowledgement. */
interface OutItem {
  readonly to: NodeId;
  readonly w: Write;
  readonly passed: readonly NodeId[];
  readonly sentAt: number;
  readonly bypassed: boolean;
}

/** A reply to send once the disk holds WAL record `index`: a client's write_ok, or a hop's ack. */
interface Waiting extends WaitingWrite {
  readonly body: Body;
}

/** A replicated write held back (causal delivery, or a gap in the certified order). */
interface Held {
  readonly w: Write;
  readonly passed: readonly NodeId[];
  /** The message that brought it (absent for the sequencer's own decisions). */
  readonly request?: Message;
}

/** A client write waiting for certification at its origin. */
interface CertPending {
  readonly request: Message;
  readonly key: string;
  readonly value: number;
  readonly ts: number;
  readonly snapshot: number;
  /** The key's value at the origin when it took the write (what the write is based on). */
  readonly basis: number | null;
  readonly sentAt: number;
}

/** One node's state. Immutable: handlers return a new one. */
export interface MultiLeaderState {
  readonly self: NodeId;
  /** The run's settings, resolved once at boot. */
  readonly st: MultiLeaderSettings;
  readonly isLeader: boolean;
  /** This node's leader (itself for a leader). */
  readonly leader: NodeId;
  readonly keys: ImmutableMap<string, KeyState>;
  /** Client writes this node originated. */
  readonly seq: number;
  /** origin → the writes of it taken in here. */
  readonly seen: Readonly<Record<NodeId, Seen>>;
  /** Causal delivery: writes waiting for their dependencies. */
  readonly held: readonly Held[];
  /** `${to}|${write id}` → a write sent and not yet acknowledged. */
  readonly outbox: ImmutableMap<string, OutItem>;
  readonly msgId: number;
  /** Replies waiting for the disk, oldest first. */
  readonly waiting: readonly Waiting[];
  /** WAL records appended so far (durable ones included). */
  readonly written: number;
  /** node → when this node last heard from it (its local clock). */
  readonly lastHeard: Readonly<Record<NodeId, number>>;
  /** certify, at an origin: local seq → the client write waiting for its decision. */
  readonly certPending: ImmutableMap<number, CertPending>;
  /** certify: the next position of the total order to apply here. */
  readonly applyPos: number;
  /** certify: decisions that arrived ahead of a gap, by position. */
  readonly certBuffer: ImmutableMap<number, Held>;
  /** certify, at the sequencer: the next position, each key's last certified write, and what was decided. */
  readonly nextPos: number;
  readonly lastCertified: Readonly<Record<string, { readonly pos: number; readonly value: number }>>;
  readonly decided: Readonly<Record<string, number>>;
  /** Client writes taken here, as `${client}#${msg_id}`: a request the network duplicated is taken once. */
  readonly clientSeen: ImmutableSet<string>;
}

type Out = Effects<MultiLeaderConfig>;

/** A WAL record: a write this node took in, with the leaders it had passed. */
interface WalRecord {
  readonly w: Write;
  readonly passed: readonly NodeId[];
}

// ---- small helpers -------------------------------------------------------------------------

function hasSeen(s: MultiLeaderState, origin: NodeId, seq: number): boolean {
  const x = s.seen[origin];
  return x !== undefined && (seq <= x.upTo || x.above.includes(seq));
}

function markSeen(seen: Readonly<Record<NodeId, Seen>>, origin: NodeId, seq: number): Readonly<Record<NodeId, Seen>> {
  const x = seen[origin] ?? { upTo: 0, above: [] };
  if (seq <= x.upTo || x.above.includes(seq)) return seen;
  let upTo = x.upTo;
  let above = [...x.above, seq];
  while (above.includes(upTo + 1)) {
    upTo++;
    above = above.filter((q) => q !== upTo);
  }
  return { ...seen, [origin]: { upTo, above } };
}

/** The writes of each origin taken in here without a gap: a write's dependencies. */
function prefixVector(seen: Readonly<Record<NodeId, Seen>>): VersionVector {
  const out: Record<NodeId, number> = {};
  for (const o of Object.keys(seen)) if (seen[o].upTo > 0) out[o] = seen[o].upTo;
  return out;
}

/** How many origins have writes `w` depends on that are not applied here. */
function missingDeps(s: MultiLeaderState, w: Write): number {
  let missing = 0;
  for (const o of Object.keys(w.deps)) if (o !== s.self && (s.seen[o]?.upTo ?? 0) < w.deps[o]) missing++;
  return missing;
}

function deliverable(s: MultiLeaderState, w: Write): boolean {
  return (s.seen[w.origin]?.upTo ?? 0) === w.seq - 1 && missingDeps(s, w) === 0;
}

function suspected(s: MultiLeaderState, n: NodeId, now: number): boolean {
  return now - (s.lastHeard[n] ?? 0) > s.st.failureTimeoutMs;
}

/** The home leader of `key`: the hash picks one; a suspected home moves to the next leader. Pure. */
function homeOf(s: MultiLeaderState, key: string, now: number): NodeId {
  const L = s.st.leaders;
  const start = hash32(key) % L.length;
  for (let i = 0; i < L.length; i++) {
    const cand = L[(start + i) % L.length];
    if (cand === s.self || !suspected(s, cand, now)) return cand;
  }
  return L[start];
}

function crdtInitial(s: MultiLeaderState, key: string): Crdt | undefined {
  return s.st.crdt?.initial?.[key];
}

// ---- taking writes in ----------------------------------------------------------------------

/** Absorbs `w` into the key, records what happened, persists it. The core every path shares. */
function apply(s: MultiLeaderState, w: Write, passed: readonly NodeId[], out: Out): MultiLeaderState {
  const st = s.st;
  const k = s.keys.get(w.key) ?? EMPTY_KEY;
  if (w.origin !== s.self && w.pos === undefined) {
    const missing = missingDeps(s, w);
    // An update that arrives before one it depends on (DDIA ch. 5, Figure 5-9).
    if (missing > 0) out.note("overtake", { key: w.key, value: w.value, data: { origin: w.origin, missing } });
  }
  const r = absorb(k, w, st.policy, st.merge, st.crdt?.type, crdtInitial(s, w.key));
  for (const v of r.discarded) out.note("lww-discard", { key: w.key, value: v });
  for (const v of r.causalLoss) out.note("lww-causal-loss", { key: w.key, value: v });
  if (w.certified !== false) out.note("apply", { key: w.key, value: w.value });
  const record: WalRecord = { w, passed };
  out.persist(record);
  const next: MultiLeaderState = { ...s, keys: s.keys.set(w.key, r.next), written: s.written + 1 };
  return w.pos === undefined ? { ...next, seen: markSeen(s.seen, w.origin, w.seq) } : next;
}

function waitFor(s: MultiLeaderState, req: Message, body: Body): MultiLeaderState {
  return { ...s, waiting: [...s.waiting, { index: s.written - 1, request: req, body }] };
}

/** Sends `w` to `to` and keeps it until acknowledged. */
function enqueue(s: MultiLeaderState, to: NodeId, w: Write, passed: readonly NodeId[], out: Out): MultiLeaderState {
  const id = `${to}|${w.id}`;
  if (s.outbox.has(id)) return s;
  const [body, msgId] = request("replicate", s.msgId, { w, passed });
  out.send(to, body);
  return { ...s, msgId, outbox: s.outbox.set(id, { to, w, passed, sentAt: out.now, bypassed: false }) };
}

/** Passes `w` on: to the topology's next leaders (bypassing suspected ones if asked) and to local followers. */
function ship(s: MultiLeaderState, w: Write, passed: readonly NodeId[], out: Out): MultiLeaderState {
  let next = s;
  if (s.isLeader) {
    const st = s.st;
    let targets: NodeId[];
    if (w.pos !== undefined) targets = s.self === st.sequencer ? st.leaders.filter((l) => l !== s.self) : [];
    else targets = forwardTargets(st.topology, s.self, w.origin, passed);
    for (const to of targets) {
      next = enqueue(next, to, w, passed, out);
      if (st.bypass && w.pos === undefined && suspected(next, to, out.now)) next = bypass(next, `${to}|${w.id}`, out);
    }
    for (const f of st.followersOf[s.self] ?? []) next = enqueue(next, f, w, passed, out);
  }
  return next;
}

/** Sends an outbox item's write to whom its silent target would have passed it (it stays queued for the target too). */
function bypass(s: MultiLeaderState, itemId: string, out: Out): MultiLeaderState {
  const item = s.outbox.get(itemId);
  if (item === undefined || item.bypassed) return s;
  let next: MultiLeaderState = { ...s, outbox: s.outbox.set(itemId, { ...item, bypassed: true }) };
  const around = bypassTargets(s.st.topology, s.self, item.to, item.passed, (n) => suspected(s, n, out.now));
  if (around.length > 0) out.note("bypass", { key: item.w.key, value: item.w.value, data: { silent: item.to, to: around } });
  for (const to of around) next = enqueue(next, to, item.w, item.passed, out);
  return next;
}

/** A client write at a leader (not certify). */
function takeWrite(s: MultiLeaderState, req: Message, out: Out): MultiLeaderState {
  const st = s.st;
  const key = req.body.key as string;
  const value = req.body.value as number;
  const seq = s.seq + 1;
  const k = s.keys.get(key) ?? EMPTY_KEY;
  const vv = incrementVv(k.vv, s.self);
  const ctx = st.policy === "siblings" && req.body.context !== undefined ? (req.body.context as VersionVector) : undefined;
  const state = st.policy === "crdt" ? crdtUpdate(k.crdt ?? initialCrdt(st.crdt!.type, crdtInitial(s, key)), value, s.self, out.now) : undefined;
  const base = { id: `${s.self}:${seq}`, origin: s.self, seq, key, value, ts: out.now, vv, deps: prefixVector(s.seen) };
  let w: Write = base;
  if (ctx !== undefined) w = { ...w, ctx };
  if (state !== undefined) w = { ...w, state };
  // Committed at the origin (GLOSSARY: "commit"): this leader has ordered the write. The
  // version goes in the trace in the shape the leaderless analyses read (ts, origin, seq, vv),
  // so conflictRate and lwwDroppedWrites count conflicts and drops here too.
  out.note("commit", { key, value, data: { ts: w.ts, origin: s.self, seq, vv } });
  let next = apply({ ...s, seq }, w, [s.self], out);
  next = waitFor(next, req, { type: "write_ok" });
  return ship(next, w, [s.self], out);
}

/** A client write at a leader under certify: ask the sequencer. */
function takeCertifiedWrite(s: MultiLeaderState, req: Message, out: Out): MultiLeaderState {
  const seq = s.seq + 1;
  const key = req.body.key as string;
  const basis = (s.keys.get(key) ?? EMPTY_KEY).versions[0]?.value ?? null;
  const p: CertPending = { request: req, key, value: req.body.value as number, ts: out.now, snapshot: s.applyPos, basis, sentAt: out.now };
  const next: MultiLeaderState = { ...s, seq, certPending: s.certPending.set(seq, p) };
  return sendCertify(next, seq, p, out);
}

function sendCertify(s: MultiLeaderState, seq: number, p: CertPending, out: Out): MultiLeaderState {
  const fields = { origin: s.self, lseq: seq, key: p.key, value: p.value, ts: p.ts, snapshot: p.snapshot, basis: p.basis };
  if (s.self === s.st.sequencer) return certify(s, fields, out);
  const [body, msgId] = request("certify", s.msgId, fields);
  out.send(s.st.sequencer, body);
  return { ...s, msgId, certPending: s.certPending.set(seq, { ...p, sentAt: out.now }) };
}

/**
 * The sequencer orders a write and certifies it: it conflicts when a write of the same key
 * was certified at a position the origin had not applied when it took the write (MySQL's
 * certification compares write sets against the transaction's snapshot).
 */
function certify(s: MultiLeaderState, f: { origin: NodeId; lseq: number; key: string; value: number; ts: number; snapshot: number; basis: number | null }, out: Out): MultiLeaderState {
  const id = `${f.origin}:${f.lseq}`;
  if (s.decided[id] !== undefined) return s; // a retransmitted request: already in the order
  const pos = s.nextPos;
  const last = s.lastCertified[f.key];
  const certified = last === undefined || last.pos < f.snapshot;
  const vv = { [s.self]: pos + 1 };
  const w: Write = { id, origin: f.origin, seq: f.lseq, key: f.key, value: f.value, ts: f.ts, vv, deps: EMPTY_VV, pos, certified };
  // `basis`: the value the write was taken over at its origin. Certification is right iff
  // every certified write's basis is the previous certified write of its key (a chain).
  if (certified) out.note("commit", { key: f.key, value: f.value, data: { ts: f.ts, origin: f.origin, seq: f.lseq, vv, pos, basis: f.basis } });
  else out.note("certify-abort", { key: f.key, value: f.value, data: { origin: f.origin, pos, conflictsWith: last?.value ?? null } });
  const next: MultiLeaderState = {
    ...s,
    nextPos: pos + 1,
    decided: { ...s.decided, [id]: pos },
    lastCertified: certified ? { ...s.lastCertified, [f.key]: { pos, value: f.value } } : s.lastCertified,
  };
  return deliverDecision(next, { w, passed: [s.self], }, out);
}

/** Takes in a certified-order decision, and every buffered one after it, in position order. */
function deliverDecision(s: MultiLeaderState, h: Held, out: Out): MultiLeaderState {
  let next = s;
  if (h.w.pos! < s.applyPos || s.certBuffer.has(h.w.pos!)) {
    if (h.request !== undefined) out.reply(h.request, { type: "replicate_ok", id: h.w.id });
    return s;
  }
  next = { ...next, certBuffer: next.certBuffer.set(h.w.pos!, h) };
  while (next.certBuffer.has(next.applyPos)) {
    const d = next.certBuffer.get(next.applyPos)!;
    next = { ...next, certBuffer: next.certBuffer.remove(next.applyPos), applyPos: next.applyPos + 1 };
    next = apply(next, d.w, d.passed, out);
    if (d.request !== undefined) next = waitFor(next, d.request, { type: "replicate_ok", id: d.w.id });
    const mine = d.w.origin === next.self ? next.certPending.get(d.w.seq) : undefined;
    if (mine !== undefined) {
      next = { ...next, certPending: next.certPending.remove(d.w.seq) };
      const body = d.w.certified
        ? { type: "write_ok" }
        : errorBody(ERROR.txnConflict, `rolled back: a conflicting write of ${JSON.stringify(d.w.key)} was certified first (MySQL Group Replication: error 3101, ER_TRANSACTION_ROLLBACK_DURING_COMMIT)`, { mysql_error: 3101 });
      next = waitFor(next, mine.request, body);
    }
    next = ship(next, d.w, [...d.passed.filter((p) => p !== next.self), next.self], out);
  }
  return next;
}

/** A replicated write from another node. */
function onReplicate(s: MultiLeaderState, msg: Message, out: Out): MultiLeaderState {
  const w = msg.body.w as Write;
  const passed = msg.body.passed as NodeId[];
  if (w.pos !== undefined) return deliverDecision(s, { w, passed, request: msg }, out);
  // Already taken in (a duplicate, or the same write by another path), or back at a leader
  // it passed: acknowledge so the sender stops, and do nothing else.
  if (w.origin === s.self || hasSeen(s, w.origin, w.seq) || (passed.includes(s.self) && s.isLeader)) {
    out.reply(msg, { type: replyType("replicate"), id: w.id });
    return s;
  }
  if (s.held.some((h) => h.w.id === w.id)) return s; // acknowledged once applied
  if (s.st.causal && !deliverable(s, w)) return { ...s, held: [...s.held, { w, passed, request: msg }] };
  let next = takeIn(s, { w, passed, request: msg }, out);
  if (s.st.causal) next = drainHeld(next, out);
  return next;
}

function takeIn(s: MultiLeaderState, h: Held, out: Out): MultiLeaderState {
  let next = apply(s, h.w, h.passed, out);
  next = waitFor(next, h.request!, { type: replyType("replicate"), id: h.w.id });
  return ship(next, h.w, [...h.passed, s.self], out);
}

/** Causal delivery: applies every held write whose dependencies are now applied, until none is. */
function drainHeld(s: MultiLeaderState, out: Out): MultiLeaderState {
  let next = s;
  for (;;) {
    const i = next.held.findIndex((h) => hasSeen(next, h.w.origin, h.w.seq) || deliverable(next, h.w));
    if (i < 0) return next;
    const h = next.held[i];
    next = { ...next, held: next.held.filter((_, j) => j !== i) };
    if (hasSeen(next, h.w.origin, h.w.seq)) out.reply(h.request!, { type: replyType("replicate"), id: h.w.id });
    else next = takeIn(next, h, out);
  }
}

// ---- client requests ------------------------------------------------------------------------

function onRead(s: MultiLeaderState, msg: Message, out: Out): MultiLeaderState {
  const st = s.st;
  const k = s.keys.get(msg.body.key as string) ?? EMPTY_KEY;
  const values = valuesOf(k, st.policy);
  if (st.policy === "crdt" && (k.crdt?.type === "g-counter" || k.crdt?.type === "pn-counter")) {
    out.reply(msg, { type: "read_ok", value: values[0] ?? 0 });
    return s;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const body: { type: string; value: number | null; siblings?: number[]; context?: VersionVector } = { type: "read_ok", value: sorted.length === 0 ? null : sorted[sorted.length - 1] };
  if (sorted.length > 1) body.siblings = sorted;
  if (st.policy === "siblings") body.context = readContext(k.versions);
  out.reply(msg, body);
  return s;
}

/**
 * A client write. `routed`: it was already sent to the node that must take it (the key's home),
 * so it is taken here and never forwarded again.
 */
function onClientWrite(s: MultiLeaderState, msg: Message, routed: boolean, out: Out): MultiLeaderState {
  const st = s.st;
  const key = msg.body.key as string;
  if (!s.isLeader) {
    // A follower passes writes to its own leader, which knows which leaders are alive and
    // so where the key's home is (a follower hears only from its leader).
    out.send(s.leader, forwardBody(msg, { fromFollower: true }));
    return s;
  }
  if (!routed && st.homeLeader) {
    const home = homeOf(s, key, out.now);
    if (home !== s.self) {
      out.send(home, forwardBody(msg));
      return s;
    }
  }
  const rid = `${msg.src}#${String(msg.body.msg_id)}`;
  if (s.clientSeen.has(rid)) return s;
  const next: MultiLeaderState = { ...s, clientSeen: s.clientSeen.add(rid) };
  return st.policy === "certify" ? takeCertifiedWrite(next, msg, out) : takeWrite(next, msg, out);
}

function onClient(s: MultiLeaderState, msg: Message, out: Out): MultiLeaderState {
  switch (msg.body.type) {
    case "read":
      return onRead(s, msg, out);
    case "write":
      return onClientWrite(s, msg, false, out);
    default:
      out.reply(msg, errorBody(ERROR.notSupported, `${msg.body.type} is not supported by multi-leader replication`));
      return s;
  }
}

// ---- boot -----------------------------------------------------------------------------------

function fresh(self: NodeId, st: MultiLeaderSettings, written: number, now: number): MultiLeaderState {
  const lastHeard: Record<NodeId, number> = {};
  for (const l of st.leaders) lastHeard[l] = now;
  return {
    self,
    st,
    isLeader: st.leaders.includes(self),
    leader: st.leaderOf[self] ?? st.leaders[0],
    keys: ImmutableMap(),
    seq: 0,
    seen: {},
    held: [],
    outbox: ImmutableMap(),
    msgId: 1,
    waiting: [],
    written,
    lastHeard,
    certPending: ImmutableMap(),
    applyPos: 0,
    certBuffer: ImmutableMap(),
    nextPos: 0,
    lastCertified: {},
    decided: {},
    clientSeen: ImmutableSet(),
  };
}

/** Replays one WAL record: the key's state and the bookkeeping, with no effects. */
function replay(s: MultiLeaderState, r: WalRecord): MultiLeaderState {
  const w = r.w;
  const k = s.keys.get(w.key) ?? EMPTY_KEY;
  const next: MultiLeaderState = { ...s, keys: s.keys.set(w.key, absorb(k, w, s.st.policy, s.st.merge, s.st.crdt?.type, crdtInitial(s, w.key)).next) };
  const seq = w.origin === s.self ? Math.max(s.seq, w.seq) : s.seq;
  if (w.pos === undefined) return { ...next, seq, seen: markSeen(s.seen, w.origin, w.seq) };
  const decided = s.self === s.st.sequencer ? { ...s.decided, [w.id]: w.pos } : s.decided;
  const lastCertified = s.self === s.st.sequencer && w.certified ? { ...s.lastCertified, [w.key]: { pos: w.pos, value: w.value } } : s.lastCertified;
  return { ...next, seq, applyPos: w.pos + 1, nextPos: Math.max(s.nextPos, w.pos + 1), decided, lastCertified };
}

/**
 * Multi-leader replication (see the module comment). Introduced in
 * notebooks/04.00-Multi-Leader-Replication.ipynb.
 */
export const multiLeader: Protocol<MultiLeaderState, MultiLeaderConfig> = {
  name: "multi-leader",

  validate(c: MultiLeaderConfig, nodes: readonly NodeId[]): void {
    validateMultiLeader(c, nodes);
  },

  init(ctx: BootContext<MultiLeaderConfig>, out: Out): MultiLeaderState {
    const st = resolveMultiLeader(ctx.config, ctx.nodes);
    let s = replayWal(fresh(ctx.self, st, ctx.durable.length, out.now), ctx.durable, replay);
    if (ctx.restarted) {
      // What this node had taken in but maybe not passed on before it crashed goes out again;
      // receivers that already hold a write acknowledge it and drop it.
      for (const r of ctx.durable as readonly WalRecord[]) s = ship(s, r.w, r.w.pos !== undefined ? [s.self] : [...r.passed.filter((p) => p !== s.self), s.self], out);
    }
    out.setTimer("retry", st.retryMs);
    if (s.isLeader && (st.bypass || st.homeLeader)) out.setTimer("heartbeat", st.heartbeatMs);
    return s;
  },

  onMessage(s: MultiLeaderState, msg: Message, out: Out): MultiLeaderState {
    if (isFromClient(msg, out.nodes)) return onClient(s, msg, out);
    const heard: MultiLeaderState = { ...s, lastHeard: { ...s.lastHeard, [msg.src]: out.now } };
    const body = msg.body;
    switch (body.type) {
      case "replicate":
        return onReplicate(heard, msg, out);
      case "replicate_ok":
        return { ...heard, outbox: heard.outbox.remove(`${msg.src}|${body.id as string}`) };
      case "forward":
        // From a local follower the write still needs its home; from a leader it is home.
        return onClientWrite(heard, unwrapForward(msg, s.self), body.fromFollower !== true, out);
      case "certify":
        if (s.self !== s.st.sequencer) return heard;
        return certify(heard, body as unknown as Parameters<typeof certify>[1], out);
      case "heartbeat":
      default:
        return heard;
    }
  },

  onTimer(s: MultiLeaderState, name: string, out: Out): MultiLeaderState {
    const st = s.st;
    if (name === "heartbeat") {
      for (const l of st.leaders) if (l !== s.self) out.send(l, { type: "heartbeat" });
      out.setTimer("heartbeat", st.heartbeatMs);
      if (!st.bypass) return s;
      // Writes already waiting for a neighbour that has since gone silent go around it now,
      // not at the next retransmission.
      let next = s;
      for (const [id, item] of s.outbox) {
        if (!item.bypassed && item.w.pos === undefined && st.leaders.includes(item.to) && suspected(next, item.to, out.now)) next = bypass(next, id, out);
      }
      return next;
    }
    if (name !== "retry") return s;
    out.setTimer("retry", st.retryMs);
    let next = s;
    for (const [id, item] of s.outbox) {
      if (out.now - item.sentAt < st.retryMs) continue;
      // Retransmit: the network lost the write or its acknowledgement, or the next node is down.
      out.send(item.to, { type: "replicate", msg_id: next.msgId, w: item.w, passed: item.passed });
      next = { ...next, msgId: next.msgId + 1, outbox: next.outbox.set(id, { ...item, sentAt: out.now }) };
      if (st.bypass && !item.bypassed && item.w.pos === undefined && st.leaders.includes(item.to) && suspected(next, item.to, out.now)) next = bypass(next, id, out);
    }
    for (const [seq, p] of s.certPending) if (out.now - p.sentAt >= st.retryMs) next = sendCertify(next, seq, p, out);
    return next;
  },

  onPersisted(s: MultiLeaderState, written: number, out: Out): MultiLeaderState {
    // A copy: `reply` fills in the body it is given, and this one belongs to the (immutable) state.
    const waiting = settleWaiting(s.waiting, written, (w) => out.reply(w.request, { ...w.body }));
    return waiting === s.waiting ? s : { ...s, waiting };
  },

  contents(s: MultiLeaderState): ReadonlyMap<string, readonly number[]> {
    const current: [string, number][] = [];
    const all: { key: string; value: number }[] = [];
    for (const [key, k] of s.keys) for (const v of valuesOf(k, s.st.policy)) all.push({ key, value: v });
    return holdings(current, all);
  },

  sizeOf: messageSize,

  messageTypes: ["replicate", "replicate_ok", "forward", "certify", "heartbeat"],
};
