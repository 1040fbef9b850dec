/**
 * Leaderless (Dynamo-style) quorum replication: DeCandia et al., "Dynamo: Amazon's Highly
 * Available Key-value Store" (SOSP 2007), as in Cassandra and Riak.
 *
 * Every key lives on the first N nodes of its preference list on a consistent-hashing
 * ring. Any node coordinates a client request: it sends the write (or read) to the N
 * replicas and answers the client as soon as W (or R) of them replied, or gives up after
 * `timeoutMs`. With R + W > N every read quorum meets every write quorum.
 *
 * Versions are ordered either by last-writer-wins timestamps taken from the coordinator's
 * local clock (so a node whose clock is behind can silently lose a newer write) or by
 * version vectors, which keep concurrent writes as siblings for the client to merge.
 *
 * Repair paths: read repair (after a read, stale replicas get the reconciled version);
 * sloppy quorums with hinted handoff (a write whose replica does not answer goes to the
 * next node on the ring, which hands it back later); and periodic anti-entropy, where two
 * replicas compare Merkle trees of the keys they share and exchange only what differs.
 *
 * Every handler is pure: it returns the next state and records effects in `out`.
 * Introduced in notebooks/05.00-Leaderless-Replication.ipynb.
 */
import { requirePeriod } from "../../sim/limits.js";
import { Map as ImmutableMap } from "immutable";
import { ConfigError, describe, requireInteger, requireNumber, requireOneOf } from "../../errors.js";
import type { BootContext, Effects, Message, Protocol } from "../../sim/protocol.js";
import type { NodeId } from "../../sim/trace.js";
import { ERROR, errorBody } from "../shared/errorCodes.js";
import { forwardBody, unwrapForward } from "../shared/forwarding.js";
import { isFromClient, replyType } from "../shared/messages.js";
import { messageSize } from "../shared/messageSize.js";
import { withDefaults } from "../shared/settings.js";
import { holdings } from "../shared/snapshotLog.js";
import { replayWal } from "../shared/walReplay.js";
import { buildMerkle, leafOf, type MerkleTree } from "./merkle.js";
import { makeRing, preferenceList, type HashRing } from "./ring.js";
import { EMPTY_VV, incrementVv, mergeVv, reconcile, type VersionVector } from "../shared/versionVector.js";

/** How replicas order versions of a key. */
export type Versioning = "lww" | "vv";

/** Settings of leaderless quorum replication. */
export interface QuorumConfig {
  /** Replicas per key. */
  readonly n: number;
  /** Replies a read waits for. */
  readonly r: number;
  /** Acknowledgements a write waits for. */
  readonly w: number;
  /** How long a coordinator waits for R or W replies before failing the request (default 500 ms). */
  readonly timeoutMs?: number;
  /** `lww` (last-writer-wins by coordinator timestamp, default) or `vv` (version vectors and siblings). */
  readonly versioning?: Versioning;
  /** Sloppy quorum: count replies from fallback nodes past the first N (default false). */
  readonly sloppy?: boolean;
  /** Sloppy quorum: a replica silent this long is replaced by the next fallback (default 50 ms). */
  readonly fallbackAfterMs?: number;
  /** Hinted handoff: how often a fallback retries handing writes back (default 200 ms). */
  readonly handoffEveryMs?: number;
  /** Read repair after each read (default true). */
  readonly readRepair?: boolean;
  /** Merkle anti-entropy with one peer every this many ms (default 0: off). */
  readonly antiEntropyEveryMs?: number;
  /** Depth of the Merkle trees: 2^depth leaves (default 6). */
  readonly merkleDepth?: number;
  /** Nodes on the ring (default: every node). Other nodes only coordinate. */
  readonly replicas?: readonly NodeId[];
  /** Tokens per node on the ring (default 32). */
  readonly vnodes?: number;
  /**
   * `all` (default, as Dynamo): send each request to all N replicas and wait for W or R.
   * `quorum`: send to only W (or R) replicas chosen at random among the N, the worst case
   * PBS's k-staleness closed form describes.
   */
  readonly contact?: "all" | "quorum";
}

