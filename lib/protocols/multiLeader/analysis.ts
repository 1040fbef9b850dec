/**
 * Measurements of a multi-leader run, as pure functions of its trace, history and final
 * states, and the closed form of the conflict rate they are compared with.
 *
 * The closed form: with writes to a key arriving at each of L leaders as a Poisson process of
 * rate λ, and a one-way delay d between every two leaders, a write taken at time t by one
 * leader is concurrent with a write another leader took in (t − d, t + d): neither had
 * received the other. So it conflicts with probability 1 − exp(−2(L−1)λd); with unequal
 * delays, 1 − exp(−λ Σ_j (d_ij + d_ji)) at leader i. With keys of unequal popularity
 * p_k (and λ = p_k times a leader's write rate), the fraction of conflicting writes is
 * Σ_k p_k (1 − exp(−2(L−1) r p_k d)).
 *
 * Introduced in notebooks/04.00-Multi-Leader-Replication.ipynb.
 */
import { pairOperations } from "../../checkers/operations.js";
import { ConfigError, requireInteger, requireNumber } from "../../errors.js";
import type { History } from "../../history/types.js";
import type { NodeId, NoteEvent, Trace } from "../../sim/trace.js";
import { zeta } from "../../workload/keys.js";
import type { KeySpec } from "../../workload/keys.js";
import { compareVv, type VersionVector } from "../shared/versionVector.js";

/**
 * Probability that a write conflicts, all-to-all with equal one-way delay `delayMs` between
 * `leaders` leaders and Poisson writes of `ratePerSec` per key per leader: 1 − exp(−2(L−1)λd). Pure.
 */
export function conflictProbability(leaders: number, ratePerSec: number, delayMs: number): number {
  requireInteger("leaders", leaders, 2);
  requireNumber("ratePerSec", ratePerSec, 0);
  requireNumber("delayMs", delayMs, 0);
  return 1 - Math.exp((-2 * (leaders - 1) * ratePerSec * delayMs) / 1000);
}

/**
 * The same with one-way delays that differ per link (`delayMs[i][j]` from leader i to j) and
 * equal write rates at every leader: the mean over leaders of 1 − exp(−λ Σ_j (d_ij + d_ji)). Pure.
 */
export function conflictProbabilityByLink(ratePerSec: number, delayMs: readonly (readonly number[])[]): number {
  requireNumber("ratePerSec", ratePerSec, 0);
  const L = delayMs.length;
  if (L < 2) throw new ConfigError("delayMs", `needs at least 2 leaders, got ${L}`, "give an L × L matrix of one-way delays");
  let sum = 0;
  for (let i = 0; i < L; i++) {
    let window = 0;
    for (let j = 0; j < L; j++) if (j !== i) window += delayMs[i][j] + delayMs[j][i];
    sum += 1 - Math.exp((-ratePerSec * window) / 1000);
  }
  return sum / L;
}

/**
 * The fraction of writes that conflict when each leader writes `ratePerSec` in all (over
 * every key), keys drawn with probabilities `keyProbabilities`: Σ_k p_k (1 − exp(−2(L−1) r p_k d)). Pure.
 */
export function conflictFractionOverKeys(leaders: number, ratePerSec: number, delayMs: number, keyProbabilities: readonly number[]): number {
  let sum = 0;
  for (const p of keyProbabilities) sum += p * conflictProbability(leaders, ratePerSec * p, delayMs);
  return sum;
}

/**
 * The probability of each key index under a workload's key spec, as its chooser draws them:
 * uniform, or the zipfian sampler's own probabilities (Gray et al.'s method is exact for
 * ranks 0 and 1 and approximates the rest; these are the sampler's, not the ideal Zipf
 * law's). `latest` is zipfian counted from the last key. Pure.
 */
export function keyProbabilities(spec: KeySpec): number[] {
  const n = spec.count;
  if (spec.distribution === "uniform") return Array.from({ length: n }, () => 1 / n);
  const theta = spec.theta ?? 0.99;
  const zetan = zeta(n, theta);
  const zeta2 = zeta(2, theta);
  const alpha = 1 / (1 - theta);
  const eta = (1 - Math.pow(2 / n, 1 - theta)) / (1 - zeta2 / zetan);
  // u is uniform in [0, 1): rank 0 for u·ζ < 1, rank 1 up to 1 + 0.5^θ, else
  // floor(n (η u − η + 1)^α) clamped to n − 1; invert that map for each rank's interval of u.
  const p = new Array<number>(n).fill(0);
  const u0 = 1 / zetan;
  const u1 = Math.min(1, (1 + Math.pow(0.5, theta)) / zetan);
  p[0] += Math.min(1, u0);
  if (n > 1) p[1] += Math.max(0, u1 - u0);
  const uOf = (x: number): number => (Math.pow(x / n, 1 / alpha) - 1 + eta) / eta; // u where n(ηu−η+1)^α = x
  for (let r = 0; r < n; r++) {
    const lo = Math.max(u1, uOf(r));
    const hi = r === n - 1 ? 1 : Math.min(1, uOf(r + 1));
    if (hi > lo) p[Math.min(n - 1, r)] += hi - lo;
  }
  if (spec.distribution === "latest") p.reverse();
  return p;
}

