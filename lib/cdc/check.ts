/**
 * Readings of a CDC run: does the consumer's copy equal the source once every change is
 * applied (duplicates included), how many duplicates did the crash cause, what did the
 * non-idempotent counter make of them, how often were changes of different keys applied out
 * of log order, and the consumer's lag.
 *
 * Introduced in notebooks/01.01-Many-Servers.ipynb.
 */
import { ConfigError } from "../errors.js";
import { replicationLag, type LagRow } from "../metrics/lag.js";
import { slice } from "../sim/appendLog.js";
import type { SimulationRun } from "../sim/run.js";
import type { NodeId } from "../sim/trace.js";
import { cdcRoles } from "./config.js";
import type { ConsumerState } from "./consumer.js";
import type { CdcNodeState, SourceState } from "./pipeline.js";

/** The verdict on a CDC run's copy. Plain data. */
export interface CdcCopyCheck {
  /** The copy equals the leader's key-value state: same keys, same values. */
  readonly equal: boolean;
  /** Keys the source holds that the copy lacks, holds with another value, or holds and the source does not. */
  readonly missing: readonly string[];
  readonly wrong: readonly string[];
  readonly extra: readonly string[];
  /** Keys in the source. */
  readonly keys: number;
  /** Changes the consumer received, and how many of them it had received before (at-least-once duplicates). */
  readonly delivered: number;
  readonly duplicates: number;
  /** Changes applied after a change of another key that came later in the log (order is kept per key only). */
  readonly reordered: number;
  /** Replayed changes that took a key of the copy back to an older value (overwrite apply only). */
  readonly regressions: number;
  /** Per-key change counters that disagree with the number of writes the source logged since the snapshot, and by how many in all. */
  readonly countersWrong: number;
  readonly counterExcess: number;
  /** The log position of the consumer's snapshot. */
  readonly snapshotOffset: number;
}

function consumerOf(run: SimulationRun<CdcNodeState>): ConsumerState {
  const { consumer } = cdcRoles(run.nodes);
  // A consumer down at the end is read as it would restart: what its disk holds.
  const s = run.upAtEnd(consumer) ? run.finalState(consumer) : run.recoveredState(consumer);
  if (s.role !== "consumer") throw new ConfigError("run", "is not a cdcPipeline run", "pass the result of simulate({ protocol: cdcPipeline, ... })");
  return s;
}

function leaderOf(run: SimulationRun<CdcNodeState>): SourceState {
  const s = run.finalState(cdcRoles(run.nodes).source[0]);
  if (s === undefined || s.role !== "source") throw new ConfigError("run", "is not a cdcPipeline run", "pass the result of simulate({ protocol: cdcPipeline, ... })");
  return s;
}

/**
 * Compares the consumer's copy with the leader's state at the end of the run, and its
 * counters with the leader's log. Give the run time to drain (stop the workload well before
 * the end) so the consumer has caught up. Pure.
 */
export function checkCdcCopy(run: SimulationRun<CdcNodeState>): CdcCopyCheck {
  const c = consumerOf(run);
  const leader = leaderOf(run).inner;
  const source = leader.kv;
  const missing: string[] = [], wrong: string[] = [], extra: string[] = [];
  for (const [k, v] of source) {
    const mine = c.copy.get(k);
    if (mine === undefined) missing.push(k);
    else if (mine !== v) wrong.push(k);
  }
  for (const k of c.copy.keys()) if (!source.has(k)) extra.push(k);
  const writes = new Map<string, number>();
  for (const e of slice(leader.log)) if (e.index >= c.snapshotOffset) writes.set(e.key, (writes.get(e.key) ?? 0) + 1);
  let countersWrong = 0, counterExcess = 0;
  for (const k of new Set([...writes.keys(), ...c.counts.keys()])) {
    const d = (c.counts.get(k) ?? 0) - (writes.get(k) ?? 0);
    if (d !== 0) countersWrong++;
    counterExcess += d;
  }
  // Counted from the trace, not the consumer's memory: a crash wipes its in-memory counters.
  const me = cdcRoles(run.nodes).consumer;
  let delivered = 0, duplicates = 0, reordered = 0, regressions = 0, maxApplied = c.snapshotOffset - 1;
  for (const e of run.trace) {
    if (e.type !== "note" || e.node !== me || e.index === undefined) continue;
    if (e.kind === "regress") regressions++;
    else if (e.kind === "duplicate") {
      delivered++;
      duplicates++;
    } else if (e.kind === "apply") {
      delivered++;
      if (e.index < maxApplied) reordered++;
      maxApplied = Math.max(maxApplied, e.index);
    }
  }
  const sort = (xs: string[]) => xs.sort();
  return {
    equal: missing.length + wrong.length + extra.length === 0,
    missing: sort(missing), wrong: sort(wrong), extra: sort(extra), keys: source.size,
    delivered, duplicates, reordered, regressions,
    countersWrong, counterExcess, snapshotOffset: c.snapshotOffset,
  };
}

/**
 * The consumer's lag: replication lag (GLOSSARY) with the consumer as the replica, a change
 * counting as applied when the consumer first applies it (or installs a snapshot past it).
 * Pure.
 */
export function cdcLag(run: SimulationRun<CdcNodeState>, opts: { stepMs: number; endMs: number }): LagRow[] {
  const consumer: NodeId = cdcRoles(run.nodes).consumer;
  return replicationLag(run.trace, { stepMs: opts.stepMs, endMs: opts.endMs, replicas: [consumer] });
}