/** One version of a key. `ts`/`origin`/`seq` order it under LWW; `vv` under version vectors. */
export interface QuorumVersion {
  readonly value: number;
  readonly ts: number;
  readonly origin: NodeId;
  readonly seq: number;
  readonly vv: VersionVector;
}

/** A write a fallback node keeps for a replica that did not answer. */
export interface QuorumHint {
  readonly intended: NodeId;
  readonly key: string;
  readonly versions: readonly QuorumVersion[];
}

/** A request this node coordinates. */
interface Coordination {
  readonly id: number;
  readonly kind: "read" | "write";
  readonly request: Message;
  readonly key: string;
  readonly versions: readonly QuorumVersion[];
  /** Nodes asked so far, in order; `hintFor[x]` names the replica fallback x stands in for. */
  readonly asked: readonly NodeId[];
  readonly hintFor: Readonly<Record<NodeId, NodeId>>;
  /** Nodes already replaced by a fallback (never replaced twice). */
  readonly replaced: readonly NodeId[];
  readonly answered: readonly NodeId[];
  /** Reads: what each responder holds. */
  readonly responses: readonly { readonly node: NodeId; readonly versions: readonly QuorumVersion[] }[];
  readonly replied: boolean;
}

/** One node's state. Immutable: handlers return a new one. */
export interface QuorumState {
  readonly self: NodeId;
  /** The run's settings, resolved once at boot (kept here so no handler re-derives them). */
  readonly st: QuorumSettings;
  readonly ring: HashRing;
  readonly isReplica: boolean;
  /** key → versions held (one under LWW; the siblings under version vectors). */
  readonly store: ImmutableMap<string, readonly QuorumVersion[]>;
  /** `${intended}\u0000${key}` → hinted versions held for another node. */
  readonly hints: ImmutableMap<string, QuorumHint>;
  readonly ops: ImmutableMap<number, Coordination>;
  readonly nextOp: number;
  /** Writes coordinated here: LWW tie-break and counter. */
  readonly seq: number;
  /** Round-robin position among anti-entropy peers. */
  readonly aePeer: number;
  /** The `msg_id` of this node's next request to another node (Maelstrom: replies carry it back as `in_reply_to`). */
  readonly msgId: number;
}

/** The default of every optional setting of leaderless quorum replication. */
export const QUORUM_DEFAULTS = {
  timeoutMs: 500,
  versioning: "lww" as Versioning,
  sloppy: false,
  fallbackAfterMs: 50,
  handoffEveryMs: 200,
  readRepair: true,
  antiEntropyEveryMs: 0,
  merkleDepth: 6,
  vnodes: 32,
  contact: "all" as "all" | "quorum",
};

/** Every setting of leaderless quorum replication, defaults filled in. */
export type QuorumSettings = typeof QUORUM_DEFAULTS & { readonly n: number; readonly r: number; readonly w: number };

/** The settings of `c`, defaults filled in. Pure. */
export function resolveQuorum(c: QuorumConfig): QuorumSettings {
  return { ...withDefaults(QUORUM_DEFAULTS, c), n: c.n, r: c.r, w: c.w };
}

// Rings and preference lists depend only on the config: built once and shared by every
// node (a memo of pure functions, so handlers stay pure). The ring memo's key is the JSON of
// exactly the ring's inputs, so two different rings never share a key (ids may hold commas);
// rings are never changed once built, and the preference-list memo hangs on the ring itself.
const rings = new Map<string, HashRing>();
const prefMemo = new WeakMap<HashRing, Map<string, NodeId[]>>();

function ringFor(replicas: readonly NodeId[], vnodes: number): HashRing {
  const id = JSON.stringify([vnodes, replicas]);
  let ring = rings.get(id);
  if (ring === undefined) {
    if (rings.size > 64) rings.clear();
    rings.set(id, (ring = makeRing(replicas, vnodes)));
  }
  return ring;
}

/** The whole ring order for `key` (replicas first, then fallbacks). */
function fullList(ring: HashRing, key: string): NodeId[] {
  let memo = prefMemo.get(ring);
  if (memo === undefined) prefMemo.set(ring, (memo = new Map()));
  let list = memo.get(key);
  if (list === undefined) {
    if (memo.size > 100_000) memo.clear();
    memo.set(key, (list = preferenceList(ring, key, ring.nodes.length)));
  }
  return list;
}

