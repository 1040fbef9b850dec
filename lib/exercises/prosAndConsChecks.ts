/**
 * Checks for the exercises of notebook 07 (pros and cons). Each runs the student's answer
 * against the simulator or an enumeration, never against a library function the student
 * could call instead.
 *
 * Introduced in notebooks/07.00-Pros-and-Cons.ipynb (its Exercises).
 */
import { simulate } from "../sim/engine.js";
import { traffic } from "../metrics/traffic.js";
import { leaderlessQuorum } from "../protocols/leaderless/quorum.js";
import { quorumSafety } from "../prosCons/quorums.js";
import { benchConfig, benchVerdict, STRATEGY_NAMES } from "../prosCons/strategies.js";
import type { BenchVerdict, StrategyName } from "../prosCons/strategies.js";
import { bytesByLink, monthlyCost, totalUsd } from "../costs/costModel.js";
import type { CostPlacement, PriceTable } from "../costs/costModel.js";
import type { Trace } from "../sim/trace.js";
import type { ExerciseCheck } from "./check.js";

/**
 * Exercise 7.1 (a prediction): with five nodes instead of three (n1 and n2 in region A, n3, n4
 * and n5 in region B), which strategies keep serving through the loss of region A? The
 * student's map of strategy → verdict is checked against a run of each. Pure apart from
 * running simulations.
 */
export function checksForExercise71(prediction: () => Readonly<Partial<Record<StrategyName, BenchVerdict["verdict"]>>>, seed = 1, nodes = 5): ExerciseCheck[] {
  return STRATEGY_NAMES.map((s) => ({
    name: `${s}: the prediction matches a run of the region loss`,
    points: 1,
    hint: "count the nodes left (three of five) against what each strategy needs to accept a write: a majority, W of a key's N replicas, or just any leader",
    run: () => {
      const p = prediction()[s];
      if (p === undefined) throw new Error(`no prediction for "${s}"`);
      const got = benchVerdict(s, "region loss", simulate(benchConfig(s, "region loss", { seed, nodes })) as never).verdict;
      if (p !== got) throw new Error(`you predicted "${p}", the run says "${got}"`);
    },
  }));
}

/**
 * Exercise 7.2: replicas needed to tolerate f crashed or f lying nodes. The student's n must
 * pass the enumeration of every pair of quorums (and every set of liars) and n − 1 must fail,
 * for f = 1, 2, 3. Pure apart from calling `studentFn`.
 */
export function checksForExercise72(studentFn: (f: number, faults: "crash" | "byzantine") => number): ExerciseCheck[] {
  const checks: ExerciseCheck[] = [];
  for (const faults of ["crash", "byzantine"] as const) {
    checks.push({
      name: `${faults}: n is enough and n − 1 is not, for f = 1, 2, 3`,
      points: 2,
      hint: faults === "crash" ? "two quorums of n − f nodes must share at least one node" : "two quorums of n − f nodes must share at least f + 1 nodes, so one of them is honest",
      run: () => {
        for (const f of [1, 2, 3]) {
          const n = studentFn(f, faults);
          if (!Number.isInteger(n) || n < 1 || n > 12) throw new Error(`f = ${f}: n must be a whole number in [1, 12], got ${n}`);
          const ok = quorumSafety(n, f, faults);
          if (!ok.safe) throw new Error(`f = ${f}, n = ${n}: quorums ${JSON.stringify(ok.counterexample!.a)} and ${JSON.stringify(ok.counterexample!.b)} share no honest node (liars ${JSON.stringify(ok.counterexample!.liars)})`);
          if (n - 1 > f && quorumSafety(n - 1, f, faults).safe) throw new Error(`f = ${f}: n − 1 = ${n - 1} is already safe; find the smallest n`);
        }
      },
    });
  }
  return checks;
}

