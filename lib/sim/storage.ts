/**
 * Storage as data: when a node's write-ahead log reaches the disk for good.
 *
 * A write first lands in the operating system's page cache ("written"); only an fsync
 * makes it durable ("synced"). A crash keeps the synced prefix of the log and loses the
 * rest; losing the disk loses everything.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import { ConfigError, describe, requireBoolean, requireKnownKeys, requireNumber } from "../errors.js";
import { hash32 } from "./hash.js";
import { constant, type Distribution, validateDistribution } from "./distributions.js";
import { MIN_PERIOD_MS } from "./limits.js";

/**
 * When the database calls fsync:
 * - `always`: after every write, before the write counts as done (then acknowledged);
 * - `interval`: every `everyMs` of its clock; writes count as done at once (Redis'
 *   `appendfsync everysec`, PostgreSQL's `synchronous_commit = off` behave like this);
 * - `never`: the database never does; the operating system writes dirty pages back every
 *   `osFlushMs` (Linux's default dirty-page expiry is 30 s).
 */
export type FsyncPolicy =
  | { readonly kind: "always" }
  | { readonly kind: "interval"; readonly everyMs: number }
  | { readonly kind: "never"; readonly osFlushMs?: number };

/** A node's disk. */
export interface StorageSpec {
  readonly fsync: FsyncPolicy;
  /** How long one fsync takes, in ms (default 1 ms, a fast SSD: ~0.1–2 ms; a disk ~10 ms). */
  readonly fsyncLatency?: Distribution;
  /**
   * Keep a checksum beside every log record and verify it when the log is read back at a
   * restart (default false). A record that fails is treated as missing, so a silently
   * corrupted disk (the `corrupt` fault) is caught instead of served. Notebook 07.00.
   */
  readonly checksums?: boolean;
}

/** The default disk: fsync after every write, 1 ms per fsync. */
export const DEFAULT_STORAGE: StorageSpec = { fsync: { kind: "always" }, fsyncLatency: constant(1) };

/** Linux's default dirty-page expiry (vm.dirty_expire_centisecs = 3000). */
export const DEFAULT_OS_FLUSH_MS = 30_000;

const STORAGE_KEYS = ["fsync", "fsyncLatency", "checksums"] as const;
const FSYNC_KEYS: Readonly<Record<string, readonly string[]>> = { always: ["kind"], interval: ["kind", "everyMs"], never: ["kind", "osFlushMs"] };

/** Checks a storage spec; throws a ConfigError naming the field. Pure. */
export function validateStorage(field: string, spec: StorageSpec): StorageSpec {
  if (spec == null || typeof spec !== "object" || Array.isArray(spec)) {
    throw new ConfigError(field, `must be a storage object, got ${describe(spec)}`, 'give { fsync: { kind: "always" } }');
  }
  requireKnownKeys(field, spec, STORAGE_KEYS);
  if (spec.fsync == null || typeof spec.fsync !== "object") {
    throw new ConfigError(`${field}.fsync`, spec.fsync == null ? "is missing" : `must be an fsync policy object, got ${describe(spec.fsync)}`, 'give { fsync: { kind: "always" } }');
  }
  const p = spec.fsync;
  const keys = Object.hasOwn(FSYNC_KEYS, p.kind) ? FSYNC_KEYS[p.kind] : undefined;
  if (keys !== undefined) requireKnownKeys(`${field}.fsync`, p, keys);
  // Periods below MIN_PERIOD_MS stop virtual time: a tick every 5e-324 ms never ends a run.
  switch (p.kind) {
    case "always":
      break;
    case "interval":
      requireNumber(`${field}.fsync.everyMs`, p.everyMs, MIN_PERIOD_MS);
      break;
    case "never":
      if (p.osFlushMs !== undefined) requireNumber(`${field}.fsync.osFlushMs`, p.osFlushMs, MIN_PERIOD_MS);
      break;
    default:
      throw new ConfigError(`${field}.fsync.kind`, `unknown fsync policy ${describe((p as { kind?: unknown }).kind)}`, 'use "always", "interval" or "never"');
  }
  if (spec.fsyncLatency !== undefined) validateDistribution(`${field}.fsyncLatency`, spec.fsyncLatency);
  if (spec.checksums !== undefined) requireBoolean(`${field}.checksums`, spec.checksums, "write checksums: true to verify every record on recovery");
  return spec;
}

/** The checksum kept beside a log record: a 32-bit hash of its JSON text. Pure. */
export function recordChecksum(record: unknown): number {
  return hash32(JSON.stringify(record) ?? "undefined");
}

/**
 * `record` with one bit flipped in one of its numeric `value` fields (found at any depth),
 * or null when it holds none: what a silently corrupting disk gives back. `draw` returns
 * seeded numbers in [0, 1): the first picks the field, the second the bit (0-15). Pure
 * apart from `draw`; `record` itself is not changed.
 */
export function corruptRecord(record: unknown, draw: () => number): unknown {
  const paths: (string | number)[][] = [];
  const walk = (x: unknown, path: (string | number)[]): void => {
    if (Array.isArray(x)) x.forEach((v, i) => walk(v, [...path, i]));
    else if (x !== null && typeof x === "object") {
      for (const [k, v] of Object.entries(x)) {
        if (k === "value" && typeof v === "number" && Number.isFinite(v)) paths.push([...path, k]);
        else walk(v, [...path, k]);
      }
    }
  };
  walk(record, []);
  if (paths.length === 0) return null;
  const path = paths[Math.min(paths.length - 1, Math.floor(draw() * paths.length))];
  const bit = 2 ** Math.min(15, Math.floor(draw() * 16));
  const copy = structuredClone(record) as Record<string | number, unknown>;
  let at = copy;
  for (const step of path.slice(0, -1)) at = at[step] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  const v = at[last] as number;
  // Flip the bit: subtract it when set, add it when clear (XOR for whole numbers of any size).
  at[last] = Math.floor(v / bit) % 2 === 1 ? v - bit : v + bit;
  return copy;
}
