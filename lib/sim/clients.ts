/**
 * The clients of a simulation: they pick operations from the workload's mix and keys,
 * send them to nodes, wait (open or closed loop), time out, retry, and record every
 * operation in the history, Jepsen style (invoke, then ok / fail / info).
 *
 * The engine owns time and the network; it hands the clients what they may do through a
 * `ClientHost` and tells them when an issue time, a reply or a timeout comes due.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import type { HistoryOp, OpFunction, Value } from "../history/types.js";
import { keyName, makeKeyChooser, type KeyChooser } from "../workload/keys.js";
import type { Target, WorkloadSpec } from "../workload/workload.js";
import { constant, exponentialMean, makeSampler, type Sampler } from "./distributions.js";
import { isDefiniteError } from "../protocols/shared/errorCodes.js";
import type { Body, Message } from "./protocol.js";
import type { Scheduled } from "./queue.js";
import type { Rng } from "./rng.js";
import type { NodeId } from "./trace.js";

/** What the engine lets its clients do. */
export interface ClientHost {
  /** Sends `body` from the client at endpoint `src` to node `dest`. */
  send(src: number, dest: NodeId, body: Body): void;
  /** Wakes the client at `endpoint` at time `t` to issue its next operation. */
  scheduleIssue(t: number, endpoint: number): void;
  /**
   * Times out request `msgId` at `t` (always now + the workload's timeout: in time order).
   * Returns a handle for `cancelTimeout`.
   */
  scheduleTimeout(t: number, endpoint: number, msgId: number): TimeoutHandle;
  /** Cancels a timeout whose request was answered first, so it never comes due. */
  cancelTimeout(handle: TimeoutHandle): void;
  /** Records a history entry in the trace too. */
  traceOp(op: HistoryOp): void;
  /** Whether `id` names a node or client of this run (a leader hint must). */
  isEndpoint(id: NodeId): boolean;
}

/** What the engine gives back for a scheduled timeout (opaque to the clients). */
export type TimeoutHandle = { readonly ev: Scheduled; readonly seq: number };

/** A primitive client operation waiting to be issued or in flight. */
interface ClientOp {
  f: OpFunction;
  key: string;
  /** For writes, assigned a fresh unique value when (re)issued. */
  value: Value;
  expected?: Value;
}

/** One in-flight request of a client. */
interface Pending {
  readonly client: ClientRuntime;
  readonly slot: number;
  readonly process: string;
  readonly op: ClientOp;
  readonly msgId: number;
  readonly attempt: number;
  readonly node: NodeId;
  /** Operations that follow this one in the same compound op (read-modify-write, scan). */
  readonly then: ClientOp[];
  /** Its timeout, cancelled when the request completes first. */
  timeout: TimeoutHandle | null;
}

interface ClientRuntime {
  readonly id: NodeId;
  readonly index: number;
  readonly endpoint: number;
  readonly rng: Rng;
  readonly keys: KeyChooser;
  readonly think: Sampler;
  readonly arrival: Sampler;
  /** Which process slots are busy (closed loop: one slot). */
  readonly busy: boolean[];
  leaderHint: NodeId;
  /** With workload `session: true`: the last `session` field a reply carried, echoed in requests. */
  session: unknown;
  /** With workload `contexts: true`: the context each key's latest read returned. */
  readonly contexts: Map<string, unknown>;
}

/** What a checkpoint keeps of the clients (lib/sim/engine.ts takes and restores it). */
export interface ClientsCheckpoint {
  readonly historyLength: number;
  readonly pending: readonly (Omit<Pending, "client"> & { readonly clientIndex: number })[];
  readonly now: number;
  readonly requestCounter: number;
  readonly valueCounter: number;
  readonly clients: readonly {
    readonly busy: readonly boolean[];
    readonly leaderHint: NodeId;
    readonly session: unknown;
    readonly contexts: ReadonlyMap<string, unknown>;
    readonly keys: readonly number[];
  }[];
}

