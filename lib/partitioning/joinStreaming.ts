/**
 * What a node join really streams, in the simulator: a small partitioned key-value store
 * on a ring with virtual nodes, whose last node joins at `joinAtMs`. Every key the new ring
 * gives the joiner is streamed to it by its old owner, in throttled batches (as Cassandra
 * throttles streaming), and clients keep reading and writing every key meanwhile. Two ways
 * to hand a range over:
 *
 * - `stop-and-copy`: ownership switches at once; the joiner answers a moved key only once it
 *   has received it, so the moved keys are unavailable until their batch arrives.
 * - `copy-then-switch`: the old owners keep serving while they stream (and pass each write of
 *   a moving key on to the joiner as well, as Cassandra's pending ranges do); once the joiner
 *   holds everything it tells every node to switch. Nothing becomes unavailable; the move
 *   takes the same time.
 *
 * Clients send a request to any node; a node that does not own the key (by its view of the
 * ring) forwards it to the owner, once. Readings: bytes streamed, time from the join to the
 * last key received, and availability of the moved keys during the move.
 *
 * Not the leaderless protocol of notebook 05: that one has a fixed membership; this is a
 * separate, single-copy experiment built on the same engine and the same ring.
 *
 * Introduced in notebooks/01.01-Many-Servers.ipynb.
 */
import { Map as ImmutableMap } from "immutable";
import { ConfigError, requireInteger, requireKnownKeys, requireNumber, requireOneOf, requirePlainObject } from "../errors.js";
import { makeRing, preferenceList, type HashRing } from "../protocols/leaderless/ring.js";
import { ERROR, errorBody } from "../protocols/shared/errorCodes.js";
import { forwardBody, unwrapForward } from "../protocols/shared/forwarding.js";
import { HEADER_BYTES } from "../protocols/shared/messageSize.js";
import { isFromClient } from "../protocols/shared/messages.js";
import { availability } from "../metrics/availability.js";
import { pairOperations } from "../checkers/operations.js";
import { requirePeriod } from "../sim/limits.js";
import type { Body, BootContext, Effects, Message, Protocol } from "../sim/protocol.js";
import type { SimulationRun } from "../sim/run.js";
import type { NodeId } from "../sim/trace.js";
import { keyName } from "../workload/keys.js";

/** How a range is handed over to the joiner. */
export type JoinStrategy = "stop-and-copy" | "copy-then-switch";

/** Settings of the join experiment. */
export interface JoinConfig {
  /** Keys in the store (`k0000` …, the workload's key names); each starts with value 0. */
  readonly keys: number;
  /** When the last node joins, ms. */
  readonly joinAtMs: number;
  readonly strategy: JoinStrategy;
  /** Modelled bytes of one value (default 1000). */
  readonly valueBytes?: number;
  /** Tokens per node on the ring (default 16). */
  readonly vnodes?: number;
  /** Keys per streaming batch (default 20). */
  readonly batchKeys?: number;
  /** Each old owner sends one batch every this many ms (default 10): the streaming throttle. */
  readonly batchEveryMs?: number;
}

/** One node of the join experiment. Immutable. */
export interface JoinNodeState {
  readonly self: NodeId;
  readonly settings: Required<JoinConfig>;
  readonly before: HashRing;
  readonly after: HashRing;
  /** Whether this node routes by the new ring. */
  readonly switched: boolean;
  /** The keys this node holds, with their values. */
  readonly kv: ImmutableMap<string, number>;
  /** Old owner: keys still to stream. Joiner: keys it still waits for (a count). */
  readonly toSend: readonly string[];
  readonly waitingFor: number;
  /** Old owner, copy-then-switch: the moving keys, to pass their writes on. */
  readonly moving: ReadonlySet<string>;
}

const DEFAULTS = { valueBytes: 1000, vnodes: 16, batchKeys: 20, batchEveryMs: 10 };
/** Modelled bytes of a key's name in a streamed entry. */
const KEY_BYTES = 16;