// ---- versions ---------------------------------------------------------------------------

/**
 * LWW order: true when a wins over b. Ties on timestamp break by origin, then sequence, then
 * by the larger value, as Cassandra breaks a timestamp tie. Two copies of one write differ in
 * value only when a disk corrupted one (the `corrupt` fault): then the larger of the good and
 * the bad value wins everywhere, which is how read repair and anti-entropy can spread a
 * corrupted value to healthy replicas (Ganesan et al., FAST 2017). Pure.
 */
export function lwwNewer(a: QuorumVersion, b: QuorumVersion): boolean {
  if (a.ts !== b.ts) return a.ts > b.ts;
  if (a.origin !== b.origin) return a.origin > b.origin;
  if (a.seq !== b.seq) return a.seq > b.seq;
  return a.value > b.value;
}

/**
 * What a replica keeps after seeing `incoming` beside `held`: the LWW winner, or the
 * version-vector siblings. Pure.
 */
export function mergeVersions(held: readonly QuorumVersion[], incoming: readonly QuorumVersion[], versioning: Versioning): readonly QuorumVersion[] {
  if (versioning === "lww") {
    let best: QuorumVersion | undefined;
    for (const v of [...held, ...incoming]) if (best === undefined || lwwNewer(v, best)) best = v;
    return best === undefined ? [] : [best];
  }
  return reconcile([...held, ...incoming], (v) => v.vv);
}

/** A short deterministic text naming a set of versions (Merkle leaves, equality). */
function digest(versions: readonly QuorumVersion[]): string {
  return versions
    .map((v) => `${v.value}@${v.ts}`)
    .sort()
    .join(",");
}

function sameVersions(a: readonly QuorumVersion[], b: readonly QuorumVersion[]): boolean {
  return a.length === b.length && digest(a) === digest(b);
}

/** Merges versions into the local store; persists and notes an `apply` for each new one. */
function store(s: QuorumState, key: string, incoming: readonly QuorumVersion[], out: Effects<QuorumConfig>): QuorumState {
  const held = s.store.get(key) ?? [];
  const next = mergeVersions(held, incoming, s.st.versioning);
  if (sameVersions(held, next)) return s;
  out.persist({ key, versions: next });
  const before = new Set(held.map((v) => v.value));
  for (const v of next) if (!before.has(v.value)) out.note("apply", { key, value: v.value });
  return { ...s, store: s.store.set(key, next) };
}

// ---- coordinating -------------------------------------------------------------------------

function startOp(s: QuorumState, kind: "read" | "write", request: Message, key: string, versions: readonly QuorumVersion[], out: Effects<QuorumConfig>): QuorumState {
  const c = s.st;
  const replicas = fullList(s.ring, key).slice(0, c.n);
  const need = kind === "read" ? c.r : c.w;
  const asked = c.contact === "quorum" ? pick(replicas, need, out) : replicas;
  const id = s.nextOp;
  let op: Coordination = { id, kind, request, key, versions, asked, hintFor: {}, replaced: [], answered: [], responses: [], replied: false };
  let next: QuorumState = { ...s, nextOp: id + 1 };
  let msgId = next.msgId;
  for (const node of asked) {
    if (node === s.self) {
      // The coordinator is a replica: it writes or reads locally at once (as Dynamo does).
      if (kind === "write") next = store(next, key, versions, out);
      op = answer(op, s.self, next.store.get(key) ?? []);
    } else {
      out.send(node, kind === "write" ? { type: "put", msg_id: msgId++, op: id, key, versions } : { type: "get", msg_id: msgId++, op: id, key });
    }
  }
  next = { ...next, msgId };
  out.setTimer(`op:${id}`, c.timeoutMs);
  if (c.sloppy) out.setTimer(`fb:${id}`, c.fallbackAfterMs);
  return progress(next, op, out);
}

/** `count` distinct nodes of `list`, chosen uniformly with the node's seeded stream. */
function pick(list: readonly NodeId[], count: number, out: Effects): NodeId[] {
  const pool = list.slice();
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(out.random() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, count);
}

