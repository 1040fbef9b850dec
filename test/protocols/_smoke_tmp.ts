import { simulate } from "../../lib/sim/engine.js";
import { singleLeader, lostWritesOf, leaderEpochs, finalLeader, finalReplicaStates } from "../../lib/protocols/singleLeader/index.js";
import { checkConvergence } from "../../lib/checkers/index.js";
const variants: Record<string, any> = {
  naive: { mode: "async", failover: "naive" },
  mutd: { mode: "async", failover: "most-up-to-date" },
  epochs: { mode: "async", failover: "most-up-to-date", epochs: true },
  leases: { mode: "async", failover: "most-up-to-date", epochs: true, leases: true },
  fencing: { mode: "async", failover: "naive", fencing: true },
  all: { mode: "async", failover: "most-up-to-date", epochs: true, leases: true, fencing: true },
  semi: { mode: "semi-sync", failover: "most-up-to-date", epochs: true, leases: true, fencing: true },
};
for (const [name, config] of Object.entries(variants)) {
  const t0 = Date.now();
  const run = simulate({
    seed: 42, nodes: 3, protocol: singleLeader, config,
    network: { latency: { kind: "exponential", rate: 1 }, fifo: true },
    faults: [{ kind: "partition", at: 300, groups: [["n1", "c1", "c4"], ["n2", "n3", "c2", "c3", "c5", "c6"]] }, { kind: "heal", at: 700 }],
    workload: { clients: 6, loop: "closed", thinkMs: { kind: "constant", value: 5 }, mix: { read: 0.3, update: 0.7 }, keys: { count: 20, distribution: "uniform" }, timeoutMs: 40, route: { read: "sticky", write: "sticky" } },
    durationMs: 1000,
  });
  const ok = run.history.filter((o) => o.type === "ok" && o.f === "write").length;
  console.log(name, Date.now() - t0, "ms", "okw", ok, "lost", lostWritesOf(run).lostCount, "terms", leaderEpochs(run.trace, 1000).map((t) => `${t.node}@${t.epoch}[${t.from.toFixed(0)}-${t.to.toFixed(0)}]`).join(" "), "final", finalLeader(run), checkConvergence(finalReplicaStates(run)).valid);
}
{
  const run = simulate({
    seed: 42, nodes: 3, protocol: singleLeader, config: variants.epochs,
    network: { latency: { kind: "exponential", rate: 1 }, fifo: true },
    faults: [{ kind: "partition", at: 300, groups: [["n1", "c1", "c4"], ["n2", "n3", "c2", "c3", "c5", "c6"]] }, { kind: "heal", at: 700 }],
    workload: { clients: 6, loop: "closed", thinkMs: { kind: "constant", value: 5 }, mix: { read: 0.3, update: 0.7 }, keys: { count: 20, distribution: "uniform" }, timeoutMs: 40, route: { read: "sticky", write: "sticky" } },
    durationMs: 1000,
  });
  for (const n of run.nodes) { const s = run.finalState(n); console.log(n, s.role, s.epoch, s.leader, s.base + s.log.length, s.durable, s.verified, s.committed, JSON.stringify(s.match), JSON.stringify(s.next)); }
  const notes = run.trace.filter((e) => e.type === "note" && !["commit", "apply"].includes((e as any).kind));
  console.log(notes.slice(0, 40).map((e: any) => `${e.t.toFixed(1)} ${e.node} ${e.kind} ${JSON.stringify(e.data ?? {})}`).join("\n"));
}
