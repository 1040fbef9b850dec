/**
 * Where the simulator writes its trace while it runs: columns of typed arrays for the
 * frequent events (send, deliver, drop, timer) and plain objects for the rest. A run of a
 * million events then costs a few arrays instead of millions of small objects for the
 * garbage collector to trace. `events()` is a read-only view of them (lib/sim/lazyArray.ts)
 * that builds each readable `TraceEvent` object when it is read and keeps none: reading the
 * trace of a long run costs no more memory than recording it did.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import type { Fault } from "./faults.js";
import type { HistoryOp } from "../history/types.js";
import { lazyArray } from "./lazyArray.js";
import type { DropReason, NodeId, Trace, TraceEvent } from "./trace.js";

const SEND = 1;
const DELIVER = 2;
const DROP = 3;
const TIMER = 4;
const OTHER = 5;
const NOTE = 6;
const OP = 7;
/** In the `extra` column of a note: whether `value` is absent, null, or in `num`. */
const VALUE_ABSENT = 0;
const VALUE_NULL = 1;
const VALUE_NUMBER = 2;
const REASONS: readonly DropReason[] = ["loss", "partition", "crashed"];

/** An append-only, columnar trace recorder. Internal to the engine. */
export class TraceLog {
  private n = 0;
  private t = new Float64Array(1024);
  private kind = new Uint8Array(1024);
  private src = new Int32Array(1024);
  private dest = new Int32Array(1024);
  private id = new Int32Array(1024);
  /** Interned message type or timer name; for a drop, the reason; for a send, the bytes. */
  private label = new Int32Array(1024);
  private extra = new Int32Array(1024);
  private num = new Float64Array(1024);
  private key = new Int32Array(1024);
  /**
   * Queueing delay and service time of deliveries at nodes with a capacity: a delivery
   * row's `extra` holds 1 + its index here (0 at a free node, the typed arrays' default).
   */
  private readonly queued: number[] = [];
  private readonly served: number[] = [];
  private readonly objects: TraceEvent[] = [];
  private readonly ops: HistoryOp[] = [];
  private readonly names: string[] = [];
  private readonly nameIds = new Map<string, number>();

  constructor(private readonly endpoints: readonly NodeId[]) {}

  get length(): number {
    return this.n;
  }