function copyHandle(h: TimeoutHandle | null, copy: (ev: Scheduled) => Scheduled): TimeoutHandle | null {
  return h === null ? null : { ev: copy(h.ev), seq: h.seq };
}

/** Every client of a run, with the history they record. Internal to the engine. */
export class ClientDriver {
  /** Every client operation, in order. */
  readonly history: HistoryOp[] = [];
  private readonly clients: ClientRuntime[];
  private readonly pending = new Map<number, Pending>();
  /** Virtual time of the event being handled, set by the engine at each entry point. */
  private now = 0;
  private requestCounter = 0;
  private valueCounter = 0;
  private readonly stopMs: number;

  constructor(
    private readonly workload: WorkloadSpec | undefined,
    private readonly nodeIds: readonly NodeId[],
    clientIds: readonly NodeId[],
    /** Endpoint index of the first client (clients follow the nodes). */
    private readonly firstEndpoint: number,
    root: Rng,
    durationMs: number,
    private readonly host: ClientHost,
  ) {
    this.stopMs = workload?.stopMs ?? durationMs;
    this.clients = clientIds.map((id, index) => {
      const rng = root.fork(`client:${id}`);
      const w = workload!;
      return {
        id,
        index,
        endpoint: firstEndpoint + index,
        rng,
        keys: makeKeyChooser(w.keys, rng.fork("keys")),
        think: makeSampler(w.thinkMs ?? constant(0), rng.fork("think")),
        arrival: makeSampler(exponentialMean(1000 / (w.ratePerSec ?? 1)), rng.fork("arrival")),
        busy: [],
        leaderHint: nodeIds[0],
        session: undefined,
        contexts: new Map(),
      };
    });
  }

  /**
   * Everything the clients changed since they were made, for a checkpoint; timeout handles
   * point at `copy`'s copies of their events. (The client streams are saved with the run's
   * generator family.)
   */
  save(copy: (ev: Scheduled) => Scheduled): ClientsCheckpoint {
    return {
      historyLength: this.history.length,
      pending: [...this.pending.values()].map(({ client, ...p }) => ({ ...p, clientIndex: client.index, timeout: copyHandle(p.timeout, copy) })),
      now: this.now,
      requestCounter: this.requestCounter,
      valueCounter: this.valueCounter,
      clients: this.clients.map((c) => ({ busy: [...c.busy], leaderHint: c.leaderHint, session: c.session, contexts: new Map(c.contexts), keys: c.keys.save() })),
    };
  }

  /**
   * Puts back a checkpoint on clients made the same way. The history is not kept (a replay
   * only needs node states): it gets the saved length, so later ops keep their indices.
   */
  restore(saved: ClientsCheckpoint, copy: (ev: Scheduled) => Scheduled): void {
    this.history.length = saved.historyLength;
    this.pending.clear();
    for (const { clientIndex, ...p } of saved.pending) {
      this.pending.set(p.msgId, { ...p, client: this.clients[clientIndex], timeout: copyHandle(p.timeout, copy) });
    }
    this.now = saved.now;
    this.requestCounter = saved.requestCounter;
    this.valueCounter = saved.valueCounter;
    saved.clients.forEach((from, i) => {
      const c = this.clients[i];
      c.busy.length = 0;
      c.busy.push(...from.busy);
      c.leaderHint = from.leaderHint;
      c.session = from.session;
      c.contexts.clear();
      for (const [k, v] of from.contexts) c.contexts.set(k, v);
      c.keys.restore(from.keys);
    });
  }

  /** Schedules every client's first operation. */
  start(): void {
    const start = this.workload?.startMs ?? 0;
    for (const c of this.clients) {
      const first = this.workload!.loop === "open" ? start + c.arrival() : start;
      if (first < this.stopMs) this.host.scheduleIssue(first, c.endpoint);
    }
  }

  /** The client at `endpoint` is due, at time `now`, to issue an operation. */
  issueDue(endpoint: number, now: number): void {
    this.now = now;
    this.clientIssue(this.clients[endpoint - this.firstEndpoint]);
  }

