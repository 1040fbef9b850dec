/**
 * Reading a single-leader run: who led when, who leads at the end, what was lost, and the
 * write order the checkers need. Pure functions of a finished run.
 * Introduced in notebooks/02.00-Split-Brain.ipynb.
 */
import { findLostWrites, type LostWritesResult } from "../../checkers/lostWrites.js";
import type { SimulationRun } from "../../sim/run.js";
import type { NodeId, Trace } from "../../sim/trace.js";
import { logLength, type SingleLeaderState, writeOrderOf } from "./state.js";

/** One node's spell as leader: from its `leader` note until it stepped down, crashed or the run ended. Plain data. */
export interface LeaderTerm {
  readonly node: NodeId;
  readonly epoch: number;
  readonly from: number;
  readonly to: number;
}

/** Every leadership spell of a run, in order of start. Pure. */
export function leaderEpochs(trace: Trace, endMs: number): LeaderTerm[] {
  const open = new Map<NodeId, { epoch: number; from: number }>();
  const terms: LeaderTerm[] = [];
  const close = (node: NodeId, t: number): void => {
    const o = open.get(node);
    if (o === undefined) return;
    terms.push({ node, epoch: o.epoch, from: o.from, to: t });
    open.delete(node);
  };
  for (const e of trace) {
    if (e.type === "note" && e.kind === "leader") {
      close(e.node, e.t);
      open.set(e.node, { epoch: (e.data?.epoch as number) ?? 0, from: e.t });
    } else if (e.type === "note" && e.kind === "step-down") {
      close(e.node, e.t);
    } else if (e.type === "fault" && (e.fault.kind === "crash" || e.fault.kind === "lose-disk")) {
      close(e.fault.node, e.t);
    }
  }
  for (const node of [...open.keys()]) close(node, endMs);
  return terms.sort((a, b) => a.from - b.from || a.node.localeCompare(b.node));
}

/** The nodes that believed they led at time `t` (two or more: split brain). Pure. */
export function leadersOf(trace: Trace, t: number, endMs: number): NodeId[] {
  return leaderEpochs(trace, endMs)
    .filter((term) => term.from <= t && t < term.to)
    .map((term) => term.node);
}

/**
 * The node whose data counts at the end of a run: the leader of the highest epoch among the
 * nodes still up; if none of them leads, the node with the longest log (ties: the lower id),
 * where a node that is down counts with what it would recover from its disk, never with its
 * memory before the crash. Pure.
 */
export function finalLeader(run: SimulationRun<SingleLeaderState>): NodeId {
  const leading = run.nodes.filter((n) => run.upAtEnd(n)).map((n) => run.finalState(n)).filter((s) => s.role === "leader")
    .sort((a, b) => b.epoch - a.epoch || logLength(b) - logLength(a));
  if (leading.length > 0) return leading[0].self;
  const states = run.nodes.map((n) => run.recoveredState(n));
  return [...states].sort((a, b) => logLength(b) - logLength(a) || a.self.localeCompare(b.self))[0].self;
}

/** Acknowledged writes absent from the final leader's data (a down node's: what it would recover). Its log keeps every version, so "all-versions" mode applies (a leader rebuilt from a snapshot holds only the latest values). Pure. */
export function lostWritesOf(run: SimulationRun<SingleLeaderState>): LostWritesResult {
  return findLostWrites(run.history, run.finalContents(finalLeader(run)), "all-versions");
}

/** The final leader's log as a global write order, for checkConsistentPrefix and friends. Pure. */
export function finalWriteOrder(run: SimulationRun<SingleLeaderState>): number[] {
  return writeOrderOf(run.recoveredState(finalLeader(run)));
}

/** Each replica's final key → value map (spares left out; a down node with what it would recover), as checkConvergence takes them. Pure. */
export function finalReplicaStates(run: SimulationRun<SingleLeaderState>): Record<NodeId, Map<string, number>> {
  const out: Record<NodeId, Map<string, number>> = {};
  for (const n of run.nodes) {
    const s = run.recoveredState(n);
    if (s.role !== "spare") out[n] = new Map(s.kv);
  }
  return out;
}
