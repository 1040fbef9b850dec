/**
 * Faults as data: a schedule (the "nemesis") of things that go wrong at given virtual
 * times. Every fault also appears in the trace so charts can shade it.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import type { NodeId } from "./trace.js";

/** A node stops: volatile state and unsynced writes are lost; messages to it are dropped. */
export interface CrashFault { readonly kind: "crash"; readonly at: number; readonly node: NodeId }
/** A crashed node boots again from its durable write-ahead log. */
export interface RestartFault { readonly kind: "restart"; readonly at: number; readonly node: NodeId }
/** A node freezes (a GC pause, a stopped VM): nothing is lost, events wait until resume. */
export interface PauseFault { readonly kind: "pause"; readonly at: number; readonly node: NodeId }
/** A paused node carries on, handling everything that waited, in order. */
export interface ResumeFault { readonly kind: "resume"; readonly at: number; readonly node: NodeId }
/** A node's disk is destroyed: the node crashes and its write-ahead log is gone. */
export interface LoseDiskFault { readonly kind: "lose-disk"; readonly at: number; readonly node: NodeId }
/**
 * The network splits into the given groups: messages between different groups are
 * dropped. Nodes (and clients) not listed form one more group together. With
 * `oneWay: true` only messages from the first group to the others are dropped.
 */
export interface PartitionFault {
  readonly kind: "partition";
  readonly at: number;
  readonly groups: readonly (readonly NodeId[])[];
  readonly oneWay?: boolean;
}
/** All partitions end. */
export interface HealFault { readonly kind: "heal"; readonly at: number }
/**
 * A node's clock reads `skewMs` ahead (negative: behind) of true time and runs
 * `drift` faster (0.001 = 1 ms per second), from this moment on. What an earlier clock
 * fault's drift accumulated stays on the clock: a later fault replaces the skew and the
 * rate, it does not give back the time the clock gained or lost.
 */
export interface ClockFault {
  readonly kind: "clock";
  readonly at: number;
  readonly node: NodeId;
  readonly skewMs: number;
  readonly drift?: number;
}

/** One scheduled fault. Discriminated on `kind`. */
export type Fault =
  | CrashFault
  | RestartFault
  | PauseFault
  | ResumeFault
  | LoseDiskFault
  | PartitionFault
  | HealFault
  | ClockFault;
