import { simulate } from "../../lib/sim/engine.js";
import { singleLeader, lostWritesOf, leaderEpochs, finalReplicaStates } from "../../lib/protocols/singleLeader/index.js";
for (const t of [150, 200]) {
const run = simulate({ seed: 42, nodes: 3, protocol: singleLeader, config: { mode: "async", epochs: true, leases: true, failureTimeoutMs: t }, network: { latency: { kind: "exponential", rate: 1 }, fifo: true },
  faults: [{ kind: "partition", at: 300, groups: [["n1", "c1", "c4"], ["n2", "n3", "c2", "c3", "c5", "c6"]] }, { kind: "heal", at: 700 }],
  workload: { clients: 6, loop: "closed", thinkMs: { kind: "constant", value: 5 }, mix: { read: 0.3, update: 0.7 }, keys: { count: 20, distribution: "uniform" }, timeoutMs: 40, route: { read: "sticky", write: "sticky" }, stopMs: 900 }, durationMs: 1200 });
console.log(t, "lost", lostWritesOf(run).lostCount, leaderEpochs(run.trace, 1200));
const acks = run.history.filter((o) => o.type === "ok" && o.f === "write" && (o.process.startsWith("c1") || o.process.startsWith("c4")) && o.time > 300);
console.log(acks.length, acks.slice(-3).map((o) => o.time));
const notes = run.trace.filter((e: any) => (e.type === "note" && !["commit", "apply"].includes(e.kind)));
console.log(notes.slice(0, 20).map((e: any) => `${e.t.toFixed(2)} ${e.node} ${e.kind} ${JSON.stringify(e.data ?? {})}`).join("\n"));
}
