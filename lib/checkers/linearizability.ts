/**
 * Linearizability of a read/write/cas register, and of a key-value map as one register per
 * key. A map is linearizable iff each key is (linearizability is compositional: Herlihy &
 * Wing, "Linearizability: a correctness condition for concurrent objects", TOPLAS 1990), so
 * the search runs per key, which is what keeps it fast (Horn & Kroening, "Faster
 * linearizability checking via P-compositionality", FORTE 2015).
 *
 * The search is Wing & Gong's, with Lowe's memoization ("Testing for linearizability",
 * Concurrency and Computation 2017): walk the operations in real-time order, tentatively
 * place ("linearize") any operation whose invocation comes before the first pending
 * completion and whose effect is legal in the current state, backtrack when a completion
 * is reached with its operation unplaced, and never revisit a (placed set, state) pair.
 *
 * Jepsen's rules for uncertain outcomes: a `fail` operation did not happen (dropped); an
 * `info` (or never-completed) write or cas may take effect at any time after its
 * invocation or not at all (it has no completion, so it never forces a backtrack and may
 * be left unplaced); a read that did not complete `ok` tells nothing (dropped).
 * Real-time order is the history's order: a precedes b iff a's completion comes before
 * b's invocation. Siblings of multi-version reads are ignored: the register model has one
 * value per key.
 *
 * Introduced in notebooks/00.01-Consistency-Checkers.ipynb.
 */
import { ConfigError, describe, requireInteger } from "../errors.js";
import type { History, Value } from "../history/types.js";
import { explainViolation, type LinearizabilityWitness } from "./linearizabilityWitness.js";
import { pairOperations, type Operation } from "./operations.js";
import { combineValidity, type Validity } from "./verdict.js";

export type { LinearizabilityWitness } from "./linearizabilityWitness.js";

/** Limits and model settings for a linearizability check. */
export interface LinearizabilityOptions {
  /**
   * Search steps allowed in total over all keys (default 1 000 000). A step is one look at
   * one entry of the search list; the count is deterministic, so use it in tests. When it
   * runs out the verdict is `"unknown"`.
   */
  readonly maxSteps?: number;
  /** Each key's value before any write (default null: absent). */
  readonly initialValue?: Value;
  /**
   * Memory the search's memo may hold, in bytes (default 256 MiB, at least 64 KiB). The memo
   * lives in typed arrays whose sizes are counted exactly (while an array grows, its old copy
   * is held a moment too); when it is full it is forgotten and the search goes on (slower,
   * never wrong).
   */
  readonly maxMemoBytes?: number;
}

/** What the memo of one key's search held. Plain data. */
export interface MemoStats {
  /** Most configurations remembered at once. */
  readonly peakEntries: number;
  /** Most bytes the memo's arrays held at once (never above `maxMemoBytes`). */
  readonly peakBytes: number;
  /** How many times it was full and forgotten. */
  readonly resets: number;
}

/** The verdict for one key. Plain data. */
export interface KeyLinearizability {
  readonly key: string;
  readonly valid: Validity;
  /** Operations the search considered (fails and indeterminate reads dropped). */
  readonly ops: number;
  /** Search steps spent on this key. */
  readonly steps: number;
  /** Most operations placed at once in any attempt: how far the search got. */
  readonly deepest: number;
  /** The memo's size (absent when no search ran). */
  readonly memo?: MemoStats;
  /** When valid: one legal order (invoke indices), including the indeterminate ops it assumed happened. */
  readonly linearization?: readonly number[];
  /** When not valid: the evidence. */
  readonly witness?: LinearizabilityWitness;
  readonly message: string;
}

/** The verdict for a whole history. Plain data. */
export interface LinearizabilityResult {
  /** `false` if any key is not linearizable, else `"unknown"` if the budget ran out on some key, else `true`. */
  readonly valid: Validity;
  readonly message: string;
  /** Steps spent over all keys. */
  readonly steps: number;
  /** Per key, in the order checked (fewest operations first). */
  readonly keys: readonly KeyLinearizability[];
  /** The first violation found, if any. */
  readonly witness?: LinearizabilityWitness;
}

