/**
 * The discrete-event simulator. `simulate(config)` runs a cluster of nodes, each driven by
 * a protocol's pure handlers, under a network, disks, a fault schedule and clients, and
 * returns the run: its trace, its client history, and every node state it went through.
 *
 * Deterministic: time is virtual, every random draw comes from streams seeded by
 * `config.seed`, and events at the same time run in the order they were scheduled.
 * Nothing here reads the wall clock, an unseeded random source, files or the kernel.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import { ConfigError } from "../errors.js";
import { append, type AppendLog, emptyLog, slice, truncate } from "./appendLog.js";
import { type CapacityRuntime, compileApplyStages, compileCapacity, samplerFor } from "./capacity.js";
import { ClientDriver, type ClientsCheckpoint } from "./clients.js";
import { type SimConfig, storageOf, validateConfig } from "./config.js";
import { constant, makeSampler, type Sampler } from "./distributions.js";
import type { Fault } from "./faults.js";
import { compileLinks, isCut, type Link, partitionState, type PartitionState } from "./network.js";
import type { Body, Effects, Message, Protocol } from "./protocol.js";
import { CANCELLED, EventQueue, type QueueCheckpoint, type Scheduled } from "./queue.js";
import { DEFAULT_MAX_EVENTS, STALL_EVENTS, STALL_WINDOW_MS, stalledTime, tooManyEvents } from "./limits.js";
import { makeRng, type Rng, type RngFamily } from "./rng.js";
import { type NodeSnapshot, SimulationRun, type StateTimeline } from "./run.js";
import { corruptRecord, DEFAULT_OS_FLUSH_MS, recordChecksum, type StorageSpec } from "./storage.js";
import type { DropReason, NodeId } from "./trace.js";
import { SilentTraceLog, TraceLog } from "./traceLog.js";

// Event kinds (engine-private).
const DELIVER = 0;
const TIMER = 1;
const DISK_DONE = 2;
const SYNC_TICK = 3;
const SYNC_DONE = 4;
const FAULT = 5;
const CLIENT_ISSUE = 6;
const CLIENT_TIMEOUT = 7;
const SERVICE_DONE = 8;
const APPLY_DONE = 9;

// Queue lanes for events scheduled in time order anyway (see EventQueue.pushInOrder).
const LANE_TIMEOUTS = 0;
const LANE_NOW = 1;


/** Bookkeeping for one node. The protocol's state lives in `state`; the rest is the engine's. */
interface NodeRuntime<S> {
  readonly id: NodeId;
  readonly index: number;
  state: S;
  up: boolean;
  paused: boolean;
  /** Events that arrived while paused, handled in order on resume. */
  deferred: { kind: number; a: unknown; b: number }[];
  /**
   * Live timers: name → the scheduled event and its sequence number (events are recycled, so
   * the number says whether the event is still this timer's). A reset or cancel cancels the
   * old event in the queue, so it never runs.
   */
  timers: Map<string, { ev: Scheduled; seq: number }>;
  /** Bumped by every crash so that disk and timer events of a past life are ignored. */
  incarnation: number;
  wal: AppendLog<unknown>;
  written: number;
  synced: number;
  /** The disk is FIFO: the next fsync cannot finish before this time. */
  diskFreeAt: number;
  /** Under fsync `always`: an fsync is running, and whether writes are waiting for the next. */
  fsyncBusy: boolean;
  fsyncWanted: boolean;
  readonly storage: StorageSpec;
  readonly fsyncLatency: Sampler;
  /** With `storage.checksums`: the checksum of each log record, by position; else null. */
  checksums: number[] | null;
  skew: number;
  drift: number;
  clockSince: number;
  /** Ms the clock gained (or lost) by drift before `clockSince`, kept across clock faults. */
  drifted: number;
  readonly rng: Rng;
  readonly out: EffectsBuffer<unknown>;
  readonly timeline: StateTimeline<S> | null;
  /** Its capacity (lib/sim/capacity.ts), or null when it is free. */
  readonly capacity: CapacityRuntime | null;
  /** With a capacity: messages waiting (FIFO, from `queueHead`) and those in service. */
  waiting: ServiceJob[];
  queueHead: number;
  readonly inService: ServiceJob[];
  /** Its apply stage's per-unit cost (lib/sim/capacity.ts), or null when it has none. */
  readonly applyStage: Sampler | null;
  /** Apply stage: WAL records handed to it, and applied; arrival times of those between. */
  applyEnqueued: number;
  applied: number;
  applyArrived: number[];
  applyHead: number;
  /** Apply stage: when the record in service started, and its service time (-1: idle). */
  applyStarted: number;
  applyServiceMs: number;
}

/** A message at a node with a capacity, from its arrival to its handler. */
interface ServiceJob {
  readonly msg: Message;
  readonly id: number;
  readonly src: number;
  readonly arrived: number;
  started: number;
  serviceMs: number;
  /** The node's incarnation when it arrived: a crash drops the job. */
  readonly incarnation: number;
}

/**
 * How many checkpoints a run takes, evenly spaced in virtual time: time travel to any
 * moment then re-runs at most 1/CHECKPOINTS of the run (from the checkpoint before it)
 * instead of the run up to that moment. Each costs a copy of every generator's state
 * (2.5 KB each) and of the small mutable parts of the engine; node states are immutable
 * and kept by reference.
 */
const CHECKPOINTS = 32;

/** The mutable parts of one node runtime, as a checkpoint keeps them. */
type NodeCheckpoint<S> = Pick<
  NodeRuntime<S>,
  | "state" | "up" | "paused" | "deferred" | "timers" | "incarnation" | "wal" | "written" | "synced" | "diskFreeAt" | "fsyncBusy"
  | "fsyncWanted" | "checksums" | "skew" | "drift" | "clockSince" | "drifted" | "waiting" | "queueHead" | "inService"
  | "applyEnqueued" | "applied" | "applyArrived" | "applyHead" | "applyStarted" | "applyServiceMs"
