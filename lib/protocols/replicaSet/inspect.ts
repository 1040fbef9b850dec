/**
 * Reading a replica-set run: who was primary in which term, who saw whom at a moment, how
 * long a failover took, what rollbacks undid and which acknowledged writes were lost.
 * Pure functions of a finished run.
 * Introduced in notebooks/06.00-Replica-Sets.ipynb.
 */
import { findLostWrites, type LostWritesResult } from "../../checkers/lostWrites.js";
import type { SimulationRun } from "../../sim/run.js";
import type { NodeId, Trace } from "../../sim/trace.js";
import { compareOpTime, formatOpTime } from "./oplog.js";
import { lastOpTime, type ReplicaSetState } from "./state.js";

/** One member's spell as primary: from its election until it stepped down, crashed or the run ended. Plain data. */
export interface PrimarySpell {
  readonly node: NodeId;
  readonly term: number;
  readonly from: number;
  /** When it first accepted writes (after catch-up), if it did. */
  readonly writableAt: number | null;
  readonly to: number;
}

/** Every primary spell of a run, in order of start. Pure. */
export function primarySpells(trace: Trace, endMs: number): PrimarySpell[] {
  const open = new Map<NodeId, { term: number; from: number; writableAt: number | null }>();
  const spells: PrimarySpell[] = [];
  const close = (node: NodeId, t: number): void => {
    const o = open.get(node);
    if (o === undefined) return;
    spells.push({ node, term: o.term, from: o.from, writableAt: o.writableAt, to: t });
    open.delete(node);
  };
  for (const e of trace) {
    if (e.type === "note" && e.kind === "primary") {
      close(e.node, e.t);
      open.set(e.node, { term: e.data?.term as number, from: e.t, writableAt: null });
    } else if (e.type === "note" && e.kind === "writable") {
      const o = open.get(e.node);
      if (o !== undefined && o.writableAt === null) o.writableAt = e.t;
    } else if (e.type === "note" && e.kind === "step-down") {
      close(e.node, e.t);
    } else if (e.type === "fault" && (e.fault.kind === "crash" || e.fault.kind === "lose-disk")) {
      close(e.fault.node, e.t);
    }
  }
  for (const node of [...open.keys()]) close(node, endMs);
  return spells.sort((a, b) => a.from - b.from || (a.node < b.node ? -1 : 1));
}

/** Terms in which two different members became primary (must be empty: one primary per term). Pure. */
export function termsWithTwoPrimaries(trace: Trace): number[] {
  const byTerm = new Map<number, Set<NodeId>>();
  for (const e of trace) {
    if (e.type !== "note" || e.kind !== "primary") continue;
    const term = e.data?.term as number;
    if (!byTerm.has(term)) byTerm.set(term, new Set());
    byTerm.get(term)!.add(e.node);
  }
  return [...byTerm.entries()].filter(([, nodes]) => nodes.size > 1).map(([t]) => t).sort((a, b) => a - b);
}

/** Time from `crashAt` until a new primary is elected, until it accepts writes, and until a client write is acknowledged (ms; null if never). Pure. */
export function failoverTimes(run: SimulationRun<ReplicaSetState>, crashAt: number): { elected: number | null; writable: number | null; firstAck: number | null } {
  const after = primarySpells(run.trace, run.endTime).filter((p) => p.from > crashAt);
  const elected = after.length > 0 ? after[0].from - crashAt : null;
  const writable = after.length > 0 && after[0].writableAt !== null ? after[0].writableAt - crashAt : null;
  // The first acknowledgement after the new primary took office (replies the old one sent before it crashed do not count).
  const firstAck = after.length === 0 ? undefined : run.history.find((o) => o.type === "ok" && o.f === "write" && o.time >= after[0].from);
  const ack = firstAck !== undefined ? firstAck.time - crashAt : null;
  return { elected, writable, firstAck: ack };
}

/** One row of "who sees whom": what `observer` believed of `member` at a moment. Plain data. */
export interface SeesRow {
  readonly observer: NodeId;
  readonly member: NodeId;
  /** The member's state as the observer sees it ("self: PRIMARY" for itself), or "down" / "crashed". */
  readonly sees: string;
  /** Ms since the observer last heard from it (null: never, or itself). */
  readonly lastHeardAgoMs: number | null;
  readonly optime: string;
}