function answer(op: Coordination, node: NodeId, versions: readonly QuorumVersion[] | null): Coordination {
  if (op.answered.includes(node)) return op; // a duplicated message
  const responses = versions === null ? op.responses : [...op.responses, { node, versions }];
  return { ...op, answered: [...op.answered, node], responses };
}

/** Replies to the client once enough replicas answered; finishes the op when done. */
function progress(s: QuorumState, op: Coordination, out: Effects<QuorumConfig>): QuorumState {
  const c = s.st;
  let current = op;
  if (!op.replied) {
    if (op.kind === "write" && op.answered.length >= c.w) {
      // Acknowledged (W replicas hold it). Committed it was earlier, when this coordinator
      // ordered it (see onClientWrite).
      out.reply(op.request, { type: "write_ok" });
      current = { ...op, replied: true };
    } else if (op.kind === "read" && op.answered.length >= c.r) {
      const merged = reconciled(op, c);
      const values = merged.map((v) => v.value).sort((a, b) => a - b);
      const body: { type: string; value: number | null; siblings?: number[]; context?: VersionVector } = { type: "read_ok", value: values.length === 0 ? null : values[values.length - 1] };
      if (values.length > 1) body.siblings = values;
      // With version vectors, the read also returns its context (the merge of the versions'
      // vectors): a client that sends it back with its next write supersedes exactly what
      // it read, which is how a Dynamo client merges siblings (Dynamo §4.4).
      if (c.versioning === "vv") body.context = merged.reduce((acc, v) => mergeVv(acc, v.vv), EMPTY_VV);
      out.reply(op.request, body);
      current = { ...op, replied: true };
    }
  }
  // Everyone asked has answered, or stands replaced by a fallback that did.
  const everyoneAnswered = current.asked.every((n) => current.answered.includes(n) || current.replaced.includes(n));
  // A read stays open for read repair until every replica asked has answered; a sloppy
  // write stays open so silent replicas still get a hinted copy (Dynamo writes to the
  // first N healthy nodes, not just enough for W).
  const waitForAll = current.kind === "read" || c.sloppy;
  if (current.replied && (!waitForAll || everyoneAnswered)) return finish(s, current, out);
  return { ...s, ops: s.ops.set(op.id, current) };
}

function reconciled(op: Coordination, c: QuorumSettings): readonly QuorumVersion[] {
  return mergeVersions([], op.responses.flatMap((r) => r.versions), c.versioning);
}

/** Ends an op: read repair for reads, then forget it. */
function finish(s: QuorumState, op: Coordination, out: Effects<QuorumConfig>): QuorumState {
  out.cancelTimer(`op:${op.id}`);
  out.cancelTimer(`fb:${op.id}`);
  let next: QuorumState = { ...s, ops: s.ops.remove(op.id) };
  let msgId = next.msgId;
  if (op.kind === "read" && op.replied && s.st.readRepair) {
    const merged = reconciled(op, s.st);
    for (const r of op.responses) {
      if (sameVersions(r.versions, merged)) continue;
      // Read repair: a replica that answered with an older version gets the reconciled one.
      if (r.node === s.self) next = store(next, op.key, merged, out);
      else out.send(r.node, { type: "repair", msg_id: msgId++, key: op.key, versions: merged });
      out.note("read-repair", { key: op.key });
    }
  }
  return msgId === next.msgId ? next : { ...next, msgId };
}

/** Sloppy quorum: replaces replicas that have not answered by the next nodes on the ring. */
function fallBack(s: QuorumState, op: Coordination, out: Effects<QuorumConfig>): QuorumState {
  const order = fullList(s.ring, op.key);
  const silent = op.asked.filter((n) => !op.answered.includes(n) && !op.replaced.includes(n));
  let asked = op.asked;
  const replaced = [...op.replaced];
  const hintFor: Record<NodeId, NodeId> = { ...op.hintFor };
  let msgId = s.msgId;
  for (const missing of silent) {
    const spare = order.find((n) => !asked.includes(n));
    if (spare === undefined) break;
    asked = [...asked, spare];
    replaced.push(missing);
    const intended = op.hintFor[missing] ?? missing;
    hintFor[spare] = intended;
    if (op.kind === "write") out.send(spare, { type: "put", msg_id: msgId++, op: op.id, key: op.key, versions: op.versions, hint: intended });
    else out.send(spare, { type: "get", msg_id: msgId++, op: op.id, key: op.key });
  }
  if (asked.length < order.length) out.setTimer(`fb:${op.id}`, s.st.fallbackAfterMs);
  return { ...s, ops: s.ops.set(op.id, { ...op, asked, hintFor, replaced }), msgId };
}

