/**
 * Batched shipping: a leader either sends each new entry at once, or collects entries and
 * sends everything new every `everyMs` on a `ship` timer (asynchronous replication in real
 * systems batches like this; entries not yet shipped die with the leader's memory).
 *
 * Use, after appending entry `index` while `shipped` entries had been sent:
 * `if (shipLater(out, shipped, index, everyMs)) return state;` else send it now. On the
 * `SHIP_TIMER` timer, send entries `[shipped, logLength)` and set `shipped` to the length.
 *
 * Introduced in notebooks/01.00-Durability.ipynb.
 */
import type { Effects } from "../../sim/protocol.js";

/** The timer name batched shipping uses. */
export const SHIP_TIMER = "ship";

/**
 * With batching on (`everyMs > 0`), starts the ship timer if `index` is the first entry not
 * yet shipped (the timer is not running then) and returns true: the entry waits for it.
 * With batching off returns false: ship now. Pure apart from the timer it records.
 */
export function shipLater(out: Effects, shipped: number, index: number, everyMs: number): boolean {
  if (everyMs <= 0) return false;
  if (shipped === index) out.setTimer(SHIP_TIMER, everyMs);
  return true;
}
