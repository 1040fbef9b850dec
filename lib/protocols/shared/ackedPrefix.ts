/**
 * Acknowledging a prefix of the log once enough copies hold it: the commit point of
 * primary-backup and single-leader replication, in time linear in the number of copies.
 *
 * A replica reports how long a prefix of the log it holds (on disk); the longest prefix held
 * by at least `needed` copies is the `needed`-th largest of those lengths. `prefixHeldBy`
 * computes it by selection (quickselect, expected O(copies)), not by counting holders for
 * every candidate (O(copies²)) or sorting (O(copies log copies)). `settleWaiting` then
 * answers the client writes the prefix covers, oldest first.
 *
 * Use, in a leader: `const upTo = prefixHeldBy(positions, needed);` then, if it grew,
 * `waiting = settleWaiting(waiting, upTo, (w) => out.reply(w.request, { type: "write_ok" }))`.
 *
 * Introduced in notebooks/01.00-Durability.ipynb.
 */
import type { Message } from "../../sim/protocol.js";

/** A client write waiting for enough copies: its log index and the request to answer. */
export interface WaitingWrite {
  readonly index: number;
  readonly request: Message;
}

/**
 * The longest log prefix that at least `needed` of `positions` reach (each position a
 * copy's log length): the `needed`-th largest, or 0 when fewer copies than `needed` report
 * or `needed` ≤ 0 asks for none (then the caller decides). Expected O(positions.length).
 * Pure: `positions` is not changed.
 */
export function prefixHeldBy(positions: ArrayLike<number>, needed: number): number {
  const n = positions.length;
  if (needed <= 0 || needed > n) return 0;
  if (needed === 1) {
    let max = 0;
    for (let i = 0; i < n; i++) if (positions[i] > max) max = positions[i];
    return max;
  }
  if (needed === n) {
    let min = Infinity;
    for (let i = 0; i < n; i++) if (positions[i] < min) min = positions[i];
    return Math.max(0, min);
  }
  // Quickselect (Hoare, 1961) for the element of rank `needed` in descending order.
  const a = Array.from(positions);
  let lo = 0;
  let hi = n - 1;
  const k = needed - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] > pivot) i++;
      while (a[j] < pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return Math.max(0, a[k]);
}

/**
 * Answers, oldest first, every waiting write whose index is below `upTo` (`answer` records
 * the reply) and returns those still waiting (`waiting` itself when none was answered).
 * Pure apart from what `answer` records.
 */
export function settleWaiting<W extends WaitingWrite>(waiting: readonly W[], upTo: number, answer: (w: W) => void): readonly W[] {
  let k = 0;
  while (k < waiting.length && waiting[k].index < upTo) answer(waiting[k++]);
  return k === 0 ? waiting : waiting.slice(k);
}
