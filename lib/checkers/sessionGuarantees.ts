/**
 * Session guarantees per client process, after Terry, Demers, Petersen, Spreitzer, Theimer
 * & Welch, "Session Guarantees for Weakly Consistent Replicated Data" (PDIS 1994), stated on
 * a recorded history. A session is one client process; its operations are sequential, so
 * "earlier in the session" means "completed before the later one was invoked".
 *
 * Writes carry unique values, so a read's value names the write it saw; versions of a key
 * are compared with the version order of `versionOrder.ts` (finalOrder, then writeOrder,
 * then real time, where overlapping writes are unordered and so never flagged). Only `ok`
 * reads are evidence; a write counts as the session's own once it was acknowledged (`ok`).
 * Each check flags its own anomaly only; where two definitions genuinely overlap (a read
 * of one's own write, then a write), the case is left to one of them, as noted below.
 *
 * Introduced in notebooks/00.01-Consistency-Checkers.ipynb.
 */
import type { History, ProcessId } from "../history/types.js";
import { observedValues, pairOperations, showValue, type Operation } from "./operations.js";
import { versionOrder, type VersionOrder, type VersionOrderOptions } from "./versionOrder.js";
import { combineValidity, type Verdict } from "./verdict.js";

/** The five guarantees, by name. */
export type SessionGuarantee = "read-your-writes" | "monotonic-reads" | "monotonic-writes" | "writes-follow-reads" | "consistent-prefix";

/** Every session guarantee, in the order they are reported. */
export const SESSION_GUARANTEES: readonly SessionGuarantee[] = ["read-your-writes", "monotonic-reads", "monotonic-writes", "writes-follow-reads", "consistent-prefix"];

/** One violation: which guarantee, which session, which operations (invoke indices, earlier first). */
export interface SessionViolation {
  readonly guarantee: SessionGuarantee;
  readonly process: ProcessId;
  /** The key of the later operation. */
  readonly key: string;
  readonly ops: readonly number[];
  readonly message: string;
}

/** The verdict on one guarantee. Plain data. */
export interface SessionGuaranteeResult extends Verdict {
  readonly guarantee: SessionGuarantee;
  readonly violations: readonly SessionViolation[];
}

/** The verdict on all five guarantees. Plain data. */
export interface SessionGuaranteesResult extends Verdict {
  readonly byGuarantee: Readonly<Record<SessionGuarantee, SessionGuaranteeResult>>;
  /** Every violation of every guarantee, in the order of the guarantees. */
  readonly violations: readonly SessionViolation[];
}

/** Inputs beyond the history: externally known version orders (see `VersionOrderOptions`). */
export type SessionOptions = VersionOrderOptions;

/**
 * Checks all five session guarantees; pure. Monotonic writes and writes-follow-reads are
 * `"unknown"` without `finalOrder` or `writeOrder`; consistent prefix without `writeOrder`.
 */
export function checkSessionGuarantees(history: History, options: SessionOptions = {}): SessionGuaranteesResult {
  const ctx = context(history, options);
  const byGuarantee = {
    "read-your-writes": readYourWrites(ctx),
    "monotonic-reads": monotonicReads(ctx),
    "monotonic-writes": monotonicWrites(ctx),
    "writes-follow-reads": writesFollowReads(ctx),
    "consistent-prefix": consistentPrefix(ctx),
  };
  const results = SESSION_GUARANTEES.map((g) => byGuarantee[g]);
  const violations = results.flatMap((r) => r.violations);
  const valid = combineValidity(results.map((r) => r.valid));
  const message = results.map((r) => r.message).join("; ");
  return { valid, message, byGuarantee, violations };
}

/**
 * Read-your-writes; pure. Holds iff every ok read of key k by a session returns a version
 * of k not older than each write to k the session had acknowledged before the read began.
 * A read that returns a concurrent or newer version, or the session's write itself, passes.
 */
export function checkReadYourWrites(history: History, options: SessionOptions = {}): SessionGuaranteeResult {
  return readYourWrites(context(history, options));
}

/**
 * Monotonic reads (per key); pure. Holds iff no ok read of key k by a session returns a
 * version older than one an earlier read of k in the same session returned. Regressions
 * across keys are consistent prefix's concern.
 */
export function checkMonotonicReads(history: History, options: SessionOptions = {}): SessionGuaranteeResult {
  return monotonicReads(context(history, options));
}

/**
 * Monotonic writes; pure. Holds iff, whenever a session's write W1 was acknowledged before
 * its write W2 was invoked, no final order places W2 before W1: neither `finalOrder.get(k)`
 * (for two writes to key k) nor `writeOrder` (which also orders writes to different keys).
 * A pair an order does not list is not judged by it (a missing write is a lost write, not
 * a reordering). `"unknown"` when neither order is given.
 */