function settingsOf(c: JoinConfig): Required<JoinConfig> {
  return {
    keys: c.keys, joinAtMs: c.joinAtMs, strategy: c.strategy,
    valueBytes: c.valueBytes ?? DEFAULTS.valueBytes, vnodes: c.vnodes ?? DEFAULTS.vnodes,
    batchKeys: c.batchKeys ?? DEFAULTS.batchKeys, batchEveryMs: c.batchEveryMs ?? DEFAULTS.batchEveryMs,
  };
}

/** Checks the join experiment's settings; throws a ConfigError naming the field. Pure. */
export function validateJoin(c: JoinConfig, nodes: readonly NodeId[]): void {
  requirePlainObject("config", c, 'give e.g. { keys: 2000, joinAtMs: 500, strategy: "copy-then-switch" }');
  requireKnownKeys("config", c, ["keys", "joinAtMs", "strategy", "valueBytes", "vnodes", "batchKeys", "batchEveryMs"]);
  if (nodes.length < 2) throw new ConfigError("nodes", `a join needs at least one node and the joiner, got ${nodes.length}`, "use at least 2 nodes: the last one joins");
  requireInteger("config.keys", c.keys, 1, 1_000_000);
  requireNumber("config.joinAtMs", c.joinAtMs, 0);
  requireOneOf("config.strategy", c.strategy, ["stop-and-copy", "copy-then-switch"] as const);
  if (c.valueBytes !== undefined) requireInteger("config.valueBytes", c.valueBytes, 1);
  if (c.vnodes !== undefined) requireInteger("config.vnodes", c.vnodes, 1, 4096);
  if (c.batchKeys !== undefined) requireInteger("config.batchKeys", c.batchKeys, 1);
  if (c.batchEveryMs !== undefined) requirePeriod("config.batchEveryMs", c.batchEveryMs);
}

const owner = (ring: HashRing, key: string): NodeId => preferenceList(ring, key, 1)[0];
const joinerOf = (nodes: readonly NodeId[]): NodeId => nodes[nodes.length - 1];

function view(s: JoinNodeState): HashRing {
  return s.switched ? s.after : s.before;
}

/** Bytes of a streamed batch of `n` entries. Pure. */
function batchBytes(n: number, valueBytes: number): number {
  return HEADER_BYTES + n * (KEY_BYTES + valueBytes);
}

function onJoin(s: JoinNodeState, out: Effects<JoinConfig>): JoinNodeState {
  const st = s.settings;
  const joiner = joinerOf(out.nodes);
  const switched = st.strategy === "stop-and-copy";
  if (s.self === joiner) {
    let waitingFor = 0;
    for (let i = 0; i < st.keys; i++) if (owner(s.after, keyName(i)) === joiner) waitingFor++;
    out.note("join", { data: { keys: waitingFor } });
    return { ...s, switched, waitingFor };
  }
  const toSend = [...s.kv.keys()].filter((k) => owner(s.after, k) === joiner).sort();
  if (toSend.length > 0) out.setTimer("stream", 0);
  return { ...s, switched, toSend, moving: new Set(toSend) };
}

function sendBatch(s: JoinNodeState, out: Effects<JoinConfig>): JoinNodeState {
  const st = s.settings;
  const batch = s.toSend.slice(0, st.batchKeys);
  const entries = batch.map((k) => [k, s.kv.get(k)!] as const);
  out.send(joinerOf(out.nodes), { type: "stream", entries, bytes: batchBytes(entries.length, st.valueBytes) });
  const toSend = s.toSend.slice(batch.length);
  if (toSend.length > 0) out.setTimer("stream", st.batchEveryMs);
  // In stop-and-copy the joiner owns these keys now: the old owner lets go of what it sent.
  const kv = st.strategy === "stop-and-copy" ? s.kv.deleteAll(batch) : s.kv;
  return { ...s, toSend, kv };
}