function onClientWrite(s: QuorumState, msg: Message, out: Effects<QuorumConfig>): QuorumState {
  const key = msg.body.key as string;
  const value = msg.body.value as number;
  const c = s.st;
  const seq = s.seq + 1;
  let vv: VersionVector = EMPTY_VV;
  if (c.versioning === "vv") {
    // The write's context: a vector from the client if it sent one, else every sibling this
    // replica holds (the client "read" them through this coordinator). Whatever it has not
    // seen stays a sibling.
    const given = msg.body.context as VersionVector | undefined;
    const context = given ?? (s.store.get(key) ?? []).reduce((acc, v) => mergeVv(acc, v.vv), EMPTY_VV);
    vv = incrementVv(context, s.self);
  }
  const version: QuorumVersion = { value, ts: out.now, origin: s.self, seq, vv };
  // Committed at the origin (GLOSSARY: "commit"): the coordinator has ordered the write (its
  // timestamp or version vector), before any replica holds it; replication lag and
  // propagation delays count from here, as under a leader. The version's order goes in the
  // trace so analyses can count conflicts (vv) and writes LWW dropped (ts).
  out.note("commit", { key, value, data: { ts: version.ts, origin: version.origin, seq, vv } });
  return startOp({ ...s, seq }, "write", msg, key, [version], out);
}

function onClientRequest(s: QuorumState, msg: Message, out: Effects<QuorumConfig>): QuorumState {
  const body = msg.body;
  if (body.type !== "read" && body.type !== "write") {
    out.reply(msg, errorBody(ERROR.notSupported, `${body.type} is not supported by leaderless quorums`));
    return s;
  }
  const key = body.key as string;
  if (body.type === "write" && s.st.versioning === "vv") {
    const replicas = fullList(s.ring, key).slice(0, s.st.n);
    if (!replicas.includes(s.self)) {
      // Version vectors count writes per coordinating replica, so a write is forwarded to
      // one of the key's replicas (Dynamo §4.4: a non-replica forwards to the list).
      const to = replicas[Math.floor(out.random() * replicas.length)];
      out.send(to, forwardBody(msg, { msg_id: s.msgId }));
      return { ...s, msgId: s.msgId + 1 };
    }
    return onClientWrite(s, msg, out);
  }
  if (body.type === "write") return onClientWrite(s, msg, out);
  return startOp(s, "read", msg, key, [], out);
}

// ---- anti-entropy -------------------------------------------------------------------------

/** The Merkle tree of the keys this node holds that `peer` also replicates. */
function sharedTree(s: QuorumState, peer: NodeId, c: QuorumSettings): { tree: MerkleTree; keys: string[] } {
  const keys: string[] = [];
  const entries: [string, string][] = [];
  for (const [key, versions] of s.store) {
    const replicas = fullList(s.ring, key).slice(0, c.n);
    if (replicas.includes(peer) && replicas.includes(s.self)) {
      keys.push(key);
      entries.push([key, digest(versions)]);
    }
  }
  return { tree: buildMerkle(entries, c.merkleDepth), keys };
}

/** Peers that share key ranges with this node: every other replica (the ring is small). */
function aePeers(s: QuorumState): NodeId[] {
  return s.ring.nodes.filter((n) => n !== s.self);
}