export function checkMonotonicWrites(history: History, options: SessionOptions = {}): SessionGuaranteeResult {
  return monotonicWrites(context(history, options));
}

/**
 * Writes-follow-reads; pure. Holds iff, whenever a session read a version v (written by
 * another session) and later wrote W2, no final order places W2 before v (per key with
 * `finalOrder`, across keys with `writeOrder`). Reads of the session's own writes are left
 * to monotonic writes. `"unknown"` when neither order is given.
 */
export function checkWritesFollowReads(history: History, options: SessionOptions = {}): SessionGuaranteeResult {
  return writesFollowReads(context(history, options));
}

/**
 * Consistent prefix within a session; pure. Given the global write order, a read of k
 * returning v shows a state that includes v's write and not the next write to k after it
 * (reading null: no write to k yet). Holds iff a session's reads can be explained by
 * prefixes of the write order that never shrink; that is, no read on one key returns a
 * state missing a write that comes, in the write order, before a write an earlier read (on
 * another key) of the session saw. Same-key regressions are monotonic reads' concern; reads
 * of values the write order does not list are not judged. `"unknown"` without `writeOrder`.
 */
export function checkConsistentPrefix(history: History, options: SessionOptions = {}): SessionGuaranteeResult {
  return consistentPrefix(context(history, options));
}

interface Context {
  readonly sessions: ReadonlyMap<ProcessId, readonly Operation[]>;
  readonly order: VersionOrder;
  readonly options: SessionOptions;
  /** Per key, the writeOrder positions of its writes, ascending. */
  readonly keyWritePositions: ReadonlyMap<string, readonly number[]>;
}

function context(history: History, options: SessionOptions): Context {
  const ops = pairOperations(history);
  const order = versionOrder(ops, options);
  const sessions = new Map<ProcessId, Operation[]>();
  for (const op of ops) {
    let list = sessions.get(op.process);
    if (list === undefined) sessions.set(op.process, (list = []));
    list.push(op);
  }
  const keyWritePositions = new Map<string, number[]>();
  for (const op of ops) {
    if (op.f === "read" || op.outcome === "fail") continue;
    const p = order.globalPosition(op.value as number);
    if (p === undefined) continue;
    let list = keyWritePositions.get(op.key);
    if (list === undefined) keyWritePositions.set(op.key, (list = []));
    list.push(p);
  }
  for (const list of keyWritePositions.values()) list.sort((a, b) => a - b);
  return { sessions, order, options, keyWritePositions };
}

const isWrite = (op: Operation): boolean => op.f !== "read";
const isOkRead = (op: Operation): boolean => op.f === "read" && op.outcome === "ok";
const showRead = (op: Operation): string => (op.siblings !== undefined && op.siblings.length > 0 ? `{${op.siblings.join(", ")}}` : showValue(op.value));

/** Whether every value a read observed is older than `version` (it missed that version). */
function missed(order: VersionOrder, read: Operation, version: number): boolean {
  const seen = observedValues(read);
  return seen.length === 0 ? order.isOlder(read.key, null, version) : seen.every((v) => order.isOlder(read.key, v, version));
}

/**
 * The furthest position, in the final orders, among versions a session has noted so far
 * (per key in `finalOrder`, overall in `writeOrder`), and the operation that noted it. A
 * later write placed before it by either order reverses the session's order.
 */
class Watermark<T> {
  private readonly perKey = new Map<string, { pos: number; source: T }>();
  private global: { pos: number; source: T } | undefined;
  constructor(private readonly order: VersionOrder) {}

  note(key: string, value: number, source: T): void {
    const kp = this.order.keyPosition(key, value), gp = this.order.globalPosition(value);
    const mark = this.perKey.get(key);
    if (kp !== undefined && (mark === undefined || kp > mark.pos)) this.perKey.set(key, { pos: kp, source });
    if (gp !== undefined && (this.global === undefined || gp > this.global.pos)) this.global = { pos: gp, source };
  }

  /** What a write of `value` to `key` would be ordered before, if anything. */
  passedBy(key: string, value: number): T | undefined {
    const kp = this.order.keyPosition(key, value), gp = this.order.globalPosition(value);
    const mark = this.perKey.get(key);
    if (kp !== undefined && mark !== undefined && kp < mark.pos) return mark.source;
    if (gp !== undefined && this.global !== undefined && gp < this.global.pos) return this.global.source;
    return undefined;
  }
}