const DEFAULT_MAX_STEPS = 1_000_000;
/** The memo's default budget: 256 MiB, counted over every array it holds. */
const DEFAULT_MAX_MEMO_BYTES = 256 * 1024 * 1024;
const MIN_MEMO_BYTES = 64 * 1024;
/** How many of the deepest prefix's last placements a witness shows. */
const WITNESS_PREFIX = 20;

/**
 * Checks that a key-value history is linearizable, key by key; pure and deterministic.
 * Keys are checked fewest operations first, sharing one step budget, so a violation on a
 * small key is found even when a large key would exhaust the budget.
 */
export function checkLinearizability(history: History, options: LinearizabilityOptions = {}): LinearizabilityResult {
  const { maxSteps, initialValue, maxMemoBytes } = readOptions(options);
  const byKey = new Map<string, Operation[]>();
  for (const op of pairOperations(history)) {
    let list = byKey.get(op.key);
    if (list === undefined) byKey.set(op.key, (list = []));
    list.push(op);
  }
  const keys = [...byKey.keys()].sort((a, b) => byKey.get(a)!.length - byKey.get(b)!.length || (a < b ? -1 : a > b ? 1 : 0));
  const results: KeyLinearizability[] = [];
  let steps = 0;
  for (const key of keys) {
    const result = checkKey(key, byKey.get(key)!, maxSteps - steps, initialValue, maxMemoBytes);
    steps += result.steps;
    results.push(result);
  }
  const valid = combineValidity(results.map((r) => r.valid));
  const bad = results.find((r) => r.valid === false);
  const unknown = results.filter((r) => r.valid === "unknown");
  const message = bad !== undefined
    ? `not linearizable: key ${bad.key}: ${bad.witness!.message}`
    : unknown.length > 0
      ? `unknown: the step budget (${maxSteps}) ran out on ${unknown.map((r) => `${r.key} (placed at most ${r.deepest} of ${r.ops} operations)`).join(", ")}; ${results.length - unknown.length} of ${results.length} key(s) are linearizable`
      : `linearizable: ${results.length} key(s), ${results.reduce((n, r) => n + r.ops, 0)} operations, ${steps} search steps`;
  return { valid, message, steps, keys: results, ...(bad !== undefined ? { witness: bad.witness! } : {}) };
}

/**
 * Checks that the operations on one key of a history form a linearizable register; pure.
 * The same search as `checkLinearizability`, on one key only (other keys are ignored).
 */
export function checkRegisterLinearizability(history: History, key: string, options: LinearizabilityOptions = {}): KeyLinearizability {
  const { maxSteps, initialValue, maxMemoBytes } = readOptions(options);
  if (typeof key !== "string") throw new ConfigError("key", `must be a string, got ${describe(key)}`, "name the register's key, e.g. \"x\"");
  return checkKey(key, pairOperations(history).filter((o) => o.key === key), maxSteps, initialValue, maxMemoBytes);
}

function readOptions(options: LinearizabilityOptions): { maxSteps: number; initialValue: Value; maxMemoBytes: number } {
  const maxSteps = options.maxSteps === undefined ? DEFAULT_MAX_STEPS : requireInteger("options.maxSteps", options.maxSteps, 1);
  const maxMemoBytes = options.maxMemoBytes === undefined ? DEFAULT_MAX_MEMO_BYTES : requireInteger("options.maxMemoBytes", options.maxMemoBytes, MIN_MEMO_BYTES, 2 ** 31);
  const initialValue = options.initialValue === undefined ? null : options.initialValue;
  if (initialValue !== null && (typeof initialValue !== "number" || !Number.isFinite(initialValue))) {
    throw new ConfigError("options.initialValue", `must be a number or null, got ${describe(initialValue)}`, "leave it out for an initially empty key");
  }
  return { maxSteps, initialValue, maxMemoBytes };
}

