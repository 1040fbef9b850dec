/**
 * Ready-made leaderless experiments that a notebook and the tests both run: quorum
 * availability when each node is down with a given probability, measured against the
 * binomial closed form.
 *
 * Introduced in notebooks/05.00-Leaderless-Replication.ipynb.
 */
import { requireInteger, requireNumber, requireProbability } from "../../errors.js";
import type { History } from "../../history/types.js";
import { quorumAvailability } from "../../pbs/closedForms.js";
import { simulate } from "../../sim/engine.js";
import type { Fault } from "../../sim/faults.js";
import { makeRng } from "../../sim/rng.js";
import type { NodeId } from "../../sim/trace.js";
import { pairOperations } from "../../checkers/operations.js";
import { leaderlessQuorum } from "./quorum.js";

/** Settings of `availabilityExperiment`. */
export interface AvailabilityOptions {
  readonly n: number;
  readonly r: number;
  readonly w: number;
  /** Nodes on the ring (N ≤ cluster). One more node coordinates and never fails. */
  readonly cluster: number;
  /** Probability that a node is down during an epoch. */
  readonly pDown: number;
  readonly sloppy: boolean;
  /** Independent epochs: each node is drawn up or down afresh in each (default 100). */
  readonly epochs?: number;
  readonly seed: number;
}

/** One measured availability against the closed form. Plain data. */
export interface QuorumAvailabilityRow {
  readonly kind: "read" | "write";
  readonly pDown: number;
  readonly sloppy: boolean;
  /** Mean over epochs of the fraction of ops that succeeded. */
  readonly measured: number;
  /** Standard error of `measured` (epochs are independent; ops within one are not). */
  readonly standardError: number;
  /** Binomial closed form: P(≥ R or W of the N replicas up), or of all `cluster` nodes when sloppy. */
  readonly closedForm: number;
  readonly epochs: number;
  readonly ops: number;
}

const EPOCH_MS = 600;
const TIMEOUT_MS = 300;

/**
 * Simulates `epochs` epochs; in each, every ring node is down with probability `pDown`
 * (crashed at the epoch's start, restarted at its end). A client sends reads and writes
 * on uniform keys to the coordinator node; an op is available if it succeeds. Returns one
 * row for reads and one for writes. Deterministic for a seed.
 */
export function availabilityExperiment(o: AvailabilityOptions): QuorumAvailabilityRow[] {
  requireInteger("cluster", o.cluster, 1, 50);
  requireProbability("pDown", o.pDown);
  const epochs = requireInteger("epochs", o.epochs ?? 100, 2);
  requireNumber("seed", o.seed);
  const replicas: NodeId[] = Array.from({ length: o.cluster }, (_, i) => `n${i + 1}`);
  const coordinator = `n${o.cluster + 1}`;
  const rng = makeRng(o.seed).fork("down");
  const faults: Fault[] = [];
  let wasDown = new Array<boolean>(o.cluster).fill(false);
  for (let e = 0; e < epochs; e++) {
    const down = replicas.map(() => rng.uniform() < o.pDown);
    replicas.forEach((node, i) => {
      if (down[i] && !wasDown[i]) faults.push({ kind: "crash", at: e * EPOCH_MS, node });
      if (!down[i] && wasDown[i]) faults.push({ kind: "restart", at: e * EPOCH_MS, node });
    });
    wasDown = down;
  }
  const durationMs = epochs * EPOCH_MS;
  const run = simulate({
    seed: o.seed,
    nodes: o.cluster + 1,
    protocol: leaderlessQuorum,
    config: { n: o.n, r: o.r, w: o.w, replicas, sloppy: o.sloppy, timeoutMs: TIMEOUT_MS, fallbackAfterMs: 40, readRepair: false },
    network: { latency: { kind: "exponential", rate: 1 / 2 } },
    workload: {
      clients: 2,
      loop: "open",
      ratePerSec: 60,
      mix: { read: 0.5, update: 0.5 },
      keys: { count: 200, distribution: "uniform" },
      timeoutMs: TIMEOUT_MS + 100,
      route: { read: coordinator, write: coordinator },
    },
    durationMs,
    recordStates: false,
    faults,
  });
  return (["read", "write"] as const).map((kind) => {
    const need = kind === "read" ? o.r : o.w;
    const perEpoch = epochAvailability(run.history, kind, epochs);
    const mean = perEpoch.reduce((s, x) => s + x.fraction, 0) / perEpoch.length;
    const variance = perEpoch.reduce((s, x) => s + (x.fraction - mean) ** 2, 0) / Math.max(1, perEpoch.length - 1);
    return {
      kind,
      pDown: o.pDown,
      sloppy: o.sloppy,
      measured: mean,
      standardError: Math.sqrt(variance / perEpoch.length),
      closedForm: o.sloppy ? quorumAvailability(o.cluster, need, o.pDown) : quorumAvailability(o.n, need, o.pDown),
      epochs: perEpoch.length,
      ops: perEpoch.reduce((s, x) => s + x.ops, 0),
    };
  });
}

/**
 * Per epoch: the fraction of `kind` ops invoked well inside it (not in its first ms nor
 * within a client timeout of its end) that succeeded. Epochs with no such op are skipped.
 */
function epochAvailability(history: History, kind: "read" | "write", epochs: number): { fraction: number; ops: number }[] {
  const ops = new Array<number>(epochs).fill(0);
  const ok = new Array<number>(epochs).fill(0);
  for (const op of pairOperations(history)) {
    if (op.f !== kind) continue;
    const e = Math.floor(op.invokeTime / EPOCH_MS);
    const into = op.invokeTime - e * EPOCH_MS;
    if (e >= epochs || into < 1 || into > EPOCH_MS - TIMEOUT_MS - 150) continue;
    ops[e]++;
    if (op.outcome === "ok") ok[e]++;
  }
  const out: { fraction: number; ops: number }[] = [];
  for (let e = 0; e < epochs; e++) if (ops[e] > 0) out.push({ fraction: ok[e] / ops[e], ops: ops[e] });
  return out;
}