  private intern(name: string): number {
    let i = this.nameIds.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.nameIds.set(name, i);
    }
    return i;
  }

  private row(t: number, kind: number): number {
    if (this.n === this.t.length) this.grow();
    const i = this.n++;
    this.t[i] = t;
    this.kind[i] = kind;
    return i;
  }

  private grow(): void {
    const size = this.t.length * 2;
    const t = new Float64Array(size);
    t.set(this.t);
    this.t = t;
    const num = new Float64Array(size);
    num.set(this.num);
    this.num = num;
    const widen = <A extends Int32Array | Uint8Array>(a: A, make: (n: number) => A): A => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.kind = widen(this.kind, (k) => new Uint8Array(k));
    this.src = widen(this.src, (k) => new Int32Array(k));
    this.dest = widen(this.dest, (k) => new Int32Array(k));
    this.id = widen(this.id, (k) => new Int32Array(k));
    this.label = widen(this.label, (k) => new Int32Array(k));
    this.extra = widen(this.extra, (k) => new Int32Array(k));
    this.key = widen(this.key, (k) => new Int32Array(k));
  }

  send(t: number, id: number, src: number, dest: number, msg: string, bytes: number): void {
    const i = this.row(t, SEND);
    this.id[i] = id;
    this.src[i] = src;
    this.dest[i] = dest;
    this.label[i] = this.intern(msg);
    this.extra[i] = bytes;
  }

  deliver(t: number, id: number, src: number, dest: number, msg: string): void {
    const i = this.row(t, DELIVER);
    this.id[i] = id;
    this.src[i] = src;
    this.dest[i] = dest;
    this.label[i] = this.intern(msg);
    this.extra[i] = 0;
  }

  /** A delivery at a node with a capacity, after `queuedMs` in its queue and `serviceMs` of service. */
  deliverServed(t: number, id: number, src: number, dest: number, msg: string, queuedMs: number, serviceMs: number): void {
    this.deliver(t, id, src, dest, msg);
    this.extra[this.n - 1] = this.queued.length + 1;
    this.queued.push(queuedMs);
    this.served.push(serviceMs);
  }

  drop(t: number, id: number, src: number, dest: number, msg: string, reason: DropReason): void {
    const i = this.row(t, DROP);
    this.id[i] = id;
    this.src[i] = src;
    this.dest[i] = dest;
    this.label[i] = this.intern(msg);
    this.extra[i] = REASONS.indexOf(reason);
  }

  timer(t: number, node: number, name: string): void {
    const i = this.row(t, TIMER);
    this.src[i] = node;
    this.label[i] = this.intern(name);
  }

  /** Any other event, kept as the object given. */
  other(e: TraceEvent): void {
    const i = this.row(e.t, OTHER);
    this.extra[i] = this.objects.length;
    this.objects.push(e);
  }

  /** A protocol's note; notes carrying `data` are kept as objects. */
  note(t: number, node: number, kind: string, key?: string, value?: number | null, index?: number, data?: Readonly<Record<string, unknown>>): void {
    if (data !== undefined) {
      this.other({ type: "note", t, node: this.endpoints[node], kind, key, value, index, data });
      return;
    }
    const i = this.row(t, NOTE);
    this.src[i] = node;
    this.label[i] = this.intern(kind);
    this.key[i] = key === undefined ? -1 : this.intern(key);
    this.id[i] = index === undefined ? -1 : index;
    if (value === undefined) this.extra[i] = VALUE_ABSENT;
    else if (value === null) this.extra[i] = VALUE_NULL;
    else {
      this.extra[i] = VALUE_NUMBER;
      this.num[i] = value;
    }
  }

  fault(t: number, fault: Fault): void {
    this.other({ type: "fault", t, fault });
  }

  op(t: number, op: HistoryOp): void {
    const i = this.row(t, OP);
    this.extra[i] = this.ops.length;
    this.ops.push(op);
  }

  /**
   * The trace so far as a read-only array (what `run.trace` returns): event `i` is built
   * from the columns when it is read. Events kept as objects (faults, disk, notes with
   * data, ops) are the same objects on every read; the others are new objects each time.
   */
  events(): Trace {
    return lazyArray<TraceEvent>({ length: this.n, at: (i) => this.event(i), mayEqual: (i, e) => (e as { t?: unknown }).t === this.t[i] }, "a run's trace");
  }

  /** Event `i` (0 ≤ i < length) as a readable object. */
  event(i: number): TraceEvent {
    const ep = this.endpoints;
    const t = this.t[i];
    switch (this.kind[i]) {
      case SEND:
        return { type: "send", t, id: this.id[i], src: ep[this.src[i]], dest: ep[this.dest[i]], msg: this.names[this.label[i]], bytes: this.extra[i] };
      case DELIVER: {
        const q = this.extra[i] - 1;
        return q < 0
          ? { type: "deliver", t, id: this.id[i], src: ep[this.src[i]], dest: ep[this.dest[i]], msg: this.names[this.label[i]] }
          : { type: "deliver", t, id: this.id[i], src: ep[this.src[i]], dest: ep[this.dest[i]], msg: this.names[this.label[i]], queuedMs: this.queued[q], serviceMs: this.served[q] };
      }
      case DROP:
        return { type: "drop", t, id: this.id[i], src: ep[this.src[i]], dest: ep[this.dest[i]], msg: this.names[this.label[i]], reason: REASONS[this.extra[i]] };
      case TIMER:
        return { type: "timer", t, node: ep[this.src[i]], name: this.names[this.label[i]] };
      case NOTE: {
        const e: { type: "note"; t: number; node: NodeId; kind: string; key?: string; value?: number | null; index?: number } = {
          type: "note",
          t,
          node: ep[this.src[i]],
          kind: this.names[this.label[i]],
        };
        if (this.key[i] >= 0) e.key = this.names[this.key[i]];
        if (this.extra[i] !== VALUE_ABSENT) e.value = this.extra[i] === VALUE_NULL ? null : this.num[i];
        if (this.id[i] >= 0) e.index = this.id[i];
        return e;
      }
      case OP:
        return { type: "op", t, op: this.ops[this.extra[i]] };
      default:
        return this.objects[this.extra[i]];
    }
  }
}

/**
 * A trace that records nothing, for replays: time travel re-runs a prefix of a run only to
 * reach its node states, and the trace of that prefix is already known. The engine behaves
 * identically (it never reads its trace), so the states are the same.
 */
export class SilentTraceLog extends TraceLog {
  override send(): void {}
  override deliver(): void {}
  override deliverServed(): void {}
  override drop(): void {}
  override timer(): void {}
  override other(): void {}
  override note(): void {}
  override fault(): void {}
  override op(): void {}
}