/**
 * Exercise 7.3: place `nodes` replicas in one region's zones (a, b, c) so that losing any one zone
 * leaves a majority, at the lowest transfer bill. Checked with the cost model on a run's
 * trace: the placement must keep a majority outside every zone, use one region, and cost no
 * more than the best such placement found by trying every assignment. Pure apart from
 * calling `studentFn`.
 */
export function checksForExercise73(
  studentFn: (nodes: readonly string[], trace: Trace, durationMs: number) => CostPlacement["nodes"],
  cases: readonly { name: string; nodes: readonly string[]; trace: Trace; durationMs: number; prices: PriceTable }[],
): ExerciseCheck[] {
  return cases.flatMap((c) => {
    const zones = ["a", "b", "c"];
    const survives = (p: CostPlacement["nodes"]) => zones.every((z) => c.nodes.filter((n) => p[n]?.zone !== z).length > c.nodes.length / 2);
    const bill = (p: CostPlacement["nodes"]) => totalUsd(monthlyCost(c.nodes.length, bytesByLink(c.trace, { nodes: p, clients: "internet" }), c.durationMs, c.prices));
    let best = Infinity;
    const assign = (i: number, acc: Record<string, { region: string; zone: string }>): void => {
      if (i === c.nodes.length) {
        if (survives(acc)) best = Math.min(best, bill(acc));
        return;
      }
      for (const z of zones) assign(i + 1, { ...acc, [c.nodes[i]]: { region: "A", zone: z } });
    };
    assign(0, {});
    return [
      {
        name: `${c.name}: losing any one zone leaves a majority, in one region`,
        points: 1,
        hint: "no zone may hold half of the nodes or more",
        run: () => {
          const p = studentFn(c.nodes, c.trace, c.durationMs);
          for (const n of c.nodes) if (p[n] === undefined) throw new Error(`${n} has no site`);
          if (new Set(c.nodes.map((n) => p[n].region)).size !== 1) throw new Error("your nodes are in more than one region: inter-region bytes cost more and a zone loss does not need it");
          if (!survives(p)) throw new Error("some zone holds half of the nodes or more: losing it loses the majority");
        },
      },
      {
        name: `${c.name}: costs no more than the cheapest placement that survives a zone loss ($${best.toFixed(2)} a month)`,
        points: 2,
        hint: "inter-AZ bytes are paid at both ends; put the pairs that talk most in the same zone",
        run: () => {
          const got = bill(studentFn(c.nodes, c.trace, c.durationMs));
          if (got > best + 1e-9) throw new Error(`your placement costs $${got.toFixed(2)} a month`);
        },
      },
    ];
  });
}

/**
 * Exercise 7.4 (a prediction): messages per write in leaderless replication on N nodes with
 * N = n (every node a replica, writes only, no repair traffic). Checked against runs with
 * N = 1 … 5. Pure apart from running simulations.
 */
export function checksForExercise74(studentFn: (n: number) => number): ExerciseCheck[] {
  return [1, 2, 3, 4, 5].map((n) => ({
    name: `N = ${n}: the predicted messages per write match a run`,
    points: 1,
    hint: "count the client's request and reply, then what the coordinator (itself a replica) sends to the other replicas and gets back",
    run: () => {
      const run = simulate({
        seed: 3, nodes: n, protocol: leaderlessQuorum, config: { n, r: 1, w: n, readRepair: false },
        network: { latency: { kind: "constant", value: 1 } },
        workload: { clients: 2, loop: "closed", thinkMs: { kind: "constant", value: 2 }, mix: { read: 0, update: 1 }, keys: { count: 10, distribution: "uniform" }, timeoutMs: 100, route: { read: "random", write: "random" }, stopMs: 300 },
        durationMs: 400,
      });
      const measured = traffic(run.trace, run.history).messagesPerOp;
      const p = studentFn(n);
      if (Math.abs(p - measured) > 1e-9) throw new Error(`you predicted ${p}, the run sent ${measured} messages per write`);
    },
  }));
}