const WRITE = 0, READ = 1, CAS = 2;

/** Runs the memoized WGL search on one key's operations. */
function checkKey(key: string, all: readonly Operation[], budget: number, initial: Value, maxMemoBytes: number, explain = true): KeyLinearizability {
  // Drop what carries no information: failed ops did not happen; an unfinished read saw nothing.
  // Also drop an indeterminate write or cas whose value no read returned and no cas expects:
  // in any linearization that places it, the next operation must be a write (a read or cas
  // would need that value), so removing it leaves a linearization; and it need not be placed.
  // Without this, every such op stays a candidate forever and bloats the search's memo.
  const observed = new Set<Value>();
  for (const o of all) {
    if (o.f === "read" && o.outcome === "ok") observed.add(o.value);
    if (o.f === "cas" && o.outcome !== "fail") observed.add(o.expected as Value);
  }
  const ops = all.filter((o) => {
    if (o.outcome === "fail") return false;
    if (o.f === "read") return o.outcome === "ok";
    return o.outcome === "ok" || observed.has(o.value);
  });
  const n = ops.length;
  const kind = new Uint8Array(n);
  const mustPlace = new Uint8Array(n); // 1 for ok ops: the search succeeds when all are placed
  let remaining = 0;
  for (let i = 0; i < n; i++) {
    kind[i] = ops[i].f === "write" ? WRITE : ops[i].f === "read" ? READ : CAS;
    if (ops[i].outcome === "ok") { mustPlace[i] = 1; remaining++; }
  }
  const base = { key, ops: n };
  if (remaining === 0) {
    return { ...base, valid: true, steps: 0, deepest: 0, linearization: [], message: `${key}: linearizable (no completed operations)` };
  }
  if (budget <= 0) {
    return { ...base, valid: "unknown", steps: 0, deepest: 0, message: `${key}: not checked, the step budget was spent on other keys` };
  }

  // The search list: a call entry per op and a return entry per ok op, in history order,
  // doubly linked so placing an op removes its entries and backtracking restores them.
  type Ev = { at: number; slot: number; call: boolean };
  const evs: Ev[] = [];
  for (let i = 0; i < n; i++) {
    evs.push({ at: ops[i].index, slot: i, call: true });
    if (mustPlace[i]) evs.push({ at: ops[i].completionIndex as number, slot: i, call: false });
  }
  evs.sort((a, b) => a.at - b.at);
  const m = evs.length;
  const HEAD = 0, TAIL = m + 1;
  const next = new Int32Array(m + 2), prev = new Int32Array(m + 2);
  const entrySlot = new Int32Array(m + 2), isCall = new Uint8Array(m + 2), matchOf = new Int32Array(m + 2).fill(-1);
  const callEntry = new Int32Array(n);
  for (let e = 0; e <= m + 1; e++) { next[e] = e + 1; prev[e] = e - 1; }
  for (let j = 0; j < m; j++) {
    const e = j + 1;
    entrySlot[e] = evs[j].slot;
    isCall[e] = evs[j].call ? 1 : 0;
    if (evs[j].call) callEntry[evs[j].slot] = e; else matchOf[callEntry[evs[j].slot]] = e;
  }
  const unlink = (e: number): void => { next[prev[e]] = next[e]; prev[next[e]] = prev[e]; };
  const relink = (e: number): void => { next[prev[e]] = e; prev[next[e]] = e; };

  // Memo of visited configurations (placed set, state), found by a Zobrist hash. The placed
  // set is stored as its window: the words between the leading all-placed words and the
  // trailing none-placed ones, which stays small because ops are placed roughly in order.
  const words = (n + 31) >>> 5;
  const placed = new Uint32Array(words);
  let fullWords = 0, usedWords = 0; // placed[0, fullWords) are all ones; placed[usedWords, words) all zero
  const place = (slot: number): void => {
    const w = slot >>> 5;
    placed[w] |= 1 << (slot & 31);
    if (w >= usedWords) usedWords = w + 1;
    while (fullWords < words && placed[fullWords] === 0xffffffff) fullWords++;
  };
  const unplace = (slot: number): void => {
    const w = slot >>> 5;
    placed[w] &= ~(1 << (slot & 31));
    if (w < fullWords) fullWords = w;
    while (usedWords > 0 && placed[usedWords - 1] === 0) usedWords--;
  };
  const zobrist = new Int32Array(n);
  for (let i = 0; i < n; i++) zobrist[i] = mix32(Math.imul(i + 1, 0x9e3779b9) ^ 0x7f4a7c15);
  const memo = new Memo(maxMemoBytes);
  const remember = (hash: number, state: Value): boolean => {
    const from = Math.min(fullWords, usedWords);
    return memo.add((hash ^ hashValue(state)) | 0, state, placed, from, usedWords - from);
  };

  const stackEntry: number[] = [], stackState: Value[] = [];
  let state: Value = initial, hash = 0, steps = 0, deepest = 0;
  let witnessDepth = -1, witnessBlocked = -1, witnessState: Value = null, witnessPrefix: number[] = [];
  let entry = next[HEAD];

  for (;;) {
    if (remaining === 0) {
      const linearization = stackEntry.map((e) => ops[entrySlot[e]].index);
      return { ...base, valid: true, steps, deepest, memo: memo.stats(), linearization, message: `${key}: linearizable (${n} operations, ${steps} steps)` };
    }
    if (steps >= budget) {
      return { ...base, valid: "unknown", steps, deepest, memo: memo.stats(), message: `${key}: unknown after ${steps} steps; the deepest attempt placed ${deepest} of ${n} operations` };
    }
    steps++;
    if (entry !== TAIL && isCall[entry]) {
      const slot = entrySlot[entry];
      const op = ops[slot];
      const k = kind[slot];
      const legal = k === WRITE || (k === READ ? state === op.value : state === op.expected);
      if (legal) {
        const after: Value = k === READ ? state : op.value;
        place(slot);
        if (remember(hash ^ zobrist[slot], after)) {
          stackEntry.push(entry); stackState.push(state);
          hash ^= zobrist[slot]; state = after;
          unlink(entry); if (matchOf[entry] >= 0) unlink(matchOf[entry]);
          if (mustPlace[slot]) remaining--;
          if (stackEntry.length > deepest) deepest = stackEntry.length;
          entry = next[HEAD];
          continue;
        }
        unplace(slot);
      }
      entry = next[entry];
      continue;
    }
    // A completion whose operation is unplaced (or the list's end): this attempt is stuck.
    if (stackEntry.length > witnessDepth && entry !== TAIL) {
      witnessDepth = stackEntry.length; witnessBlocked = entrySlot[entry]; witnessState = state;
      // Keep only the prefix's tail: copying the whole stack at every new depth would make a
      // long valid history quadratic, and a witness needs only the last few placements.
      witnessPrefix = stackEntry.slice(-WITNESS_PREFIX).map((e) => entrySlot[e]);
    }
    if (stackEntry.length === 0) {
      if (!explain) return { ...base, valid: false, steps, deepest, memo: memo.stats(), message: `${key}: not linearizable` };
      const blocked = ops[witnessBlocked];
      const prefix = witnessPrefix.map((s) => ops[s]);
      const witness = explainViolation(key, ops, all, blocked, prefix, witnessDepth, witnessState, initial, () => violationCore(key, ops, blocked, prefix, initial));
      return { ...base, valid: false, steps, deepest, memo: memo.stats(), witness, message: `${key}: not linearizable: ${witness.message}` };
    }
    const top = stackEntry.pop() as number;
    state = stackState.pop() as Value;
    const slot = entrySlot[top];
    hash ^= zobrist[slot];
    unplace(slot);
    if (matchOf[top] >= 0) relink(matchOf[top]);
    relink(top);
    if (mustPlace[slot]) remaining++;
    entry = next[top];
  }
}

