/**
 * Ready-made runs of the load balancer for the notebook and the tests: a cluster of one
 * balancer and n servers under Poisson arrivals at a given load, a sweep of policies over
 * loads, a server that dies behind the balancer, and fan-out with hedging.
 *
 * Introduced in notebooks/01.01-Many-Servers.ipynb.
 */
import { ConfigError, requireInteger, requireNumber } from "../errors.js";
import type { Fault } from "../sim/faults.js";
import { simulate } from "../sim/engine.js";
import type { Distribution } from "../sim/distributions.js";
import type { SimConfig } from "../sim/config.js";
import { MAX_ENDPOINTS } from "../sim/limits.js";
import type { SimulationRun } from "../sim/run.js";
import type { KeySpec } from "../workload/keys.js";
import type { BalancerConfig, BalancerPolicy, HealthCheckConfig } from "./config.js";
import { servedCopies, timeInSystem, type TimeInSystemStats } from "./metrics.js";
import { type BalancerState, loadBalancer } from "./protocol.js";
import { supermarketTimeInSystem } from "./supermarket.js";

/** A balanced cluster: one balancer (`n1`) in front of `servers` servers (`n2`…). */
export interface BalancedClusterOptions {
  readonly seed: number;
  readonly servers: number;
  readonly policy: BalancerPolicy;
  /**
   * Arrival rate per server ÷ service rate (ρ = λ with service mean 1 ms), copies of a
   * fan-out counted. In (0, 1) for a stable queue. Give this or `requestsPerSec`.
   */
  readonly load?: number;
  /** Client requests per second in all, instead of `load` (for servers with many cores). */
  readonly requestsPerSec?: number;
  readonly durationMs: number;
  /** Service time of a request at a server (default exponential, mean 1 ms: the supermarket model's). */
  readonly serviceMs?: Distribution;
  /** Mean of `serviceMs` in ms, to turn `load` into an arrival rate (default 1). */
  readonly meanServiceMs?: number;
  /** Requests a server serves at once (default 1). */
  readonly cores?: number;
  /** Open-loop clients sharing the arrivals (default 10). Their sum is one Poisson stream. */
  readonly clients?: number;
  /** Client-to-balancer one-way latency (default 0.1 ms); balancer to server is 0, as the model's instant view of the queues. */
  readonly clientLatency?: Distribution;
  /** Balancer-to-server one-way latency (default constant 0). */
  readonly serverLatency?: Distribution;
  readonly keys?: KeySpec;
  readonly healthCheck?: HealthCheckConfig;
  readonly fanOut?: number;
  readonly hedgeAfterMs?: number;
  readonly faults?: readonly Fault[];
  /** How long clients wait for an answer (default 1000 ms). */
  readonly timeoutMs?: number;
}

/** The SimConfig of a balanced cluster. Pure. Throws a ConfigError naming a bad option. */
export function balancedClusterConfig(o: BalancedClusterOptions): SimConfig<BalancerState, BalancerConfig> {
  const clients = o.clients ?? 10;
  requireInteger("servers", o.servers, 1, MAX_ENDPOINTS - 1 - clients);
  const meanService = requireNumber("meanServiceMs", o.meanServiceMs ?? 1, Number.MIN_VALUE);
  const fanOut = o.fanOut ?? 1;
  let totalPerSec: number;
  if (o.requestsPerSec !== undefined) {
    if (o.load !== undefined) throw new ConfigError("load", "is given with requestsPerSec", "give one of them");
    totalPerSec = requireNumber("requestsPerSec", o.requestsPerSec, Number.MIN_VALUE);
  } else {
    if (typeof o.load !== "number" || !(o.load > 0)) throw new ConfigError("load", `must be a load > 0 (arrivals per server per mean service time), got ${String(o.load)}`, "use e.g. 0.8, or give requestsPerSec");
    // Load is per server: fan-out multiplies each client request into `fanOut` copies.
    totalPerSec = (o.load * o.servers * 1000) / meanService / fanOut;
  }
  const config: BalancerConfig = {
    policy: o.policy,
    ...(o.healthCheck !== undefined ? { healthCheck: o.healthCheck } : {}),
    ...(o.fanOut !== undefined ? { fanOut: o.fanOut } : {}),
    ...(o.hedgeAfterMs !== undefined ? { hedgeAfterMs: o.hedgeAfterMs } : {}),
  };
  return {
    seed: o.seed,
    nodes: o.servers + 1,
    protocol: loadBalancer,
    config,
    network: {
      latency: o.serverLatency ?? { kind: "constant", value: 0 },
      clientLatency: o.clientLatency ?? { kind: "constant", value: 0.1 },
    },
    capacity: {
      byNode: Object.fromEntries(
        Array.from({ length: o.servers }, (_, i) => [`n${i + 2}`, { cores: o.cores ?? 1, serviceMs: { serve: o.serviceMs ?? { kind: "exponential", rate: 1 / meanService } } }]),
      ),
    },
    workload: {
      clients,
      loop: "open",
      ratePerSec: totalPerSec / clients,
      mix: { read: 1, update: 0 },
      keys: o.keys ?? { count: 10_000, distribution: "uniform" },
      timeoutMs: o.timeoutMs ?? 1000,
    },
    faults: o.faults ?? [],
    durationMs: o.durationMs,
  };
}

/** Runs a balanced cluster. Deterministic. */
export function runBalancedCluster(o: BalancedClusterOptions): SimulationRun<BalancerState> {
  return simulate(balancedClusterConfig(o));
}

/** A short name for a policy, for chart legends (`power-of-2`, `bounded-load 1.25`, ...). Pure. */
export function policyLabel(p: BalancerPolicy): string {
  switch (p.kind) {
    case "power-of-d":
      return `power-of-${p.d}`;
    case "bounded-load":
      return `bounded-load ${p.balanceFactor}`;
    case "custom":
      return p.name;
    default:
      return p.kind;
  }
}

/** One point of a load sweep: a policy at a load, measured after a warm-up. */
export interface LoadSweepRow extends TimeInSystemStats {
  readonly policy: string;
  readonly load: number;
  /** The supermarket model's time in system for this policy's d (random: d = 1), or null for other policies. */
  readonly closedFormMs: number | null;
}

/** The number of choices a policy is in the supermarket model (random = 1), or null. Pure. */
export function choicesOf(p: BalancerPolicy): number | null {
  if (p.kind === "random") return 1;
  if (p.kind === "power-of-d") return p.d;
  return null;
}

/**
 * Each policy at each load: mean time in system, queueing delay (mean, p99) with batch-means
 * standard errors, measured from `warmupMs` to the end of arrivals. Deterministic. `onRun` is
 * called after each run (one per policy and load), e.g. to tick a progress bar.
 */
export function loadSweep(
  policies: readonly BalancerPolicy[],
  loads: readonly number[],
  o: Omit<BalancedClusterOptions, "policy" | "load"> & { readonly warmupMs: number; readonly batches?: number },
  onRun: () => void = () => undefined,
): LoadSweepRow[] {
  const rows: LoadSweepRow[] = [];
  for (const policy of policies) {
    for (const load of loads) {
      const run = runBalancedCluster({ ...o, policy, load });
      const stats = timeInSystem(servedCopies(run.trace), o.warmupMs, o.durationMs - 50 * (o.meanServiceMs ?? 1), o.batches ?? 10);
      const d = choicesOf(policy);
      rows.push({ policy: policyLabel(policy), load, ...stats, closedFormMs: d === null ? null : supermarketTimeInSystem(load, d) * (o.meanServiceMs ?? 1) });
      onRun();
    }
  }
  return rows;
}
