/**
 * `npm run bench`: simulator throughput on a standard scenario against a bare event loop
 * measured in the same process, so the ratio means something on a noisy machine.
 *
 * Standard scenario: 5 nodes, primary-backup to 5 copies acknowledged by a majority,
 * 20 closed-loop clients (50% reads, 50% writes, zipfian keys), a crash and restart of
 * a backup, and a partition that heals. Every moment stays inspectable (time travel by
 * deterministic replay), so the scenario pays for nothing it would skip in a notebook.
 *
 * Bare loop: the same heap library, one event in, one event out, no-op handlers.
 */
import { PriorityQueue } from "@datastructures-js/priority-queue";
import { compareScheduled, type Scheduled } from "../lib/sim/queue.js";
import { simulate } from "../lib/sim/engine.js";
import { primaryBackup } from "../lib/protocols/primaryBackup.js";
import { makeRng } from "../lib/sim/rng.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Events per second of a heap-driven loop whose handlers do nothing but schedule. */
function bareLoop(events: number): number {
  const rng = makeRng(1);
  const heap = new PriorityQueue<Scheduled>(compareScheduled);
  let seq = 0;
  for (let i = 0; i < 1000; i++) heap.enqueue({ t: rng.uniform(), seq: seq++, kind: 0, target: 0, a: null, b: 0 });
  const start = performance.now();
  for (let i = 0; i < events; i++) {
    const ev = heap.dequeue()!;
    heap.enqueue({ t: ev.t + rng.uniform(), seq: seq++, kind: ev.kind, target: ev.target, a: null, b: 0 });
  }
  return events / ((performance.now() - start) / 1000);
}

/** Events per second of the standard scenario (`recordStates`: keep every state too). */
function scenario(recordStates = false): { rate: number; events: number; run: ReturnType<typeof simulate> } {
  const start = performance.now();
  const run = simulate({
    seed: 7,
    nodes: 5,
    protocol: primaryBackup,
    config: { copies: 5, ack: "majority" },
    network: { latency: { kind: "exponential", rate: 1 }, fifo: true },
    storage: { fsync: { kind: "interval", everyMs: 10 } },
    faults: [
      { kind: "crash", at: 5_000, node: "n3" },
      { kind: "restart", at: 7_000, node: "n3" },
      { kind: "partition", at: 10_000, groups: [["n5"]] },
      { kind: "heal", at: 12_000 },
    ],
    workload: { clients: 20, loop: "closed", mix: { read: 0.5, update: 0.5 }, keys: { count: 1000, distribution: "zipfian" }, timeoutMs: 100 },
    durationMs: 20_000,
    recordStates,
  });
  const seconds = (performance.now() - start) / 1000;
  return { rate: run.events / seconds, events: run.events, run };
}

function fmt(rate: number): string {
  return `${(rate / 1e6).toFixed(2)} M events/s`;
}

const simRates: number[] = [];
const bareRates: number[] = [];
let events = 0;
for (let r = 0; r < ROUNDS; r++) {
  // Interleave the two so that machine noise hits both alike.
  const s = scenario();
  events = s.events;
  simRates.push(s.rate);
  bareRates.push(bareLoop(events));
}
const sim = median(simRates);
const bare = median(bareRates);
console.log(`simulator (standard scenario, ${events} events): ${fmt(sim)} (median of ${ROUNDS})`);
console.log(`bare event loop (same heap, no-op handlers):   ${fmt(bare)} (median of ${ROUNDS})`);
console.log(`ratio simulator / bare loop: ${((sim / bare) * 100).toFixed(0)} %`);

// Every moment stays inspectable: by deterministic replay (the default), or by keeping a
// reference to every state as the run goes (recordStates), which costs memory and speed.
const recorded = scenario(true);
console.log(`simulator keeping every state (recordStates): ${fmt(recorded.rate)} (one run)`);
const s = scenario();
let t = performance.now();
const mid = s.run.stateAt("n1", 10_000);
const replayMs = performance.now() - t;
t = performance.now();
recorded.run.stateAt("n1", 10_000);
const lookupMs = performance.now() - t;
console.log(`time travel: stateAt("n1", 10 s) by replay ${replayMs.toFixed(0)} ms, by lookup ${lookupMs.toFixed(3)} ms (log length there: ${(mid.state as { log: { length: number } }).log.length})`);

// The checkers' line, when that module is present.
try {
  const mod = (await import("./bench-checkers.js")) as { benchCheckers?: () => { lines: string[] } };
  for (const line of mod.benchCheckers?.().lines ?? []) console.log(line);
} catch (e) {
  if ((e as { code?: string }).code !== "ERR_MODULE_NOT_FOUND") throw e;
}