/** Search steps the witness may spend on finding the operations a violation rests on. */
const CORE_STEPS = 200_000;

/**
 * The operations a violation rests on: a sub-history of `ops` that is itself not
 * linearizable, found by dropping reads one at a time (and then every write whose value no
 * remaining read or cas needs) while the rest stays non-linearizable. Dropping such ops
 * cannot create a violation (a legal order minus a read, or minus a write nobody observes,
 * stays legal), so the core proves the violation with only ops that take part. Pure;
 * bounded by CORE_STEPS (the core may then keep a few more ops than needed).
 */
function violationCore(key: string, ops: readonly Operation[], blocked: Operation, prefix: readonly Operation[], initial: Value): readonly Operation[] {
  let budget = CORE_STEPS;
  const violated = (sub: readonly Operation[]): boolean => {
    if (budget <= 0) return false;
    const r = checkKey(key, sub, budget, initial, MIN_MEMO_BYTES * 16, false);
    budget -= r.steps;
    return r.valid === false;
  };
  const pruneWrites = (sub: readonly Operation[]): Operation[] => {
    let cur = [...sub];
    for (;;) {
      const needed = new Set<Value>();
      for (const o of cur) if (o.f === "read") needed.add(o.value); else if (o.f === "cas") needed.add(o.expected as Value);
      const next = cur.filter((o) => o.f !== "write" || needed.has(o.value));
      if (next.length === cur.length) return cur;
      cur = next;
    }
  };
  let core = pruneWrites(ops);
  // First a big step: keep only the reads of the deepest attempt's end and the blocked op.
  const near = new Set<Operation>([blocked, ...prefix]);
  const quick = pruneWrites(core.filter((o) => o.f !== "read" || near.has(o)));
  if (quick.length < core.length && violated(quick)) core = quick;
  for (const r of core.filter((o) => o.f === "read" && o !== blocked)) {
    const without = pruneWrites(core.filter((o) => o !== r));
    if (violated(without)) core = without;
  }
  return core;
}

