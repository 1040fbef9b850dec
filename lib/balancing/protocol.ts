/**
 * A load balancer as a protocol: one node balances, the others serve. Clients send their
 * requests to the balancer; it picks a server by the configured policy (lib/balancing/
 * policies.ts) and forwards the request as a `serve` message; the server answers
 * `serve_ok` and the balancer answers the client. Servers queue and serve with the engine's
 * node capacity (`SimConfig.capacity`, lib/sim/capacity.ts): give them a service time for
 * `serve` and the queueing delay is the engine's own.
 *
 * The balancer counts the requests outstanding at each server (sent, not yet answered: it
 * sees every answer), which is what least-outstanding and power-of-d choices compare. With
 * health checks it probes every server each interval and stops sending to one that missed
 * `fall` probes in a row, until it answers `rise` in a row. With `fanOut` k a request goes
 * to k servers and is answered when all k have; with `hedgeAfterMs` a copy unanswered that
 * long is sent to one more server and the first answer wins.
 *
 * The trace notes `server-down` and `server-up` (data: `{ server }`) when the balancer
 * marks a server, and `hedge` when it sends a hedged copy.
 *
 * Every handler is pure: it returns the next state and records effects in `out`.
 *
 * Introduced in notebooks/01.01-Many-Servers.ipynb.
 */
import { Map as ImmutableMap } from "immutable";
import { ConfigError, describe } from "../errors.js";
import type { BootContext, Effects, Message, Protocol } from "../sim/protocol.js";
import type { NodeId } from "../sim/trace.js";
import { ERROR, errorBody } from "../protocols/shared/errorCodes.js";
import { isFromClient, replyType } from "../protocols/shared/messages.js";
import { messageSize } from "../protocols/shared/messageSize.js";
import { type BalancerConfig, type BalancerSettings, resolveBalancer, type ServerView } from "./config.js";
import { chooseServer, compilePolicy, type CompiledPolicy } from "./policies.js";

/** One client request the balancer has not answered yet. */
interface OpenRequest {
  readonly msg: Message;
  /** Slots (one per fan-out copy) still unanswered. */
  readonly left: number;
  /** Per slot: answered yet? */
  readonly done: readonly boolean[];
}

/** One copy of a request at a server: which request, which slot, which server. */
interface CopyInFlight {
  readonly request: number;
  readonly slot: number;
  readonly server: number;
}

/** One node's state (balancer or server). Immutable: handlers return a new one. */
export interface BalancerState {
  readonly self: NodeId;
  readonly role: "balancer" | "server";
  readonly settings: BalancerSettings;
  readonly compiled: CompiledPolicy;
  /** Per server (in `settings.servers` order): believed up? */
  readonly up: readonly boolean[];
  /** Per server: copies sent and not yet answered. */
  readonly outstanding: readonly number[];
  /** Health checks, per server: probe sent and not answered yet; failures and answers in a row. */
  readonly probing: readonly boolean[];
  readonly fails: readonly number[];
  readonly oks: readonly number[];
  /** Picks made so far (round robin takes the next server in turn). */
  readonly turn: number;
  /** Next `msg_id` of a copy or probe sent to a server. */
  readonly msgId: number;
  readonly requests: ImmutableMap<number, OpenRequest>;
  readonly copies: ImmutableMap<number, CopyInFlight>;
  /** Next client-request number. */
  readonly nextRequest: number;
}

/** The timer of the health checks. */
const HEALTH_TIMER = "health";
const HEDGE_PREFIX = "hedge:";

/** The body types balancer and servers send each other. */
export const BALANCER_MESSAGE_TYPES = ["serve", "serve_ok", "health", "health_ok"] as const;

const withAt = <T>(xs: readonly T[], i: number, v: T): readonly T[] => {
  const c = xs.slice();
  c[i] = v;
  return c;
};

function init(ctx: BootContext<BalancerConfig>, out: Effects<BalancerConfig>): BalancerState {
  const settings = resolveBalancer(ctx.config, ctx.nodes);
  const n = settings.servers.length;
  const zeros = new Array<number>(n).fill(0);
  const state: BalancerState = {
    self: ctx.self,
    role: ctx.self === settings.balancer ? "balancer" : "server",
    settings,
    compiled: compilePolicy(settings.policy, settings.servers),
    up: new Array<boolean>(n).fill(true),
    outstanding: zeros,
    probing: new Array<boolean>(n).fill(false),
    fails: zeros,
    oks: zeros,
    turn: 0,
    msgId: 1,
    requests: ImmutableMap(),
    copies: ImmutableMap(),
    nextRequest: 1,
  };
  if (state.role === "balancer" && settings.healthCheck !== null) return probe(state, out);
  return state;
}

