/**
 * What a replication protocol is: pure handlers over a node's immutable state.
 *
 * Each handler takes the node's current state and one input (a message, a timer, a disk
 * completion) and returns the next state. It does nothing itself: it *records* what it
 * wants done (send, reply, set a timer, write to disk) into `out`, and the simulator
 * performs those effects after the handler returns. This is the shape of etcd's raft
 * (`Step`) and stateright's actors; it makes a protocol testable without a network and
 * keeps the simulation deterministic.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import type { NodeId } from "./trace.js";

/** A message body, Maelstrom style: `type`, plus `msg_id` / `in_reply_to` to pair replies. */
export interface Body {
  readonly type: string;
  readonly msg_id?: number;
  readonly in_reply_to?: number;
  readonly [field: string]: unknown;
}

/** A message on the network. */
export interface Message<B extends Body = Body> {
  readonly src: NodeId;
  readonly dest: NodeId;
  readonly body: B;
}

/**
 * Where a handler records effects. Recording is all a handler may do: the simulator
 * performs the effects, in order, after the handler returns.
 */
export interface Effects<C = unknown> {
  /** The protocol's configuration for this run. */
  readonly config: C;
  /** This node's id. */
  readonly self: NodeId;
  /** Every node of the cluster, in order (`n1`, `n2`, ...). */
  readonly nodes: readonly NodeId[];
  /** This node's local clock in ms: true time plus any skew or drift from a clock fault. */
  readonly now: number;
  /** Sends `body` to `dest` (a node or a client). */
  send(dest: NodeId, body: Body): void;
  /**
   * Replies to `request`: sends `body` back to its sender with `in_reply_to` filled in.
   * The reply takes `body` over and fills it in place (it is the fastest way); a body that
   * is frozen or already answers another request is copied instead, so reusing one is safe.
   */
  reply(request: Message, body: Body): void;
  /** Sets (or resets) the timer `name` to fire after `delayMs` of this node's clock. */
  setTimer(name: string, delayMs: number): void;
  /** Cancels the timer `name` if it is set. */
  cancelTimer(name: string): void;
  /**
   * Appends `entry` to this node's write-ahead log. When the write completes (at once, or
   * after an fsync under the `always` policy) the protocol's `onPersisted` is called.
   */
  persist(entry: unknown): void;
  /** Records an observation in the trace (`commit`, `apply`, `leader`, ...) for metrics. */
  note(kind: string, fields?: { key?: string; value?: number | null; index?: number; data?: Record<string, unknown> }): void;
  /** A seeded random draw in [0, 1) from this node's own stream (e.g. election jitter). */
  random(): number;
}

/** What a node knows when it boots. */
export interface BootContext<C> {
  readonly self: NodeId;
  readonly nodes: readonly NodeId[];
  readonly config: C;
  /** The durable write-ahead log: empty on first boot, what survived on a restart. */
  readonly durable: readonly unknown[];
  /** True when this boot is a restart after a crash or disk loss. */
  readonly restarted: boolean;
}

/**
 * A replication protocol. `S` is one node's state (treat it as immutable: return a new
 * object instead of changing one), `C` the protocol's configuration.
 */
export interface Protocol<S, C = unknown> {
  /** Short name shown in traces and charts. */
  readonly name: string;
  /** Throws a ConfigError if `config` does not fit a cluster of `nodes`. Pure. */
  validate?(config: C, nodes: readonly NodeId[]): void;
  /** A node's state at boot (first start or restart). Pure; may record effects. */
  init(ctx: BootContext<C>, out: Effects<C>): S;
  /** Handles a message from a node or a client. Pure; records effects in `out`. */
  onMessage(state: S, msg: Message, out: Effects<C>): S;
  /** Handles a timer set with `out.setTimer`. Pure; records effects in `out`. */
  onTimer?(state: S, name: string, out: Effects<C>): S;
  /**
   * The first `written` entries of the write-ahead log are written (and, under the
   * `always` fsync policy, synced); `last` is the newest of them, the record passed to
   * `out.persist`. Pure; records effects in `out`.
   */
  onPersisted?(state: S, written: number, out: Effects<C>, last: unknown): S;
  /**
   * The node's apply stage has worked through its first `applied` WAL records (records
   * reach it once written: see `capacity.applyMs` in lib/sim/capacity.ts). A node without an
   * apply stage applies at once: the engine calls this right after `onPersisted`, in the
   * same step, with `applied = written`. A protocol without it cannot be given an apply stage.
   * Pure; records effects in `out`.
   */
  onApplied?(state: S, applied: number, out: Effects<C>): S;
  /**
   * Units of work a message carries (e.g. the entries of an append), a non-negative integer:
   * what `capacity.perUnitMs` charges per unit. A protocol without it cannot be given
   * per-unit service times. Pure.
   */
  workOf?(body: Body): number;
  /**
   * Units of apply work a WAL record carries (e.g. 1 for a log entry, 0 for bookkeeping),
   * a non-negative integer: what `capacity.applyMs` charges per unit. Default 1. Pure.
   */
  recordWorkOf?(record: unknown): number;
  /**
   * The data a node holds, as key → values present (every version the node keeps, or the
   * current value). Used for lost-write and convergence checks. Pure.
   */
  contents?(state: S): ReadonlyMap<string, readonly number[]>;
  /** Modelled size of a message body in bytes (default: 100). Pure. */
  sizeOf?(body: Body): number;
  /**
   * The body types its nodes send one another (optional). When given, a `capacity.serviceMs`
   * key that is none of these, nor a client request kind, is rejected as a typo.
   */
  readonly messageTypes?: readonly string[];
}
