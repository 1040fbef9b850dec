/**
 * Checks for the partitioning and change-data-capture exercises of notebook 01.01. Each
 * tests behaviour, in a simulation or a placement experiment, never by comparing with a
 * library function the student could call: nothing in lib/index.ts weighs rendezvous scores,
 * applies a change idempotently or predicts a replay.
 *
 * Introduced in notebooks/01.01-Many-Servers.ipynb (its Exercises).
 */
import { ConfigError, requireInteger } from "../errors.js";
import { cdcPipeline, type CdcNodeState } from "../cdc/pipeline.js";
import { checkCdcCopy } from "../cdc/check.js";
import { makeRing, ownershipShares } from "../protocols/leaderless/ring.js";
import { loadImbalance, keyNames } from "../partitioning/metrics.js";
import { simulate } from "../sim/engine.js";
import type { SimulationRun } from "../sim/run.js";
import { mean, quantile } from "../stats.js";
import type { ExerciseCheck } from "./check.js";

// ---- Exercise 1.1.7: predict the duplicates a consumer crash causes ----------------------

/** The scenario of Exercise 1.1.7: write rate, commit period, crash and restart times. Data. */
export const EXERCISE_117 = { clients: 4, ratePerClient: 50, commitEveryMs: 200, crashAtMs: 1150, restartAtMs: 1300, seeds: 20, tolerance: 0.15 } as const;

/** One run of Exercise 1.1.7's scenario with seed `seed`. Pure. */
export function exercise117Run(seed: number): SimulationRun<CdcNodeState> {
  const p = EXERCISE_117;
  return simulate({
    seed, nodes: 3, protocol: cdcPipeline, config: { consumer: { commitEveryMs: p.commitEveryMs } },
    network: { latency: { kind: "exponential", rate: 1 } },
    workload: { clients: p.clients, loop: "open", ratePerSec: p.ratePerClient, mix: { read: 0, update: 1 }, keys: { distribution: "uniform", count: 100 }, timeoutMs: 100, route: { write: "n1" }, stopMs: 2000 },
    faults: [{ kind: "crash", at: p.crashAtMs, node: "n3" }, { kind: "restart", at: p.restartAtMs, node: "n3" }],
    durationMs: 2500, recordStates: false,
  });
}

/** Checks of Exercise 1.1.7: the prediction is within 15 % of the mean duplicates over 20 seeds. Pure apart from calling `predicted`. */
export function checksForExercise117(predicted: () => number): ExerciseCheck[] {
  const p = EXERCISE_117;
  return [{
    name: `within ${p.tolerance * 100} % of the mean duplicates over ${p.seeds} seeds`,
    points: 2,
    hint: "the replay starts at the last commit before the crash; how many changes did the leader log between that commit and the crash?",
    run: () => {
      const guess = predicted();
      if (typeof guess !== "number" || !Number.isFinite(guess)) throw new Error(`your prediction must be a number, got ${String(guess)}`);
      const counts = Array.from({ length: p.seeds }, (_, i) => checkCdcCopy(exercise117Run(9100 + i)).duplicates);
      const meanCount = mean(counts);
      if (!(Math.abs(guess - meanCount) <= p.tolerance * meanCount)) throw new Error(`you predicted ${guess.toFixed(1)}; the runs average ${meanCount.toFixed(1)} duplicates`);
    },
  }];
}

// ---- Exercise 1.1.5: weighted rendezvous hashing -------------------------------------------

/** A node with a capacity weight. Data. */
export interface WeightedNode {
  readonly id: string;
  readonly weight: number;
}

/** A weighted placement a student writes: the node of `key` among `nodes`. */
export type WeightedOwner = (nodes: readonly WeightedNode[], key: string) => string;

const P2_KEYS = keyNames(20_000, "item");

