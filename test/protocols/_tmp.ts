import { simulate } from "../../lib/sim/engine.js";
import { singleLeader, lostWritesOf, leaderEpochs, finalReplicaStates } from "../../lib/protocols/singleLeader/index.js";
import { checkConvergence } from "../../lib/checkers/index.js";
for (const fencing of [true, false]) {
const run = simulate({ seed: 5, nodes: 3, protocol: singleLeader, config: { mode: "semi-sync", failover: "naive", fencing }, network: { latency: { kind: "exponential", rate: 1 }, fifo: true },
  faults: [{ kind: "pause", at: 300, node: "n1" }, { kind: "resume", at: 450, node: "n1" }],
  workload: { clients: 4, loop: "closed", thinkMs: { kind: "constant", value: 2 }, mix: { read: 0.3, update: 0.7 }, keys: { count: 30, distribution: "uniform" }, timeoutMs: 40, route: { read: "sticky", write: "sticky" }, stopMs: 700 }, durationMs: 1000 });
console.log("fencing", fencing, "lost", lostWritesOf(run).lostCount, checkConvergence(finalReplicaStates(run)).valid);
const notes = run.trace.filter((e: any) => (e.type === "note" && !["commit", "apply"].includes(e.kind)) || (e.t >= 449 && e.t < 456 && e.type==="deliver" && !e.src.startsWith("c") && !e.dest.startsWith("c")));
console.log(notes.slice(0, 40).map((e: any) => `${e.t.toFixed(2)} ${e.node ?? e.src + "->" + e.dest} ${e.kind ?? e.msg} ${JSON.stringify(e.data ?? {})}`).join("\n"));
}
