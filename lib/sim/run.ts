/**
 * A finished run: its trace, its client history, and any moment of it on demand ("time
 * travel": `stateAt`, `clusterAt`, `diff`).
 *
 * By default a run keeps no node states: a moment is found by replaying the run up to that
 * time from the last of its checkpoints before it (the simulation is deterministic, so the
 * replay passes through exactly the same states). A run takes 32 checkpoints, evenly spaced
 * in virtual time, so reaching any moment re-runs at most 1/32 of the run. With
 * `recordStates: true` every state each node went through is kept and a moment is looked
 * up instead; node states are immutable and share structure, so that
 * costs one small record per change (a time and a reference), not a copy per event.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import type { History } from "../history/types.js";
import type { SimConfig } from "./config.js";
import type { Body, Effects, Message } from "./protocol.js";
import { diffValues, type StateChange } from "./diff.js";
import type { NodeId, Trace } from "./trace.js";

/** The recorded states of one node, as parallel arrays sorted by time. */
export interface StateTimeline<S> {
  readonly t: number[];
  readonly state: S[];
  readonly up: boolean[];
  readonly paused: boolean[];
  readonly written: number[];
  readonly synced: number[];
}

/** One node at one moment. */
export interface NodeSnapshot<S> {
  readonly node: NodeId;
  /** The moment asked for. */
  readonly t: number;
  /** When this state began; known only when the run recorded its states (`recordStates`). */
  readonly since?: number;
  readonly state: S;
  readonly up: boolean;
  readonly paused: boolean;
  /** Write-ahead log entries written, and how many of them are durable. */
  readonly written: number;
  readonly synced: number;
}

/** A change between two moments, for one node (`path` inside its state). */
export interface NodeChange extends StateChange {
  readonly node: NodeId;
}

interface RunParts<S> {
  readonly config: SimConfig<S, unknown> | SimConfig<S, never>;
  readonly nodes: readonly NodeId[];
  readonly clients: readonly NodeId[];
  /** The trace, as a read-only view over the engine's columns (lib/sim/traceLog.ts). */
  readonly trace: () => Trace;
  readonly history: History;
  readonly endTime: number;
  readonly events: number;
  readonly finalStates: ReadonlyMap<NodeId, S>;
  /** Nodes down when the run ended, with their durable write-ahead log. */
  readonly downAtEnd: ReadonlyMap<NodeId, readonly unknown[]>;
  readonly timelines: ReadonlyMap<NodeId, StateTimeline<S>>;
  /** Re-runs the simulation (from its checkpoints) and captures every node at each moment. */
  readonly replay: (moments: readonly number[]) => NodeSnapshot<S>[][];
  /** How many checkpoints the run took for time travel (none with `recordStates`). */
  readonly checkpoints: number;
}

/** The result of `simulate`. Its methods are pure reads of the recorded run. */
export class SimulationRun<S> {
  /** Node ids, in order. */
  readonly nodes: readonly NodeId[];
  /** Client ids, in order. */
  readonly clients: readonly NodeId[];
  private traceCache: Trace | null = null;
  /** Every client operation, invoke → ok / fail / info. */
  readonly history: History;
  /** Virtual time at which the run stopped, in ms. */
  readonly endTime: number;
  /** Number of events the simulator processed. */
  readonly events: number;
  /** The configuration the run was made from. */
  readonly config: RunParts<S>["config"];
  private readonly parts: RunParts<S>;

  constructor(parts: RunParts<S>) {
    this.parts = parts;
    this.nodes = parts.nodes;
    this.clients = parts.clients;
    this.history = parts.history;
    this.endTime = parts.endTime;
    this.events = parts.events;
    this.config = parts.config;
  }

  /**
   * Every event, in processing order: a read-only array that builds each event when it is
   * read and keeps none (lib/sim/lazyArray.ts), so reading the trace of a long run adds
   * little memory. An event is a new object on each read (compare events by value); writes
   * throw a TypeError.
   */
  get trace(): Trace {
    if (this.traceCache === null) this.traceCache = this.parts.trace();
    return this.traceCache;
  }

  /** The state of `node` when the run ended. */
  finalState(node: NodeId): S {
    const s = this.parts.finalStates.get(node);
    if (s === undefined && !this.parts.finalStates.has(node)) throw unknownNode(node, this.nodes);
    return s as S;
  }

