/**
 * `npm run bench`: simulator throughput on a standard scenario against baselines measured
 * in the same process, so the ratios mean something on a noisy machine.
 *
 * Standard scenario: 5 nodes, primary-backup to 5 copies acknowledged by a majority,
 * 20 closed-loop clients (50% reads, 50% writes, zipfian keys), a crash and restart of
 * a backup, and a partition that heals. Every moment stays inspectable (time travel by
 * replay from the run's checkpoints), so the scenario pays for nothing it would skip in a
 * notebook.
 *
 * Baselines, each run interleaved with the simulator:
 * - fair bare loop: the project's own queue (lib/sim/queue.ts) whose heap holds as many
 *   events as the simulator's heap holds on average in this scenario (measured, printed),
 *   one event out and one in per step, handlers that do nothing;
 * - the old bare loop (the heap library alone, 1,000 events held), kept for comparison:
 *   a bigger heap is slower per event, so it flattered the ratio;
 * - the same model as a plain mutable event loop: the scenario's clients, primary and
 *   backups, network, fsync ticks, crash and partition, with mutable state, no trace, no
 *   history objects and no protocol API. It is simpler than the protocol (a restarted
 *   backup does not catch up; see `plainModel`), so its event count is printed beside.
 *
 * Then the cost of a key-value write to a replica's state, immutable.js against the
 * VersionedMap primary-backup uses (`kvWrites`), and what reading a run's trace costs in
 * memory and time, lazy view against eager array (`traceMemory`).
 */
import { PriorityQueue } from "@datastructures-js/priority-queue";
import { compareScheduled, EventQueue, type Scheduled } from "../lib/sim/queue.js";
import { replayFromStart, simulate, simulateWithCheckpoints } from "../lib/sim/engine.js";
import { primaryBackup } from "../lib/protocols/primaryBackup.js";
import { makeRng } from "../lib/sim/rng.js";
import { VersionedMap } from "../lib/sim/versionedMap.js";
import { Map as ImmutableMap } from "immutable";
import type { Trace, TraceEvent } from "../lib/sim/trace.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Events per second of the old baseline: the heap library alone, 1,000 events held, no-op handlers. */
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

/**
 * Events per second of the fair baseline: the project's EventQueue holding `held` events
 * (the simulator's measured mean), recycling them as the engine does, no-op handlers.
 */
function fairBareLoop(events: number, held: number): number {
  const rng = makeRng(1);
  const queue = new EventQueue();
  for (let i = 0; i < held; i++) queue.push(rng.uniform(), 0, 0, null, 0);
  const start = performance.now();
  for (let i = 0; i < events; i++) {
    const ev = queue.pop()!;
    queue.push(ev.t + rng.uniform(), ev.kind, ev.target, null, 0);
    queue.release(ev);
  }
  return events / ((performance.now() - start) / 1000);
}

/**
 * The simulator's mean queue sizes over the standard scenario, sampled at every pop
 * (untimed): the heap, and everything (heap plus the FIFO lanes, which cost O(1) per event
 * whatever their length; most of what they hold is timeouts of finished operations).
 */
function meanQueueSize(): { heap: number; all: number } {
  const proto = EventQueue.prototype as unknown as { pop: () => Scheduled | null };
  const pop = proto.pop;
  let total = 0;
  let heap = 0;
  let pops = 0;
  proto.pop = function (this: EventQueue) {
    total += this.size;
    heap += this.heapSize;
    pops++;
    return pop.call(this);
  };
  try {
    scenario();
  } finally {
    proto.pop = pop;
  }
  return { heap: heap / pops, all: total / pops };
}

/**
 * The standard scenario's model as a plain mutable event loop on the same queue: 20
 * closed-loop clients (timeout 100 ms, no think time, 50/50 reads and writes on 1,000
 * zipfian keys) talk to primary n1; a write is appended to n1's log and sent to the four
 * backups, which append and acknowledge; n1 answers once 3 of 5 copies (itself included)
 * hold it. Exponential latency of mean 1 ms on FIFO links, an fsync tick every 10 ms per
 * node (1 ms to finish), n3 crashed from 5 s to 7 s, n5 cut off from 10 s to 12 s.
 * Simplifications: a restarted backup does not catch up and a write it missed is not
 * resent; the disk "written" step is folded into the handler. Returns events per second
 * and the number of events.
 */
