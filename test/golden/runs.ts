/**
 * The standard runs whose trace hashes are pinned in traces.json: a handful of short runs
 * that together cover every protocol and the behaviour the notebooks lean on. A change in
 * one of their hashes is a change of behaviour, to be explained in the commit message.
 */
import type { SimConfig } from "../../lib/sim/config.js";
import { primaryBackup } from "../../lib/protocols/primaryBackup.js";
import { singleLeader } from "../../lib/protocols/singleLeader/index.js";
import { leaderlessQuorum } from "../../lib/protocols/leaderless/quorum.js";
import type { WorkloadSpec } from "../../lib/workload/workload.js";
import { multiLeader } from "../../lib/protocols/multiLeader/index.js";
import { replicaSet } from "../../lib/protocols/replicaSet/protocol.js";
import { cdcPipeline } from "../../lib/cdc/index.js";
import { crashPrimaryScenario, isolatedPrimaryScenario } from "../../lib/protocols/replicaSet/scenarios.js";
import { balancedClusterConfig } from "../../lib/balancing/experiments.js";

// SimConfig is generic in the protocol; the golden file only needs to run them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyConfig = SimConfig<any, any>;

const NET = { latency: { kind: "exponential" as const, rate: 1 }, fifo: true };

function work(over: Partial<WorkloadSpec> = {}): WorkloadSpec {
  return { clients: 4, loop: "closed", thinkMs: { kind: "constant", value: 2 }, mix: { read: 0.3, update: 0.7 }, keys: { count: 30, distribution: "uniform" }, timeoutMs: 40, stopMs: 700, ...over };
}