/** Who sees whom at time `t`: every member's view of every other, from its heartbeats. Pure. */
export function whoSeesWhom(run: SimulationRun<ReplicaSetState>, t: number): SeesRow[] {
  const rows: SeesRow[] = [];
  for (const snap of run.clusterAt(t)) {
    const s = snap.state;
    for (const m of run.nodes) {
      if (!snap.up) {
        rows.push({ observer: snap.node, member: m, sees: "crashed", lastHeardAgoMs: null, optime: "" });
        continue;
      }
      if (m === snap.node) {
        rows.push({ observer: snap.node, member: m, sees: `self: ${s.role}`, lastHeardAgoMs: null, optime: formatOpTime(lastOpTime(s)) });
        continue;
      }
      const v = s.view[m];
      const ago = v === undefined || v.lastHeard === -Infinity ? null : Math.round(t - v.lastHeard);
      rows.push({ observer: snap.node, member: m, sees: v === undefined ? "unknown" : v.up ? v.state : "down", lastHeardAgoMs: ago, optime: v === undefined ? "" : formatOpTime(v.applied) });
    }
  }
  return rows;
}

/** The member whose data counts at the end: the primary of the highest term still up, else the member with the newest optime. Pure. */
export function finalPrimary(run: SimulationRun<ReplicaSetState>): NodeId {
  const snaps = run.clusterAt(run.endTime).filter((s) => s.up && s.state.role !== "ARBITER");
  const primaries = snaps.filter((s) => s.state.role === "PRIMARY").sort((a, b) => b.state.term - a.state.term);
  if (primaries.length > 0) return primaries[0].node;
  const all = snaps.length > 0 ? snaps : run.clusterAt(run.endTime);
  return [...all].sort((a, b) => compareOpTime(lastOpTime(b.state), lastOpTime(a.state)) || (a.node < b.node ? -1 : 1))[0].node;
}

/** Acknowledged writes absent from the final primary's data (the oplog keeps every version: "all-versions"). Pure. */
export function replicaSetLostWrites(run: SimulationRun<ReplicaSetState>): LostWritesResult {
  return findLostWrites(run.history, run.finalContents(finalPrimary(run)), "all-versions");
}

/** One rolled-back write: where, when, and whether a client had been told it succeeded. Plain data. */
export interface RolledBackWrite {
  readonly node: NodeId;
  readonly at: number;
  readonly key: string;
  readonly value: number;
  readonly acknowledged: boolean;
}

/** Every write that a rollback undid on any member, from the members' final rollback data. Pure. */
export function rolledBackWrites(run: SimulationRun<ReplicaSetState>): RolledBackWrite[] {
  const acked = new Set(run.history.filter((o) => o.type === "ok" && o.f === "write").map((o) => `${o.key}=${o.value}`));
  const rows: RolledBackWrite[] = [];
  for (const node of run.nodes) {
    for (const r of run.finalState(node).rollbacks) {
      for (const e of r.undone) if (e.op === "set") rows.push({ node, at: r.at, key: e.key, value: e.value, acknowledged: acked.has(`${e.key}=${e.value}`) });
    }
  }
  return rows;
}

/** Per write: how long after its commit at the primary `node` applied it (ms), from the `commit` and `apply-batch` notes. Pure. */
export function applyDelays(trace: Trace, node: NodeId): { index: number; delayMs: number }[] {
  const commits: { index: number; t: number }[] = [];
  const applied: { index: number; t: number }[] = [];
  for (const e of trace) {
    if (e.type !== "note" || typeof e.index !== "number") continue;
    if (e.kind === "commit") commits.push({ index: e.index, t: e.t });
    else if (e.kind === "apply-batch" && e.node === node) applied.push({ index: e.index, t: e.t });
  }
  const rows: { index: number; delayMs: number }[] = [];
  let j = 0;
  for (const c of commits) {
    while (j < applied.length && (applied[j].index < c.index || applied[j].t < c.t)) j++;
    if (j === applied.length) break;
    rows.push({ index: c.index, delayMs: applied[j].t - c.t });
  }
  return rows;
}