>;

/**
 * Everything of a run that decides what happens next, at a moment between events: the
 * queue, every generator's state, the clients and the nodes. Restored into a fresh engine
 * built from the same config, it continues exactly as the run did (tested against full
 * replays and recorded states in test/sim/checkpoints.test.ts).
 */
interface EngineCheckpoint<S> {
  /** Every event at or before `t` was handled, and none after. */
  readonly t: number;
  readonly queue: QueueCheckpoint;
  readonly rngs: readonly Uint32Array[];
  readonly clients: ClientsCheckpoint;
  readonly nodes: readonly NodeCheckpoint<S>[];
  readonly lastArrival: Float64Array;
  readonly partition: PartitionState | null;
  readonly now: number;
  readonly msgCounter: number;
  readonly events: number;
}

/**
 * Copies events and service jobs once each, so that everything pointing at one (a timer's
 * handle, the queue, a node's service list) points at the same copy. Events are mutable and
 * recycled by the queue, so a checkpoint must own its copies, and each restore copies again.
 */
class Copier {
  private readonly events = new Map<Scheduled, Scheduled>();
  private readonly jobs = new Map<ServiceJob, ServiceJob>();

  readonly event = (ev: Scheduled): Scheduled => {
    let c = this.events.get(ev);
    if (c === undefined) {
      c = { ...ev, a: ev.kind === SERVICE_DONE ? this.job(ev.a as ServiceJob) : ev.a };
      this.events.set(ev, c);
    }
    return c;
  };

  readonly job = (j: ServiceJob): ServiceJob => {
    // Served jobs leave holes (undefined) in the waiting list; those stay holes.
    if (j === undefined) return j;
    let c = this.jobs.get(j);
    if (c === undefined) this.jobs.set(j, (c = { ...j }));
    return c;
  };

  node<S>(n: NodeCheckpoint<S>): NodeCheckpoint<S> {
    return {
      state: n.state,
      up: n.up,
      paused: n.paused,
      deferred: n.deferred.map((d) => ({ ...d })),
      timers: new Map([...n.timers].map(([name, h]) => [name, { ev: this.event(h.ev), seq: h.seq }])),
      incarnation: n.incarnation,
      wal: n.wal,
      written: n.written,
      synced: n.synced,
      diskFreeAt: n.diskFreeAt,
      fsyncBusy: n.fsyncBusy,
      fsyncWanted: n.fsyncWanted,
      checksums: n.checksums === null ? null : [...n.checksums],
      skew: n.skew,
      drift: n.drift,
      clockSince: n.clockSince,
      drifted: n.drifted,
      waiting: n.waiting.map(this.job),
      queueHead: n.queueHead,
      inService: n.inService.map(this.job),
      applyEnqueued: n.applyEnqueued,
      applied: n.applied,
      applyArrived: [...n.applyArrived],
      applyHead: n.applyHead,
      applyStarted: n.applyStarted,
      applyServiceMs: n.applyServiceMs,
    };
  }
}

// Effect kinds, recorded by handlers and performed after they return.
const FX_SEND = 0;
const FX_TIMER = 1;
const FX_CANCEL = 2;
const FX_PERSIST = 3;
const FX_NOTE = 4;

/** The `out` a handler records into: one per node, reused for every call. */
class EffectsBuffer<C> implements Effects<C> {
  now = 0;
  /** Recorded effects as parallel columns (no object per effect): kind, a, b. */
  count = 0;
  readonly kinds: number[] = [];
  readonly as: unknown[] = [];
  readonly bs: unknown[] = [];
  constructor(
    readonly config: C,
    readonly self: NodeId,
    readonly nodes: readonly NodeId[],
    private readonly rng: Rng,
  ) {}
  private add(kind: number, a: unknown, b: unknown): void {
    const i = this.count++;
    this.kinds[i] = kind;
    this.as[i] = a;
    this.bs[i] = b;
  }
  send(dest: NodeId, body: Body): void {
    this.add(FX_SEND, dest, body);
  }
  reply(request: Message, body: Body): void {
    // The body becomes the reply's: fill in `in_reply_to` in place rather than copying
    // every reply, which costs more than the rest of a typical handler. A body that is
    // frozen, or already answers a request (one object reused for two replies), is copied.
    if (body.in_reply_to !== undefined || Object.isFrozen(body)) body = { ...body };
    (body as { in_reply_to?: number }).in_reply_to = request.body.msg_id;
    this.add(FX_SEND, request.src, body);
  }
  setTimer(name: string, delayMs: number): void {
    if (!(delayMs >= 0)) throw new ConfigError(`timer ${name}`, `delay must be ≥ 0 ms, got ${delayMs}`, "check the protocol's timeout settings");
    this.add(FX_TIMER, name, delayMs);
  }
  cancelTimer(name: string): void {
    this.add(FX_CANCEL, name, null);
  }
  persist(entry: unknown): void {
    this.add(FX_PERSIST, entry, null);
  }
  note(kind: string, fields?: { key?: string; value?: number | null; index?: number; data?: Record<string, unknown> }): void {
    this.add(FX_NOTE, kind, fields);
  }
  random(): number {
    return this.rng.uniform();
  }
}

/**
 * Runs a simulation to `config.durationMs` and returns the run. Deterministic: the same
 * config gives the same trace, history and states. Throws a ConfigError on bad input.
 */
export function simulate<S, C>(config: SimConfig<S, C>): SimulationRun<S> {
  return simulateWithCheckpoints(config, CHECKPOINTS);
}

