/**
 * The simulator's agenda: events ordered by virtual time, ties broken by the order in
 * which they were scheduled. The tie-break is what makes a run deterministic when two
 * events fall on the same millisecond. The heap is `@datastructures-js/priority-queue`.
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

/** Earlier time first; at equal times, earlier scheduled first. Pure. */
export function compareScheduled(x: Scheduled, y: Scheduled): number {
  return x.t - y.t || x.seq - y.seq;
}

/** A time-ordered queue of events with a deterministic tie-break. */
export class EventQueue {
  private readonly heap = new PriorityQueue<Scheduled>(compareScheduled);
  private seq = 0;

  /** Schedules an event; returns it (so a caller can remember its sequence number). */
  push(t: number, kind: number, target: number, a: unknown, b: number): Scheduled {
    const ev: Scheduled = { t, seq: this.seq++, kind, target, a, b };
    this.heap.enqueue(ev);
    return ev;
  }

  /** Removes and returns the next event, or null when none is left. */
  pop(): Scheduled | null {
    return this.heap.isEmpty() ? null : this.heap.dequeue();
  }

  /** The time of the next event, or Infinity. */
  peekTime(): number {
    return this.heap.isEmpty() ? Infinity : this.heap.front()!.t;
  }

  get size(): number {
    return this.heap.size();
  }
}
