/**
 * Checker throughput on a generated linearizable history: 10 000 operations over 10 keys
 * by 5 clients, each overlapping a few others (realistic concurrency, not adversarial).
 * Reports the linearizability search in operations per second, in total and for the
 * slowest key, and the other checkers' times. A benchmark, not a test: nothing here fails
 * on a slow machine. `npm run bench` prints `benchCheckers().lines`; run alone with
 * `npx tsx scripts/bench-checkers.ts`.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { checkLinearizability, checkRegisterLinearizability } from "../lib/checkers/linearizability.js";
import { checkSessionGuarantees } from "../lib/checkers/sessionGuarantees.js";
import { findLostWrites } from "../lib/checkers/lostWrites.js";
import { readStaleness } from "../lib/checkers/staleness.js";
import { pairOperations } from "../lib/checkers/operations.js";
import { singleCopyHistory, type SingleCopyStep } from "../lib/checkers/singleCopyHistory.js";
import { makeRng } from "../lib/sim/rng.js";

const OPS = 10_000, KEYS = 10, CLIENTS = 5, ROUNDS = 5;

/** The benchmark history: 50% reads, 40% writes, 10% cas; 2% indeterminate, 1% failed. */
function benchSteps(seed: number): SingleCopyStep[] {
  const rng = makeRng(seed);
  const steps: SingleCopyStep[] = [];
  for (let i = 0; i < OPS; i++) {
    const u = rng.uniform(), o = rng.uniform();
    steps.push({
      process: `c${1 + rng.int(CLIENTS)}`,
      f: u < 0.5 ? "read" : u < 0.9 ? "write" : "cas",
      key: `k${rng.int(KEYS)}`,
      gap: 1 + rng.int(4),
      before: rng.int(8),
      after: rng.int(8),
      outcome: o < 0.02 ? "info" : o < 0.03 ? "fail" : "ok",
      applied: rng.uniform() < 0.5,
      casHits: rng.uniform() < 0.7,
    });
  }
  return steps;
}

/** Mean number of other operations each operation's interval overlaps. */
function meanOverlap(history: ReturnType<typeof singleCopyHistory>["history"]): number {
  let open = 0, sum = 0, ops = 0;
  for (const e of history) {
    if (e.type === "invoke") { sum += open; open++; ops++; } else open--;
  }
  // Each overlapping pair is counted once, at the later invocation; an op overlaps its pairs twice over.
  return (2 * sum) / ops;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timed<T>(f: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = f();
  return { value, ms: performance.now() - start };
}

/** Runs the checker benchmark; returns the lines to print. Not pure: reads the clock. */
export function benchCheckers(): { lines: string[] } {
  const run = singleCopyHistory(benchSteps(2024));
  const history = run.history;
  const ops = pairOperations(history).length;
  const lin = [] as ReturnType<typeof checkLinearizability>[];
  const linMs: number[] = [];
  // One untimed pass of every checker first, so the timed rounds measure compiled code.
  const writeOrder = run.linearization.map((i) => history[i]).filter((e) => e.f !== "read").map((e) => e.value as number);
  const final = new Map([...run.finalState].map(([k, v]): [string, number[]] => [k, v === null ? [] : [v]]));
  checkLinearizability(history); checkSessionGuarantees(history, { writeOrder }); readStaleness(history); findLostWrites(history, final, "latest");
  for (let r = 0; r < ROUNDS; r++) {
    const t = timed(() => checkLinearizability(history));
    lin.push(t.value);
    linMs.push(t.ms);
  }
  const result = lin[0];
  if (result.valid !== true) throw new Error(`benchmark history should be linearizable: ${result.message}`);
  // Per key, on that key's own sub-history, so the time is the key's search and not the
  // pairing of the whole history.
  const perKey = result.keys.map((k) => {
    const own = history.filter((e) => e.key === k.key).map((e, index) => ({ ...e, index }));
    checkRegisterLinearizability(own, k.key);
    const ms = median(Array.from({ length: ROUNDS }, () => timed(() => checkRegisterLinearizability(own, k.key)).ms));
    return { key: k.key, ops: k.ops, steps: k.steps, ms };
  });
  const worst = perKey.reduce((a, b) => (b.ms > a.ms ? b : a));
  const session = median(Array.from({ length: ROUNDS }, () => timed(() => checkSessionGuarantees(history, { writeOrder })).ms));
  const stale = median(Array.from({ length: ROUNDS }, () => timed(() => readStaleness(history)).ms));
  const lost = median(Array.from({ length: ROUNDS }, () => timed(() => findLostWrites(history, final, "latest")).ms));
  const total = median(linMs);
  const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");
  return {
    lines: [
      `checkers: ${fmt(ops)} ops over ${KEYS} keys by ${CLIENTS} clients, each overlapping ${meanOverlap(history).toFixed(1)} others on average (median of ${ROUNDS})`,
      `  linearizability: ${total.toFixed(1)} ms, ${fmt(ops / (total / 1000))} ops/s, ${fmt(result.steps)} search steps`,
      `  slowest key ${worst.key}: ${worst.ops} ops, ${worst.ms.toFixed(1)} ms, ${fmt(worst.steps)} steps (${fmt(worst.ops / (worst.ms / 1000))} ops/s)`,
      `  session guarantees (all five): ${session.toFixed(1)} ms; staleness: ${stale.toFixed(1)} ms; lost writes: ${lost.toFixed(1)} ms`,
    ],
  };
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const line of benchCheckers().lines) console.log(line);
}