/**
 * `simulate` with `checkpoints` checkpoints instead of 32 (0: none, so time travel replays
 * from the start). Internal: for the bench, which measures what checkpoints cost and save.
 */
export function simulateWithCheckpoints<S, C>(config: SimConfig<S, C>, checkpoints: number): SimulationRun<S> {
  const { nodes: nodeIdList, clients: clientIdList } = validateConfig(config);
  return new Engine(config, nodeIdList, clientIdList).run(checkpoints);
}

/**
 * Re-runs `config` and captures the cluster at each of `moments`. Deterministic. Each moment
 * is reached from the last checkpoint at or before it (from the start before the first), so a
 * moment costs at most one checkpoint interval of simulation; moments sharing a checkpoint
 * share one replay. `checkpoints` empty: every moment from the start, in one replay.
 */
function replayMoments<S, C>(
  config: SimConfig<S, C>,
  nodes: NodeId[],
  clients: NodeId[],
  moments: readonly number[],
  checkpoints: readonly EngineCheckpoint<S>[],
): NodeSnapshot<S>[][] {
  const sorted = [...new Set(moments)].sort((a, b) => a - b);
  const shots = new Map<number, NodeSnapshot<S>[]>();
  let i = 0;
  while (i < sorted.length) {
    const from = lastCheckpointAtOrBefore(checkpoints, sorted[i]);
    const next = from + 1 < checkpoints.length ? checkpoints[from + 1].t : Infinity;
    const group: number[] = [];
    while (i < sorted.length && (checkpoints.length === 0 || sorted[i] < next)) group.push(sorted[i++]);
    // The replay's trace would repeat the run's: it records none.
    const engine = new Engine({ ...config, recordStates: false }, nodes, clients, true);
    const got = engine.capture(group, from < 0 ? null : checkpoints[from]);
    group.forEach((t, k) => shots.set(t, got[k]));
  }
  return moments.map((t) => shots.get(t)!);
}

/**
 * `run` at each of `moments`, replayed from its start, ignoring its checkpoints: time travel
 * as it was before checkpoints, for tests (which compare the two) and the bench. Deterministic.
 */
export function replayFromStart<S>(run: SimulationRun<S>, moments: readonly number[]): NodeSnapshot<S>[][] {
  return replayMoments(run.config as SimConfig<S, unknown>, [...run.nodes], [...run.clients], moments, []);
}