function shareCheck(owner: WeightedOwner, nodes: readonly WeightedNode[]): void {
  const total = nodes.reduce((a, n) => a + n.weight, 0);
  const counts = new Map<string, number>(nodes.map((n) => [n.id, 0]));
  for (const k of P2_KEYS) {
    const o = owner(nodes, k);
    if (!counts.has(o)) throw new Error(`owner(…, "${k}") returned ${JSON.stringify(o)}, which is not one of the nodes`);
    counts.set(o, counts.get(o)! + 1);
  }
  for (const n of nodes) {
    const want = n.weight / total;
    const got = counts.get(n.id)! / P2_KEYS.length;
    const se = Math.sqrt((want * (1 - want)) / P2_KEYS.length);
    if (Math.abs(got - want) > 4 * se) throw new Error(`${n.id} (weight ${n.weight}) holds ${(got * 100).toFixed(1)} % of the keys; its weight asks for ${(want * 100).toFixed(1)} %`);
  }
}

/** Checks of Exercise 1.1.5 (weighted rendezvous): shares follow the weights, a join moves only what it must. Pure apart from calling `owner`. */
export function checksForExercise115(owner: WeightedOwner): ExerciseCheck[] {
  const equal = ["a", "b", "c", "d", "e"].map((id) => ({ id, weight: 1 }));
  const mixed = [{ id: "small", weight: 1 }, { id: "medium", weight: 2 }, { id: "large", weight: 4 }, { id: "huge", weight: 8 }];
  return [
    {
      name: "equal weights: every node holds 1/5 of the keys (within 4 standard errors)",
      hint: "with equal weights this is plain rendezvous hashing: the highest hash of (node, key) wins",
      run: () => shareCheck(owner, equal),
    },
    {
      name: "weights 1, 2, 4, 8: each node's share of keys is its weight ÷ the total (within 4 standard errors)",
      points: 2,
      hint: "turn the hash into u in (0, 1) and score each node with −weight / ln(u)",
      run: () => shareCheck(owner, mixed),
    },
    {
      name: "adding a node of weight 5 moves only keys to it, and moves its share 5/20 of them (within 4 standard errors)",
      points: 2,
      hint: "a node's score must depend only on the node and the key, never on the other nodes",
      run: () => {
        const grown = [...mixed, { id: "new", weight: 5 }];
        let moved = 0;
        for (const k of P2_KEYS) {
          const before = owner(mixed, k), after = owner(grown, k);
          if (before === after) continue;
          if (after !== "new") throw new Error(`key ${k} moved from ${before} to ${after}: a join must only move keys to the newcomer`);
          moved++;
        }
        const want = 5 / 20, got = moved / P2_KEYS.length;
        if (Math.abs(got - want) > 4 * Math.sqrt((want * (1 - want)) / P2_KEYS.length)) throw new Error(`the join moved ${(got * 100).toFixed(1)} % of the keys; the newcomer's weight asks for ${(want * 100).toFixed(1)} %`);
      },
    },
  ];
}

// ---- Exercise 1.1.8: an idempotent apply ----------------------------------------------------

/** A change as the consumer receives it. Data. */
export interface DeliveredChange {
  readonly key: string;
  readonly value: number;
  /** The change's position in the leader's log. */
  readonly index: number;
}

/** What the student's copy holds per key: the value and the log index it came from. */
export type VersionedCopy = ReadonlyMap<string, { readonly value: number; readonly index: number }>;

/** The student's apply: the copy after applying one change (a new map, or the same one unchanged). */
export type ApplyChange = (copy: VersionedCopy, change: DeliveredChange) => VersionedCopy;

/** Every change the consumer of `run` received, in delivery order, duplicates included (from its trace). Pure. */
export function deliveredChanges(run: SimulationRun<CdcNodeState>): DeliveredChange[] {
  const consumer = run.nodes[run.nodes.length - 1];
  const out: DeliveredChange[] = [];
  for (const e of run.trace) {
    if (e.type === "note" && e.node === consumer && (e.kind === "apply" || e.kind === "duplicate") && e.key !== undefined && typeof e.value === "number" && e.index !== undefined) {
      out.push({ key: e.key, value: e.value, index: e.index });
    }
  }
  return out;
}