function onAntiEntropy(s: QuorumState, msg: Message, out: Effects<QuorumConfig>): QuorumState {
  const c = s.st;
  const depth = c.merkleDepth;
  const body = msg.body;
  const { tree, keys } = sharedTree(s, msg.src, c);
  const level = body.level as number;
  const idx = body.idx as number[];
  const hashes = body.hashes as number[];
  const differ = idx.filter((i, k) => tree.levels[level][i] !== hashes[k]);
  if (differ.length === 0) {
    out.note("anti-entropy", { data: { peer: msg.src, hashes: 0, keys: 0, done: true } });
    return s;
  }
  if (level === depth) {
    const leaves = new Set(differ);
    const versions = keys.filter((k) => leaves.has(leafOf(k, depth))).map((k) => [k, s.store.get(k) ?? []] as const);
    // Each step of the exchange answers the previous one (in_reply_to) and asks the next (msg_id).
    out.reply(msg, { type: "ae_keys", msg_id: s.msgId, leaves: differ, versions, reply: true });
    out.note("anti-entropy", { data: { peer: msg.src, hashes: 0, keys: versions.length } });
    return { ...s, msgId: s.msgId + 1 };
  }
  const children = differ.flatMap((i) => [2 * i, 2 * i + 1]);
  out.reply(msg, { type: "ae", msg_id: s.msgId, level: level + 1, idx: children, hashes: children.map((i) => tree.levels[level + 1][i]) });
  out.note("anti-entropy", { data: { peer: msg.src, hashes: children.length, keys: 0 } });
  return { ...s, msgId: s.msgId + 1 };
}

function onAntiEntropyKeys(s: QuorumState, msg: Message, out: Effects<QuorumConfig>): QuorumState {
  const c = s.st;
  const depth = c.merkleDepth;
  const leaves = new Set(msg.body.leaves as number[]);
  let next = s;
  if (msg.body.reply === true) {
    // Send back what this side holds in those leaves before merging theirs in.
    const { keys } = sharedTree(s, msg.src, c);
    const versions = keys.filter((k) => leaves.has(leafOf(k, depth))).map((k) => [k, s.store.get(k) ?? []] as const);
    out.reply(msg, { type: "ae_keys", msg_id: next.msgId, leaves: [...leaves], versions, reply: false });
    next = { ...next, msgId: next.msgId + 1 };
    out.note("anti-entropy", { data: { peer: msg.src, hashes: 0, keys: versions.length } });
  }
  for (const [key, versions] of msg.body.versions as [string, QuorumVersion[]][]) next = store(next, key, versions, out);
  return next;
}

// ---- the protocol -------------------------------------------------------------------------

function fresh(self: NodeId, ring: HashRing, st: QuorumSettings): QuorumState {
  return {
    self,
    st,
    ring,
    isReplica: ring.nodes.includes(self),
    store: ImmutableMap(),
    hints: ImmutableMap(),
    ops: ImmutableMap(),
    nextOp: 1,
    seq: 0,
    aePeer: 0,
    msgId: 0,
  };
}

type WalRecord = { key: string; versions: QuorumVersion[] } | { hint: QuorumHint } | { dropHint: string };

/** Every (key, value) of every version a node stores, key by key. */
function* versionsOf(s: QuorumState): Iterable<{ key: string; value: number }> {
  for (const [key, versions] of s.store) for (const v of versions) yield { key, value: v.value };
}

const hintId = (intended: NodeId, key: string): string => `${intended}\u0000${key}`;

/**
 * Leaderless quorum replication (see the module comment). Introduced in
 * notebooks/05.00-Leaderless-Replication.ipynb.
 */
