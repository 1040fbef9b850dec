/**
 * Staleness per read, the input to DESIGN.md's staleness metric ("fraction of reads that
 * miss the latest write acknowledged before the read began") and to PBS's k-staleness and
 * t-visibility (Bailis, Venkataraman, Franklin, Hellerstein & Stoica, "Probabilistically
 * Bounded Staleness for Practical Partial Quorums", VLDB 2012).
 *
 * Versions are compared with `versionOrder.ts`: by default a write is older than another
 * iff it was acknowledged before the other was invoked. Overlapping writes are unordered,
 * so a read returning either of two concurrent writes is not stale; a read is stale iff it
 * returned a version older than some write acknowledged before the read began (for writes
 * that do not overlap, exactly "it missed the latest acknowledged write").
 *
 * Introduced in notebooks/00.01-Consistency-Checkers.ipynb.
 */
import { requireNumber } from "../errors.js";
import type { History, ProcessId, Value } from "../history/types.js";
import { observedValues, pairOperations, type Operation } from "./operations.js";
import { versionOrder, type VersionOrder, type VersionOrderOptions } from "./versionOrder.js";

/** How stale one ok read was. One tidy row per read, ready to chart. Plain data. */
export interface ReadStaleness {
  /** Invoke index of the read. */
  readonly op: number;
  readonly process: ProcessId;
  readonly key: string;
  /** The value returned (null: none). */
  readonly value: Value;
  readonly invokeTime: number;
  /** The read returned a version older than a write acknowledged before it began. */
  readonly stale: boolean;
  /** How many writes acknowledged before the read began are newer than what it returned (PBS k = this + 1). */
  readonly versionsBehind: number;
  /** Read invocation time minus the ack time of the oldest acknowledged write it missed; 0 when fresh. */
  readonly msBehind: number;
  /** Read invocation time minus the ack time of the latest write to the key acknowledged before it (PBS t); null if none. */
  readonly sinceLatestWriteMs: number | null;
}

/**
 * Measures the staleness of every ok read; pure. Rows come in history order. Write
 * values must be unique per key (throws `HistoryError` otherwise).
 */
export function readStaleness(history: History, options: VersionOrderOptions = {}): ReadStaleness[] {
  const ops = pairOperations(history);
  const order = versionOrder(ops, options);
  const ackedByKey = new Map<string, Operation[]>();
  for (const op of ops) {
    if (op.f === "read" || op.outcome !== "ok") continue;
    let list = ackedByKey.get(op.key);
    if (list === undefined) ackedByKey.set(op.key, (list = []));
    list.push(op);
  }
  for (const list of ackedByKey.values()) list.sort((a, b) => (a.completionIndex as number) - (b.completionIndex as number));

  const rows: ReadStaleness[] = [];
  const passed = new Map<string, number>(); // per key: how many acked writes completed before the current read
  for (const read of ops) {
    if (read.f !== "read" || read.outcome !== "ok") continue;
    const acked = ackedByKey.get(read.key) ?? [];
    // Reads come in invocation order, so each key's "acknowledged before the read" prefix only grows.
    let end = passed.get(read.key) ?? 0;
    while (end < acked.length && (acked[end].completionIndex as number) < read.index) end++;
    passed.set(read.key, end);
    const missed = missedWrites(order, read, acked, end);
    rows.push({
      op: read.index, process: read.process, key: read.key, value: read.value, invokeTime: read.invokeTime,
      stale: missed.count > 0,
      versionsBehind: missed.count,
      msBehind: missed.count > 0 ? read.invokeTime - missed.oldestAck : 0,
      sinceLatestWriteMs: end === 0 ? null : read.invokeTime - (acked[end - 1].completeTime as number),
    });
  }
  return rows;
}

/**
 * The writes among `acked[0, end)` (sorted by completion) that are newer than everything
 * the read returned: how many, and the earliest ack among them.
 */
function missedWrites(order: VersionOrder, read: Operation, acked: readonly Operation[], end: number): { count: number; oldestAck: number } {
  const seen = observedValues(read);
  let count = 0, oldestAck = Infinity;
  if (order.realTimeOnly) {
    // A write is newer iff invoked after `after`; one completed by then was invoked before it,
    // so walking back from the latest ack can stop there: O(missed + overlapping writes).
    const after = order.newerAfter(read.key, seen);
    for (let i = end - 1; i >= 0 && (acked[i].completionIndex as number) > after; i--) {
      if (acked[i].index > after) { count++; oldestAck = acked[i].completeTime as number; }
    }
    return { count, oldestAck };
  }
  const tests = (seen.length === 0 ? [null] : seen).map((v) => order.olderThan(read.key, v));
  for (let i = 0; i < end; i++) {
    if (tests.every((olderThan) => olderThan(acked[i].value as number))) {
      count++;
      oldestAck = Math.min(oldestAck, acked[i].completeTime as number);
    }
  }
  return { count, oldestAck };
}