/** Every standard run by name. */
export const GOLDEN_RUNS: Readonly<Record<string, AnyConfig>> = {
  "primaryBackup.ackOne.crash": {
    seed: 1, nodes: 3, protocol: primaryBackup, config: { copies: 3, ack: "one" }, network: NET,
    storage: { fsync: { kind: "interval", everyMs: 20 } },
    faults: [{ kind: "crash", at: 200, node: "n1" }, { kind: "restart", at: 300, node: "n1" }],
    workload: work(), durationMs: 1000,
  },
  "primaryBackup.ackMajority.partition.loseDisk": {
    seed: 2, nodes: 5, protocol: primaryBackup, config: { copies: 5, ack: "majority", snapshotEvery: 20, batchSize: 10 }, network: { ...NET, loss: 0.01 },
    faults: [
      { kind: "partition", at: 150, groups: [["n4", "n5"]] }, { kind: "heal", at: 350 },
      { kind: "lose-disk", at: 400, node: "n3" }, { kind: "restart", at: 500, node: "n3" },
    ],
    workload: work(), durationMs: 1000,
  },
  "primaryBackup.ackAll.batched": {
    seed: 3, nodes: 3, protocol: primaryBackup, config: { copies: 3, ack: "all", shipEveryMs: 5, rebuild: "log" }, network: NET,
    faults: [{ kind: "crash", at: 250, node: "n2" }, { kind: "restart", at: 400, node: "n2" }],
    workload: work({ timeoutMs: 100 }), durationMs: 1000,
  },
  "singleLeader.sync.naiveFailover": {
    seed: 4, nodes: 3, protocol: singleLeader, config: { mode: "sync", failover: "naive" }, network: NET,
    faults: [{ kind: "crash", at: 300, node: "n1" }, { kind: "restart", at: 500, node: "n1" }],
    workload: work(), durationMs: 1000,
  },
  "singleLeader.async.mostUpToDate.slowApply": {
    seed: 5, nodes: 4, protocol: singleLeader, config: { mode: "async", readFrom: "any", shipEveryMs: 3 }, network: NET,
    capacity: { byNode: { n3: { applyMs: { kind: "constant", value: 0.5 } } } },
    storage: { fsync: { kind: "interval", everyMs: 100 } },
    faults: [{ kind: "crash", at: 450, node: "n1" }],
    workload: work({ session: true, route: { read: "random", write: "sticky" } }), durationMs: 1000,
  },
  "singleLeader.semiSync.epochsLeasesFencing.partition": {
    seed: 6, nodes: 5, protocol: singleLeader, config: { mode: "semi-sync", epochs: true, leases: true, fencing: true }, network: NET,
    faults: [{ kind: "partition", at: 200, groups: [["n1", "n2", "c1"]] }, { kind: "heal", at: 600 }],
    workload: work(), durationMs: 1000,
  },
  "singleLeader.async.epochs.join": {
    seed: 7, nodes: 4, protocol: singleLeader, config: { mode: "async", epochs: true, followers: 2, joins: [{ node: "n4", atMs: 400 }], batchSize: 10 }, network: { ...NET, loss: 0.02 },
    faults: [{ kind: "crash", at: 600, node: "n1" }, { kind: "restart", at: 700, node: "n1" }],
    workload: work(), durationMs: 1000,
  },
  "quorum.lww.readRepair.clockSkew": {
    seed: 8, nodes: 5, protocol: leaderlessQuorum, config: { n: 3, r: 2, w: 2 }, network: { latency: { kind: "exponential", rate: 0.5 } },
    faults: [{ kind: "clock", at: 0, node: "n2", skewMs: -30 }, { kind: "crash", at: 300, node: "n3" }, { kind: "restart", at: 600, node: "n3" }],
    workload: work({ route: { read: "random", write: "random" }, timeoutMs: 200 }), durationMs: 1000,
  },
  "quorum.vv.sloppy.handoff": {
    seed: 9, nodes: 5, protocol: leaderlessQuorum, config: { n: 3, r: 1, w: 2, versioning: "vv", sloppy: true, handoffEveryMs: 50 }, network: { latency: { kind: "exponential", rate: 0.5 } },
    faults: [{ kind: "partition", at: 200, groups: [["n1", "n2"]] }, { kind: "heal", at: 500 }],
    workload: work({ route: { read: "random", write: "random" }, timeoutMs: 200 }), durationMs: 1000,
  },
  "quorum.lww.corrupt.noChecksums": {
    seed: 12, nodes: 3, protocol: leaderlessQuorum, config: { n: 3, r: 2, w: 2, antiEntropyEveryMs: 100 }, network: { latency: { kind: "exponential", rate: 0.5 } },
    faults: [{ kind: "corrupt", at: 300, node: "n3", fraction: 0.5 }, { kind: "crash", at: 301, node: "n3" }, { kind: "restart", at: 350, node: "n3" }],
    workload: work({ route: { read: "random", write: "random" }, timeoutMs: 200 }), durationMs: 1000,
  },
  "quorum.lww.corrupt.checksums": {
    seed: 12, nodes: 3, protocol: leaderlessQuorum, config: { n: 3, r: 2, w: 2, antiEntropyEveryMs: 100 }, network: { latency: { kind: "exponential", rate: 0.5 } },
    storage: { fsync: { kind: "always" }, checksums: true },
    faults: [{ kind: "corrupt", at: 300, node: "n3", fraction: 0.5 }, { kind: "crash", at: 301, node: "n3" }, { kind: "restart", at: 350, node: "n3" }],
    workload: work({ route: { read: "random", write: "random" }, timeoutMs: 200 }), durationMs: 1000,
  },
  "quorum.lww.antiEntropy.contactQuorum": {
    seed: 10, nodes: 5, protocol: leaderlessQuorum, config: { n: 3, r: 1, w: 1, readRepair: false, antiEntropyEveryMs: 100, contact: "quorum" }, network: { latency: { kind: "exponential", rate: 0.5 }, loss: 0.05 },
    workload: work({ route: { read: "random", write: "random" }, timeoutMs: 200 }), durationMs: 1000,
  },
  "multiLeader.allToAll.lww.roughNetwork": {
    seed: 11, nodes: 3, protocol: multiLeader, config: { policy: "lww", retryMs: 100 },
    network: { latency: { kind: "exponential", rate: 1 / 20 }, loss: 0.1, duplicate: 0.1, clientLatency: { kind: "constant", value: 1 } },
    faults: [{ kind: "partition", at: 300, groups: [["n1"], ["n2", "n3"]] }, { kind: "heal", at: 700 }],
    workload: { clients: 3, loop: "open", ratePerSec: 40, mix: { read: 0.2, update: 0.8 }, keys: { distribution: "uniform", count: 6 }, timeoutMs: 2000, route: { read: "sticky", write: "sticky" }, stopMs: 1200 },
    durationMs: 2500,
  },
  "multiLeader.ring.siblings.crash": {
    seed: 12, nodes: 4, protocol: multiLeader, config: { policy: "siblings", topology: { kind: "ring" }, retryMs: 100 },
    network: { latency: { kind: "exponential", rate: 1 / 10 }, clientLatency: { kind: "constant", value: 1 } },
    faults: [{ kind: "crash", at: 400, node: "n2" }, { kind: "restart", at: 900, node: "n2" }],
    workload: { clients: 4, loop: "open", ratePerSec: 30, mix: { read: 0.3, update: 0.7 }, keys: { distribution: "uniform", count: 8 }, timeoutMs: 2000, route: { read: "sticky", write: "sticky" }, stopMs: 1200 },
    durationMs: 2500,
  },
  "replicaSet.majority.crashPrimary": crashPrimaryScenario(13, { writeConcern: { w: "majority" } }, 3000, { durationMs: 20_000 }),
  "replicaSet.w1.isolatedPrimary": isolatedPrimaryScenario(14, { writeConcern: { w: 1 } }, 3000, 15_000, { durationMs: 20_000 }),
  "cdc.versioned.consumerCrash": {
    seed: 15, nodes: 3, protocol: cdcPipeline, config: { consumer: { startMs: 200, commitEveryMs: 100 } }, network: NET,
    faults: [{ kind: "crash", at: 450, node: "n3" }, { kind: "restart", at: 550, node: "n3" }],
    workload: work({ mix: { read: 0, update: 1 }, route: { write: "n1" } }), durationMs: 1000,
  },
  "cdc.overwrite.onePartition.crashBeforeSnapshot": {
    seed: 16, nodes: 2, protocol: cdcPipeline, config: { consumer: { partitions: 1, apply: "overwrite", startMs: 300, batchSize: 10 } }, network: NET,
    faults: [{ kind: "crash", at: 300.5, node: "n2" }, { kind: "restart", at: 400, node: "n2" }],
    workload: work({ mix: { read: 0, update: 1 }, route: { write: "n1" } }), durationMs: 1000,
  },
  // The balancer: power of two choices, health checks marking a crashed server down and up, hedged copies.
  "loadBalancer.powerOf2.healthCheck.hedge": balancedClusterConfig({
    seed: 15, servers: 6, policy: { kind: "power-of-d", d: 2 }, load: 0.7, durationMs: 600, timeoutMs: 50, hedgeAfterMs: 4,
    healthCheck: { intervalMs: 20, fall: 2, rise: 2 }, faults: [{ kind: "crash", at: 200, node: "n3" }, { kind: "restart", at: 400, node: "n3" }],
  }),
  // Bounded-load consistent hashing on zipfian keys, fanned out to two servers.
  "loadBalancer.boundedLoad.zipf.fanOut": balancedClusterConfig({
    seed: 16, servers: 5, policy: { kind: "bounded-load", balanceFactor: 1.25 }, load: 0.6, durationMs: 500, fanOut: 2,
    keys: { count: 200, distribution: "zipfian" },
  }),
};