/** Checks of Exercise 1.1.8 (idempotent apply): small cases, then a whole crashed run's deliveries rebuild the source. Pure apart from calling `apply`. */
export function checksForExercise118(apply: ApplyChange, run: SimulationRun<CdcNodeState>): ExerciseCheck[] {
  const fold = (changes: readonly DeliveredChange[]) => changes.reduce<VersionedCopy>((copy, c) => apply(copy, c), new Map());
  const valueOf = (copy: VersionedCopy, key: string) => copy.get(key)?.value;
  return [
    {
      name: "applying the same change twice gives the copy of applying it once",
      hint: "a duplicate carries an index the copy already holds for its key",
      run: () => {
        const c = { key: "x", value: 7, index: 3 };
        const once = fold([c]), twice = fold([c, c]);
        if (valueOf(once, "x") !== 7 || valueOf(twice, "x") !== 7 || twice.size !== 1) throw new Error("applying x=7 once or twice should leave x = 7 and nothing else");
      },
    },
    {
      name: "a replayed older change does not take a key back in time",
      hint: "compare the change's index with the one the copy holds for its key",
      run: () => {
        const got = valueOf(fold([{ key: "x", value: 1, index: 1 }, { key: "x", value: 2, index: 5 }, { key: "x", value: 1, index: 1 }]), "x");
        if (got !== 2) throw new Error(`after x=1 (index 1), x=2 (index 5), then x=1 (index 1) again, your copy holds x = ${String(got)}`);
      },
    },
    {
      name: "the deliveries of a run with a consumer crash, duplicates and all, rebuild the leader's data",
      points: 2,
      hint: "keys are independent: one key's index says nothing about another's",
      run: () => {
        const check = checkCdcCopy(run);
        if (check.snapshotOffset !== 0) throw new ConfigError("run", "must take its snapshot before the first write, so the deliveries alone rebuild the data", "use consumer startMs: 0 and start the workload later (workload.startMs: 50)");
        const copy = fold(deliveredChanges(run));
        const leader = run.finalState(run.nodes[0]);
        if (leader.role !== "source") throw new Error("the run's first node is not the source");
        const wrong = [...leader.inner.kv].filter(([k, v]) => valueOf(copy, k) !== v).map(([k]) => k);
        if (wrong.length > 0 || copy.size !== leader.inner.kv.size) throw new Error(`${wrong.length} key(s) differ from the leader (e.g. ${wrong.slice(0, 3).join(", ")}); the copy has ${copy.size} keys, the leader ${leader.inner.kv.size}; ${check.duplicates} changes were delivered twice`);
      },
    },
  ];
}

// ---- Exercise 1.1.6: how many virtual nodes? -----------------------------------------------

/** The target of Exercise 1.1.6: 10 nodes, a median over 40 clusters of max/mean ownership at most 1.15. Data. */
export const EXERCISE_116 = { nodes: 10, clusters: 40, target: 1.15 } as const;

function medianImbalance(vnodes: number): number {
  const p = EXERCISE_116;
  const xs = Array.from({ length: p.clusters }, (_, r) => loadImbalance(ownershipShares(makeRing(Array.from({ length: p.nodes }, (_, i) => `p4-${r}-n${i + 1}`), vnodes))));
  return quantile(xs, 0.5);
}

/** Checks of Exercise 1.1.6: the student's token count meets the balance target, and a quarter of it would not. Pure apart from calling `chosen`. */
export function checksForExercise116(chosen: () => number): ExerciseCheck[] {
  const p = EXERCISE_116;
  const get = () => {
    const v = chosen();
    requireInteger("vnodes", v, 1, 4096);
    return v;
  };
  return [
    {
      name: `meets the target: median max/mean share over ${p.clusters} clusters of ${p.nodes} nodes at most ${p.target}`,
      points: 2,
      hint: "the busiest of 10 nodes sits about 1.5 standard deviations above the mean, and one standard deviation is about 1/√vnodes of the mean",
      run: () => {
        const v = get(), m = medianImbalance(v);
        if (!(m <= p.target)) throw new Error(`with ${v} tokens per node the median imbalance is ${m.toFixed(3)}`);
      },
    },
    {
      name: "is not wasteful: a quarter of your token count would miss the target",
      hint: "more tokens cost memory and lookup time on every node; solve 1 + 1.5/√v = target for v",
      run: () => {
        const v = get();
        const quarter = Math.max(1, Math.floor(v / 4));
        const m = medianImbalance(quarter);
        if (m <= p.target) throw new Error(`${quarter} tokens per node (a quarter of ${v}) already give ${m.toFixed(3)}: ${v} is more than the target needs`);
      },
    },
  ];
}