/** One bar of the k-staleness distribution. Plain data. */
export interface KStalenessRow {
  readonly versionsBehind: number;
  /** PBS's k: the read returned one of the k latest versions. */
  readonly k: number;
  readonly reads: number;
  readonly fraction: number;
  /** Fraction of reads at most this many versions behind (PBS: P(k-staleness holds)). */
  readonly cumulativeFraction: number;
}

/** Staleness over a whole run. Plain data. */
export interface StalenessSummary {
  readonly reads: number;
  readonly staleReads: number;
  /** DESIGN.md's staleness metric: staleReads / reads (0 when there are no reads). */
  readonly fractionStale: number;
  readonly kStaleness: readonly KStalenessRow[];
  /** Largest msBehind of any read (0 when none is stale). */
  readonly maxMsBehind: number;
  /** Mean msBehind of the stale reads (0 when none is stale). */
  readonly meanMsBehindStale: number;
  readonly message: string;
}

/** Summarizes per-read staleness: fraction stale and the k-staleness distribution. Pure. */
export function summarizeStaleness(rows: readonly ReadStaleness[]): StalenessSummary {
  const reads = rows.length;
  const stale = rows.filter((r) => r.stale);
  const counts = new Map<number, number>();
  for (const r of rows) counts.set(r.versionsBehind, (counts.get(r.versionsBehind) ?? 0) + 1);
  let cumulative = 0;
  const kStaleness = [...counts.keys()].sort((a, b) => a - b).map((versionsBehind) => {
    const n = counts.get(versionsBehind) as number;
    cumulative += n;
    return { versionsBehind, k: versionsBehind + 1, reads: n, fraction: n / reads, cumulativeFraction: cumulative / reads };
  });
  const fractionStale = reads === 0 ? 0 : stale.length / reads;
  const maxMsBehind = stale.reduce((m, r) => Math.max(m, r.msBehind), 0);
  const meanMsBehindStale = stale.length === 0 ? 0 : stale.reduce((s, r) => s + r.msBehind, 0) / stale.length;
  const message = reads === 0
    ? "no ok reads"
    : `${stale.length} of ${reads} reads stale (${(100 * fractionStale).toFixed(1)}%)${stale.length > 0 ? `; at most ${stale.reduce((m, r) => Math.max(m, r.versionsBehind), 0)} version(s) and ${maxMsBehind} ms behind` : ""}`;
  return { reads, staleReads: stale.length, fractionStale, kStaleness, maxMsBehind, meanMsBehindStale, message };
}

/** One point of the t-visibility curve. Plain data. */
export interface TVisibilityRow {
  /** Start of the bucket of sinceLatestWriteMs, in ms. */
  readonly t: number;
  readonly reads: number;
  /** Fraction of those reads that were not stale (PBS: P(consistent read) t ms after the latest write). */
  readonly probabilityFresh: number;
}

/**
 * The empirical t-visibility curve: reads bucketed by time since the latest acknowledged
 * write to their key (`bucketMs` wide), with the fraction fresh in each. Reads with no
 * earlier write are left out. Pure.
 */
export function tVisibility(rows: readonly ReadStaleness[], bucketMs: number): TVisibilityRow[] {
  requireNumber("bucketMs", bucketMs, Number.MIN_VALUE);
  const buckets = new Map<number, { reads: number; fresh: number }>();
  for (const r of rows) {
    if (r.sinceLatestWriteMs === null) continue;
    const t = Math.floor(r.sinceLatestWriteMs / bucketMs) * bucketMs;
    const b = buckets.get(t) ?? { reads: 0, fresh: 0 };
    b.reads++;
    if (!r.stale) b.fresh++;
    buckets.set(t, b);
  }
  return [...buckets.keys()].sort((a, b) => a - b).map((t) => {
    const b = buckets.get(t) as { reads: number; fresh: number };
    return { t, reads: b.reads, probabilityFresh: b.fresh / b.reads };
  });
}
