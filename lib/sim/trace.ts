/**
 * The trace: everything that happened in a run, one plain object per event, in the order
 * the simulator processed them. Metrics, checkers and charts are pure functions of it.
 * Vocabulary follows Maelstrom: nodes `n1…`, clients `c1…`, a message `{src, dest, body}`.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import type { HistoryOp } from "../history/types.js";
import type { Fault } from "./faults.js";

/** A node id (`n1`, `n2`, ...) or a client id (`c1`, ...). */
export type NodeId = string;

/** Why a message never arrived. */
export type DropReason = "loss" | "partition" | "crashed";

/** A message was handed to the network. `id` is unique per run. */
export interface SendEvent {
  readonly type: "send";
  readonly t: number;
  readonly id: number;
  readonly src: NodeId;
  readonly dest: NodeId;
  /** The body's `type` field, e.g. `write`, `replicate`, `replicate_ok`. */
  readonly msg: string;
  readonly bytes: number;
}

/**
 * A message reached its destination's handler. At a node with a capacity (`config.capacity`)
 * that is when its service completed: it arrived `queuedMs + serviceMs` earlier, waited
 * `queuedMs` in the node's FIFO queue and was served for `serviceMs`. Both are absent at a
 * free node (the handler ran on arrival).
 */
export interface DeliverEvent {
  readonly type: "deliver";
  readonly t: number;
  readonly id: number;
  readonly src: NodeId;
  readonly dest: NodeId;
  readonly msg: string;
  readonly queuedMs?: number;
  readonly serviceMs?: number;
}

/** A message was lost: by the network, a partition, or because its destination was down. */
export interface DropEvent {
  readonly type: "drop";
  readonly t: number;
  readonly id: number;
  readonly src: NodeId;
  readonly dest: NodeId;
  readonly msg: string;
  readonly reason: DropReason;
}

/** A fault from the schedule took effect (crash, restart, partition, ...). */
export interface FaultEvent {
  readonly type: "fault";
  readonly t: number;
  readonly fault: Fault;
}

/** A timer fired at a node. */
export interface TimerEvent {
  readonly type: "timer";
  readonly t: number;
  readonly node: NodeId;
  readonly name: string;
}

/**
 * The node's disk changed: `written` entries are in its write-ahead log, the first
 * `synced` of them are durable (survive a crash).
 */
export interface DiskEvent {
  readonly type: "disk";
  readonly t: number;
  readonly node: NodeId;
  readonly written: number;
  readonly synced: number;
}

/**
 * A protocol's own observation, recorded through `out.note`. The metrics read two kinds:
 * `commit` (a write committed at its origin) and `apply` (a write applied at a replica),
 * both carrying the write's `key` and unique `value`.
 */
export interface NoteEvent {
  readonly type: "note";
  readonly t: number;
  readonly node: NodeId;
  readonly kind: string;
  readonly key?: string;
  readonly value?: number | null;
  /** Position in the origin's log, when the protocol has one. */
  readonly index?: number;
  /** Anything else the protocol wants shown (term, epoch, leader, ...). */
  readonly data?: Readonly<Record<string, unknown>>;
}

/** A client operation was invoked or completed (the same object as in the history). */
export interface OpEvent {
  readonly type: "op";
  readonly t: number;
  readonly op: HistoryOp;
}

/**
 * A node's apply stage (capacity `applyMs`, lib/sim/capacity.ts) applied WAL record number
 * `record` (1-based), which carried work: it waited `queuedMs` after its disk write
 * completed and took `serviceMs`. Absent from runs without an apply stage.
 */
export interface AppliedEvent {
  readonly type: "applied";
  readonly t: number;
  readonly node: NodeId;
  readonly record: number;
  readonly queuedMs: number;
  readonly serviceMs: number;
}

/** One event of a trace. Discriminated on `type`. */
export type TraceEvent =
  | SendEvent
  | DeliverEvent
  | DropEvent
  | FaultEvent
  | TimerEvent
  | DiskEvent
  | NoteEvent
  | OpEvent
  | AppliedEvent;

/** A whole trace, in processing order. */
export type Trace = readonly TraceEvent[];