/** Bytes per remembered configuration besides its words: from, length, offset, next (4 each), state (8), null flag (1). */
const ENTRY_BYTES = 25;
/** Bucket heads of the memo's hash table (4 bytes each): 1/16 of the budget, at most 2^20. */
const bucketsFor = (maxBytes: number): number => Math.min(1 << 20, 2 ** Math.floor(Math.log2(maxBytes / 16)));

/**
 * The set of visited configurations (placed set as a window of words, state), in typed
 * arrays so its memory is known exactly: entries are chained per hash bucket, their words
 * packed in one pool. Arrays grow by doubling but never past the budget; when the next
 * entry would not fit, everything is forgotten (the memo only prunes repeated work).
 */
class Memo {
  private readonly buckets: number;
  private readonly heads: Int32Array;
  private capacity = 0;
  private poolCapacity = 0;
  private from = new Int32Array(0);
  private length = new Int32Array(0);
  private offset = new Int32Array(0);
  private next = new Int32Array(0);
  private state = new Float64Array(0);
  private isNull = new Uint8Array(0);
  private pool = new Uint32Array(0);
  private entries = 0;
  private words = 0;
  private peakEntries = 0;
  private peakBytes = 0;
  private resets = 0;

  constructor(private readonly maxBytes: number) {
    this.buckets = bucketsFor(maxBytes);
    this.heads = new Int32Array(this.buckets).fill(-1);
  }

  /** Bytes held by the arrays now. */
  private bytes(capacity = this.capacity, poolCapacity = this.poolCapacity): number {
    return this.buckets * 4 + capacity * ENTRY_BYTES + poolCapacity * 4;
  }

