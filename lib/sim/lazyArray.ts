/**
 * A read-only array whose elements are built when they are read and not kept: a Proxy
 * over an empty array target, so `Array.isArray`, `length`, indexing, for-of, spread,
 * `JSON.stringify`, `Object.keys`, node's deep equality and every `ReadonlyArray` method
 * behave as on a plain array, while memory stays that of the source. It is how a run's
 * trace (millions of events, stored in typed-array columns by lib/sim/traceLog.ts) is read
 * without building every event object at once.
 *
 * - The usual passes (iteration, forEach, filter, map, some, every, find…, reduce, slice,
 *   at) are served by plain loops over the source instead of one Proxy trap per element.
 * - Elements have no lasting identity: `view[i] === view[i]` holds only while `i` is among
 *   the last few indices read (a small direct-mapped cache), so `indexOf`, `lastIndexOf` and
 *   `includes` compare by value (same own fields, each `===`).
 * - Every write (`view[0] = x`, `push`, `sort`, `delete`, `Object.defineProperty`,
 *   `Object.freeze`…) throws a TypeError that says so.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb (a run's `trace`).
 */
import { ConfigError, describe } from "../errors.js";

/** Where a lazy array's elements come from. */
export interface LazyArraySource<T> {
  /** The number of elements; read once, when the view is made (the view never changes). */
  readonly length: number;
  /** Element `i` (0 ≤ i < length), built afresh on each call. */
  at(i: number): T;
  /**
   * Optional cheap pre-test for value search: false when element `i` certainly differs
   * from `value` (e.g. a different time), so it need not be built.
   */
  mayEqual?(i: number, value: object): boolean;
}

const CACHE_SLOTS = 256; // a power of two: the slot of index i is i & (CACHE_SLOTS - 1)
const INSPECT = Symbol.for("nodejs.util.inspect.custom");
const NATIVE = Array.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
const MUTATORS = ["push", "pop", "shift", "unshift", "splice", "sort", "reverse", "fill", "copyWithin"] as const;
const ITERATOR_PROTOTYPE = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())) as object;

/** An iterator over a source, with the standard iterator prototype (so iterator helpers work). */
class SourceIterator<T, R> {
  private i = 0;
  constructor(
    private readonly source: LazyArraySource<T>,
    private readonly n: number,
    private readonly pick: (e: T | undefined, i: number) => R,
    private readonly needsElement: boolean,
  ) {}

  next(): IteratorResult<R, undefined> {
    if (this.i >= this.n) return { value: undefined, done: true };
    const i = this.i++;
    return { value: this.pick(this.needsElement ? this.source.at(i) : undefined, i), done: false };
  }

  [Symbol.iterator](): this {
    return this;
  }
}
Object.setPrototypeOf(SourceIterator.prototype, ITERATOR_PROTOTYPE);

/**
 * The canonical array index a property key names, or -1 (not an index, or not below `n`).
 * "01", "1.0", "1e3" and "-0" are property names, not indices, as on a plain array.
 */
function indexOfKey(key: string | symbol, n: number): number {
  if (typeof key !== "string" || key.length === 0) return -1;
  let c = key.charCodeAt(0);
  if (c < 48 || c > 57) return -1; // cheap rejection of "length", "filter", ...
  if (c === 48) return key.length === 1 && n > 0 ? 0 : -1; // "0"; "01" is a name
  // Digits only, no leading zero: canonical, and cheaper than comparing with String(i).
  let i = c - 48;
  for (let k = 1; k < key.length; k++) {
    c = key.charCodeAt(k);
    if (c < 48 || c > 57) return -1;
    i = i * 10 + (c - 48);
  }
  return i < n ? i : -1;
}

/** Same own enumerable fields, each `===`: equality of value for flat records such as events. */
function sameFields(a: object, b: object): boolean {
  if (a === b) return true;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  for (const k of ka) if (!Object.prototype.hasOwnProperty.call(b, k) || ra[k] !== rb[k]) return false;
  return true;
}

/** ToIntegerOrInfinity then clamped relative index, as Array.prototype.slice/indexOf read their arguments. */
function relative(arg: unknown, n: number, fallback: number): number {
  if (arg === undefined) return fallback;
  const x = Math.trunc(Number(arg)) || 0;
  return x < 0 ? Math.max(n + x, 0) : Math.min(x, n);
}

function requireCallback(f: unknown, method: string): asserts f is (...args: unknown[]) => unknown {
  if (typeof f !== "function") throw new TypeError(`${String(f)} is not a function (${method}'s callback)`);
}

/**
 * A read-only array view of `source`; `what` names it in error messages (e.g. "a run's
 * trace"). O(1) to make; each read builds its element.
 */