function onStream(s: JoinNodeState, msg: Message, out: Effects<JoinConfig>): JoinNodeState {
  let kv = s.kv;
  let waitingFor = s.waitingFor;
  for (const [k, v] of msg.body.entries as readonly (readonly [string, number])[]) {
    if (!kv.has(k)) {
      waitingFor--;
      out.note("moved", { key: k });
    }
    // Batches and dual writes from one old owner arrive in order (a FIFO link), so the last one is current.
    kv = kv.set(k, v);
  }
  let next: JoinNodeState = { ...s, kv, waitingFor };
  if (s.waitingFor > 0 && waitingFor === 0) {
    out.note("join-complete");
    if (s.settings.strategy === "copy-then-switch") {
      for (const n of out.nodes) if (n !== s.self) out.send(n, { type: "switch" });
      next = { ...next, switched: true };
    }
  }
  return next;
}

function serve(s: JoinNodeState, req: Message, out: Effects<JoinConfig>, forwarded: boolean): JoinNodeState {
  const key = req.body.key as string;
  const own = owner(view(s), key);
  if (own !== s.self && !forwarded) {
    out.send(own, forwardBody(req));
    return s;
  }
  if (!s.kv.has(key)) {
    // The key is moving and has not arrived yet (or a stale view sent it here): not available.
    out.reply(req, errorBody(ERROR.temporarilyUnavailable, `${key} is not here yet`));
    return s;
  }
  if (req.body.type === "read") {
    out.reply(req, { type: "read_ok", value: s.kv.get(key)! });
    return s;
  }
  if (req.body.type !== "write") {
    out.reply(req, errorBody(ERROR.notSupported, `${req.body.type} is not supported by the join experiment`));
    return s;
  }
  const value = req.body.value as number;
  if (s.moving.has(key) && !s.switched) {
    // Copy-then-switch: the joiner gets every write of a moving key too, so it is current at the switch.
    out.send(joinerOf(out.nodes), { type: "stream", entries: [[key, value]], dual: true, bytes: batchBytes(1, s.settings.valueBytes) });
  }
  out.reply(req, { type: "write_ok" });
  return { ...s, kv: s.kv.set(key, value) };
}

/** The join experiment (see the module comment). Pure handlers. */
export const partitionJoin: Protocol<JoinNodeState, JoinConfig> = {
  name: "partition-join",
  validate: validateJoin,
  messageTypes: ["stream", "switch", "forward"],

  init(ctx: BootContext<JoinConfig>, out: Effects<JoinConfig>): JoinNodeState {
    const st = settingsOf(ctx.config);
    const joiner = joinerOf(ctx.nodes);
    const before = makeRing(ctx.nodes.slice(0, -1), st.vnodes);
    const after = makeRing(ctx.nodes, st.vnodes);
    let kv = ImmutableMap<string, number>();
    if (ctx.self !== joiner) {
      kv = kv.withMutations((m) => {
        for (let i = 0; i < st.keys; i++) if (owner(before, keyName(i)) === ctx.self) m.set(keyName(i), 0);
      });
    }
    out.setTimer("join", st.joinAtMs);
    return { self: ctx.self, settings: st, before, after, switched: false, kv, toSend: [], waitingFor: 0, moving: new Set() };
  },

  onMessage(s: JoinNodeState, msg: Message, out: Effects<JoinConfig>): JoinNodeState {
    if (isFromClient(msg, out.nodes)) return serve(s, msg, out, false);
    switch (msg.body.type) {
      case "forward":
        return serve(s, unwrapForward(msg, s.self), out, true);
      case "stream":
        return onStream(s, msg, out);
      case "switch": {
        // The old owner hands the moved keys over for good.
        const kv = s.kv.deleteAll(s.moving);
        return { ...s, switched: true, kv, moving: new Set() };
      }
      default:
        return s;
    }
  },

  onTimer(s: JoinNodeState, name: string, out: Effects<JoinConfig>): JoinNodeState {
    if (name === "join") return onJoin(s, out);
    if (name === "stream") return sendBatch(s, out);
    return s;
  },

  contents(s: JoinNodeState): ReadonlyMap<string, readonly number[]> {
    return new Map([...s.kv.entries()].map(([k, v]) => [k, [v]]));
  },

  sizeOf(body: Body): number {
    return typeof body.bytes === "number" ? body.bytes : HEADER_BYTES;
  },
};

