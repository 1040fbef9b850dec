/**
 * Checks for the exercises of notebook 01.01 (the load-balancer part). Each check runs the
 * student's answer through the balancer in the simulator, or tests it against a property,
 * never against a library function the student could call instead.
 *
 * Introduced in notebooks/01.01-Many-Servers.ipynb (its Exercises).
 */
import type { ChooseServer, HealthCheckConfig } from "../balancing/config.js";
import { runBalancedCluster } from "../balancing/experiments.js";
import { clientLatencies, servedCopies, timeInSystem } from "../balancing/metrics.js";
import { supermarketTimeInSystem } from "../balancing/supermarket.js";
import { makeRng } from "../sim/rng.js";
import type { Distribution } from "../sim/distributions.js";
import type { ExerciseCheck } from "./check.js";

/** Views of `n` servers with distinct loads 0…n−1 in a shuffled order, and a seeded random. */
function shuffledViews(n: number, trials: number, seed: number) {
  const rng = makeRng(seed);
  return Array.from({ length: trials }, (_, t) => {
    const outstanding = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [outstanding[i], outstanding[j]] = [outstanding[j], outstanding[i]];
    }
    return { servers: outstanding.map((_, i) => `n${i + 2}`), outstanding, key: `k${t}`, random: () => rng.uniform() };
  });
}

/**
 * Checks of Exercise 1.1.1 (power of two choices as a policy function): a valid index; the rank
 * of the chosen server's load is that of the lesser of two uniform draws (mean 1/3 of the
 * servers, within 3 standard errors: not 1/2 as one random choice, not 0 as the least loaded
 * of all); and in the simulator, 100 servers at load 0.8 spend a mean time in system within
 * 3 standard errors of the supermarket model's two-choice value.
 */
export function checksForExercise111(choose: ChooseServer): ExerciseCheck[] {
  return [
    {
      name: "returns an index into view.servers",
      run: () => {
        for (const view of shuffledViews(7, 200, 111)) {
          const i = choose(view);
          if (!Number.isInteger(i) || i < 0 || i >= view.servers.length) throw new Error(`returned ${String(i)} for a view of ${view.servers.length} servers`);
        }
      },
    },
    {
      name: "picks like the lesser of two random servers (mean load rank 1/3 of the servers)",
      points: 2,
      hint: "draw two indices with view.random(), each uniform over all the servers, and keep the one with fewer outstanding",
      run: () => {
        const n = 200;
        const trials = 3000;
        let sum = 0;
        for (const view of shuffledViews(n, trials, 112)) sum += view.outstanding[choose(view)] / (n - 1);
        const mean = sum / trials;
        // The minimum of two uniforms on [0, 1] has mean 1/3 and variance 1/18.
        const se = Math.sqrt(1 / 18 / trials);
        if (Math.abs(mean - 1 / 3) > 3 * se + 1 / n) {
          const what = mean < 0.1 ? "that is close to always the least loaded: look at two servers, not all" : mean > 0.45 ? "that is close to one random choice" : "";
          throw new Error(`the chosen server's load rank averages ${mean.toFixed(3)} of the servers, not 1/3 ± ${(3 * se).toFixed(3)}; ${what}`);
        }
      },
    },
    {
      name: "in the simulator (100 servers, load 0.8): mean time in system within 3 SE of the two-choice closed form",
      points: 2,
      hint: "the closed form assumes two independent uniform draws with replacement",
      run: () => {
        const run = runBalancedCluster({ seed: 1101, servers: 100, policy: { kind: "custom", name: "student", choose }, load: 0.8, durationMs: 600 });
        const s = timeInSystem(servedCopies(run.trace), 150, 560, 10);
        const want = supermarketTimeInSystem(0.8, 2);
        if (!(Math.abs(s.meanTimeMs - want) <= 3 * s.seTimeMs)) throw new Error(`mean time in system ${s.meanTimeMs.toFixed(3)} ms ± ${s.seTimeMs.toFixed(3)} (SE); the model gives ${want.toFixed(3)} ms`);
      },
    },
  ];
}

/** The run Exercise 1.1.2 predicts: one random choice among 60 servers at load 0.8. */
function randomChoiceRun() {
  const run = runBalancedCluster({ seed: 1201, servers: 60, policy: { kind: "random" }, load: 0.8, durationMs: 1100 });
  return timeInSystem(servedCopies(run.trace), 250, 1050, 10);
}

/**
 * Checks of Exercise 1.1.2 (predict the p99 queueing delay of one random choice at load 0.8):
 * the prediction is within 10 % of the simulated p99 (about 38,000 requests after warm-up).
 */
