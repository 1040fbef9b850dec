/**
 * The simulator's agenda: events ordered by virtual time, ties broken by the order in
 * which they were scheduled. The tie-break is what makes a run deterministic when two
 * events fall on the same millisecond. The heap is `@datastructures-js/priority-queue`.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import { PriorityQueue } from "@datastructures-js/priority-queue";

/** A scheduled event. One shape for every kind keeps the hot loop monomorphic. */
export interface Scheduled {
  /** Virtual time in ms. */
  t: number;
  /** Scheduling order: the tie-break. */
  seq: number;
  /** What happens (an engine-private code). */
  kind: number;
  /** The endpoint (node or client index) it happens to. */
  target: number;
  /** Payload (a message, a timer name, a fault...). */
  a: unknown;
  /** A number that goes with it (a generation, a log length, a message id...). */
  b: number;
}

/** The kind a cancelled event carries; skip it when it pops (see `EventQueue.cancel`). */
export const CANCELLED = -1;

/** Earlier time first; at equal times, earlier scheduled first. Pure. */
export function compareScheduled(x: Scheduled, y: Scheduled): number {
  return x.t - y.t || x.seq - y.seq;
}

/**
 * A time-ordered queue of events with a deterministic tie-break.
 *
 * Two lanes share one sequence counter: a heap for events in any order, and a FIFO lane
 * for events that are scheduled in time order anyway (every client timeout is "now + the
 * same timeout"), which then cost O(1) instead of O(log n). `pop` takes the earlier of
 * the two fronts, by time then sequence, so the order is exactly that of a single heap.
 * Popped events are recycled: call `release` once an event has been handled.
 *
 * An event that will have nothing to do when it comes due (a timer reset or cancelled, a
 * client timeout whose operation already finished) is cancelled with `cancel`: it keeps its
 * place (so the order of every other event is unchanged) but the caller skips it when it
 * pops, without handling or counting it. Removing it from the heap at once would cost O(n).
 */
/** What a checkpoint keeps of a queue: copies of every waiting event, and the next sequence number. */
export interface QueueCheckpoint {
  readonly heap: readonly Scheduled[];
  readonly lanes: readonly (readonly Scheduled[])[];
  readonly seq: number;
}

export class EventQueue {
  private readonly heap = new PriorityQueue<Scheduled>(compareScheduled);
  /** FIFO lanes: each holds events pushed in time order (see `pushInOrder`). */
  private readonly lanes: { items: Scheduled[]; head: number }[] = [];
  private seq = 0;
  private readonly free: Scheduled[] = [];

  private make(t: number, kind: number, target: number, a: unknown, b: number): Scheduled {
    const ev = this.free.pop();
    if (ev === undefined) return { t, seq: this.seq++, kind, target, a, b };
    ev.t = t;
    ev.seq = this.seq++;
    ev.kind = kind;
    ev.target = target;
    ev.a = a;
    ev.b = b;
    return ev;
  }

  /** Schedules an event. Returns it, for `cancel` (keep its `seq` beside it: events are recycled). */
  push(t: number, kind: number, target: number, a: unknown, b: number): Scheduled {
    const ev = this.make(t, kind, target, a, b);
    this.heap.enqueue(ev);
    return ev;
  }

  /**
   * Cancels `ev` if it is still the event scheduled with sequence number `seq` (a popped and
   * recycled one carries another `seq`, and is left alone). Its kind becomes CANCELLED.
   */
  cancel(ev: Scheduled, seq: number): void {
    if (ev.seq !== seq) return;
    ev.kind = CANCELLED;
    ev.a = null;
  }

  /**
   * Schedules an event no earlier than every event pushed to the same `lane` before
   * (checked: an out-of-order one goes to the heap instead, so order is never wrong, only
   * slower). Lanes are small integers chosen by the caller, one per kind of in-order event.
   */
  pushInOrder(lane: number, t: number, kind: number, target: number, a: unknown, b: number): Scheduled {
    while (this.lanes.length <= lane) this.lanes.push({ items: [], head: 0 });
    const l = this.lanes[lane];
    if (l.items.length > l.head && t < l.items[l.items.length - 1].t) return this.push(t, kind, target, a, b);
    const ev = this.make(t, kind, target, a, b);
    l.items.push(ev);
    return ev;
  }

  /** Removes and returns the next event, or null when none is left. */
  pop(): Scheduled | null {
    // The earliest of the heap's front and every lane's front, by time then sequence.
    let best: Scheduled | null = this.heap.isEmpty() ? null : this.heap.front()!;
    let bestLane = -1;
    for (let i = 0; i < this.lanes.length; i++) {
      const l = this.lanes[i];
      if (l.head < l.items.length) {
        const f = l.items[l.head];
        if (best === null || compareScheduled(f, best) < 0) {
          best = f;
          bestLane = i;
        }
      }
    }
    if (bestLane < 0) return best === null ? null : this.heap.dequeue();
    const l = this.lanes[bestLane];
    l.items[l.head++] = undefined as unknown as Scheduled;
    if (l.head > 1024 && l.head * 2 > l.items.length) {
      l.items = l.items.slice(l.head);
      l.head = 0;
    }
    return best;
  }

  /** Gives a popped event back for reuse; the caller must hold no reference to it. */
  release(ev: Scheduled): void {
    ev.a = null;
    this.free.push(ev);
  }

  /** How many events are scheduled (heap and lanes). */
  get size(): number {
    let n = this.heap.size();
    for (const l of this.lanes) n += l.items.length - l.head;
    return n;
  }

  /** How many events wait in the heap (the part whose cost grows with its size, O(log n)). */
  get heapSize(): number {
    return this.heap.size();
  }

  /** The time of the next event, or Infinity. */
  /** Copies of every waiting event (by `copy`, which keeps handles pointing at the copies), for a checkpoint. */
  save(copy: (ev: Scheduled) => Scheduled): QueueCheckpoint {
    return {
      heap: this.heap.toArray().map(copy),
      lanes: this.lanes.map((l) => l.items.slice(l.head).map(copy)),
      seq: this.seq,
    };
  }

  /** Replaces everything waiting with copies of a checkpoint's events. */
  restore(saved: QueueCheckpoint, copy: (ev: Scheduled) => Scheduled): void {
    this.heap.clear();
    for (const ev of saved.heap) this.heap.enqueue(copy(ev));
    this.lanes.length = 0;
    for (const items of saved.lanes) this.lanes.push({ items: items.map(copy), head: 0 });
    this.seq = saved.seq;
    this.free.length = 0;
  }

  peekTime(): number {
    let t = this.heap.isEmpty() ? Infinity : this.heap.front()!.t;
    for (const l of this.lanes) if (l.head < l.items.length && l.items[l.head].t < t) t = l.items[l.head].t;
    return t;
  }
}