  /**
   * `node` as it was at time `t` (after every event at `t`). With `recordStates` the
   * answer is looked up; otherwise the run is replayed up to `t` from its last checkpoint
   * before `t` (the simulation is deterministic, so the replay passes through exactly the
   * same states).
   */
  stateAt(node: NodeId, t: number): NodeSnapshot<S> {
    if (!this.nodes.includes(node)) throw unknownNode(node, this.nodes);
    return this.clusterAt(t).find((s) => s.node === node)!;
  }

  /** Every node at time `t`. */
  clusterAt(t: number): NodeSnapshot<S>[] {
    return this.momentsAt([t])[0];
  }

  /** Every node at each of several moments, with one replay at most. */
  momentsAt(moments: readonly number[]): NodeSnapshot<S>[][] {
    moments.forEach((t) => {
      if (!(t >= 0 && t <= this.endTime)) throw new RangeError(`time ${t} is outside this run (0 to ${this.endTime} ms)`);
    });
    if (this.parts.timelines.size === 0) return this.parts.replay(moments);
    return moments.map((t) => this.nodes.map((n) => lookup(n, this.parts.timelines.get(n)!, t)));
  }

  /**
   * How many checkpoints the run took: moments of the whole simulation, evenly spaced in
   * virtual time, from which time travel re-runs a stretch instead of the whole run.
   */
  get checkpointCount(): number {
    return this.parts.checkpoints;
  }

  /** How many recorded states `node` went through (for the curious: structure is shared). */
  stateCount(node: NodeId): number {
    return this.parts.timelines.get(node)?.t.length ?? 0;
  }

  /**
   * What changed in each node between `t1` and `t2`: one row per changed field (nested
   * paths; logs show their appended entries; maps their changed keys). Pure.
   */
  diff(t1: number, t2: number, maxRowsPerNode = 50): NodeChange[] {
    const rows: NodeChange[] = [];
    const [before, after] = this.momentsAt([t1, t2]);
    for (let i = 0; i < this.nodes.length; i++) {
      const node = this.nodes[i];
      const a = before[i];
      const b = after[i];
      const changes = diffValues(
        { up: a.up, paused: a.paused, written: a.written, synced: a.synced, state: a.state },
        { up: b.up, paused: b.paused, written: b.written, synced: b.synced, state: b.state },
        maxRowsPerNode,
      );
      for (const c of changes) rows.push({ node, ...c });
    }
    return rows;
  }

  /** Whether `node` was up (running or paused) when the run ended. */
  upAtEnd(node: NodeId): boolean {
    this.finalState(node); // throws for an unknown node
    return !this.parts.downAtEnd.has(node);
  }

  /**
   * The state whose data counts for `node` at the end: its final state if it is up; if it
   * is down, the state it would boot into from its durable write-ahead log (a crashed node's
   * memory is gone: reading it would count writes it lost as kept). The boot's effects are
   * discarded.
   */
  recoveredState(node: NodeId): S {
    const wal = this.parts.downAtEnd.get(node);
    if (wal === undefined) return this.finalState(node);
    const config = this.config.config as unknown;
    const discard: Effects<unknown> = {
      config, self: node, nodes: this.nodes, now: this.endTime,
      send: () => undefined, reply: (_m: Message, _b: Body) => undefined, setTimer: () => undefined, cancelTimer: () => undefined,
      persist: () => undefined, note: () => undefined, random: () => 0,
    };
    const protocol = this.config.protocol as unknown as { init(ctx: unknown, out: Effects<unknown>): S };
    return protocol.init({ self: node, nodes: this.nodes, config, durable: wal, restarted: true }, discard);
  }

  /**
   * Key → values a node holds at the end (needs the protocol's `contents`): for a node
   * that is down, what it would recover from its disk (`recoveredState`).
   */
  finalContents(node: NodeId): ReadonlyMap<string, readonly number[]> {
    const contents = this.config.protocol.contents;
    if (!contents) throw new Error(`protocol ${this.config.protocol.name} does not define contents()`);
    return contents(this.recoveredState(node) as never);
  }
}

function lookup<S>(node: NodeId, tl: StateTimeline<S>, t: number): NodeSnapshot<S> {
  // Last change at or before t (binary search).
  let lo = 0;
  let hi = tl.t.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (tl.t[mid] <= t) lo = mid;
    else hi = mid - 1;
  }
  return { node, t, since: tl.t[lo], state: tl.state[lo], up: tl.up[lo], paused: tl.paused[lo], written: tl.written[lo], synced: tl.synced[lo] };
}

function unknownNode(node: NodeId, nodes: readonly NodeId[]): Error {
  return new RangeError(`unknown node ${JSON.stringify(node)}; this run has ${nodes.join(", ")}`);
}