/** A committed write as its origin noted it: the key, the unique value and its version. Plain data. */
export interface CommitNote {
  readonly t: number;
  readonly node: NodeId;
  readonly key: string;
  readonly value: number;
  /** The origin's local clock when it took the write. */
  readonly ts: number;
  readonly origin: NodeId;
  readonly seq: number;
  readonly vv: VersionVector;
}

/** Every write committed in a run, from the origins' `commit` notes, in trace order. Pure. */
export function commitNotes(trace: Trace): CommitNote[] {
  const out: CommitNote[] = [];
  for (const e of trace) {
    if (e.type !== "note" || e.kind !== "commit" || e.key === undefined) continue;
    const d = (e as NoteEvent).data as { ts: number; origin: NodeId; seq: number; vv: VersionVector };
    out.push({ t: e.t, node: e.node, key: e.key, value: e.value as number, ts: d.ts, origin: d.origin, seq: d.seq, vv: d.vv });
  }
  return out;
}

/** The conflict rate of the writes committed in a window. Plain data. */
export interface WindowConflicts {
  /** Writes committed in [fromMs, toMs]. */
  readonly writes: number;
  /** Of those, writes concurrent (by version vector) with some other write of the key. */
  readonly concurrent: number;
  readonly fraction: number;
}

/**
 * DESIGN.md's conflict rate counted over the writes committed in [fromMs, toMs] only (each
 * compared with every write of its key, in or out of the window), so writes near the start
 * and end of the run, which have fewer neighbours, do not bias it. Pure.
 */
export function conflictsInWindow(trace: Trace, fromMs = 0, toMs = Infinity): WindowConflicts {
  const byKey = new Map<string, CommitNote[]>();
  for (const c of commitNotes(trace)) {
    const list = byKey.get(c.key);
    if (list === undefined) byKey.set(c.key, [c]);
    else list.push(c);
  }
  let writes = 0, concurrent = 0;
  for (const list of byKey.values()) {
    for (let i = 0; i < list.length; i++) {
      if (list[i].t < fromMs || list[i].t > toMs) continue;
      writes++;
      if (list.some((o, j) => j !== i && compareVv(list[i].vv, o.vv) === "concurrent")) concurrent++;
    }
  }
  return { writes, concurrent, fraction: writes === 0 ? 0 : concurrent / writes };
}

/** What last-writer-wins did with a run's writes. Plain data. */
export interface LwwLosses {
  /** Distinct writes that lost to a concurrent write (discarded silently). */
  readonly discarded: readonly number[];
  /** Distinct writes that lost to a write they causally follow (a skewed clock). */
  readonly causalLoss: readonly number[];
}

/** The writes LWW discarded and lost to skew, from the leaders' notes. Pure. */
export function lwwLosses(trace: Trace): LwwLosses {
  const discarded = new Set<number>();
  const causalLoss = new Set<number>();
  for (const e of trace) {
    if (e.type !== "note") continue;
    if (e.kind === "lww-discard") discarded.add(e.value as number);
    else if (e.kind === "lww-causal-loss") causalLoss.add(e.value as number);
  }
  const sort = (s: Set<number>) => [...s].sort((a, b) => a - b);
  return { discarded: sort(discarded), causalLoss: sort(causalLoss) };
}

/** How many values each successful read returned (1 for a plain value, 0 for none), in history order. Pure. */
export function siblingsPerRead(history: History): { t: number; siblings: number }[] {
  return pairOperations(history)
    .filter((o) => o.f === "read" && o.outcome === "ok")
    .map((o) => ({ t: o.completeTime as number, siblings: o.siblings?.length ?? (o.value === null ? 0 : 1) }));
}

/** Writes applied at a leader before one they depend on (the `overtake` notes), per node. Pure. */
export function overtakes(trace: Trace): Map<NodeId, number> {
  const m = new Map<NodeId, number>();
  for (const e of trace) if (e.type === "note" && e.kind === "overtake") m.set(e.node, (m.get(e.node) ?? 0) + 1);
  return m;
}

/** Messages of one type sent over a run, per client write committed (retransmissions included). Pure. */
export function messagesPerWrite(trace: Trace, type = "replicate"): number {
  let sent = 0, writes = 0;
  for (const e of trace) {
    if (e.type === "send" && e.msg === type) sent++;
    else if (e.type === "note" && e.kind === "commit") writes++;
  }
  return writes === 0 ? 0 : sent / writes;
}

/** Certification's outcome over a run. Plain data. */
export interface CertifySummary {
  readonly writes: number;
  readonly committed: number;
  /** Writes rolled back with a definite error (conflicts). */
  readonly aborted: number;
  readonly abortFraction: number;
}

/** Committed and rolled-back writes of a certify run, from the history. Pure. */
export function certifySummary(history: History): CertifySummary {
  const writes = pairOperations(history).filter((o) => o.f === "write");
  const committed = writes.filter((o) => o.outcome === "ok").length;
  const aborted = writes.filter((o) => o.outcome === "fail").length;
  const decided = committed + aborted;
  return { writes: writes.length, committed, aborted, abortFraction: decided === 0 ? 0 : aborted / decided };
}