function verdict(guarantee: SessionGuarantee, violations: SessionViolation[], sessions: number): SessionGuaranteeResult {
  const message = violations.length === 0
    ? `${guarantee} holds in all ${sessions} session(s)`
    : `${guarantee} violated ${violations.length} time(s); first: ${violations[0].message}`;
  return { guarantee, valid: violations.length === 0, message, violations };
}

function needsOrder(guarantee: SessionGuarantee, what: string): SessionGuaranteeResult {
  return { guarantee, valid: "unknown", message: `${guarantee} not checked: it needs ${what}`, violations: [] };
}

function readYourWrites(ctx: Context): SessionGuaranteeResult {
  const violations: SessionViolation[] = [];
  for (const [process, ops] of ctx.sessions) {
    const own = new Map<string, Operation[]>();
    for (const op of ops) {
      if (isWrite(op) && op.outcome === "ok") {
        let list = own.get(op.key);
        if (list === undefined) own.set(op.key, (list = []));
        list.push(op);
      } else if (isOkRead(op)) {
        const mine = own.get(op.key) ?? [];
        // Under real-time order the session's own writes are totally ordered, so if the
        // newest is not missed no older one is: checking the newest suffices.
        const oldest = ctx.order.realTimeOnly ? Math.max(0, mine.length - 1) : 0;
        for (let i = mine.length - 1; i >= oldest; i--) {
          const w = mine[i];
          if (!missed(ctx.order, op, w.value as number)) continue;
          violations.push({
            guarantee: "read-your-writes", process, key: op.key, ops: [w.index, op.index],
            message: `${process} wrote ${op.key}=${showValue(w.value)} (op ${w.index}, acknowledged at ${w.completeTime}) but then read ${op.key}=${showRead(op)} (op ${op.index}, at ${op.invokeTime}), an older version`,
          });
          break;
        }
      }
    }
  }
  return verdict("read-your-writes", violations, ctx.sessions.size);
}

function monotonicReads(ctx: Context): SessionGuaranteeResult {
  const violations: SessionViolation[] = [];
  for (const [process, ops] of ctx.sessions) {
    const seen = new Map<string, { value: number; read: Operation }[]>();
    // Under real-time order only, the seen version whose write was invoked last is the one
    // a later read is most likely to miss: keeping it alone suffices.
    const latest = new Map<string, { value: number; read: Operation; invoked: number }>();
    for (const op of ops) {
      if (!isOkRead(op)) continue;
      let regressed: { value: number; read: Operation } | undefined;
      if (ctx.order.realTimeOnly) {
        const top = latest.get(op.key);
        if (top !== undefined && top.invoked > ctx.order.newerAfter(op.key, observedValues(op))) regressed = top;
        for (const v of observedValues(op)) {
          const w = ctx.order.writer(op.key, v);
          const cur = latest.get(op.key);
          if (w !== undefined && (cur === undefined || w.index > cur.invoked)) latest.set(op.key, { value: v, read: op, invoked: w.index });
        }
      } else {
        let earlier = seen.get(op.key);
        if (earlier === undefined) seen.set(op.key, (earlier = []));
        regressed = earlier.find((e) => missed(ctx.order, op, e.value));
        for (const v of observedValues(op)) if (!earlier.some((e) => e.value === v)) earlier.push({ value: v, read: op });
      }
      if (regressed !== undefined) {
        violations.push({
          guarantee: "monotonic-reads", process, key: op.key, ops: [regressed.read.index, op.index],
          message: `${process} read ${op.key}=${regressed.value} (op ${regressed.read.index}) and later ${op.key}=${showRead(op)} (op ${op.index}), an older version`,
        });
      }
    }
  }
  return verdict("monotonic-reads", violations, ctx.sessions.size);
}

const hasFinalOrder = (o: SessionOptions): boolean => o.finalOrder !== undefined || o.writeOrder !== undefined;

function monotonicWrites(ctx: Context): SessionGuaranteeResult {
  if (!hasFinalOrder(ctx.options)) return needsOrder("monotonic-writes", "finalOrder (per key) or writeOrder (global)");
  const violations: SessionViolation[] = [];
  for (const [process, ops] of ctx.sessions) {
    const acked = new Watermark<Operation>(ctx.order);
    for (const w2 of ops) {
      if (!isWrite(w2) || w2.outcome === "fail") continue;
      const w1 = acked.passedBy(w2.key, w2.value as number);
      if (w1 !== undefined) {
        violations.push({
          guarantee: "monotonic-writes", process, key: w2.key, ops: [w1.index, w2.index],
          message: `${process} wrote ${w1.key}=${showValue(w1.value)} (op ${w1.index}, acknowledged at ${w1.completeTime}) before ${w2.key}=${showValue(w2.value)} (op ${w2.index}, invoked at ${w2.invokeTime}), but the final order puts ${w2.key}=${showValue(w2.value)} first`,
        });
      }
      if (w2.outcome === "ok") acked.note(w2.key, w2.value as number, w2);
    }
  }
  return verdict("monotonic-writes", violations, ctx.sessions.size);
}