  /** Request `msgId`'s timeout came due, at time `now`. */
  timeoutDue(msgId: number, now: number): void {
    this.now = now;
    this.clientTimeout(msgId);
  }

  /** A message reached the client at `endpoint`, at time `now`. */
  receive(endpoint: number, msg: Message, now: number): void {
    this.now = now;
    this.clientReceive(this.clients[endpoint - this.firstEndpoint], msg);
  }

  private clientIssue(c: ClientRuntime): void {
    const w = this.workload!;
    if (w.loop === "open") {
      // Poisson arrivals, whether or not earlier ops finished.
      const next = this.now + c.arrival();
      if (next < this.stopMs) this.host.scheduleIssue(next, c.endpoint);
    }
    if (this.now >= this.stopMs) return;
    let slot = c.busy.indexOf(false);
    if (slot < 0) {
      slot = c.busy.length;
      c.busy.push(false);
    }
    const ops = this.nextOps(c);
    c.busy[slot] = true;
    this.issue(c, slot, ops[0], 0, ops.slice(1));
  }

  /** The primitive ops of the client's next logical operation, from the mix. */
  private nextOps(c: ClientRuntime): ClientOp[] {
    const mix = this.workload!.mix;
    // Walk the cumulative proportions: u falls in exactly one operation's share.
    let u = c.rng.uniform();
    if ((u -= mix.read) < 0) return [{ f: "read", key: keyName(c.keys.next()), value: null }];
    if ((u -= mix.update) < 0) return [{ f: "write", key: keyName(c.keys.next()), value: null }];
    if ((u -= mix.insert ?? 0) < 0) return [{ f: "write", key: keyName(c.keys.insert()), value: null }];
    if ((u -= mix.scan ?? 0) < 0) {
      const first = c.keys.next();
      const n = c.keys.count();
      const length = Math.min(mix.scanLength ?? 10, n);
      return Array.from({ length }, (_, i) => ({ f: "read" as const, key: keyName((first + i) % n), value: null }));
    }
    const key = keyName(c.keys.next());
    return [
      { f: "read", key, value: null },
      { f: "write", key, value: null },
    ];
  }

  private processName(c: ClientRuntime, slot: number): string {
    return slot === 0 ? c.id : `${c.id}.${slot}`;
  }

  private target(c: ClientRuntime, f: OpFunction): NodeId {
    const route = this.workload!.route;
    const t: Target = (f === "read" ? route?.read : route?.write) ?? "leader";
    switch (t) {
      case "leader":
        return c.leaderHint;
      case "random":
        return this.nodeIds[c.rng.int(this.nodeIds.length)];
      case "sticky":
        return this.nodeIds[c.index % this.nodeIds.length];
      default:
        return t;
    }
  }

  private issue(c: ClientRuntime, slot: number, template: ClientOp, attempt: number, then: ClientOp[]): void {
    const op: ClientOp = { ...template };
    if (op.f !== "read") op.value = ++this.valueCounter;
    const node = this.target(c, op.f);
    const msgId = ++this.requestCounter;
    const process = this.processName(c, slot);
    this.record({ type: "invoke", process, f: op.f, key: op.key, value: op.f === "read" ? null : op.value, expected: op.expected, node });
    const pending: Pending = { client: c, slot, process, op, msgId, attempt, node, then, timeout: null };
    this.pending.set(msgId, pending);
    let body: Body =
      op.f === "read"
        ? { type: "read", msg_id: msgId, key: op.key }
        : op.f === "write"
          ? { type: "write", msg_id: msgId, key: op.key, value: op.value }
          : { type: "cas", msg_id: msgId, key: op.key, from: op.expected ?? null, to: op.value };
    if (op.f === "write" && this.workload!.contexts === true && c.contexts.has(op.key)) {
      // The write supersedes what this client last read of the key.
      body = { ...body, context: c.contexts.get(op.key) };
      c.contexts.delete(op.key);
    }
    // A session token (e.g. the log position the client has seen) rides along when asked for.
    this.host.send(c.endpoint, node, this.workload!.session === true && c.session !== undefined ? { ...body, session: c.session } : body);
    pending.timeout = this.host.scheduleTimeout(this.now + this.workload!.timeoutMs, c.endpoint, msgId);
  }

