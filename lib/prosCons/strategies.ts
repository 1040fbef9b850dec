/**
 * Every replication strategy of the course on one bench: the same cluster size, workloads
 * and faults, so their pros and cons can be read side by side. A strategy is a protocol with
 * its settings, the routing its clients use, and the rule for which node's data counts at
 * the end (the leader's, or every replica's).
 *
 * Pure: each function returns a `SimConfig` (run it with `simulate`) or reads a finished run.
 * Introduced in notebooks/07.00-Pros-and-Cons.ipynb.
 */
import { ConfigError, describe } from "../errors.js";
import type { Fault } from "../sim/faults.js";
import type { NetworkSpec } from "../sim/network.js";
import type { SimConfig } from "../sim/config.js";
import type { StorageSpec } from "../sim/storage.js";
import type { FaultEvent, NodeId } from "../sim/trace.js";
import type { SimulationRun } from "../sim/run.js";
import type { WorkloadSpec } from "../workload/workload.js";
import type { Target } from "../workload/workload.js";
import type { YcsbMix } from "../datasets/ycsbWorkloads.js";
import { primaryBackup } from "../protocols/primaryBackup.js";
import { singleLeader } from "../protocols/singleLeader/protocol.js";
import { finalLeader } from "../protocols/singleLeader/inspect.js";
import { multiLeader } from "../protocols/multiLeader/index.js";
import { leaderlessQuorum } from "../protocols/leaderless/quorum.js";
import { replicaSet } from "../protocols/replicaSet/protocol.js";
import { finalPrimary } from "../protocols/replicaSet/inspect.js";
import { findLostWrites } from "../checkers/lostWrites.js";
import { availabilitySummary, completions } from "../metrics/availability.js";
import { corruptionSummary } from "../metrics/corruption.js";

/** The strategies compared, in the order of the course. */
export const STRATEGY_NAMES = ["single node", "single-leader sync", "single-leader async", "multi-leader", "leaderless N=3 R=2 W=2", "replica set w:majority"] as const;
/** One of `STRATEGY_NAMES`. */
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/** The faults every strategy meets. */
export const FAULT_NAMES = ["none", "node crash", "partition", "region loss", "slow node", "corrupted replica"] as const;
/** One of `FAULT_NAMES`. */
export type FaultName = (typeof FAULT_NAMES)[number];

