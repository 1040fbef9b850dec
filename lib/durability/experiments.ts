/**
 * The experiments of the durability notebook, as functions: each builds the runs, executes
 * them and returns tidy rows, so the notebook shows one idea per cell and the tests can
 * check the same numbers. Introduced in notebooks/01.00-Durability.ipynb.
 */
import { findLostWrites } from "../checkers/index.js";
import { latencies } from "../metrics/latency.js";
import { primaryBackup, type AckPolicy, type PrimaryBackupConfig, type PrimaryBackupState } from "../protocols/primaryBackup.js";
import type { SimConfig } from "../sim/config.js";
import type { Distribution } from "../sim/distributions.js";
import { simulate } from "../sim/engine.js";
import type { Fault } from "../sim/faults.js";
import type { LinkOverride } from "../sim/network.js";
import { makeRng } from "../sim/rng.js";
import type { FsyncPolicy } from "../sim/storage.js";
import type { NoteEvent } from "../sim/trace.js";
import { quantileSorted } from "../stats.js";

type Run = ReturnType<typeof simulate<PrimaryBackupState, PrimaryBackupConfig>>;

/** Acknowledged writes absent from `node`'s final data ("latest" mode: see findLostWrites). */
function lostWrites(run: Run, node: string): number {
  return findLostWrites(run.history, run.finalContents(node), "latest").lost.length;
}

function ackedWrites(run: Run): number {
  return run.history.filter((o) => o.type === "ok" && o.f === "write").length;
}

/** Short label of an fsync policy, for charts. Pure. */
export function fsyncLabel(p: FsyncPolicy): string {
  return p.kind === "interval" ? `every ${p.everyMs} ms` : p.kind;
}

/** One crash of a single node. */
export type CrashTrialRow = {
  readonly policy: string;
  readonly trial: number;
  readonly crashAt: number;
  readonly acked: number;
  readonly lost: number;
};

/**
 * A single node takes writes (each to a new key, so no write hides another) at
 * `ratePerSec` and crashes at a random moment in [1 s, 2 s); it restarts from its disk.
 * One row per trial: writes acknowledged, and acknowledged writes the restart lost.
 * Deterministic for a seed.
 */
export function fsyncCrashTrials(opts: { fsync: FsyncPolicy; trials: number; seed: number; ratePerSec?: number; fsyncLatency?: Distribution }): CrashTrialRow[] {
  const rows: CrashTrialRow[] = [];
  const draw = makeRng(opts.seed).fork("crash-moments");
  for (let trial = 0; trial < opts.trials; trial++) {
    const crashAt = 1000 + 1000 * draw.uniform();
    const run = simulate({
      seed: opts.seed + trial,
      nodes: 1,
      protocol: primaryBackup,
      config: { copies: 1, ack: "one" },
      network: { latency: { kind: "constant", value: 0.2 } },
      storage: { fsync: opts.fsync, fsyncLatency: opts.fsyncLatency ?? { kind: "constant", value: 2 } },
      faults: [{ kind: "crash", at: crashAt, node: "n1" }, { kind: "restart", at: crashAt + 10, node: "n1" }],
      workload: { clients: 4, loop: "open", ratePerSec: (opts.ratePerSec ?? 1000) / 4, mix: { read: 0, update: 0, insert: 1 }, keys: { count: 1, distribution: "uniform" }, timeoutMs: 100, stopMs: crashAt },
      durationMs: crashAt + 50,
    });
    rows.push({ policy: fsyncLabel(opts.fsync), trial, crashAt, acked: ackedWrites(run), lost: lostWrites(run, "n1") });
  }
  return rows;
}

/** Where the copies live: one-way delays from the primary to each backup, in ms. */
export interface Placement {
  /** Name for charts, e.g. "East US + East US 2 + West US". */
  readonly name: string;
  /** One-way delay from the primary to each backup (n2, n3, ...). */
  readonly backupDelayMs: readonly number[];
  /** One-way delay between clients and the primary. */
  readonly clientDelayMs: number;
}

/** The network of a placement: per-link constant delays, both directions. Pure. */
export function placementLinks(p: Placement): LinkOverride[] {
  const links: LinkOverride[] = [];
  p.backupDelayMs.forEach((d, i) => {
    const node = `n${i + 2}`;
    links.push({ from: "n1", to: node, latency: { kind: "constant", value: d } });
    links.push({ from: node, to: "n1", latency: { kind: "constant", value: d } });
  });
  return links;
}

function replicatedConfig(p: Placement, ack: AckPolicy, seed: number, faults: Fault[], stopMs: number, durationMs: number, shipEveryMs: number): SimConfig<PrimaryBackupState, PrimaryBackupConfig> {
  const copies = p.backupDelayMs.length + 1;
  return {
    seed,
    nodes: copies,
    protocol: primaryBackup,
    config: { copies, ack, shipEveryMs },
    network: { latency: { kind: "constant", value: p.clientDelayMs }, fifo: true, links: placementLinks(p) },
    storage: { fsync: { kind: "always" }, fsyncLatency: { kind: "constant", value: 1 } },
    faults,
    workload: { clients: 8, loop: "open", ratePerSec: 100, mix: { read: 0, update: 0, insert: 1 }, keys: { count: 1, distribution: "uniform" }, timeoutMs: 200, stopMs },
    durationMs,
  };
}