function plainModel(): { rate: number; events: number } {
  const NODES = 5;
  const CLIENTS = 20;
  const KEYS = 1000;
  const END = 20_000;
  const DELIVER = 0, ISSUE = 1, TIMEOUT = 2, TICK = 3, SYNCED = 4, FAULT = 5;
  const rng = makeRng(7);
  // Zipfian (θ = 0.99) by inverse CDF over a precomputed table.
  const cdf = new Float64Array(KEYS);
  let acc = 0;
  for (let k = 0; k < KEYS; k++) cdf[k] = acc += 1 / Math.pow(k + 1, 0.99);
  for (let k = 0; k < KEYS; k++) cdf[k] /= acc;
  const zipf = (): number => {
    const u = rng.uniform();
    let lo = 0, hi = KEYS - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  type Msg = { type: number; src: number; key: number; value: number; req: number; index: number };
  const READ = 0, WRITE = 1, READ_OK = 2, WRITE_OK = 3, REPLICATE = 4, REPLICATE_OK = 5;
  const up = [true, true, true, true, true];
  const logs: number[][] = Array.from({ length: NODES }, () => []);
  const kv: Map<number, number>[] = Array.from({ length: NODES }, () => new Map());
  const synced = new Int32Array(NODES);
  const acks: number[] = [];
  const waiting = new Map<number, Msg>();
  const lastArrival = new Float64Array((NODES + CLIENTS) ** 2);
  const pending = new Map<number, number>(); // request → client
  const ops: number[] = []; // (time, client, outcome) triples
  let cut = -1; // the node cut off, or -1
  let reqs = 0;
  let value = 0;
  const q = new EventQueue();
  const send = (t: number, src: number, dest: number, m: Msg): void => {
    if (cut >= 0 && (src === cut) !== (dest === cut)) return;
    let at = t - Math.log(1 - rng.uniform());
    const slot = src * (NODES + CLIENTS) + dest;
    if (at < lastArrival[slot]) at = lastArrival[slot];
    lastArrival[slot] = at;
    q.push(at, DELIVER, dest, m, 0);
  };
  const issue = (t: number, c: number): void => {
    const req = ++reqs;
    const write = rng.uniform() < 0.5;
    pending.set(req, c);
    ops.push(t, c, 0);
    send(t, NODES + c, 0, { type: write ? WRITE : READ, src: NODES + c, key: zipf(), value: write ? ++value : 0, req, index: 0 });
    q.pushInOrder(0, t + 100, TIMEOUT, c, null, req);
  };
  const complete = (t: number, req: number, outcome: number): void => {
    const c = pending.get(req);
    if (c === undefined) return;
    pending.delete(req);
    ops.push(t, c, outcome);
    issue(t, c);
  };
  for (let c = 0; c < CLIENTS; c++) issue(0, c);
  for (let n = 0; n < NODES; n++) q.push(10, TICK, n, null, 0);
  q.push(5_000, FAULT, 2, null, 0);
  q.push(7_000, FAULT, 2, null, 1);
  q.push(10_000, FAULT, 4, null, 2);
  q.push(12_000, FAULT, 4, null, 3);
  let events = 0;
  const start = performance.now();
  while (q.peekTime() <= END) {
    const ev = q.pop()!;
    const t = ev.t;
    events++;
    switch (ev.kind) {
      case DELIVER: {
        const m = ev.a as Msg;
        const n = ev.target;
        if (n >= NODES) complete(t, m.req, 1);
        else if (!up[n] || (cut >= 0 && (m.src === cut) !== (n === cut))) break;
        else if (m.type === READ) send(t, n, m.src, { type: READ_OK, src: n, key: m.key, value: kv[n].get(m.key) ?? 0, req: m.req, index: 0 });
        else if (m.type === WRITE) {
          const index = logs[0].push(m.key, m.value) / 2 - 1;
          kv[0].set(m.key, m.value);
          acks[index] = 1;
          waiting.set(index, m);
          for (let b = 1; b < NODES; b++) send(t, 0, b, { type: REPLICATE, src: 0, key: m.key, value: m.value, req: 0, index });
        } else if (m.type === REPLICATE) {
          logs[n].push(m.key, m.value);
          kv[n].set(m.key, m.value);
          send(t, n, 0, { type: REPLICATE_OK, src: n, key: 0, value: 0, req: 0, index: m.index });
        } else if (m.type === REPLICATE_OK && ++acks[m.index] === 3) {
          const w = waiting.get(m.index)!;
          waiting.delete(m.index);
          send(t, 0, w.src, { type: WRITE_OK, src: 0, key: w.key, value: w.value, req: w.req, index: m.index });
        }
        break;
      }
      case TIMEOUT:
        complete(t, ev.b, 2);
        break;
      case TICK:
        q.push(t + 1, SYNCED, ev.target, null, logs[ev.target].length);
        q.push(t + 10, TICK, ev.target, null, 0);
        break;
      case SYNCED:
        if (up[ev.target]) synced[ev.target] = Math.max(synced[ev.target], ev.b);
        break;
      case FAULT:
        if (ev.b === 0) up[ev.target] = false;
        else if (ev.b === 1) up[ev.target] = true;
        else cut = ev.b === 2 ? ev.target : -1;
        break;
    }
    q.release(ev);
  }
  const seconds = (performance.now() - start) / 1000;
  if (ops.length === 0) throw new Error("plain model did nothing");
  return { rate: events / seconds, events };
}

/** Events per second of the standard scenario (`recordStates`: keep every state too). */
function scenario(recordStates = false, durationMs = 20_000, checkpoints = 32): { rate: number; events: number; seconds: number; run: ReturnType<typeof simulate> } {
  const start = performance.now();
  const run = simulateWithCheckpoints({
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
    durationMs,
    recordStates,
  }, checkpoints);
  const seconds = (performance.now() - start) / 1000;
  return { rate: run.events / seconds, events: run.events, seconds, run };
}

/**
 * Time travel on a `durationMs` run of the standard scenario: the run with its 32
 * checkpoints and without (what checkpoints cost in time, and in memory when the bench runs
 * with --expose-gc), then each moment reached from the last checkpoint before it and, for
 * comparison, by replay from the start (as before checkpoints).
 */
function timeTravel(durationMs: number, moments: number[]): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  const heapOf = (make: () => ReturnType<typeof scenario>) => {
    gc?.();
    const before = process.memoryUsage().heapUsed;
    const made = make();
    gc?.();
    return { made, bytes: process.memoryUsage().heapUsed - before };
  };
  const { made: without, bytes: withoutBytes } = heapOf(() => scenario(false, durationMs, 0));
  const { made: withCp, bytes: withBytes } = heapOf(() => scenario(false, durationMs, 32));
  // Run time with and without checkpoints: interleaved rounds, medians (the machine is noisy).
  const withoutSeconds = [without.seconds];
  const withSeconds = [withCp.seconds];
  for (let r = 1; r < 3; r++) {
    withoutSeconds.push(scenario(false, durationMs, 0).seconds);
    withSeconds.push(scenario(false, durationMs, 32).seconds);
  }
  const runWithout = median(withoutSeconds);
  const runWith = median(withSeconds);
  const memory = gc ? `, checkpoints hold ${((withBytes - withoutBytes) / 1e6).toFixed(1)} MB` : "";
  const parts = moments.map((m) => {
    let t = performance.now();
    withCp.run.stateAt("n1", m);
    const cpMs = performance.now() - t;
    t = performance.now();
    replayFromStart(withCp.run, [m]);
    const startMs = performance.now() - t;
    return `stateAt(${m / 1000} s) ${cpMs.toFixed(0)} ms from a checkpoint, ${startMs.toFixed(0)} ms from the start (${(startMs / cpMs).toFixed(1)}× faster)`;
  });
  console.log(
    `time travel, ${durationMs / 1000} s run (${withCp.events} events): the run takes ${(runWith * 1000).toFixed(0)} ms with ${withCp.run.checkpointCount} checkpoints, ` +
      `${(runWithout * 1000).toFixed(0)} ms without (median of 3 each: ${((runWith / runWithout - 1) * 100).toFixed(1)} %)${memory}; ${parts.join("; ")}`,
  );
}