export const leaderlessQuorum: Protocol<QuorumState, QuorumConfig> = {
  name: "leaderless-quorum",

  validate(c: QuorumConfig, nodes: readonly NodeId[]): void {
    validateQuorumConfig(c, nodes);
  },

  init(ctx: BootContext<QuorumConfig>, out: Effects<QuorumConfig>): QuorumState {
    const c = resolveQuorum(ctx.config);
    const ring = ringFor(ctx.config.replicas ?? ctx.nodes, c.vnodes);
    const s = replayWal(fresh(ctx.self, ring, c), ctx.durable, (st: QuorumState, r: WalRecord): QuorumState => {
      if ("key" in r) return { ...st, store: st.store.set(r.key, r.versions) };
      if ("hint" in r) return { ...st, hints: st.hints.set(hintId(r.hint.intended, r.hint.key), r.hint) };
      return { ...st, hints: st.hints.remove(r.dropHint) };
    });
    if (c.sloppy) out.setTimer("handoff", c.handoffEveryMs);
    const ae = c.antiEntropyEveryMs;
    // Start anti-entropy at a random phase so replicas do not all exchange at once.
    if (ae > 0 && s.isReplica) out.setTimer("anti-entropy", ae * (0.5 + out.random()));
    return s;
  },

  onMessage(s: QuorumState, msg: Message, out: Effects<QuorumConfig>): QuorumState {
    const body = msg.body;
    const c = s.st;
    if (isFromClient(msg, out.nodes)) return onClientRequest(s, msg, out);
    switch (body.type) {
      case "forward":
        return onClientWrite(s, unwrapForward(msg, s.self), out);
      case "put": {
        const key = body.key as string;
        const versions = body.versions as QuorumVersion[];
        const intended = body.hint as NodeId | undefined;
        let next = s;
        if (intended !== undefined && intended !== s.self) {
          // A hinted write: kept aside for `intended`, handed back by the handoff timer.
          const id = hintId(intended, key);
          const held = s.hints.get(id)?.versions ?? [];
          const hint: QuorumHint = { intended, key, versions: mergeVersions(held, versions, c.versioning) };
          out.persist({ hint });
          next = { ...s, hints: s.hints.set(id, hint) };
        } else {
          next = store(s, key, versions, out);
        }
        out.reply(msg, { type: replyType("put"), op: body.op });
        return next;
      }
      case "get":
        out.reply(msg, { type: replyType("get"), op: body.op, versions: s.store.get(body.key as string) ?? [] });
        return s;
      case "put_ok":
      case "get_ok": {
        const op = s.ops.get(body.op as number);
        if (op === undefined) return s;
        return progress(s, answer(op, msg.src, body.type === "get_ok" ? (body.versions as QuorumVersion[]) : null), out);
      }
      case "repair":
        return store(s, body.key as string, body.versions as QuorumVersion[], out);
      case "handoff": {
        const next = store(s, body.key as string, body.versions as QuorumVersion[], out);
        out.reply(msg, { type: replyType("handoff"), key: body.key, digest: digest(body.versions as QuorumVersion[]) });
        return next;
      }
      case "handoff_ok": {
        const id = hintId(msg.src, body.key as string);
        const hint = s.hints.get(id);
        // Drop the hint only if no newer hinted write arrived meanwhile.
        if (hint === undefined || digest(hint.versions) !== body.digest) return s;
        out.persist({ dropHint: id });
        out.note("handoff", { key: hint.key, data: { to: msg.src } });
        return { ...s, hints: s.hints.remove(id) };
      }
      case "ae":
        return onAntiEntropy(s, msg, out);
      case "ae_keys":
        return onAntiEntropyKeys(s, msg, out);
      default:
        return s;
    }
  },

  onTimer(s: QuorumState, name: string, out: Effects<QuorumConfig>): QuorumState {
    const c = s.st;
    if (name === "handoff") {
      let msgId = s.msgId;
      for (const hint of s.hints.values()) out.send(hint.intended, { type: "handoff", msg_id: msgId++, key: hint.key, versions: hint.versions });
      out.setTimer("handoff", c.handoffEveryMs);
      return msgId === s.msgId ? s : { ...s, msgId };
    }
    if (name === "anti-entropy") {
      out.setTimer("anti-entropy", c.antiEntropyEveryMs);
      const peers = aePeers(s);
      if (peers.length === 0) return s;
      const peer = peers[s.aePeer % peers.length];
      const { tree } = sharedTree(s, peer, c);
      out.send(peer, { type: "ae", msg_id: s.msgId, level: 0, idx: [0], hashes: [tree.levels[0][0]] });
      out.note("anti-entropy", { data: { peer, hashes: 1, keys: 0, start: true } });
      return { ...s, aePeer: s.aePeer + 1, msgId: s.msgId + 1 };
    }
    const [kind, id] = name.split(":");
    const op = s.ops.get(Number(id));
    if (op === undefined) return s;
    if (kind === "fb") return op.replied && op.kind === "read" ? s : fallBack(s, op, out);
    // kind === "op": the coordinator's timeout.
    if (!op.replied) {
      const need = op.kind === "read" ? c.r : c.w;
      const text = `${op.answered.length} of ${need} replicas answered within ${c.timeoutMs} ms`;
      // A read that failed changed nothing (definite, code 11); a write may have reached some
      // replicas, so its outcome is unknown (code 0, indefinite).
      out.reply(op.request, errorBody(op.kind === "read" ? ERROR.temporarilyUnavailable : ERROR.timeout, text));
      out.note("quorum-timeout", { key: op.key });
      return finish(s, { ...op, replied: false }, out);
    }
    return finish(s, op, out);
  },

  sizeOf: messageSize,

  contents(s: QuorumState): ReadonlyMap<string, readonly number[]> {
    // Every sibling of every key (one version each under LWW).
    return holdings([], versionsOf(s));
  },
};