function writesFollowReads(ctx: Context): SessionGuaranteeResult {
  if (!hasFinalOrder(ctx.options)) return needsOrder("writes-follow-reads", "finalOrder (per key) or writeOrder (global)");
  const violations: SessionViolation[] = [];
  for (const [process, ops] of ctx.sessions) {
    const seen = new Watermark<{ key: string; value: number; read: Operation }>(ctx.order);
    for (const op of ops) {
      if (isOkRead(op)) {
        for (const v of observedValues(op)) {
          if (ctx.order.writer(op.key, v)?.process === process) continue; // own write: monotonic writes' case
          seen.note(op.key, v, { key: op.key, value: v, read: op });
        }
        continue;
      }
      if (!isWrite(op) || op.outcome === "fail") continue;
      const r = seen.passedBy(op.key, op.value as number);
      if (r !== undefined) {
        violations.push({
          guarantee: "writes-follow-reads", process, key: op.key, ops: [r.read.index, op.index],
          message: `${process} read ${r.key}=${r.value} (op ${r.read.index}) and then wrote ${op.key}=${showValue(op.value)} (op ${op.index}), but the final order puts ${op.key}=${showValue(op.value)} before ${r.key}=${r.value}`,
        });
      }
    }
  }
  return verdict("writes-follow-reads", violations, ctx.sessions.size);
}

/** The prefix lengths of the write order a read is consistent with: [lo, hi]; undefined if not judged. */
function prefixBounds(ctx: Context, read: Operation): { lo: number; hi: number } | undefined {
  const positions = ctx.keyWritePositions.get(read.key) ?? [];
  const nextAfter = (p: number): number => {
    // Binary search: the first of this key's write positions after p.
    let lo = 0, hi = positions.length;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (positions[mid] > p) hi = mid; else lo = mid + 1; }
    return lo < positions.length ? positions[lo] : Infinity;
  };
  const seen = observedValues(read);
  if (seen.length === 0) return { lo: 0, hi: positions.length > 0 ? positions[0] : Infinity };
  let lo = 0, hi = Infinity;
  for (const v of seen) {
    const p = ctx.order.globalPosition(v);
    if (p === undefined || ctx.order.writer(read.key, v) === undefined) return undefined;
    lo = Math.max(lo, p + 1);
    hi = Math.min(hi, nextAfter(p));
  }
  return { lo, hi };
}

function consistentPrefix(ctx: Context): SessionGuaranteeResult {
  const writeOrder = ctx.options.writeOrder;
  if (writeOrder === undefined) return needsOrder("consistent-prefix", "writeOrder (the global write order, e.g. the leader's log)");
  const violations: SessionViolation[] = [];
  for (const [process, ops] of ctx.sessions) {
    // The longest prefix any earlier read demanded, and the longest demanded by a read of another key.
    type Demand = { lo: number; read: Operation };
    let best: Demand | undefined, otherKey: Demand | undefined;
    for (const op of ops) {
      if (!isOkRead(op)) continue;
      const bounds = prefixBounds(ctx, op);
      if (bounds === undefined) continue;
      const rival = best !== undefined && best.read.key !== op.key ? best : otherKey;
      if (rival !== undefined && rival.lo > bounds.hi) {
        const missing = writeOrder[bounds.hi], sawValue = writeOrder[rival.lo - 1];
        violations.push({
          guarantee: "consistent-prefix", process, key: op.key, ops: [rival.read.index, op.index],
          message: `${process} read ${rival.read.key}=${showRead(rival.read)} (op ${rival.read.index}) and later ${op.key}=${showRead(op)} (op ${op.index}), missing ${op.key}=${missing}, which comes before ${rival.read.key}=${sawValue} in the write order; no prefix of the write order explains both`,
        });
      }
      const mine: Demand = { lo: bounds.lo, read: op };
      if (best === undefined || op.key === best.read.key) {
        if (best === undefined || mine.lo > best.lo) best = mine;
      } else if (mine.lo > best.lo) {
        otherKey = best;
        best = mine;
      } else if (otherKey === undefined || mine.lo > otherKey.lo) {
        otherKey = mine;
      }
    }
  }
  return verdict("consistent-prefix", violations, ctx.sessions.size);
}

