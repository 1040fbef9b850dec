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

/**
 * A node's disk silently corrupts what it holds: each record of the durable (synced) part
 * of its write-ahead log has one bit of a stored `value` flipped with probability
 * `fraction`. Nothing tells the node: the bad record shows when the log is read back, at
 * the next restart. With `storage.checksums` the node finds it there (a checksum mismatch),
 * treats the record as missing and recovers it from its peers; without, it serves the bad
 * value. Real disks do this (Bairavasundaram et al., "An Analysis of Data Corruption in the
 * Storage Stack", FAST 2008); what replication then does with the bad copy is the subject of
 * Ganesan et al., "Redundancy Does Not Imply Fault Tolerance", FAST 2017. Notebook 07.00.
 */
export interface CorruptFault {
  readonly kind: "corrupt";
  readonly at: number;
  readonly node: NodeId;
  /** Probability that each durable record is corrupted, in [0, 1]. */
  readonly fraction: number;
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
  | ClockFault
  | CorruptFault;
