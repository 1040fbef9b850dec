/**
 * The replica-set experiments of notebook 06 as configs, so the notebook and the tests run
 * exactly the same scenarios: a primary crash, and a partition that isolates the primary
 * with some of the clients (Jepsen's "isolated primary").
 * Introduced in notebooks/06.00-Replica-Sets.ipynb.
 */
import type { SimConfig } from "../../sim/config.js";
import type { Fault } from "../../sim/faults.js";
import type { NetworkSpec } from "../../sim/network.js";
import type { NodeId } from "../../sim/trace.js";
import type { WorkloadSpec } from "../../workload/workload.js";
import type { ReplicaSetConfig } from "./config.js";
import { replicaSet } from "./protocol.js";
import type { ReplicaSetState } from "./state.js";

/** A data-centre network: ~0.5 ms one way on average (exponential), in order per link. */
export const replicaSetLan: NetworkSpec = { latency: { kind: "exponential", rate: 2 }, fifo: true };

/** Options of a scenario; every field has a default. */
export interface ScenarioOptions {
  readonly nodes?: number | readonly NodeId[];
  /** Clients (default 6), pinned to members round robin (client i → member i mod N). */
  readonly clients?: number;
  /** Pause between a client's operations, ms (default 20). */
  readonly thinkMs?: number;
  /** Share of reads (default 0.5). */
  readonly readShare?: number;
  readonly keys?: number;
  readonly timeoutMs?: number;
  readonly durationMs?: number;
  readonly network?: NetworkSpec;
  /** Record every state for time travel (default false: faster). */
  readonly recordStates?: boolean;
}

function workload(o: ScenarioOptions): WorkloadSpec {
  return {
    clients: o.clients ?? 6, loop: "closed", thinkMs: { kind: "constant", value: o.thinkMs ?? 20 },
    mix: { read: o.readShare ?? 0.5, update: 1 - (o.readShare ?? 0.5) }, keys: { count: o.keys ?? 20, distribution: "uniform" },
    timeoutMs: o.timeoutMs ?? 1000, route: { read: "sticky", write: "sticky" },
    // Clients stop 2 s before the end, so the last writes have time to replicate.
    stopMs: Math.max(0, (o.durationMs ?? 30_000) - 2000),
  };
}

function base(seed: number, config: ReplicaSetConfig, o: ScenarioOptions, faults: Fault[]): SimConfig<ReplicaSetState, ReplicaSetConfig> {
  return {
    seed, nodes: o.nodes ?? 3, protocol: replicaSet, config, network: o.network ?? replicaSetLan, faults, workload: workload(o),
    durationMs: o.durationMs ?? 30_000, recordStates: o.recordStates ?? false,
  };
}

/** The first primary (`n1`) crashes at `crashAtMs` and stays down. Pure. */
export function crashPrimaryScenario(seed: number, config: ReplicaSetConfig, crashAtMs: number, o: ScenarioOptions = {}): SimConfig<ReplicaSetState, ReplicaSetConfig> {
  return base(seed, config, o, [{ kind: "crash", at: crashAtMs, node: "n1" }]);
}

/**
 * The first primary (`n1`) and the clients pinned to it are cut off from the other members
 * from `fromMs` until `healMs`. Pure.
 */
export function isolatedPrimaryScenario(seed: number, config: ReplicaSetConfig, fromMs: number, healMs: number, o: ScenarioOptions = {}): SimConfig<ReplicaSetState, ReplicaSetConfig> {
  const nodes = o.nodes ?? 3;
  const n = typeof nodes === "number" ? nodes : nodes.length;
  const clients = o.clients ?? 6;
  const withPrimary = Array.from({ length: clients }, (_, i) => i).filter((i) => i % n === 0).map((i) => `c${i + 1}`);
  return base(seed, config, o, [
    { kind: "partition", at: fromMs, groups: [["n1", ...withPrimary]] },
    { kind: "heal", at: healMs },
  ]);
}