/** What a join streamed and what it cost. Plain data. */
export interface JoinReading {
  /** Keys the joiner received, and the fraction of all keys that is (ideal: 1/(n + 1)). */
  readonly movedKeys: number;
  readonly movedFraction: number;
  /** Bytes of the streamed batches (dual writes included). */
  readonly streamedBytes: number;
  /** From the join to the last moved key received, ms. */
  readonly moveMs: number;
  /** Among client operations on moved keys invoked during the move, the fraction that completed ok. */
  readonly movedAvailability: number;
  /** The same for every other key. */
  readonly otherAvailability: number;
  /** Operations on moved keys invoked during the move. */
  readonly movedOps: number;
  /** The most keys one old owner had to stream: with the throttle, it sets the move time. */
  readonly busiestDonorKeys: number;
}

/** Reads a join run: bytes, time, availability of the moved keys during the move. Pure. */
export function joinReading(run: SimulationRun<JoinNodeState>): JoinReading {
  const joiner = joinerOf(run.nodes);
  const trace = run.trace;
  const st = run.finalState(joiner).settings;
  const moved = new Set<string>();
  let done = NaN;
  for (const e of trace) {
    if (e.type === "note" && e.node === joiner && e.kind === "moved") moved.add(e.key!);
    if (e.type === "note" && e.node === joiner && e.kind === "join-complete") done = e.t;
  }
  if (Number.isNaN(done)) throw new ConfigError("durationMs", "the run ended before the join completed", "lengthen the run, or stream faster (batchKeys, batchEveryMs)");
  let streamedBytes = 0;
  for (const e of trace) if (e.type === "send" && e.msg === "stream") streamedBytes += e.bytes;
  const ops = pairOperations(run.history).filter((o) => o.invokeTime >= st.joinAtMs && o.invokeTime < done);
  const share = (xs: typeof ops) => (xs.length === 0 ? 1 : xs.filter((o) => o.outcome === "ok").length / xs.length);
  const movedOps = ops.filter((o) => moved.has(o.key));
  const perDonor = new Map<NodeId, number>();
  const before = run.finalState(joiner).before;
  for (const k of moved) {
    const donor = owner(before, k);
    perDonor.set(donor, (perDonor.get(donor) ?? 0) + 1);
  }
  return {
    movedKeys: moved.size, movedFraction: moved.size / st.keys, streamedBytes, moveMs: done - st.joinAtMs,
    movedAvailability: share(movedOps), otherAvailability: share(ops.filter((o) => !moved.has(o.key))), movedOps: movedOps.length,
    busiestDonorKeys: Math.max(0, ...perDonor.values()),
  };
}

/** Availability rows of the moved keys and of the others, per window (for a chart). Pure. */
export function joinAvailabilityRows(run: SimulationRun<JoinNodeState>, windowMs: number): { t: number; keys: string; availability: number }[] {
  const joiner = joinerOf(run.nodes);
  const moved = new Set<string>();
  for (const e of run.trace) if (e.type === "note" && e.node === joiner && e.kind === "moved") moved.add(e.key!);
  const rows: { t: number; keys: string; availability: number }[] = [];
  for (const [label, keep] of [["moved keys", true], ["other keys", false]] as const) {
    const history = run.history.filter((h) => moved.has(h.key) === keep);
    for (const r of availability(history, { windowMs })) if (r.f === "all" && r.availability !== null) rows.push({ t: r.t, keys: label, availability: r.availability });
  }
  return rows;
}