  /** Remembers (placed[from, from + length), state) under `hash`; false if it was already there. */
  add(hash: number, state: Value, placed: Uint32Array, from: number, length: number): boolean {
    const bucket = hash & (this.buckets - 1);
    for (let e = this.heads[bucket]; e >= 0; e = this.next[e]) {
      if (this.from[e] !== from || this.length[e] !== length) continue;
      if (this.isNull[e] === 1 ? state !== null : state === null || this.state[e] !== state) continue;
      const o = this.offset[e];
      let same = true;
      for (let i = 0; i < length; i++) if (this.pool[o + i] !== placed[from + i]) { same = false; break; }
      if (same) return false;
    }
    if (!this.reserve(this.entries + 1, this.words + length)) {
      this.heads.fill(-1);
      this.entries = 0;
      this.words = 0;
      this.resets++;
      if (!this.reserve(1, length)) return true; // a single window larger than the budget: do not remember
    }
    const e = this.entries++;
    this.from[e] = from;
    this.length[e] = length;
    this.offset[e] = this.words;
    this.state[e] = state ?? 0;
    this.isNull[e] = state === null ? 1 : 0;
    this.pool.set(placed.subarray(from, from + length), this.words);
    this.words += length;
    this.next[e] = this.heads[bucket];
    this.heads[bucket] = e;
    if (this.entries > this.peakEntries) this.peakEntries = this.entries;
    return true;
  }

  /** Grows the arrays to hold `entries` and `words`, if the budget allows. */
  private reserve(entries: number, words: number): boolean {
    let capacity = this.capacity, poolCapacity = this.poolCapacity;
    while (capacity < entries) capacity = Math.max(1024, capacity * 2);
    while (poolCapacity < words) poolCapacity = Math.max(4096, poolCapacity * 2);
    if (capacity === this.capacity && poolCapacity === this.poolCapacity) return true;
    if (this.bytes(capacity, poolCapacity) > this.maxBytes) {
      // Doubling overshoots the budget: grow what must grow, as far as the budget allows.
      const room = this.maxBytes - this.bytes(0, 0);
      const minPool = Math.max(words, this.poolCapacity);
      if (Math.max(entries, this.capacity) * ENTRY_BYTES + minPool * 4 > room) return false;
      capacity = Math.min(capacity, Math.floor((room - minPool * 4) / ENTRY_BYTES));
      poolCapacity = Math.min(poolCapacity, Math.floor((room - capacity * ENTRY_BYTES) / 4));
    }
    if (capacity !== this.capacity) {
      this.from = grow(this.from, capacity);
      this.length = grow(this.length, capacity);
      this.offset = grow(this.offset, capacity);
      this.next = grow(this.next, capacity);
      this.state = grow(this.state, capacity);
      this.isNull = grow(this.isNull, capacity);
      this.capacity = capacity;
    }
    if (poolCapacity !== this.poolCapacity) {
      this.pool = grow(this.pool, poolCapacity);
      this.poolCapacity = poolCapacity;
    }
    this.peakBytes = Math.max(this.peakBytes, this.bytes());
    return true;
  }

  stats(): MemoStats {
    return { peakEntries: this.peakEntries, peakBytes: Math.max(this.peakBytes, this.bytes()), resets: this.resets };
  }
}

function grow<T extends Int32Array | Uint32Array | Float64Array | Uint8Array>(a: T, capacity: number): T {
  const b = new (a.constructor as new (n: number) => T)(capacity);
  b.set(a as never);
  return b;
}

/** MurmurHash3's 32-bit finalizer: spreads nearby integers over the whole range. */
function mix32(h: number): number {
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function hashValue(v: Value): number {
  if (v === null) return 0x5bd1e995;
  // Integers (the usual case) hash exactly; other numbers may collide, which costs only time.
  return mix32((v | 0) ^ Math.imul(Math.floor(v / 4294967296) | 0, 0x27d4eb2d) ^ Math.round((v % 1) * 1e6));
}

