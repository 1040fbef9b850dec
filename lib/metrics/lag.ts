/**
 * Replication lag, as DESIGN.md defines it: for replica r at time t, t minus the commit
 * time at the origin of the oldest write committed there but not yet applied at r (0 when
 * caught up); also counted in operations behind. Read from the trace's `commit` notes
 * (at the origin) and `apply` notes (at each replica), matched by the write's value; an
 * `install` note (a snapshot installed up to a log index) applies every earlier write.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import { requireNumber } from "../errors.js";
import type { NodeId, NoteEvent, Trace } from "../sim/trace.js";

/** Lag of one replica at one moment. */
export type LagRow = {
  readonly t: number;
  readonly replica: NodeId;
  /** ms behind the origin. */
  readonly lagMs: number;
  /** Writes committed at the origin and not yet applied here. */
  readonly opsBehind: number;
};

/** One write's trip to one replica. */
export type PropagationRow = {
  readonly replica: NodeId;
  readonly key: string;
  readonly value: number;
  readonly commitT: number;
  /** Apply time minus commit time, ms. */
  readonly delayMs: number;
};

function notes(trace: Trace, kind: string): NoteEvent[] {
  return trace.filter((e): e is NoteEvent => e.type === "note" && e.kind === kind && typeof e.value === "number");
}

/** Replicas that applied at least one write, in first-seen order. Pure. */
export function replicasOf(trace: Trace): NodeId[] {
  return [...new Set(notes(trace, "apply").map((e) => e.node))];
}

/**
 * Lag of each replica, sampled every `stepMs` from 0 to `endMs`. A write whose commit
 * note comes from several nodes (multi-leader) counts from its first commit. Pure.
 */
export function replicationLag(trace: Trace, opts: { stepMs: number; endMs: number; replicas?: readonly NodeId[] }): LagRow[] {
  requireNumber("stepMs", opts.stepMs, Number.MIN_VALUE);
  requireNumber("endMs", opts.endMs, 0);
  const commits = new Map<number, number>();
  const commitIndex = new Map<number, number>();
  for (const e of notes(trace, "commit")) {
    if (commits.has(e.value!)) continue;
    commits.set(e.value!, e.t);
    if (e.index !== undefined) commitIndex.set(e.value!, e.index);
  }
  const sortedCommits = [...commits.entries()].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  const replicas = opts.replicas ?? replicasOf(trace);
  const applied = new Map<NodeId, Map<number, number>>(replicas.map((r) => [r, new Map()]));
  for (const e of trace) {
    if (e.type !== "note") continue;
    const m = applied.get(e.node);
    if (!m) continue;
    if (e.kind === "apply" && typeof e.value === "number") {
      if (!m.has(e.value)) m.set(e.value, e.t);
    } else if (e.kind === "install" && e.index !== undefined) {
      // A snapshot installed up to `index` applies every write the origin logged before it.
      for (const [value, index] of commitIndex) if (index < e.index && !m.has(value) && commits.get(value)! <= e.t) m.set(value, e.t);
    }
  }
  const rows: LagRow[] = [];
  for (const r of replicas) {
    const at = applied.get(r)!;
    // Each write is "pending at r" during [commit, apply): lag(t) is t minus the start of
    // the oldest interval covering t. Intervals sorted by start; a sweep over t suffices.
    const start = sortedCommits.map(([, t]) => t);
    const end = sortedCommits.map(([v, t]) => Math.max(t, at.get(v) ?? Infinity));
    const endsSorted = [...end].sort((a, b) => a - b);
    let front = 0;
    let started = 0;
    let ended = 0;
    for (let t = 0; t <= opts.endMs + 1e-9; t += opts.stepMs) {
      while (front < start.length && end[front] <= t) front++;
      while (started < start.length && start[started] <= t) started++;
      while (ended < endsSorted.length && endsSorted[ended] <= t) ended++;
      // Intervals before `front` ended by t; later ones start no earlier than it does.
      const lagMs = front < start.length && start[front] <= t ? t - start[front] : 0;
      rows.push({ t, replica: r, lagMs, opsBehind: Math.max(0, started - ended) });
    }
  }
  return rows;
}

/** Every write's propagation delay to every replica that applied it. Pure. */
export function propagationDelays(trace: Trace): PropagationRow[] {
  const commits = new Map<number, { t: number; key: string }>();
  for (const e of notes(trace, "commit")) if (!commits.has(e.value!)) commits.set(e.value!, { t: e.t, key: e.key ?? "" });
  const seen = new Set<string>();
  const rows: PropagationRow[] = [];
  for (const e of notes(trace, "apply")) {
    const c = commits.get(e.value!);
    const id = `${e.node}/${e.value}`;
    if (!c || seen.has(id)) continue;
    seen.add(id);
    rows.push({ replica: e.node, key: c.key, value: e.value!, commitT: c.t, delayMs: e.t - c.t });
  }
  return rows;
}