/** What one run of a strategy under a fault is, and what it needs. */
export interface BenchOptions {
  readonly seed?: number;
  /** Nodes of the replicated strategies (default 3; the single node always has 1). */
  readonly nodes?: number;
  /** The operation mix (e.g. `ycsbMix("A")`): its read and update shares are used. Default 50/50. */
  readonly mix?: Pick<YcsbMix, "read" | "update">;
  readonly network?: NetworkSpec;
  readonly storage?: StorageSpec;
  readonly clients?: number;
  /** Client timeout in ms (default 50: ten times a local round trip, so clients give up on a dead node fast). */
  readonly timeoutMs?: number;
  readonly durationMs?: number;
  /** When the fault strikes (default 600 ms) and ends (default 1600 ms), for faults that end. */
  readonly faultAtMs?: number;
  readonly faultEndMs?: number;
  /** Routing for every client instead of the strategy's own (the geo workload pins clients to their region's node: "sticky"). */
  readonly route?: Target;
  readonly capacity?: SimConfig<unknown, unknown>["capacity"];
  /** Record every state for time travel (default false: faster). */
  readonly recordStates?: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySim = SimConfig<any, any>;

interface StrategySpec {
  readonly protocol: AnySim["protocol"];
  readonly config: unknown;
  readonly route: Target;
  /** Whose data counts at the end: the leader's, or the union of every node's. */
  readonly holder: "leader" | "primary" | "all";
}

// Timers scaled down from the protocols' defaults so a failover fits a 2-second run (the
// replica set's election timeout is MongoDB's 10 s by default; here 300 ms). Clients of the
// leader-based strategies pick a random node per operation and followers forward to the
// leader: a client that only followed leader hints would keep asking a dead leader.
function spec(name: StrategyName, nodes: number): StrategySpec {
  switch (name) {
    case "single node":
      return { protocol: primaryBackup, config: { copies: 1, ack: "one" }, route: "leader", holder: "all" };
    case "single-leader sync":
      return { protocol: singleLeader, config: { mode: "sync", followers: nodes - 1, epochs: true, heartbeatMs: 50, failureTimeoutMs: 200 }, route: "random", holder: "leader" };
    case "single-leader async":
      return { protocol: singleLeader, config: { mode: "async", followers: nodes - 1, epochs: true, heartbeatMs: 50, failureTimeoutMs: 200 }, route: "random", holder: "leader" };
    case "multi-leader":
      return { protocol: multiLeader, config: {}, route: "sticky", holder: "all" };
    case "leaderless N=3 R=2 W=2":
      return { protocol: leaderlessQuorum, config: { n: Math.min(3, nodes), r: 2, w: 2, timeoutMs: 150, antiEntropyEveryMs: 100 }, route: "sticky", holder: "all" };
    case "replica set w:majority":
      return {
        protocol: replicaSet,
        config: { writeConcern: { w: "majority", wtimeout: 300 }, settings: { heartbeatIntervalMillis: 50, electionTimeoutMillis: 300 } },
        route: "random",
        holder: "primary",
      };
    default:
      throw new ConfigError("strategy", `unknown strategy ${describe(name)}`, `use one of ${STRATEGY_NAMES.map((s) => JSON.stringify(s)).join(", ")}`);
  }
}

/**
 * The fault schedule of `fault` on a cluster of `nodes`: a crash of n1 (the leader, primary
 * or coordinator clients reach first), restarted at `endMs`; a partition cutting n1 off until
 * `faultEndMs`; the loss of region A (n1 and n2, which share a region, see `benchPlacement`),
 * down for good; a slow node (n1 paused, as in a long GC pause, until `faultEndMs`); a
 * corrupted replica (half of n1's durable records silently corrupted, then n1 restarts and
 * reads them back). Pure.
 */
export function faultSchedule(fault: FaultName, nodes: number, atMs: number, endMs: number): Fault[] {
  switch (fault) {
    case "none":
      return [];
    case "node crash":
      return [{ kind: "crash", at: atMs, node: "n1" }, { kind: "restart", at: endMs, node: "n1" }];
    case "partition":
      return [{ kind: "partition", at: atMs, groups: [["n1"]] }, { kind: "heal", at: endMs }];
    case "region loss":
      return nodes >= 2 ? [{ kind: "crash", at: atMs, node: "n1" }, { kind: "crash", at: atMs, node: "n2" }] : [{ kind: "crash", at: atMs, node: "n1" }];
    case "slow node":
      return [{ kind: "pause", at: atMs, node: "n1" }, { kind: "resume", at: endMs, node: "n1" }];
    case "corrupted replica":
      return [{ kind: "corrupt", at: atMs, node: "n1", fraction: 0.5 }, { kind: "crash", at: atMs, node: "n1" }, { kind: "restart", at: atMs + 20, node: "n1" }];
    default:
      throw new ConfigError("fault", `unknown fault ${describe(fault)}`, `use one of ${FAULT_NAMES.map((s) => JSON.stringify(s)).join(", ")}`);
  }
}

/**
 * Where the bench's nodes run: n1 and n2 in region A (zones a and b), every further node in
 * region B, zone a (so losing region A loses n1 and n2). Clients are on the internet. Pure.
 */
export function benchPlacement(nodes: number): { nodes: Record<NodeId, { region: string; zone: string }>; clients: "internet" } {
  const sites: Record<NodeId, { region: string; zone: string }> = {};
  for (let i = 1; i <= nodes; i++) sites[`n${i}`] = i <= 2 ? { region: "A", zone: i === 1 ? "a" : "b" } : { region: "B", zone: "a" };
  return { nodes: sites, clients: "internet" };
}

/** The number of nodes `strategy` runs on under `options` (1 for the single node). Pure. */
export function nodesOf(strategy: StrategyName, options: BenchOptions = {}): number {
  return strategy === "single node" ? 1 : options.nodes ?? 3;
}

/** The run of `strategy` under `fault`: same clients, keys and timings for every strategy. Pure. */
export function benchConfig(strategy: StrategyName, fault: FaultName, options: BenchOptions = {}): AnySim {
  const nodes = nodesOf(strategy, options);
  const s = spec(strategy, nodes);
  const durationMs = options.durationMs ?? 2300;
  const at = options.faultAtMs ?? 600;
  const end = options.faultEndMs ?? 1600;
  const mix = options.mix ?? { read: 0.5, update: 0.5 };
  const route = options.route ?? s.route;
  const workload: WorkloadSpec = {
    clients: options.clients ?? 4,
    loop: "closed",
    thinkMs: { kind: "constant", value: 5 },
    mix: { read: mix.read, update: mix.update },
    keys: { count: 50, distribution: "zipfian" },
    timeoutMs: options.timeoutMs ?? 50,
    route: { read: route, write: route },
    // Clients stop 300 ms before the end so the last writes can replicate.
    stopMs: durationMs - 300,
  };
  return {
    seed: options.seed ?? 1,
    nodes,
    protocol: s.protocol,
    config: s.config,
    network: options.network ?? { latency: { kind: "exponential", rate: 1 }, fifo: true },
    storage: options.storage,
    faults: faultSchedule(fault, nodes, Math.min(at, durationMs), Math.min(end, durationMs)),
    workload,
    durationMs,
    capacity: options.capacity,
    recordStates: options.recordStates ?? false,
  };
}

/**
 * The states a node was seen in during `run`, sampled every `stepMs`: `down`, `paused`, or
 * the role its protocol gives it (`leader`, `follower`, `candidate`, `PRIMARY`, ...; `serving`
 * for a protocol whose nodes have no role). Sorted. A measure of how much a strategy makes an
 * operator (and a student) reason about. Pure.
 */
export function nodeStatesSeen(run: SimulationRun<unknown>, stepMs = 10): string[] {
  const seen = new Set<string>();
  const moments: number[] = [];
  for (let t = 0; t <= run.config.durationMs; t += stepMs) moments.push(t);
  for (const cluster of run.momentsAt(moments)) {
    for (const snap of cluster) {
      if (!snap.up) seen.add("down");
      else if (snap.paused) seen.add("paused");
      else {
        const role = (snap.state as { role?: unknown } | undefined)?.role;
        seen.add(typeof role === "string" ? role : "serving");
      }
    }
  }
  return [...seen].sort();
}

/** The data that counts at the end of a bench run of `strategy`: the leader's, or every node's together. */
export function benchFinalState(strategy: StrategyName, run: SimulationRun<unknown>): Map<string, number[]> {
  const holder = spec(strategy, run.nodes.length).holder;
  const from: NodeId[] = holder === "leader" ? [finalLeader(run as never)] : holder === "primary" ? [finalPrimary(run as never)] : [...run.nodes];
  const merged = new Map<string, number[]>();
  for (const node of from) {
    for (const [key, values] of run.finalContents(node)) merged.set(key, [...new Set([...(merged.get(key) ?? []), ...values])]);
  }
  return merged;
}

/** What a strategy did under a fault: the resiliency verdict and the numbers behind it. */
export interface BenchVerdict {
  readonly strategy: StrategyName;
  readonly fault: FaultName;
  /** Fraction of all operations that completed `ok` within the client timeout (DESIGN.md). */
  readonly availability: number;
  readonly nines: number;
  /** `servingShare` from the first fault on: what the verdict `unavailable` reads. */
  readonly duringFault: number;
  readonly acknowledgedWrites: number;
  readonly lostWrites: number;
  /** Keys where some node ends holding a value no client wrote. */
  readonly corruptKeys: number;
  /** `loses writes` > `serves corrupt data` > `unavailable` (`duringFault` < the threshold) > `survives`. */
  readonly verdict: "survives" | "loses writes" | "serves corrupt data" | "unavailable";
}

/** The nodes down (crashed, or their disk lost, and not restarted) at time `t`, from a run's fault events in trace order. Pure. */
function downAt(faults: readonly FaultEvent[], t: number): Set<NodeId> {
  const down = new Set<NodeId>();
  for (const e of faults) {
    if (e.t > t) break;
    if (!("node" in e.fault)) continue;
    if (e.fault.kind === "crash" || e.fault.kind === "lose-disk") down.add(e.fault.node);
    else if (e.fault.kind === "restart") down.delete(e.fault.node);
  }
  return down;
}

/**
 * The share of time a run kept serving while a fault lasted: the run from `fromMs` to `toMs`
 * (default: the clients' stop) is cut into `windowMs` windows, and a window serves when at least half of the
 * operations invoked in it completed `ok` within the client timeout (none invoked: it does
 * not). Time, not operations, because closed-loop clients waiting out timeouts invoke few
 * operations while a system is down. Operations a client sent to a crashed node while another
 * node was up are left out: a real client stops asking a machine it knows is gone, the
 * simulated one does not. Pure.
 */
export function servingShare(run: SimulationRun<unknown>, fromMs = 0, toMs = run.config.workload?.stopMs ?? run.config.durationMs, windowMs = 50): number {
  const timeout = run.config.workload?.timeoutMs ?? Infinity;
  const stop = toMs;
  const windows = Math.max(1, Math.floor((stop - fromMs) / windowMs));
  const invoked = new Array<number>(windows).fill(0);
  const ok = new Array<number>(windows).fill(0);
  // One pass over the trace, not one per operation: the faults are all downAt needs.
  const faults = run.trace.filter((e): e is FaultEvent => e.type === "fault");
  for (const [inv, done] of completions(run.history)) {
    const w = Math.floor((inv.time - fromMs) / windowMs);
    if (w < 0 || w >= windows) continue;
    if (inv.node !== undefined) {
      const down = downAt(faults, inv.time);
      if (down.has(inv.node) && down.size < run.nodes.length) continue;
    }
    invoked[w]++;
    if (done !== undefined && done.type === "ok" && done.time - inv.time <= timeout) ok[w]++;
  }
  let serving = 0;
  for (let w = 0; w < windows; w++) if (invoked[w] > 0 && ok[w] * 2 >= invoked[w]) serving++;
  return serving / windows;
}

/**
 * The verdict of a finished bench run: `loses writes` when the lost-writes checker finds an
 * acknowledged write missing, `serves corrupt data` when a node ends holding a value no client
 * wrote, `unavailable` when it served less than `threshold` of the time while the fault
 * lasted (`servingShare`, until the heal, restart or resume, or the clients' stop), `survives`
 * otherwise. Pure.
 */
export function benchVerdict(strategy: StrategyName, fault: FaultName, run: SimulationRun<unknown>, threshold = 0.5): BenchVerdict {
  const all = availabilitySummary(run.history, run.config.workload?.timeoutMs ?? Infinity).find((r) => r.f === "all");
  // The fault's window: from its first event to the heal, restart or resume that ends it
  // (the corrupted replica's restart begins its trouble rather than ending it), else the clients' stop.
  const faults = run.config.faults ?? [];
  const from = faults[0]?.at ?? 0;
  const ends = fault === "corrupted replica" ? [] : faults.filter((f) => f.kind === "heal" || f.kind === "restart" || f.kind === "resume").map((f) => f.at);
  const during = servingShare(run, from, ends.length > 0 ? Math.max(...ends) : undefined);
  const lost = findLostWrites(run.history, benchFinalState(strategy, run), "latest");
  const corrupt = corruptionSummary(run.trace, run.history, run.nodes, (n) => run.finalContents(n)).reduce((s, r) => s + r.badKeysAtEnd, 0);
  const verdict = lost.lostCount > 0 ? "loses writes" : corrupt > 0 ? "serves corrupt data" : during < threshold ? "unavailable" : "survives";
  return { strategy, fault, availability: all?.availability ?? 0, nines: all?.nines ?? 0, duringFault: during, acknowledgedWrites: lost.acknowledged, lostWrites: lost.lostCount, corruptKeys: corrupt, verdict };
}