/** Index of the last checkpoint taken at or before `t` (sorted by time), or -1. */
function lastCheckpointAtOrBefore<S>(checkpoints: readonly EngineCheckpoint<S>[], t: number): number {
  let lo = 0;
  let hi = checkpoints.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (checkpoints[mid].t <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

class Engine<S, C> {
  private readonly protocol: Protocol<S, C>;
  private readonly queue = new EventQueue();
  private readonly trace: TraceLog;
  private readonly endpoints: NodeId[];
  private readonly endpointIndex = new Map<NodeId, number>();
  private readonly nodes: NodeRuntime<S>[];
  private readonly clients: ClientDriver;
  private readonly links: Link[][];
  private readonly lastArrival: Float64Array;
  private readonly netRng: Rng;
  /** The stream the `corrupt` fault draws from (its own, so other runs are unchanged). */
  private readonly corruptRng: Rng;
  private partition: PartitionState | null = null;
  private now = 0;
  private msgCounter = 0;
  private events = 0;
  private readonly duration: number;
  private readonly rngFamily: RngFamily;
  /** Checkpoints taken so far (the run's own loop only; replays take none). */
  private readonly checkpoints: EngineCheckpoint<S>[] = [];
  /** Virtual time of the next checkpoint mark (Infinity: take none). */
  private nextCheckpoint = Infinity;
  private checkpointEvery = Infinity;

  constructor(
    private readonly config: SimConfig<S, C>,
    private readonly nodeIds: NodeId[],
    private readonly clientIds: NodeId[],
    silentTrace = false,
  ) {
    this.protocol = config.protocol;
    this.duration = config.durationMs;
    const root = makeRng(config.seed);
    this.rngFamily = root.family;
    this.corruptRng = root.fork("corrupt");
    this.endpoints = [...nodeIds, ...clientIds];
    this.endpoints.forEach((id, i) => this.endpointIndex.set(id, i));
    this.trace = silentTrace ? new SilentTraceLog(this.endpoints) : new TraceLog(this.endpoints);
    this.netRng = root.fork("network");
    const clientSet = new Set(clientIds);
    this.links = compileLinks(config.network, this.endpoints, (id) => clientSet.has(id), this.netRng);
    this.lastArrival = new Float64Array(this.endpoints.length * this.endpoints.length);
    const record = config.recordStates ?? false;
    const capacity = compileCapacity(config.capacity, nodeIds, root);
    const applyStages = compileApplyStages(config.capacity, nodeIds, root);
    this.nodes = nodeIds.map((id, index) => {
      const storage = storageOf(config, id);
      const rng = root.fork(`node:${id}`);
      return {
        id,
        index,
        state: undefined as unknown as S,
        up: false,
        paused: false,
        deferred: [],
        timers: new Map(),
        incarnation: 0,
        wal: emptyLog(),
        written: 0,
        synced: 0,
        diskFreeAt: 0,
        fsyncBusy: false,
        fsyncWanted: false,
        storage,
        fsyncLatency: makeSampler(storage.fsyncLatency ?? constant(1), root.fork(`disk:${id}`)),
        checksums: storage.checksums === true ? [] : null,
        skew: 0,
        drift: 0,
        clockSince: 0,
        drifted: 0,
        rng,
        out: new EffectsBuffer<unknown>(config.config, id, nodeIds, rng),
        timeline: record ? { t: [], state: [], up: [], paused: [], written: [], synced: [] } : null,
        capacity: capacity[index],
        waiting: [],
        queueHead: 0,
        inService: [],
        applyStage: applyStages[index],
        applyEnqueued: 0,
        applied: 0,
        applyArrived: [],
        applyHead: 0,
        applyStarted: 0,
        applyServiceMs: -1,
      };
    });
    this.clients = new ClientDriver(config.workload, nodeIds, clientIds, nodeIds.length, root, config.durationMs, {
      send: (src, dest, body) => this.send(src, dest, body),
      scheduleIssue: (t, endpoint) => this.queue.push(t, CLIENT_ISSUE, endpoint, null, 0),
      // Every timeout is now + the same duration: they come due in the order they are set.
      scheduleTimeout: (t, endpoint, msgId) => {
        const ev = this.queue.pushInOrder(LANE_TIMEOUTS, t, CLIENT_TIMEOUT, endpoint, null, msgId);
        return { ev, seq: ev.seq };
      },
      cancelTimeout: (h) => this.queue.cancel(h.ev, h.seq),
      traceOp: (op) => this.trace.op(this.now, op),
      isEndpoint: (id) => this.endpointIndex.has(id),
    });
  }

  /** Runs to the end and packages the result. */
  run(checkpoints: number): SimulationRun<S> {
    // With every state recorded, time travel looks moments up and needs no checkpoints.
    if (!(this.config.recordStates ?? false) && this.duration > 0 && checkpoints > 0) {
      this.checkpointEvery = this.duration / checkpoints;
      this.nextCheckpoint = this.checkpointEvery;
    }
    this.start();
    this.loop(this.duration, [], () => undefined);
    this.now = this.duration;
    this.clients.endOutstandingOps(this.now);
    return new SimulationRun<S>({
      config: this.config,
      nodes: this.nodeIds,
      clients: this.clientIds,
      trace: () => this.trace.events(),
      history: this.clients.history,
      endTime: this.duration,
      events: this.events,
      finalStates: new Map(this.nodes.map((n) => [n.id, n.state])),
      // A node down at the end holds only what its disk kept (a crash truncated its WAL).
      downAtEnd: new Map(this.nodes.filter((n) => !n.up).map((n) => [n.id, slice(n.wal)])),
      timelines: new Map(this.nodes.filter((n) => n.timeline).map((n) => [n.id, n.timeline!])),
      replay: (moments) => replayMoments(this.config, this.nodeIds, this.clientIds, moments, this.checkpoints),
      checkpoints: this.checkpoints.length,
    });
  }

  /** Saves everything that decides what happens next (see EngineCheckpoint). */
  private save(t: number): EngineCheckpoint<S> {
    const copy = new Copier();
    return {
      t,
      queue: this.queue.save(copy.event),
      rngs: this.rngFamily.save(),
      clients: this.clients.save(copy.event),
      nodes: this.nodes.map((n) => copy.node(n)),
      lastArrival: this.lastArrival.slice(),
      partition: this.partition,
      now: this.now,
      msgCounter: this.msgCounter,
      events: this.events,
    };
  }

  /** Puts this (fresh, unstarted) engine where `cp` was taken. */
  private restore(cp: EngineCheckpoint<S>): void {
    const copy = new Copier();
    this.queue.restore(cp.queue, copy.event);
    this.rngFamily.restore(cp.rngs);
    this.clients.restore(cp.clients, copy.event);
    cp.nodes.forEach((saved, i) => {
      const { inService, ...rest } = copy.node(saved);
      const node = this.nodes[i];
      Object.assign(node, rest);
      node.inService.length = 0;
      node.inService.push(...inService);
    });
    this.lastArrival.set(cp.lastArrival);
    this.partition = cp.partition;
    this.now = cp.now;
    this.msgCounter = cp.msgCounter;
    this.events = cp.events;
  }

  /**
   * Re-runs from the start and captures every node just after each moment in `moments`
   * (sorted ascending): time travel by deterministic replay. Holding a captured state
   * costs nothing more than a reference, because states are immutable.
   */
  capture(moments: readonly number[], from: EngineCheckpoint<S> | null = null): NodeSnapshot<S>[][] {
    // Moments lie within the run (SimulationRun checks), so the loop passes every one.
    if (from === null) this.start();
    else this.restore(from);
    const shots: NodeSnapshot<S>[][] = [];
    const last = moments.length ? moments[moments.length - 1] : 0;
    this.loop(Math.min(last, this.duration), moments, (t) => {
      shots.push(
        this.nodes.map((n) => ({ node: n.id, t, state: n.state, up: n.up, paused: n.paused, written: n.written, synced: n.synced })),
      );
    });
    return shots;
  }

  /** Boots the nodes, schedules the faults and the clients' first operations. */
  private start(): void {
    for (const n of this.nodes) this.boot(n, false);
    (this.config.faults ?? []).forEach((f) => this.queue.push(f.at, FAULT, -1, f, 0));
    this.clients.start();
  }

  /** The event loop: every event up to `until`, calling `onMoment` as each moment passes. */
  private loop(until: number, moments: readonly number[], onMoment: (t: number) => void): void {
    const maxEvents = this.config.maxEvents ?? DEFAULT_MAX_EVENTS;
    const queue = this.queue;
    let m = 0;
    let stallMark = this.now; // virtual time at the last stall check (every STALL_EVENTS events)
    for (let next = queue.peekTime(); next <= until; next = queue.peekTime()) {
      if (next > this.nextCheckpoint) {
        // Every event at or before the mark is handled and none after: save this moment.
        this.checkpoints.push(this.save(this.nextCheckpoint));
        // The next mark is the first at or after `next`, so `next` is handled before it.
        this.nextCheckpoint = Math.max(next, Math.ceil(next / this.checkpointEvery) * this.checkpointEvery);
      }
      const ev = queue.pop()!;
      if (ev.kind === CANCELLED) {
        queue.release(ev); // nothing to do: a reset timer, a timeout of a finished operation
        continue;
      }
      while (m < moments.length && moments[m] < ev.t) onMoment(moments[m++]);
      this.now = ev.t;
      if (++this.events > maxEvents) throw tooManyEvents(maxEvents, this.now, this.duration);
      if ((this.events & (STALL_EVENTS - 1)) === 0) {
        if (this.now - stallMark < STALL_WINDOW_MS) throw stalledTime(this.events, stallMark, this.now);
        stallMark = this.now;
      }
      this.dispatch(ev.kind, ev.target, ev.a, ev.b);
      queue.release(ev);
    }
    while (m < moments.length && moments[m] <= until) onMoment(moments[m++]);
  }

  private dispatch(kind: number, target: number, a: unknown, b: number): void {
    switch (kind) {
      case DELIVER:
        this.deliver(a as Message, b);
        return;
      case FAULT:
        this.applyFault(a as Fault);
        return;
      case CLIENT_ISSUE:
        this.clients.issueDue(target, this.now);
        return;
      case CLIENT_TIMEOUT:
        this.clients.timeoutDue(b, this.now);
        return;
      case SERVICE_DONE:
        this.serviceDone(this.nodes[target], a as ServiceJob);
        return;
    }
    // The rest happen to a node, and wait while it is paused.
    const node = this.nodes[target];
    // Timers die with `timers.clear()` on a crash; disk events carry their incarnation.
    if (!node.up || (kind !== TIMER && node.incarnation !== (a as number))) return;
    if (node.paused) {
      node.deferred.push({ kind, a, b });
      return;
    }
    this.nodeEvent(node, kind, a, b);
  }

  private nodeEvent(node: NodeRuntime<S>, kind: number, a: unknown, b: number): void {
    switch (kind) {
      case TIMER: {
        const name = a as string;
        if (node.timers.get(name)?.seq !== b) return; // reset or cancelled while the node was paused
        node.timers.delete(name);
        this.trace.timer(this.now, node.index, name);
        if (this.protocol.onTimer) {
          const out = this.prepare(node);
          node.state = this.protocol.onTimer(node.state, name, out);
          this.finish(node);
        }
        return;
      }
      case DISK_DONE: {
        const syncedBefore = node.synced;
        if (node.storage.fsync.kind === "always") {
          node.synced = Math.max(node.synced, b);
          node.fsyncBusy = false;
          if (node.fsyncWanted) this.startFsync(node);
        }
        node.written = Math.max(node.written, b);
        // Trace the disk when durability moves; "written" alone moves with every persist.
        if (node.synced !== syncedBefore) this.traceDisk(node);
        const { onPersisted, onApplied } = this.protocol;
        // Without an apply stage what is written is applied in the same step.
        const appliedNow = node.applyStage === null && onApplied !== undefined;
        if (onPersisted || appliedNow) {
          const out = this.prepare(node);
          if (onPersisted) node.state = onPersisted(node.state, b, out, node.wal.items[b - 1]);
          if (appliedNow) node.state = onApplied(node.state, b, out);
          this.finish(node);
        } else this.snapshot(node);
        if (node.applyStage !== null) this.enqueueApply(node, b);
        return;
      }
      case APPLY_DONE:
        this.applyDone(node);
        return;
      case SYNC_TICK: {
        const target = node.wal.length;
        const done = Math.max(this.now + node.fsyncLatency(), node.diskFreeAt);
        node.diskFreeAt = done;
        this.queue.push(done, SYNC_DONE, node.index, node.incarnation, target);
        this.scheduleSyncTick(node);
        return;
      }
      case SYNC_DONE: {
        const synced = Math.min(b, node.wal.length);
        if (synced > node.synced) {
          node.synced = synced;
          this.traceDisk(node);
          this.snapshot(node);
        }
        return;
      }
      case DELIVER:
        this.handleMessage(node, a as Message);
        return;
    }
  }

  // ---- nodes -------------------------------------------------------------------------

  private boot(node: NodeRuntime<S>, restarted: boolean): void {
    node.up = true;
    node.paused = false;
    const out = node.out as EffectsBuffer<C>;
    out.now = this.localTime(node);
    const durable = restarted ? this.readBack(node) : slice(node.wal);
    // The protocol recovers what survived as applied: the apply stage starts after it.
    node.applyEnqueued = node.applied = node.wal.length;
    node.state = this.protocol.init({ self: node.id, nodes: this.nodeIds, config: this.config.config, durable, restarted }, out);
    this.perform(node);
    this.scheduleSyncTick(node);
    this.snapshot(node);
  }

  /**
   * The durable log as a restarting node reads it. With checksums, a record whose checksum
   * no longer matches is noted (`checksum-mismatch`) and left out: the node treats it as
   * missing and must get it back from its peers. Without, corrupt records pass unseen.
   */
  private readBack(node: NodeRuntime<S>): unknown[] {
    const records = slice(node.wal);
    const sums = node.checksums;
    if (sums === null) return records;
    const good = records.filter((r, i) => {
      if (recordChecksum(r) === sums[i]) return true;
      this.trace.other({ type: "note", t: this.now, node: node.id, kind: "checksum-mismatch", index: i });
      return false;
    });
    if (good.length < records.length) {
      // Recovery rewrites the log without the bad records, so the log the protocol recovers
      // from and the one the engine counts written and synced records in stay the same.
      let wal = emptyLog<unknown>();
      for (const r of good) wal = append(wal, r);
      node.wal = wal;
      node.checksums = good.map(recordChecksum);
      node.written = node.synced = good.length;
    }
    return good;
  }

  /** The node's `out`, with its clock set, ready for one handler call. */
  private prepare(node: NodeRuntime<S>): EffectsBuffer<C> {
    const out = node.out as EffectsBuffer<C>;
    out.now = this.localTime(node);
    return out;
  }

  /** After a handler: performs what it recorded and keeps the new state for time travel. */
  private finish(node: NodeRuntime<S>): void {
    this.perform(node);
    this.snapshot(node);
  }

  private handleMessage(node: NodeRuntime<S>, msg: Message): void {
    const out = this.prepare(node);
    node.state = this.protocol.onMessage(node.state, msg, out);
    this.finish(node);
  }

  /** Performs the effects a handler recorded, in order. */
  private perform(node: NodeRuntime<S>): void {
    const out = node.out;
    const { kinds, as, bs } = out;
    // Effects may record more effects only through handlers, never here: count is fixed.
    const count = out.count;
    for (let i = 0; i < count; i++) {
      const a = as[i];
      const b = bs[i];
      as[i] = bs[i] = undefined; // let go of bodies and entries
      switch (kinds[i]) {
        case FX_SEND:
          this.send(node.index, a as NodeId, b as Body);
          break;
        case FX_TIMER: {
          const old = node.timers.get(a as string);
          if (old !== undefined) this.queue.cancel(old.ev, old.seq);
          const realDelay = (b as number) / (1 + node.drift);
          // The event's own sequence number is the timer's generation (its `b`).
          const ev = this.queue.push(this.now + realDelay, TIMER, node.index, a, 0);
          ev.b = ev.seq;
          node.timers.set(a as string, { ev, seq: ev.seq });
          break;
        }
        case FX_CANCEL: {
          const old = node.timers.get(a as string);
          if (old !== undefined) {
            this.queue.cancel(old.ev, old.seq);
            node.timers.delete(a as string);
          }
          break;
        }
        case FX_PERSIST:
          this.persist(node, a);
          break;
        case FX_NOTE: {
          const f = (b ?? {}) as { key?: string; value?: number | null; index?: number; data?: Record<string, unknown> };
          this.trace.note(this.now, node.index, a as string, f.key, f.value, f.index, f.data);
          break;
        }
      }
    }
    out.count = 0;
  }

  private localTime(node: NodeRuntime<S>): number {
    return this.now + node.skew + node.drifted + node.drift * (this.now - node.clockSince);
  }

  // ---- disk --------------------------------------------------------------------------

  private persist(node: NodeRuntime<S>, entry: unknown): void {
    node.wal = append(node.wal, entry);
    const length = node.wal.length;
    if (node.checksums !== null) node.checksums[length - 1] = recordChecksum(entry);
    if (node.storage.fsync.kind === "always") {
      // The write counts as done once an fsync that started after it finishes. One fsync
      // runs at a time and covers everything written before it started; writes arriving
      // meanwhile wait for the next one (group commit, as in PostgreSQL or MySQL).
      if (node.fsyncBusy) node.fsyncWanted = true;
      else this.startFsync(node);
    } else {
      // In the page cache at once; durable only at the next fsync (or OS write-back).
      this.queue.pushInOrder(LANE_NOW, this.now, DISK_DONE, node.index, node.incarnation, length);
    }
  }

  private startFsync(node: NodeRuntime<S>): void {
    node.fsyncBusy = true;
    node.fsyncWanted = false;
    this.queue.push(this.now + node.fsyncLatency(), DISK_DONE, node.index, node.incarnation, node.wal.length);
  }

  private scheduleSyncTick(node: NodeRuntime<S>): void {
    const p = node.storage.fsync;
    const every = p.kind === "interval" ? p.everyMs : p.kind === "never" ? (p.osFlushMs ?? DEFAULT_OS_FLUSH_MS) : 0;
    if (every > 0) this.queue.push(this.now + every / (1 + node.drift), SYNC_TICK, node.index, node.incarnation, 0);
  }

  private traceDisk(node: NodeRuntime<S>): void {
    this.trace.other({ type: "disk", t: this.now, node: node.id, written: node.written, synced: node.synced });
  }

  private snapshot(node: NodeRuntime<S>): void {
    const tl = node.timeline;
    if (tl === null) return;
    const i = tl.t.length - 1;
    if (
      i >= 0 &&
      tl.state[i] === node.state &&
      tl.up[i] === node.up &&
      tl.paused[i] === node.paused &&
      tl.written[i] === node.written &&
      tl.synced[i] === node.synced
    ) {
      return;
    }
    if (i >= 0 && tl.t[i] === this.now) {
      // Several changes at one instant: keep the last, so "state at t" is after all of them.
      tl.state[i] = node.state;
      tl.up[i] = node.up;
      tl.paused[i] = node.paused;
      tl.written[i] = node.written;
      tl.synced[i] = node.synced;
      return;
    }
    tl.t.push(this.now);
    tl.state.push(node.state);
    tl.up.push(node.up);
    tl.paused.push(node.paused);
    tl.written.push(node.written);
    tl.synced.push(node.synced);
  }

  // ---- network -----------------------------------------------------------------------

  private send(srcIndex: number, destId: NodeId, body: Body): void {
    const dest = this.endpointIndex.get(destId);
    const src = this.endpoints[srcIndex];
    if (dest === undefined) {
      throw new ConfigError(`send from ${src}`, `unknown destination ${JSON.stringify(destId)}`, `send to one of ${this.endpoints.join(", ")}`);
    }
    const id = ++this.msgCounter;
    const bytes = this.protocol.sizeOf ? this.protocol.sizeOf(body) : 100;
    const now = this.now;
    this.trace.send(now, id, srcIndex, dest, body.type, bytes);
    if (isCut(this.partition, srcIndex, dest)) {
      this.trace.drop(now, id, srcIndex, dest, body.type, "partition");
      return;
    }
    const link = this.links[srcIndex][dest];
    if (link.loss > 0 && this.netRng.uniform() < link.loss) {
      this.trace.drop(now, id, srcIndex, dest, body.type, "loss");
      return;
    }
    const msg: Message = { src, dest: destId, body };
    this.schedule(link, srcIndex, dest, msg, id);
    if (link.duplicate > 0 && this.netRng.uniform() < link.duplicate) this.schedule(link, srcIndex, dest, msg, id);
  }

  private schedule(link: Link, src: number, dest: number, msg: Message, id: number): void {
    let at = this.now + link.delay();
    if (link.fifo) {
      const slot = src * this.endpoints.length + dest;
      at = Math.max(at, this.lastArrival[slot]);
      this.lastArrival[slot] = at;
    }
    this.queue.push(at, DELIVER, dest, msg, id);
  }

  private deliver(msg: Message, id: number): void {
    const dest = this.endpointIndex.get(msg.dest)!;
    const src = this.endpointIndex.get(msg.src)!;
    if (isCut(this.partition, src, dest)) {
      this.dropped(id, src, dest, msg, "partition");
      return;
    }
    if (dest >= this.nodes.length) {
      this.trace.deliver(this.now, id, src, dest, msg.body.type);
      this.clients.receive(dest, msg, this.now);
      return;
    }
    const node = this.nodes[dest];
    if (!node.up) {
      this.dropped(id, src, dest, msg, "crashed");
      return;
    }
    if (node.capacity !== null) {
      node.waiting.push({ msg, id, src, arrived: this.now, started: 0, serviceMs: 0, incarnation: node.incarnation });
      this.startService(node);
      return;
    }
    if (node.paused) {
      node.deferred.push({ kind: DELIVER, a: msg, b: id });
      return;
    }
    this.trace.deliver(this.now, id, src, dest, msg.body.type);
    this.handleMessage(node, msg);
  }

  // ---- capacity (lib/sim/capacity.ts says what queues and what is free) --------------

  /** Starts serving queued messages while a core is free, in FIFO order. */
  private startService(node: NodeRuntime<S>): void {
    const cap = node.capacity!;
    if (!node.up || node.paused) return;
    while (node.inService.length < cap.cores && node.queueHead < node.waiting.length) {
      const job = node.waiting[node.queueHead];
      node.waiting[node.queueHead++] = undefined as unknown as ServiceJob;
      if (node.queueHead > 1024 && node.queueHead * 2 > node.waiting.length) {
        node.waiting = node.waiting.slice(node.queueHead);
        node.queueHead = 0;
      }
      job.started = this.now;
      job.serviceMs = this.serviceTime(cap, job.msg.body);
      node.inService.push(job);
      this.queue.push(this.now + job.serviceMs, SERVICE_DONE, node.index, job, 0);
    }
  }

  /** A message's service time: one draw for its kind, plus one per unit of work it carries (perUnitMs). */
  private serviceTime(cap: CapacityRuntime, body: Body): number {
    const base = samplerFor(cap.service, body.type);
    let ms = base === null ? 0 : base();
    const perUnit = cap.perUnit === null ? null : samplerFor(cap.perUnit, body.type);
    if (perUnit !== null) {
      const units = this.units("workOf", this.protocol.workOf!(body));
      for (let i = 0; i < units; i++) ms += perUnit();
    }
    return ms;
  }

  /** Checks a unit count a protocol hook returned: a protocol bug must not become NaN or a silent 0. */
  private units(hook: "workOf" | "recordWorkOf", n: number): number {
    if (!Number.isInteger(n) || n < 0) {
      throw new ConfigError(`${this.protocol.name}.${hook}`, `returned ${n}, not a non-negative integer`, "return how many units of work it carries, e.g. the number of entries");
    }
    return n;
  }

  /** Disk writes up to WAL record `written` completed: the records not yet handed over join the apply stage. */
  private enqueueApply(node: NodeRuntime<S>, written: number): void {
    for (; node.applyEnqueued < written; node.applyEnqueued++) node.applyArrived.push(this.now);
    this.pumpApply(node, false);
  }

  /**
   * Works through the apply stage's queue: records of no work (or a 0 ms draw) pass at
   * once; the first that takes time is started and ends at APPLY_DONE. Then, if anything
   * was applied (`moved`, or here), the protocol's `onApplied` runs once.
   */
  private pumpApply(node: NodeRuntime<S>, moved: boolean): void {
    if (node.up && !node.paused && node.applyServiceMs < 0) {
      const per = node.applyStage!;
      while (node.applied < node.applyEnqueued) {
        const record = node.wal.items[node.applied];
        const units = this.protocol.recordWorkOf ? this.units("recordWorkOf", this.protocol.recordWorkOf(record)) : 1;
        let ms = 0;
        for (let i = 0; i < units; i++) ms += per();
        node.applyStarted = this.now;
        if (units > 0 && ms > 0) {
          node.applyServiceMs = ms;
          this.queue.push(this.now + ms, APPLY_DONE, node.index, node.incarnation, 0);
          break;
        }
        node.applyServiceMs = 0;
        this.recordApplied(node, units > 0);
        moved = true;
      }
    }
    if (moved && this.protocol.onApplied) {
      const out = this.prepare(node);
      node.state = this.protocol.onApplied(node.state, node.applied, out);
      this.finish(node);
    }
  }

  /** The apply stage finished the record in service. */
  private applyDone(node: NodeRuntime<S>): void {
    this.recordApplied(node, true);
    this.pumpApply(node, true);
  }

  /** The record at the head of the apply stage is applied; traced when it carried work. */
  private recordApplied(node: NodeRuntime<S>, traced: boolean): void {
    const arrived = node.applyArrived[node.applyHead];
    node.applyArrived[node.applyHead++] = 0;
    if (node.applyHead > 1024 && node.applyHead * 2 > node.applyArrived.length) {
      node.applyArrived = node.applyArrived.slice(node.applyHead);
      node.applyHead = 0;
    }
    node.applied++;
    if (traced) {
      this.trace.other({ type: "applied", t: this.now, node: node.id, record: node.applied, queuedMs: node.applyStarted - arrived, serviceMs: node.applyServiceMs });
    }
    node.applyServiceMs = -1;
  }

  /** A service completed: the message's handler runs now, then the core takes the next. */
  private serviceDone(node: NodeRuntime<S>, job: ServiceJob): void {
    if (!node.up || job.incarnation !== node.incarnation) return; // dropped by a crash
    if (node.paused) {
      node.deferred.push({ kind: SERVICE_DONE, a: job, b: 0 });
      return;
    }
    const i = node.inService.indexOf(job);
    node.inService.splice(i, 1);
    const { msg } = job;
    this.trace.deliverServed(this.now, job.id, job.src, node.index, msg.body.type, job.started - job.arrived, job.serviceMs);
    this.handleMessage(node, msg);
    this.startService(node);
  }

  private dropped(id: number, src: number, dest: number, msg: Message, reason: DropReason): void {
    this.trace.drop(this.now, id, src, dest, msg.body.type, reason);
  }

  // ---- faults ------------------------------------------------------------------------

  private applyFault(f: Fault): void {
    this.trace.fault(this.now, f);
    switch (f.kind) {
      case "crash":
        this.crash(this.node(f.node), false);
        return;
      case "lose-disk":
        this.crash(this.node(f.node), true);
        return;
      case "restart": {
        const node = this.node(f.node);
        if (!node.up) this.boot(node, true);
        return;
      }
      case "pause": {
        const node = this.node(f.node);
        if (node.up) node.paused = true;
        this.snapshot(node);
        return;
      }
      case "resume": {
        const node = this.node(f.node);
        if (!node.up || !node.paused) return;
        node.paused = false;
        this.snapshot(node);
        const waiting = node.deferred;
        node.deferred = [];
        for (const d of waiting) {
          if (!node.up || node.paused) {
            node.deferred.push(d);
            continue;
          }
          if (d.kind === DELIVER) {
            const m = d.a as Message;
            this.trace.deliver(this.now, d.b, this.endpointIndex.get(m.src)!, node.index, m.body.type);
            this.handleMessage(node, m);
          } else if (d.kind === SERVICE_DONE) {
            this.serviceDone(node, d.a as ServiceJob);
          } else {
            this.nodeEvent(node, d.kind, d.a, d.b);
          }
        }
        if (node.capacity !== null) this.startService(node);
        if (node.applyStage !== null) this.pumpApply(node, false);
        return;
      }
      case "partition":
        this.partition = partitionState(f, this.endpointIndex);
        return;
      case "heal":
        this.partition = null;
        return;
      case "corrupt":
        this.corrupt(this.node(f.node), f.fraction);
        return;
      case "clock": {
        const node = this.node(f.node);
        // The drift so far stays on the clock: a new fault changes the skew and the rate from
        // now on, it does not turn the clock back by the time it gained.
        node.drifted += node.drift * (this.now - node.clockSince);
        node.skew = f.skewMs;
        node.drift = f.drift ?? 0;
        node.clockSince = this.now;
        return;
      }
    }
  }

  private node(id: NodeId): NodeRuntime<S> {
    return this.nodes[this.endpointIndex.get(id)!];
  }

  /**
   * The `corrupt` fault: each synced record of the node's log has a bit of a stored value
   * flipped with probability `fraction` (the engine's own seeded stream), noted in the trace
   * as `disk-corrupt` with the record's position. The checksums kept beside the records are
   * not touched: that is how a restart can tell. The log is rebuilt rather than changed in
   * place, because earlier versions of it share its backing array.
   */
  private corrupt(node: NodeRuntime<S>, fraction: number): void {
    const records = slice(node.wal);
    let changed = false;
    for (let i = 0; i < node.synced && i < records.length; i++) {
      if (this.corruptRng.uniform() >= fraction) continue;
      const bad = corruptRecord(records[i], () => this.corruptRng.uniform());
      if (bad === null) continue;
      records[i] = bad;
      changed = true;
      this.trace.other({ type: "note", t: this.now, node: node.id, kind: "disk-corrupt", index: i });
    }
    if (!changed) return;
    let wal = emptyLog<unknown>();
    for (const r of records) wal = append(wal, r);
    node.wal = wal;
  }

  private crash(node: NodeRuntime<S>, loseDisk: boolean): void {
    node.up = false;
    node.paused = false;
    node.deferred = [];
    for (const t of node.timers.values()) this.queue.cancel(t.ev, t.seq);
    node.timers.clear();
    node.incarnation++;
    if (node.capacity !== null) {
      // The queue is volatile: what waited or was being served is lost with the node.
      const lost = [...node.inService, ...node.waiting.slice(node.queueHead)];
      node.inService.length = 0;
      node.waiting = [];
      node.queueHead = 0;
      for (const job of lost) this.dropped(job.id, job.src, node.index, job.msg, "crashed");
    }
    // The apply stage's queue is volatile too; recovery replays what the disk kept.
    node.applyArrived = [];
    node.applyHead = 0;
    node.applyServiceMs = -1;
    node.diskFreeAt = this.now;
    node.fsyncBusy = false;
    node.fsyncWanted = false;
    // What was not fsynced is gone; with the disk, everything is.
    node.wal = loseDisk ? emptyLog() : truncate(node.wal, node.synced);
    if (node.checksums !== null) node.checksums.length = node.wal.length;
    if (loseDisk) node.synced = 0;
    node.written = node.synced;
    this.traceDisk(node);
    this.snapshot(node);
  }

}