export function checksForExercise112(predicted: () => number): ExerciseCheck[] {
  return [
    {
      name: "within 10 % of the simulated p99 queueing delay (60 servers, load 0.8)",
      points: 2,
      hint: "with one random choice each server is an M/M/1 queue; its waiting time is 0 with probability 1 − ρ and exponential otherwise",
      run: () => {
        const p = predicted();
        const s = randomChoiceRun();
        if (!(typeof p === "number" && Math.abs(p - s.p99WaitMs) <= 0.1 * s.p99WaitMs)) {
          throw new Error(`you predicted ${String(p)} ms; the run's p99 queueing delay is ${s.p99WaitMs.toFixed(2)} ms`);
        }
      },
    },
  ];
}

/**
 * Checks of Exercise 1.1.3 (health-check settings): probes no more often than every 5 ms; a
 * server paused for 40 ms (a garbage-collection pause) is never marked down; a crashed
 * server is marked down within 100 ms.
 */
export function checksForExercise113(settings: () => HealthCheckConfig): ExerciseCheck[] {
  const runWith = (faults: Parameters<typeof runBalancedCluster>[0]["faults"]) =>
    runBalancedCluster({ seed: 1301, servers: 5, policy: { kind: "round-robin" }, load: 0.3, durationMs: 1000, timeoutMs: 200, healthCheck: settings(), faults });
  const downs = (run: ReturnType<typeof runWith>) =>
    run.trace.filter((e) => e.type === "note" && e.kind === "server-down").map((e) => ({ t: e.t, server: String((e as { data?: { server?: unknown } }).data?.server) }));
  return [
    {
      name: "probes every server at most every 5 ms",
      hint: "intervalMs is the time between two probes",
      run: () => {
        const s = settings();
        if (!(s.intervalMs >= 5)) throw new Error(`intervalMs is ${s.intervalMs}: that is more probe traffic than the servers' budget`);
      },
    },
    {
      name: "never marks down a server paused for 40 ms",
      points: 2,
      hint: "a server is marked down after `fall` unanswered probes in a row: how long do they take?",
      run: () => {
        const run = runWith([{ kind: "pause", at: 400, node: "n4" }, { kind: "resume", at: 440, node: "n4" }]);
        const d = downs(run);
        if (d.length > 0) throw new Error(`${d[0].server} was marked down at ${d[0].t.toFixed(1)} ms, during or after its 40 ms pause`);
      },
    },
    {
      name: "marks a crashed server down within 100 ms",
      points: 2,
      hint: "detection takes about fall × intervalMs, plus up to one interval",
      run: () => {
        const run = runWith([{ kind: "crash", at: 400, node: "n4" }]);
        const d = downs(run).find((x) => x.server === "n4");
        if (d === undefined) throw new Error("the crashed server n4 was never marked down");
        if (d.t - 400 > 100) throw new Error(`n4 crashed at 400 ms and was marked down ${(d.t - 400).toFixed(1)} ms later`);
      },
    },
  ];
}

/** 2 % of the copies take 1 s, the rest about 1 ms. */
const TWO_PERCENT_SLOW: Distribution = {
  kind: "mixture",
  components: [
    { weight: 0.98, dist: { kind: "exponential", rate: 1 } },
    { weight: 0.02, dist: { kind: "constant", value: 1000 } },
  ],
};

/**
 * Checks of Exercise 1.1.4 (predict the slow fraction of a fan-out to 40 servers when 2 % of
 * copies take 1 s): within 3 binomial standard errors of the fraction of client requests
 * that took 1 s or more in a run.
 */
export function checksForExercise114(predicted: () => number): ExerciseCheck[] {
  return [
    {
      name: "within 3 standard errors of the fraction of slow requests in a run (fan-out 40)",
      points: 2,
      hint: "a request is fast only if all 40 of its copies are fast",
      run: () => {
        const p = predicted();
        const run = runBalancedCluster({ seed: 1401, servers: 40, policy: { kind: "round-robin" }, serviceMs: TWO_PERCENT_SLOW, cores: 1000, requestsPerSec: 300, fanOut: 40, durationMs: 6000, timeoutMs: 5000 });
        const lat = clientLatencies(run.history, 0, 4500);
        const slow = lat.filter((x) => x >= 1000).length / lat.length;
        const se = Math.sqrt((slow * (1 - slow)) / lat.length);
        if (!(typeof p === "number" && Math.abs(p - slow) <= 3 * se)) throw new Error(`you predicted ${String(p)}; in the run ${(100 * slow).toFixed(1)} % ± ${(100 * se).toFixed(1)} % of ${lat.length} requests took 1 s or more`);
      },
    },
  ];
}