/** Sends one health probe to every server and sets the next check. */
function probe(s: BalancerState, out: Effects<BalancerConfig>): BalancerState {
  let msgId = s.msgId;
  for (const server of s.settings.servers) out.send(server, { type: "health", msg_id: msgId++ });
  out.setTimer(HEALTH_TIMER, s.settings.healthCheck!.intervalMs);
  return { ...s, msgId, probing: s.probing.map(() => true) };
}

/** The health-check tick: an unanswered probe is a failure; `fall` in a row mark a server down. */
function healthTick(s: BalancerState, out: Effects<BalancerConfig>): BalancerState {
  const fall = s.settings.healthCheck!.fall;
  const fails = s.fails.slice();
  const oks = s.oks.slice();
  const up = s.up.slice();
  const outstanding = s.outstanding.slice();
  s.settings.servers.forEach((server, i) => {
    if (!s.probing[i]) return;
    fails[i]++;
    oks[i] = 0;
    if (up[i] && fails[i] >= fall) {
      up[i] = false;
      // Its copies are given up for lost: a down server's count would only mislead.
      outstanding[i] = 0;
      out.note("server-down", { data: { server } });
    }
  });
  return probe({ ...s, fails, oks, up, outstanding }, out);
}

/** A probe answered: `rise` answers in a row mark a down server up. */
function healthAnswered(s: BalancerState, i: number, out: Effects<BalancerConfig>): BalancerState {
  const oks = s.oks[i] + 1;
  let up = s.up;
  if (!s.up[i] && oks >= s.settings.healthCheck!.rise) {
    up = withAt(s.up, i, true);
    out.note("server-up", { data: { server: s.settings.servers[i] } });
  }
  return { ...s, probing: withAt(s.probing, i, false), fails: withAt(s.fails, i, 0), oks: withAt(s.oks, i, oks), up };
}

/**
 * The server (index into `settings.servers`) for the next copy: the policy's pick among the
 * servers up that are not in `exclude`, or −1 when there is none. `outstanding` and `turn`
 * are passed in so a fan-out can pick several servers before the state is rebuilt.
 */
function pick(s: BalancerState, outstanding: readonly number[], turn: number, key: string, exclude: readonly number[], out: Effects<BalancerConfig>): number {
  let candidates: number[] | null = null;
  if (exclude.length > 0 || s.up.includes(false)) {
    candidates = [];
    for (let i = 0; i < s.up.length; i++) if (s.up[i] && !exclude.includes(i)) candidates.push(i);
    if (candidates.length === 0) return -1;
  }
  // The common case (every server up, nothing excluded) hands the policy the state's own arrays.
  const view: ServerView = {
    servers: candidates === null ? s.compiled.servers : candidates.map((i) => s.settings.servers[i]),
    outstanding: candidates === null ? outstanding : candidates.map((i) => outstanding[i]),
    key,
    random: () => out.random(),
  };
  const k = chooseServer(s.compiled, view, turn);
  if (!Number.isInteger(k) || k < 0 || k >= view.servers.length) {
    throw new ConfigError("config.policy.choose", `returned ${describe(k)}, not an index into the ${view.servers.length} servers of the view`, "return an integer from 0 to view.servers.length − 1");
  }
  return candidates === null ? k : candidates[k];
}

/** Sends copy `id` to server `i` (and sets its hedge timer when hedging is on). Records effects only. */
function sendCopy(s: BalancerState, id: number, i: number, msg: Message, out: Effects<BalancerConfig>, hedgeable: boolean): void {
  out.send(s.settings.servers[i], { type: "serve", msg_id: id, f: msg.body.type, key: msg.body.key });
  if (hedgeable && s.settings.hedgeAfterMs > 0) out.setTimer(`${HEDGE_PREFIX}${id}`, s.settings.hedgeAfterMs);
}

/** A client request: pick `fanOut` distinct servers and send each a copy. */
function onClientRequest(s: BalancerState, msg: Message, out: Effects<BalancerConfig>): BalancerState {
  const key = typeof msg.body.key === "string" ? msg.body.key : "";
  const chosen: number[] = [];
  const outstanding = s.outstanding.slice();
  let turn = s.turn;
  for (let slot = 0; slot < s.settings.fanOut; slot++) {
    const i = pick(s, outstanding, turn, key, chosen, out);
    if (i < 0) break;
    chosen.push(i);
    // Counted at once, so the next pick of a fan-out sees this copy as outstanding.
    outstanding[i]++;
    turn++;
  }
  if (chosen.length < s.settings.fanOut) {
    out.reply(msg, errorBody(ERROR.temporarilyUnavailable, `only ${chosen.length} of the ${s.settings.fanOut} servers needed are up`));
    return s;
  }
  const request = s.nextRequest;
  let msgId = s.msgId;
  let copies = s.copies;
  chosen.forEach((i, slot) => {
    copies = copies.set(msgId, { request, slot, server: i });
    sendCopy(s, msgId++, i, msg, out, true);
  });
  return {
    ...s,
    outstanding,
    turn,
    msgId,
    copies,
    nextRequest: request + 1,
    requests: s.requests.set(request, { msg, left: chosen.length, done: chosen.map(() => false) }),
  };
}

