/**
 * A persistent key-value map whose newest version is a plain JavaScript Map: an immutable
 * value to every reader, at the cost of a mutable map per write.
 *
 * Why not immutable.js (as the other protocols use)? Its `Map.set` copies a path of the
 * hash trie: three 32-slot nodes for a thousand keys, a few hundred ns and several hundred
 * bytes per write (`npm run bench` prints both maps' cost), and a replica writes its
 * key-value state on nearly every event. Here a write mutates the newest version's Map in
 * place (O(1)) and turns the version written to into a small diff record ("as the next
 * version, but `key` was `value`", or "was absent") that points at the new version. This is Baker's version trees for persistent arrays (H. G. Baker,
 * "Shallow binding makes functional arrays fast", ACM SIGPLAN Notices 26(8), 1991; used
 * by S. Conchon and J.-C. Filliâtre, "A persistent union-find data structure", ML Workshop
 * 2007), with one departure: an older version that is read or written is not "rerooted"
 * (its diff chain reversed so that it owns the Map, which thrashes when two far-apart
 * versions are read in turn) but materialised once into a Map of its own, in O(size +
 * distance to the newest version), and read in O(1) from then on; a write to it starts a
 * new line of versions on a copy.
 *
 * What that means in use: reading or writing the newest version of a map costs what a
 * JavaScript Map costs; reading an older one (a past moment of a run, a snapshot kept in
 * a state) costs one copy, the first time. Versions come in segments: once the newest
 * version's Map has taken as many writes as it has keys, the next write goes to a copy and
 * the old Map stays with the version written to. A kept old version therefore holds on to
 * the diff records up to the end of its segment (at most as many as the map has keys, or
 * SEGMENT_MIN) and that segment's Map, however long the run goes on; the copies cost one
 * Map copy per segment, O(1) per write amortised.
 *
 * There is deliberately no `delete`: without it a version iterates its keys in the order
 * they were first set in its own history, however it was reached (written as the newest
 * version, or materialised from a later one), so a replayed run iterates exactly as the
 * original did.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb (primary-backup's key-value state).
 */

/** The fewest writes a segment of versions takes before its Map is copied (see `set`). */
const SEGMENT_MIN = 64;

/** An immutable map from keys to values: `set` returns a new map and leaves this one as it was. */
export class VersionedMap<K, V> implements Iterable<[K, V]> {
  /** This version's entries when it owns a Map (the newest version, or one materialised). */
  private own: Map<K, V> | null;
  /**
   * Whether `own` stays with this version: it was materialised for an older version, or it
   * ended a segment. Only the newest version of a line of writes hands its Map on to the
   * next; a pinned one keeps its Map, and a write to it starts a new line on a copy, so an
   * old version (a checkpoint's, say) never points into the versions a later replay writes
   * from it.
   */
  private pinned = false;
  /** Otherwise: this version is `next` with `key` set to `value` (`had`) or absent (not `had`). */
  private next: VersionedMap<K, V> | null = null;
  private key: K | undefined = undefined;
  private value: V | undefined = undefined;
  private had = false;
  /** For the newest version of a line: how many writes its Map has taken since it was copied. */
  private writes = 0;

  private constructor(own: Map<K, V>, writes = 0) {
    this.own = own;
    this.writes = writes;
  }

  /** The empty map. */
  static empty<K, V>(): VersionedMap<K, V> {
    return new VersionedMap(new Map());
  }

  /** A map of `entries` (a later entry for a key wins, as with `new Map`). */
  static of<K, V>(entries: Iterable<readonly [K, V]>): VersionedMap<K, V> {
    return new VersionedMap(new Map(entries as Iterable<[K, V]>));
  }

  /** True for a VersionedMap (for code that also meets other maps, such as state diffs). */
  static isVersionedMap(v: unknown): v is VersionedMap<unknown, unknown> {
    return v instanceof VersionedMap;
  }

  /** The value of `key`, or undefined. */
  get(key: K): V | undefined {
    return this.entries_().get(key);
  }

  /** Whether `key` has a value. */
  has(key: K): boolean {
    return this.entries_().has(key);
  }

  /** How many keys have a value. */
  get size(): number {
    return this.entries_().size;
  }

  /** This map with `key` set to `value`; this map is unchanged. Returns this map when `key` already has `value`. */
  set(key: K, value: V): VersionedMap<K, V> {
    const own = this.entries_();
    const before = own.get(key);
    const had = before !== undefined || own.has(key);
    if (had && Object.is(before, value)) return this;
    // A write to a materialised version, or the write that ends a segment, goes to a copy;
    // the version written to keeps its Map. Ending a segment once a Map has taken as many
    // writes as it has keys (at least SEGMENT_MIN) costs one copy per that many writes, and
    // bounds what a kept old version holds on to: its chain runs only to the end of its
    // segment, not to the newest version (a run's checkpoints would otherwise keep every
    // diff record written after the first of them).
    if (this.pinned || this.writes >= Math.max(own.size, SEGMENT_MIN)) {
      this.pinned = true;
      return new VersionedMap(new Map(own).set(key, value), 1);
    }
    own.set(key, value);
    const newest = new VersionedMap(own, this.writes + 1);
    // This version hands its Map to the new one and remembers what `key` was.
    this.own = null;
    this.next = newest;
    this.key = key;
    this.value = before;
    this.had = had;
    return newest;
  }

  /** Entries in the order their keys were first set. */
  entries(): IterableIterator<[K, V]> {
    return this.entries_().entries();
  }

  keys(): IterableIterator<K> {
    return this.entries_().keys();
  }

  values(): IterableIterator<V> {
    return this.entries_().values();
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  forEach(fn: (value: V, key: K) => void): void {
    for (const [k, v] of this.entries_()) fn(v, k);
  }

  /** Whether `other` holds the same keys with the same values (`Object.is`). */
  equals(other: VersionedMap<K, V>): boolean {
    if (other === this) return true;
    const a = this.entries_();
    const b = other.entries_();
    if (a.size !== b.size) return false;
    for (const [k, v] of a) {
      const w = b.get(k);
      if (!Object.is(v, w) || (w === undefined && !b.has(k))) return false;
    }
    return true;
  }

  /** The entries as a plain object, keys as strings (what immutable.js's Map gives, so a state serialises as before). */
  toJSON(): Record<string, V> {
    const o: Record<string, V> = {};
    for (const [k, v] of this.entries_()) o[String(k)] = v;
    return o;
  }

  /** How Node's `console.log` and a notebook's output show it: as its entries, not its diff records. */
  [Symbol.for("nodejs.util.inspect.custom")](): Map<K, V> {
    return new Map(this.entries_());
  }

  /**
   * This version's Map, materialising it if it is an older version: copy the Map of the
   * version its diff chain ends at and undo, newest first, the writes made since.
   * The copy is never handed out, so no caller can change a version.
   */
  private entries_(): Map<K, V> {
    if (this.own !== null) return this.own;
    const chain: VersionedMap<K, V>[] = [];
    let v: VersionedMap<K, V> = this;
    while (v.own === null) {
      chain.push(v);
      v = v.next!;
    }
    const own = new Map(v.own);
    for (let i = chain.length - 1; i >= 0; i--) {
      const d = chain[i];
      if (d.had) own.set(d.key as K, d.value as V);
      else own.delete(d.key as K);
    }
    this.own = own;
    this.pinned = true;
    // The chain is no longer needed to read this version: let it go.
    this.next = null;
    this.key = undefined;
    this.value = undefined;
    return own;
  }
}