export function lazyArray<T>(source: LazyArraySource<T>, what = "this lazy array"): readonly T[] {
  const n = source.length;
  if (!(Number.isInteger(n) && n >= 0)) throw new ConfigError("length", `must be a non-negative integer, got ${describe(n)}`, "give the number of elements the source holds");
  const readOnly = (action: string): TypeError =>
    new TypeError(`${what} is read-only (${action}); copy it first, e.g. [...trace], to change a copy`);

  // Indexed reads keep their last few elements, so `view[i].a + view[i].b` builds one object
  // and `view[i] === view[i]` holds for a while; passes over the whole view bypass it.
  const cachedIndex = new Int32Array(CACHE_SLOTS).fill(-1);
  const cachedValue: (T | undefined)[] = new Array<T | undefined>(CACHE_SLOTS).fill(undefined);
  const read = (i: number): T => {
    const slot = i & (CACHE_SLOTS - 1);
    if (cachedIndex[slot] === i) return cachedValue[slot] as T;
    const e = source.at(i);
    cachedIndex[slot] = i;
    cachedValue[slot] = e;
    return e;
  };

  const find = (value: unknown, from: number, to: number, step: 1 | -1): number => {
    if (value === null || typeof value !== "object") return -1; // no element is a primitive
    for (let i = from; step > 0 ? i < to : i >= to; i += step) {
      if (source.mayEqual && !source.mayEqual(i, value)) continue;
      if (sameFields(value, source.at(i) as object)) return i;
    }
    return -1;
  };

  // The fast paths. Each takes the view as `this` (anything else goes to the native method).
  const fast: Record<string, (...args: never[]) => unknown> = {
    at: (index: unknown) => {
      const x = Math.trunc(Number(index)) || 0;
      const i = x < 0 ? n + x : x;
      return i >= 0 && i < n ? read(i) : undefined;
    },
    forEach: (cb: unknown, thisArg: unknown) => {
      requireCallback(cb, "forEach");
      for (let i = 0; i < n; i++) cb.call(thisArg, source.at(i), i, view);
    },
    map: (cb: unknown, thisArg: unknown) => {
      requireCallback(cb, "map");
      const out: unknown[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = cb.call(thisArg, source.at(i), i, view);
      return out;
    },
    filter: (cb: unknown, thisArg: unknown) => {
      requireCallback(cb, "filter");
      const out: T[] = [];
      for (let i = 0; i < n; i++) {
        const e = source.at(i);
        if (cb.call(thisArg, e, i, view)) out.push(e);
      }
      return out;
    },
    some: (cb: unknown, thisArg: unknown) => {
      requireCallback(cb, "some");
      for (let i = 0; i < n; i++) if (cb.call(thisArg, source.at(i), i, view)) return true;
      return false;
    },
    every: (cb: unknown, thisArg: unknown) => {
      requireCallback(cb, "every");
      for (let i = 0; i < n; i++) if (!cb.call(thisArg, source.at(i), i, view)) return false;
      return true;
    },
    find: (cb: unknown, thisArg: unknown) => {
      requireCallback(cb, "find");
      for (let i = 0; i < n; i++) {
        const e = source.at(i);
        if (cb.call(thisArg, e, i, view)) return e;
      }
      return undefined;
    },
    findIndex: (cb: unknown, thisArg: unknown) => {
      requireCallback(cb, "findIndex");
      for (let i = 0; i < n; i++) if (cb.call(thisArg, source.at(i), i, view)) return i;
      return -1;
    },
    findLast: (cb: unknown, thisArg: unknown) => {
      requireCallback(cb, "findLast");
      for (let i = n - 1; i >= 0; i--) {
        const e = source.at(i);
        if (cb.call(thisArg, e, i, view)) return e;
      }
      return undefined;
    },
    findLastIndex: (cb: unknown, thisArg: unknown) => {
      requireCallback(cb, "findLastIndex");
      for (let i = n - 1; i >= 0; i--) if (cb.call(thisArg, source.at(i), i, view)) return i;
      return -1;
    },
    reduce: (...args: unknown[]) => {
      const cb = args[0];
      requireCallback(cb, "reduce");
      let i = 0;
      let acc: unknown;
      if (args.length >= 2) acc = args[1];
      else if (n === 0) throw new TypeError("Reduce of empty array with no initial value");
      else acc = source.at(i++);
      for (; i < n; i++) acc = cb(acc, source.at(i), i, view);
      return acc;
    },
    reduceRight: (...args: unknown[]) => {
      const cb = args[0];
      requireCallback(cb, "reduceRight");
      let i = n - 1;
      let acc: unknown;
      if (args.length >= 2) acc = args[1];
      else if (n === 0) throw new TypeError("Reduce of empty array with no initial value");
      else acc = source.at(i--);
      for (; i >= 0; i--) acc = cb(acc, source.at(i), i, view);
      return acc;
    },
    slice: (start: unknown, end: unknown) => {
      const from = relative(start, n, 0);
      const to = relative(end, n, n);
      const out: T[] = [];
      for (let i = from; i < to; i++) out.push(source.at(i));
      return out;
    },
    indexOf: (value: unknown, fromIndex: unknown) => find(value, relative(fromIndex, n, 0), n, 1),
    includes: (value: unknown, fromIndex: unknown) => find(value, relative(fromIndex, n, 0), n, 1) >= 0,
    lastIndexOf: (...args: unknown[]) => {
      if (n === 0) return -1;
      let from = n - 1;
      if (args.length >= 2) {
        const x = Math.trunc(Number(args[1])) || 0;
        from = x < 0 ? n + x : Math.min(x, n - 1);
      }
      return from < 0 ? -1 : find(args[0], from, 0, -1);
    },
    values: () => new SourceIterator(source, n, (e) => e as T, true),
    entries: () => new SourceIterator(source, n, (e, i) => [i, e as T] as const, true),
    keys: () => new SourceIterator(source, n, (_e, i) => i, false),
  };
  fast[Symbol.iterator as unknown as string] = fast.values;
  for (const m of MUTATORS) fast[m] = () => { throw readOnly(`${m}`); };

  // Same function object on every read (as `a.filter === a.filter` on a plain array); one
  // called on something else than the view behaves as the native method.
  const methods = new Map<string | symbol, (...args: unknown[]) => unknown>();
  for (const key of [...Object.keys(fast), Symbol.iterator]) {
    const impl = fast[key as string] as (...args: unknown[]) => unknown;
    const native = NATIVE[key as string];
    methods.set(key, function (this: unknown, ...args: unknown[]) {
      return this === view ? impl(...args) : native.apply(this, args);
    });
  }

  // The target is an empty array of the right length (so Array.isArray, the prototype and
  // the non-configurable `length` are a real array's), holding no elements. Its elements are
  // made dictionary-mode first: V8 would otherwise allocate a slot per element for `length = n`.
  const target: T[] = [];
  Object.defineProperty(target, "0", { value: undefined, configurable: true, writable: false });
  delete (target as unknown as Record<string, unknown>)["0"];
  target.length = n;
  Object.defineProperty(target, "length", { writable: false });
  // util.inspect (console.log, tslab's display of a cell's value) shows a Proxy's target
  // without asking the Proxy; this shows the elements instead, as it would for an array.
  Object.defineProperty(target, INSPECT, {
    configurable: true,
    enumerable: false,
    value: (depth: number, options: Record<string, unknown>, inspect: (v: unknown, o: object) => string) => {
      const limit = typeof options.maxArrayLength === "number" ? Math.max(0, options.maxArrayLength) : 100;
      const head: unknown[] = [];
      for (let i = 0; i < Math.min(n, limit); i++) head.push(source.at(i));
      if (n > limit) head.push({ [INSPECT]: () => `... ${n - limit} more item${n - limit > 1 ? "s" : ""}` });
      return inspect(head, { ...options, depth, maxArrayLength: limit + 1 });
    },
  });

  const view: readonly T[] = new Proxy(target, {
    get(t, key, receiver) {
      if (key === "length") return n; // the hottest key: every indexed loop reads it
      const i = indexOfKey(key, n);
      if (i >= 0) return read(i);
      return methods.get(key) ?? Reflect.get(t, key, receiver);
    },
    has(t, key) {
      return indexOfKey(key, n) >= 0 || Reflect.has(t, key);
    },
    getOwnPropertyDescriptor(t, key) {
      const i = indexOfKey(key, n);
      // Configurable, because the target has no such property (a Proxy invariant).
      if (i >= 0) return { value: read(i), writable: false, enumerable: true, configurable: true };
      return Reflect.getOwnPropertyDescriptor(t, key);
    },
    ownKeys() {
      const keys: (string | symbol)[] = new Array(n + 1);
      for (let i = 0; i < n; i++) keys[i] = String(i);
      keys[n] = "length";
      return keys;
    },
    set(_t, key) {
      throw readOnly(`cannot set ${String(key)}`);
    },
    defineProperty(_t, key) {
      throw readOnly(`cannot define ${String(key)}`);
    },
    deleteProperty(_t, key) {
      throw readOnly(`cannot delete ${String(key)}`);
    },
    setPrototypeOf() {
      throw readOnly("cannot change its prototype");
    },
    preventExtensions() {
      // Freezing the target would forbid reporting the elements it does not hold.
      throw readOnly("it cannot be frozen or sealed, it is already immutable");
    },
  });
  return view;
}
