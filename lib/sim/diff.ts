/**
 * A structural diff of two immutable values, for "what changed between two moments".
 * Because states share structure, an unchanged subtree is the *same object* in both
 * moments, and the diff skips it in O(1): this is what makes diffing two moments of a
 * long run cheap.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import { isMap as isImmutableMap } from "immutable";
import type { AppendLog } from "./appendLog.js";
import { VersionedMap } from "./versionedMap.js";

/** One changed field: `path` like `state.log` or `state.kv["k0001"]`. */
export interface StateChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

function isAppendLog(v: unknown): v is AppendLog<unknown> {
  return typeof v === "object" && v !== null && Array.isArray((v as AppendLog<unknown>).items) && typeof (v as AppendLog<unknown>).length === "number" && Object.keys(v).length === 2;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Short text for a value in a diff table. Pure. */
export function summarize(v: unknown): unknown {
  if (isAppendLog(v)) return `log(${v.length})`;
  if (isImmutableMap(v) || VersionedMap.isVersionedMap(v)) return `map(${(v as { size: number }).size})`;
  if (v instanceof Map) return `map(${v.size})`;
  if (Array.isArray(v)) return v.length <= 5 ? v : `array(${v.length})`;
  return v;
}

/** Lists what differs between `a` and `b`, at most `maxRows` rows. Pure. */
export function diffValues(a: unknown, b: unknown, maxRows = 50): StateChange[] {
  const out: StateChange[] = [];
  walk("", a, b, out, maxRows);
  return out;
}

function walk(path: string, a: unknown, b: unknown, out: StateChange[], max: number): void {
  if (a === b || out.length >= max) return;
  if (isAppendLog(a) && isAppendLog(b)) {
    // Entries are shared: report what was appended or cut off.
    let common = 0;
    const n = Math.min(a.length, b.length);
    while (common < n && a.items[common] === b.items[common]) common++;
    if (common < a.length) out.push({ path: `${path}[${common}..${a.length})`, before: a.items.slice(common, a.length), after: "(removed)" });
    if (common < b.length && out.length < max) out.push({ path: `${path}[${common}..${b.length})`, before: "(absent)", after: b.items.slice(common, b.length) });
    return;
  }
  if ((isImmutableMap(a) && isImmutableMap(b)) || (VersionedMap.isVersionedMap(a) && VersionedMap.isVersionedMap(b))) {
    const ma = a as unknown as { get(k: unknown): unknown; has(k: unknown): boolean; keys(): Iterable<unknown> };
    const mb = b as unknown as typeof ma;
    for (const k of ma.keys()) {
      if (!mb.has(k)) out.push({ path: `${path}[${JSON.stringify(k)}]`, before: summarize(ma.get(k)), after: "(absent)" });
      else walk(`${path}[${JSON.stringify(k)}]`, ma.get(k), mb.get(k), out, max);
      if (out.length >= max) return;
    }
    for (const k of mb.keys()) {
      if (!ma.has(k)) out.push({ path: `${path}[${JSON.stringify(k)}]`, before: "(absent)", after: summarize(mb.get(k)) });
      if (out.length >= max) return;
    }
    return;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      walk(path ? `${path}.${k}` : k, a[k], b[k], out, max);
      if (out.length >= max) return;
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.length <= 64) {
    for (let i = 0; i < a.length; i++) walk(`${path}[${i}]`, a[i], b[i], out, max);
    return;
  }
  if (typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b)) return;
  out.push({ path: path || "(value)", before: summarize(a), after: summarize(b) });
}