/** A server answered a copy: count it, and answer the client once every slot has an answer. */
function onServed(s: BalancerState, msg: Message, out: Effects<BalancerConfig>): BalancerState {
  const id = msg.body.in_reply_to ?? -1;
  const copy = s.copies.get(id);
  if (copy === undefined) return s;
  if (s.settings.hedgeAfterMs > 0) out.cancelTimer(`${HEDGE_PREFIX}${id}`);
  let next: BalancerState = {
    ...s,
    copies: s.copies.delete(id),
    outstanding: withAt(s.outstanding, copy.server, Math.max(0, s.outstanding[copy.server] - 1)),
  };
  const r = next.requests.get(copy.request);
  if (r === undefined || r.done[copy.slot]) return next; // a slower copy of an answered slot
  const left = r.left - 1;
  if (left === 0) {
    out.reply(r.msg, r.msg.body.type === "read" ? { type: replyType("read"), value: null } : { type: replyType(r.msg.body.type) });
    return { ...next, requests: next.requests.delete(copy.request) };
  }
  next = { ...next, requests: next.requests.set(copy.request, { ...r, left, done: withAt(r.done, copy.slot, true) }) };
  return next;
}

/**
 * A copy still unanswered after `hedgeAfterMs`: send its slot to one more server, any but the
 * one that has it (in a fan-out that may be a server serving another slot of the request, as a
 * replica of the same shard would be).
 */
function onHedge(s: BalancerState, id: number, out: Effects<BalancerConfig>): BalancerState {
  const copy = s.copies.get(id);
  const r = copy === undefined ? undefined : s.requests.get(copy.request);
  if (copy === undefined || r === undefined || r.done[copy.slot]) return s;
  const key = typeof r.msg.body.key === "string" ? r.msg.body.key : "";
  const i = pick(s, s.outstanding, s.turn, key, [copy.server], out);
  if (i < 0) return s;
  out.note("hedge", { key, data: { server: s.settings.servers[i] } });
  // The hedge itself is not hedged again: one extra copy per slot at most.
  sendCopy(s, s.msgId, i, r.msg, out, false);
  return {
    ...s,
    turn: s.turn + 1,
    msgId: s.msgId + 1,
    outstanding: withAt(s.outstanding, i, s.outstanding[i] + 1),
    copies: s.copies.set(s.msgId, { request: copy.request, slot: copy.slot, server: i }),
  };
}

function onBalancerMessage(s: BalancerState, msg: Message, out: Effects<BalancerConfig>): BalancerState {
  const i = s.compiled.index.get(msg.src);
  if (i === undefined) {
    if (!isFromClient(msg, out.nodes)) return s;
    if (msg.body.type === "read" || msg.body.type === "write" || msg.body.type === "cas") return onClientRequest(s, msg, out);
    out.reply(msg, errorBody(ERROR.notSupported, `the balancer does not handle ${msg.body.type}`));
    return s;
  }
  if (msg.body.type === "serve_ok") return onServed(s, msg, out);
  if (msg.body.type === "health_ok" && s.settings.healthCheck !== null) return healthAnswered(s, i, out);
  return s;
}

function onServerMessage(s: BalancerState, msg: Message, out: Effects<BalancerConfig>): BalancerState {
  if (msg.body.type === "serve" || msg.body.type === "health") {
    out.reply(msg, { type: replyType(msg.body.type) });
  } else if (isFromClient(msg, out.nodes)) {
    out.reply(msg, errorBody(ERROR.temporarilyUnavailable, `${s.self} is a server behind the balancer ${s.settings.balancer}: send requests there`));
  }
  return s;
}

/**
 * The load balancer: node `config.balancer` (default the first) balances client requests
 * over `config.servers` (default the others) by `config.policy`. Pure handlers.
 */
export const loadBalancer: Protocol<BalancerState, BalancerConfig> = {
  name: "load-balancer",
  messageTypes: BALANCER_MESSAGE_TYPES,
  validate(config, nodes) {
    resolveBalancer(config, nodes);
  },
  init,
  onMessage(s, msg, out) {
    return s.role === "balancer" ? onBalancerMessage(s, msg, out) : onServerMessage(s, msg, out);
  },
  onTimer(s, name, out) {
    if (s.role !== "balancer") return s;
    if (name === HEALTH_TIMER && s.settings.healthCheck !== null) return healthTick(s, out);
    if (name.startsWith(HEDGE_PREFIX)) return onHedge(s, Number(name.slice(HEDGE_PREFIX.length)), out);
    return s;
  },
  sizeOf: messageSize,
};