  private record(fields: Omit<HistoryOp, "index" | "time">): HistoryOp {
    // One object shape for the common fields; optional ones only when present, so a
    // history op prints and compares cleanly.
    const op: { -readonly [K in keyof HistoryOp]: HistoryOp[K] } = {
      index: this.history.length,
      type: fields.type,
      process: fields.process,
      f: fields.f,
      key: fields.key,
      value: fields.value,
      time: this.now,
    };
    if (fields.node !== undefined) op.node = fields.node;
    if (fields.expected !== undefined) op.expected = fields.expected;
    if (fields.error !== undefined) op.error = fields.error;
    if (fields.siblings !== undefined) op.siblings = fields.siblings;
    this.history.push(op);
    this.host.traceOp(op);
    return op;
  }

  private clientReceive(c: ClientRuntime, msg: Message): void {
    const p = this.pending.get(msg.body.in_reply_to ?? -1);
    if (p === undefined) return; // a late reply to an op that already timed out
    const body = msg.body;
    if (typeof body.leader === "string" && this.host.isEndpoint(body.leader)) c.leaderHint = body.leader;
    if (this.workload!.session === true && body.session !== undefined) c.session = body.session;
    if (body.type === `${p.op.f}_ok`) {
      if (p.op.f === "read" && this.workload!.contexts === true && body.context !== undefined) c.contexts.set(p.op.key, body.context);
      const value = p.op.f === "read" ? ((body.value as Value) ?? null) : p.op.value;
      const siblings = Array.isArray(body.siblings) ? (body.siblings as number[]) : undefined;
      this.complete(p, "ok", value, undefined, siblings);
    } else if (body.type === "error") {
      const code = typeof body.code === "number" ? body.code : 13;
      const text = typeof body.text === "string" ? body.text : `error ${code}`;
      this.complete(p, isDefiniteError(code) ? "fail" : "info", p.op.f === "read" ? null : p.op.value, text);
    } else {
      this.complete(p, "info", p.op.f === "read" ? null : p.op.value, `unexpected reply ${body.type}`);
    }
  }

  private clientTimeout(msgId: number): void {
    const p = this.pending.get(msgId);
    if (p !== undefined) this.complete(p, "info", p.op.f === "read" ? null : p.op.value, "timeout");
  }

  private complete(p: Pending, type: "ok" | "fail" | "info", value: Value, error?: string, siblings?: readonly number[]): void {
    this.pending.delete(p.msgId);
    if (p.timeout !== null) this.host.cancelTimeout(p.timeout);
    const fields: Omit<HistoryOp, "index" | "time"> = { type, process: p.process, f: p.op.f, key: p.op.key, value, expected: p.op.expected, node: p.node };
    this.record(error === undefined ? (siblings ? { ...fields, siblings } : fields) : { ...fields, error });
    const c = p.client;
    const w = this.workload!;
    if (type !== "ok" && p.attempt < (w.retries ?? 0) && this.now < this.stopMs) {
      this.issue(c, p.slot, p.op, p.attempt + 1, p.then);
      return;
    }
    if (p.then.length > 0 && this.now < this.stopMs) {
      this.issue(c, p.slot, p.then[0], 0, p.then.slice(1));
      return;
    }
    c.busy[p.slot] = false;
    if (w.loop === "closed") {
      const next = this.now + c.think();
      if (next < this.stopMs) this.host.scheduleIssue(next, c.endpoint);
    }
  }

  /** Ops still in flight when the run ends are indeterminate. */
  endOutstandingOps(now: number): void {
    this.now = now;
    for (const p of [...this.pending.values()].sort((a, b) => a.msgId - b.msgId)) {
      this.pending.delete(p.msgId);
      this.record({ type: "info", process: p.process, f: p.op.f, key: p.op.key, value: p.op.f === "read" ? null : p.op.value, expected: p.op.expected, node: p.node, error: "run ended" });
    }
  }
}
