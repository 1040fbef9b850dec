/**
 * Measurements of a leaderless run, as pure functions of its trace and history: how many
 * writes were concurrent (siblings), how many LWW silently dropped, how many keys still
 * disagree across their replicas at a given moment, and the cluster's merged contents.
 *
 * Introduced in notebooks/05.00-Leaderless-Replication.ipynb.
 */
import { pairOperations } from "../../checkers/operations.js";
import type { History } from "../../history/types.js";
import type { NodeId, NoteEvent, Trace } from "../../sim/trace.js";
import { mergeVersions, lwwNewer, type QuorumState, type QuorumVersion, type Versioning } from "./quorum.js";
import { preferenceList, type HashRing } from "./ring.js";
import { compareVv, type VersionVector } from "../shared/versionVector.js";

/** A committed write as the coordinator noted it (when it ordered it: acknowledged or not). */
interface Committed {
  readonly key: string;
  readonly version: QuorumVersion;
}

function commits(trace: Trace): Committed[] {
  const out: Committed[] = [];
  for (const e of trace) {
    if (e.type !== "note" || e.kind !== "commit" || e.key === undefined) continue;
    const d = (e as NoteEvent).data as { ts: number; origin: NodeId; seq: number; vv: VersionVector };
    out.push({ key: e.key, version: { value: e.value as number, ts: d.ts, origin: d.origin, seq: d.seq, vv: d.vv } });
  }
  return out;
}

/** The conflict rate of a run. Plain data. */
export interface ConflictSummary {
  readonly writes: number;
  /** Committed writes concurrent (by version vector) with another write of the same key. */
  readonly concurrent: number;
  /** DESIGN.md's conflict rate: concurrent / writes (0 without writes). */
  readonly fraction: number;
}

/**
 * DESIGN.md's conflict rate under version vectors: among committed writes to the same
 * key (every write a coordinator ordered, whether W replicas acknowledged it or not), the
 * fraction concurrent with at least one other. Pure; O(writes² per key).
 */
export function conflictRate(trace: Trace): ConflictSummary {
  const byKey = new Map<string, VersionVector[]>();
  for (const c of commits(trace)) {
    const list = byKey.get(c.key) ?? [];
    list.push(c.version.vv);
    byKey.set(c.key, list);
  }
  let writes = 0, concurrent = 0;
  for (const list of byKey.values()) {
    writes += list.length;
    for (let i = 0; i < list.length; i++) {
      if (list.some((other, j) => j !== i && compareVv(list[i], other) === "concurrent")) concurrent++;
    }
  }
  return { writes, concurrent, fraction: writes === 0 ? 0 : concurrent / writes };
}

/** Writes last-writer-wins dropped. Plain data. */
export interface LwwDropSummary {
  readonly acknowledged: number;
  /** Acknowledged writes that lose to a write acknowledged before they began. */
  readonly dropped: number;
  readonly fraction: number;
}

/**
 * Acknowledged writes that LWW silently drops: a write w loses to some write v of the same
 * key that finished before w began (so w is newer in real time) but carries a later
 * timestamp, because w's coordinator's clock was behind. Every replica that holds v
 * discards w, and no read returns w once v is there. Pure.
 */
export function lwwDroppedWrites(trace: Trace, history: History): LwwDropSummary {
  const versionOf = new Map<number, QuorumVersion>();
  for (const c of commits(trace)) versionOf.set(c.version.value, c.version);
  const writes = pairOperations(history).filter((o) => o.f === "write" && o.outcome === "ok" && versionOf.has(o.value as number));
  const byKey = new Map<string, typeof writes>();
  for (const w of writes) byKey.set(w.key, [...(byKey.get(w.key) ?? []), w]);
  let dropped = 0;
  for (const list of byKey.values()) {
    const byAck = [...list].sort((a, b) => (a.completeTime as number) - (b.completeTime as number));
    for (const w of list) {
      const mine = versionOf.get(w.value as number) as QuorumVersion;
      // Only writes acknowledged before w was invoked can have happened before it.
      const lost = byAck.some((v) => (v.completeTime as number) < w.invokeTime && lwwNewer(versionOf.get(v.value as number) as QuorumVersion, mine));
      if (lost) dropped++;
    }
  }
  return { acknowledged: writes.length, dropped, fraction: writes.length === 0 ? 0 : dropped / writes.length };
}

/**
 * The cluster's data once every replica's versions are merged: key → surviving values
 * (the LWW winner, or every sibling). Pure.
 */
export function mergedContents(states: readonly QuorumState[], versioning: Versioning): Map<string, number[]> {
  const all = new Map<string, readonly QuorumVersion[]>();
  for (const s of states) {
    for (const [key, versions] of s.store) all.set(key, mergeVersions(all.get(key) ?? [], versions, versioning));
  }
  const out = new Map<string, number[]>();
  for (const [key, versions] of all) out.set(key, versions.map((v) => v.value));
  return out;
}

/** How many keys disagree across replicas at one moment. Plain data. */
export interface DivergenceRow {
  readonly t: number;
  /** Keys some replica of which holds a different value (or none) from another. */
  readonly divergent: number;
  readonly keys: number;
}

/**
 * Under LWW, the number of written keys whose N replicas do not all hold the same value,
 * at each time in `times` (ascending), read from the `apply` notes replicas record when
 * their stored value changes. Pure.
 */
export function divergenceOverTime(trace: Trace, ring: HashRing, n: number, times: readonly number[]): DivergenceRow[] {
  const held = new Map<string, Map<NodeId, number>>(); // key → replica → value
  const replicasOf = new Map<string, NodeId[]>();
  const rows: DivergenceRow[] = [];
  const countDivergent = (): number => {
    let d = 0;
    for (const [key, values] of held) {
      const reps = replicasOf.get(key) as NodeId[];
      const first = values.get(reps[0]);
      if (first === undefined || reps.some((r) => values.get(r) !== first)) d++;
    }
    return d;
  };
  let i = 0;
  for (const e of trace) {
    while (i < times.length && e.t > times[i]) rows.push({ t: times[i++], divergent: countDivergent(), keys: held.size });
    if (e.type !== "note" || e.kind !== "apply" || e.key === undefined) continue;
    if (!replicasOf.has(e.key)) replicasOf.set(e.key, preferenceList(ring, e.key, n));
    if (!(replicasOf.get(e.key) as NodeId[]).includes(e.node)) continue;
    const values = held.get(e.key) ?? new Map<NodeId, number>();
    values.set(e.node, e.value as number);
    held.set(e.key, values);
  }
  while (i < times.length) rows.push({ t: times[i++], divergent: countDivergent(), keys: held.size });
  return rows;
}

/** Hashes and keys two replicas exchanged in Merkle anti-entropy over a run. Plain data. */
export interface AntiEntropyTraffic {
  readonly exchanges: number;
  readonly hashes: number;
  readonly keys: number;
}

/** Totals of the `anti-entropy` notes of a run (optionally from time `from` on). Pure. */
export function antiEntropyTraffic(trace: Trace, from = 0): AntiEntropyTraffic {
  let exchanges = 0, hashes = 0, keys = 0;
  for (const e of trace) {
    if (e.type !== "note" || e.kind !== "anti-entropy" || e.t < from) continue;
    const d = (e as NoteEvent).data as { hashes: number; keys: number; start?: boolean };
    if (d.start === true) exchanges++;
    hashes += d.hashes;
    keys += d.keys;
  }
  return { exchanges, hashes, keys };
}