/**
 * Checks a quorum config against the cluster; throws a ConfigError naming the field,
 * the problem and the fix. Pure.
 */
export function validateQuorumConfig(c: QuorumConfig, nodes: readonly NodeId[]): void {
  if (c == null || typeof c !== "object") throw new ConfigError("config", "is missing", "give { n: 3, r: 2, w: 2 }");
  const replicas = c.replicas ?? nodes;
  if (c.replicas !== undefined) {
    if (!Array.isArray(c.replicas) || c.replicas.length === 0) {
      throw new ConfigError("config.replicas", `must be a non-empty list of node ids, got ${describe(c.replicas)}`, 'list the nodes on the ring, e.g. ["n1", "n2", "n3"]');
    }
    c.replicas.forEach((r, i) => {
      if (!nodes.includes(r)) throw new ConfigError(`config.replicas[${i}]`, `unknown node ${describe(r)}`, `use one of ${nodes.join(", ")}`);
      const first = c.replicas!.indexOf(r);
      if (first !== i) throw new ConfigError(`config.replicas[${i}]`, `repeats ${r} (already config.replicas[${first}])`, "list each node once");
    });
  }
  requireInteger("config.n", c.n, 1);
  if (c.n > replicas.length) {
    throw new ConfigError("config.n", `is ${c.n} but the ring has only ${replicas.length} nodes`, `use n ≤ ${replicas.length}, or add nodes`);
  }
  requireInteger("config.r", c.r, 1);
  requireInteger("config.w", c.w, 1);
  if (c.r > c.n) throw new ConfigError("config.r", `is ${c.r}, larger than n = ${c.n}: a read could never gather that many replies`, `use 1 ≤ r ≤ ${c.n}`);
  if (c.w > c.n) throw new ConfigError("config.w", `is ${c.w}, larger than n = ${c.n}: a write could never gather that many acknowledgements`, `use 1 ≤ w ≤ ${c.n}`);
  if (c.timeoutMs !== undefined) requirePeriod("config.timeoutMs", c.timeoutMs);
  if (c.versioning !== undefined) requireOneOf("config.versioning", c.versioning, ["lww", "vv"] as const);
  if (c.sloppy !== undefined && typeof c.sloppy !== "boolean") throw new ConfigError("config.sloppy", `must be true or false, got ${describe(c.sloppy)}`, "write sloppy: true for hinted handoff");
  if (c.readRepair !== undefined && typeof c.readRepair !== "boolean") throw new ConfigError("config.readRepair", `must be true or false, got ${describe(c.readRepair)}`, "write readRepair: false to turn it off");
  if (c.fallbackAfterMs !== undefined) requirePeriod("config.fallbackAfterMs", c.fallbackAfterMs);
  if (c.handoffEveryMs !== undefined) requirePeriod("config.handoffEveryMs", c.handoffEveryMs);
  if (c.antiEntropyEveryMs !== undefined) requirePeriod("config.antiEntropyEveryMs", c.antiEntropyEveryMs, true);
  if (c.merkleDepth !== undefined) requireInteger("config.merkleDepth", c.merkleDepth, 0, 16);
  if (c.vnodes !== undefined) requireInteger("config.vnodes", c.vnodes, 1, 4096);
  if (c.contact !== undefined) requireOneOf("config.contact", c.contact, ["all", "quorum"] as const);
}