/**
 * What reading `run.trace` costs, on the standard scenario run for 40 s: the V8 heap the run
 * itself holds (after a full GC), then what reading the trace and making full passes over it
 * adds, for the lazy view `run.trace` is and for the eager array it used to be (every event
 * built at once, as `eagerTrace` does here for the comparison). A pass is
 * `trace.filter((e) => e.type === "send").length`; the peak during a for-of pass is sampled
 * every 100,000 events without forcing a GC, so it includes garbage not yet collected (the
 * young generation's few MB). Needs `node --expose-gc` (`npm run bench` passes it).
 */
function traceMemory(): string[] {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return ["trace memory: skipped (run with node --expose-gc, as npm run bench does)"];
  const MB = 1024 * 1024;
  const heap = (): number => {
    // Twice: one full GC frees dead objects but releases the memory of dead typed arrays
    // only at the next (measured: 275 MB of unreachable Float64Arrays still counted after
    // one gc(), 0 after two), which made the trace columns' size come out negative.
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  const mb = (bytes: number): string => `${Math.round(bytes / MB) || 0} MB`;
  /** The eager trace: every event built and kept in one plain array. */
  const eagerTrace = (trace: Trace): TraceEvent[] => trace.slice();
  const sendPass = (trace: Trace): { sends: number; ms: number } => {
    const t0 = performance.now();
    const sends = trace.filter((e) => e.type === "send").length;
    return { sends, ms: performance.now() - t0 };
  };
  /** Peak heap above `base` while a for-of pass runs, sampled every 100,000 events. */
  const forOfPeak = (trace: Trace, base: number): { peak: number; ms: number } => {
    gc(); // start from a collected heap: earlier passes' garbage is not this pass's
    let peak = 0;
    let i = 0;
    const t0 = performance.now();
    for (const e of trace) {
      if (++i % 100_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - base);
      if (e.t < 0) throw new Error("negative time");
    }
    return { peak, ms: performance.now() - t0 };
  };
  const before = heap();
  const buffersBefore = process.memoryUsage().arrayBuffers;
  const { run } = scenario(false, 40_000);
  const runHeap = heap() - before;
  const buffers = process.memoryUsage().arrayBuffers - buffersBefore;
  const afterRun = before + runHeap;
  const lines: string[] = [];
  const report = (label: string, added: number, passes: { ms: number }[], peak: { peak: number; ms: number }, extra = ""): void => {
    const ms = median(passes.map((p) => p.ms));
    lines.push(
      `trace memory, ${label}: reading run.trace and passing over it adds ${mb(added)} (${(added / runHeap).toFixed(2)}× the run's own heap)${extra}; ` +
        `peak during a for-of pass +${mb(peak.peak)} (${peak.ms.toFixed(0)} ms); filter pass ${ms.toFixed(0)} ms (median of ${passes.length})`,
    );
  };
  lines.push(`trace memory: standard scenario for 40 s, ${run.trace.length} events; the run's own heap ${mb(runHeap)} (V8 heap after GC; the trace columns are typed arrays outside it: ${mb(buffers)} of array buffers)`);

  // After: the lazy view (made on the first read of run.trace).
  const lazyPeak = forOfPeak(run.trace, afterRun);
  const lazyPasses = [0, 1, 2].map(() => sendPass(run.trace));
  report("lazy view (now)", heap() - afterRun, lazyPasses, lazyPeak);

  // Before: the eager array, built on first read and then kept.
  const t0 = performance.now();
  const eager = eagerTrace(run.trace);
  const buildMs = performance.now() - t0;
  const eagerPeak = forOfPeak(eager, afterRun);
  const eagerPasses = [0, 1, 2].map(() => sendPass(eager));
  report("eager array (before)", heap() - afterRun, eagerPasses, eagerPeak, `, building it took ${buildMs.toFixed(0)} ms`);
  const sends = eager.filter((e) => e.type === "send").length;
  if (sends !== lazyPasses[0].sends) throw new Error(`trace memory: the eager and lazy passes disagree (${sends} and ${lazyPasses[0].sends} sends)`);
  return lines;
}

/**
 * A replica's key-value writes, the way primary-backup makes them: each write to the
 * newest version, 1,000 keys drawn with a skew (key ⌊1000·u³⌋, a few hot keys as in the
 * standard scenario's zipfian workload). immutable.js `Map.set` (what the state used to
 * hold) against `VersionedMap.set` (what it holds now), interleaved, ns per write (median
 * of 5 rounds of 200,000 writes each). Both are checked to end with the same key count.
 */
function kvWrites(): string {
  const WRITES = 200_000;
  const rng = makeRng(3);
  const keys = Array.from({ length: WRITES }, () => `k${Math.floor(1000 * Math.pow(rng.uniform(), 3))}`);
  const time = (write: () => { size: number }): { ns: number; size: number } => {
    const t = performance.now();
    const size = write().size;
    return { ns: ((performance.now() - t) * 1e6) / WRITES, size };
  };
  const imm: number[] = [];
  const ver: number[] = [];
  for (let r = 0; r < 5; r++) {
    const a = time(() => keys.reduce((m, k, i) => m.set(k, i), ImmutableMap<string, number>()));
    const b = time(() => keys.reduce((m, k, i) => m.set(k, i), VersionedMap.empty<string, number>()));
    if (a.size !== b.size) throw new Error(`kv writes: the two maps disagree (${a.size} and ${b.size} keys)`);
    imm.push(a.ns);
    ver.push(b.ns);
  }
  const i = median(imm);
  const v = median(ver);
  return `key-value writes (1,000 keys, skewed): immutable.js Map.set ${i.toFixed(0)} ns, VersionedMap.set ${v.toFixed(0)} ns per write (${(i / v).toFixed(1)}× faster; median of 5)`;
}

function fmt(rate: number): string {
  return `${(rate / 1e6).toFixed(2)} M events/s`;
}

const held = meanQueueSize();
const simRates: number[] = [];
const bareRates: number[] = [];
const fairRates: number[] = [];
const plainRates: number[] = [];
let events = 0;
let plainEvents = 0;
for (let r = 0; r < ROUNDS; r++) {
  // Interleave them so that machine noise hits all alike.
  const s = scenario();
  events = s.events;
  simRates.push(s.rate);
  fairRates.push(fairBareLoop(events, Math.round(held.heap)));
  bareRates.push(bareLoop(events));
  const p = plainModel();
  plainEvents = p.events;
  plainRates.push(p.rate);
}
const sim = median(simRates);
const bare = median(bareRates);
const fair = median(fairRates);
const plain = median(plainRates);
const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
console.log(`simulator (standard scenario, ${events} events): ${fmt(sim)} (median of ${ROUNDS})`);
console.log(`simulator's event queue holds ${held.heap.toFixed(1)} events in its heap on average (${held.all.toFixed(1)} with the FIFO lanes)`);
console.log(`fair bare loop (project's queue, ${Math.round(held.heap)} events in its heap, no-op handlers): ${fmt(fair)}; simulator / fair loop: ${pct(sim / fair)}`);
console.log(`old bare loop (heap library, 1000 events held, no-op handlers): ${fmt(bare)}; simulator / old loop: ${pct(sim / bare)}`);
console.log(`same model as a plain mutable loop (${plainEvents} events): ${fmt(plain)}; simulator / plain model: ${pct(sim / plain)}; run time ratio ${((events / sim) / (plainEvents / plain)).toFixed(1)}×`);
console.log(kvWrites());

// Every moment stays inspectable: by replay from the run's checkpoints (the default), or by keeping a
// reference to every state as the run goes (recordStates), which costs memory and speed.
const recorded = scenario(true);
let t0 = 0;
console.log(`simulator keeping every state (recordStates): ${fmt(recorded.rate)} (one run)`);
t0 = performance.now();
recorded.run.stateAt("n1", 10_000);
const lookupMs = performance.now() - t0;
console.log(`time travel by lookup (recordStates): stateAt("n1", 10 s) ${lookupMs.toFixed(3)} ms`);
// Moments just before a checkpoint mark (the most a moment can cost) and at the end.
timeTravel(20_000, [10_600, 20_000]);
timeTravel(40_000, [21_200, 40_000]);

for (const line of traceMemory()) console.log(line);

// The checkers' line, when that module is present.
try {
  const mod = (await import("./bench-checkers.js")) as { benchCheckers?: () => { lines: string[] } };
  for (const line of mod.benchCheckers?.().lines ?? []) console.log(line);
} catch (e) {
  if ((e as { code?: string }).code !== "ERR_MODULE_NOT_FOUND") throw e;
}