/** One destroyed primary. */
export type DisasterTrialRow = {
  readonly ack: AckPolicy;
  readonly trial: number;
  readonly acked: number;
  readonly lost: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
};

/**
 * k copies placed as `placement`; the primary's machine is destroyed (its disk with it) at
 * a random moment in [500, 1500) ms and comes back empty 100 ms later, recovering from the
 * backups. One row per trial: acknowledged writes, how many were lost, write latency.
 */
export function disasterTrials(opts: { placement: Placement; ack: AckPolicy; trials: number; seed: number; shipEveryMs?: number }): DisasterTrialRow[] {
  const rows: DisasterTrialRow[] = [];
  const draw = makeRng(opts.seed).fork("disaster-moments");
  for (let trial = 0; trial < opts.trials; trial++) {
    const at = 500 + 1000 * draw.uniform();
    const faults: Fault[] = [{ kind: "lose-disk", at, node: "n1" }, { kind: "restart", at: at + 100, node: "n1" }];
    const run = simulate(replicatedConfig(opts.placement, opts.ack, opts.seed + trial, faults, at, at + 600, opts.shipEveryMs ?? 20));
    const lat = latencies(run.history).filter((r) => r.f === "write").map((r) => r.latencyMs).sort((a, b) => a - b);
    rows.push({ ack: opts.ack, trial, acked: ackedWrites(run), lost: lostWrites(run, "n1"), p50Ms: quantileSorted(lat, 0.5), p99Ms: quantileSorted(lat, 0.99) });
  }
  return rows;
}

/**
 * The same placement, no disaster, but the farthest backup is down from 1 s to 2 s: a run
 * whose availability over time shows what each ack policy does when a copy is missing.
 */
export function backupOutageRun(opts: { placement: Placement; ack: AckPolicy; seed: number }): Run {
  const far = `n${opts.placement.backupDelayMs.length + 1}`;
  // Clients stop one timeout before the end, so no op is cut short by the end of the run.
  return simulate(replicatedConfig(opts.placement, opts.ack, opts.seed, [{ kind: "crash", at: 1000, node: far }, { kind: "restart", at: 2000, node: far }], 2800, 3000, 0));
}

/** One rebuild of a lost copy. */
export type RebuildRow = {
  readonly method: "log" | "snapshot";
  /** Log length at the primary when the rebuild started. */
  readonly entries: number;
  /** Index covered by the primary's latest snapshot then. */
  readonly snapshotIndex: number;
  /** From the restart of the empty copy until it reported caught up, ms. */
  readonly catchUpMs: number;
};

/**
 * Writes `entries` entries, destroys a backup's disk, restarts it empty and times its
 * catch-up by replaying the whole log or from the latest snapshot plus the log after it.
 * Constant one-way delay `delayMs`, `batchSize` entries per catch-up message.
 */
export function rebuildTrial(opts: { method: "log" | "snapshot"; entries: number; seed: number; delayMs?: number; batchSize?: number; snapshotEvery?: number }): RebuildRow {
  const delay = opts.delayMs ?? 2;
  const writeMs = opts.entries * 2; // 500 writes/s
  const lossAt = writeMs + 50;
  const run = simulate({
    seed: opts.seed,
    nodes: 3,
    protocol: primaryBackup,
    config: { copies: 3, ack: "all", rebuild: opts.method, batchSize: opts.batchSize ?? 20, snapshotEvery: opts.snapshotEvery ?? 100 },
    network: { latency: { kind: "constant", value: delay }, fifo: true },
    storage: { fsync: { kind: "always" }, fsyncLatency: { kind: "constant", value: 0 } },
    faults: [{ kind: "lose-disk", at: lossAt, node: "n3" }, { kind: "restart", at: lossAt + 10, node: "n3" }],
    workload: { clients: 1, loop: "open", ratePerSec: 500, mix: { read: 0, update: 0.5, insert: 0.5 }, keys: { count: 50, distribution: "uniform" }, timeoutMs: 100, stopMs: writeMs },
    durationMs: lossAt + 10 + 4 * delay * (opts.entries + 10),
  });
  const start = lossAt + 10;
  const done = run.trace.find((e): e is NoteEvent => e.type === "note" && e.kind === "caught-up" && e.node === "n3" && e.t > start);
  const primary = run.stateAt("n1", start).state;
  return { method: opts.method, entries: primary.base + primary.log.length, snapshotIndex: primary.snapshot.index, catchUpMs: done ? done.t - start : NaN };
}

/**
 * Closed form of a rebuild's duration: each catch-up step is one round trip (2 × delay);
 * replaying L entries in batches of B takes ⌈L/B⌉ steps, a snapshot at s then the rest
 * takes 1 + ⌈(L − s)/B⌉. Pure.
 */
export function rebuildTimeMs(method: "log" | "snapshot", entries: number, snapshotIndex: number, delayMs: number, batchSize: number): number {
  const rtt = 2 * delayMs;
  // Before the first snapshot there is nothing to install: a snapshot rebuild replays the log.
  if (method === "log" || snapshotIndex === 0) return rtt * Math.max(1, Math.ceil(entries / batchSize));
  return rtt * (1 + Math.ceil((entries - snapshotIndex) / batchSize));
}
