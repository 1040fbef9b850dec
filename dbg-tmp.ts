import { simulate } from "./lib/sim/engine.js";
import { leaderlessQuorum } from "./lib/protocols/leaderless/quorum.js";
import { makeRing, preferenceList } from "./lib/protocols/leaderless/ring.js";
const faults: any[] = [ { kind: "crash", at: 0, node: "n1" }, { kind: "crash", at: 0, node: "n2" }, { kind: "restart", at: 1200, node: "n1" }, { kind: "restart", at: 1200, node: "n2" }];
const replicas = ["n1", "n2", "n3", "n4", "n5"];
const run = simulate({ seed: 3, nodes: 6, protocol: leaderlessQuorum, config: { n: 3, r: 1, w: 2, sloppy: true, readRepair: false, handoffEveryMs: 100, replicas },
  network: { latency: { kind: "exponential", rate: 0.5 } }, faults,
  workload: { clients: 1, loop: "closed", mix: { read: 0, update: 1 }, keys: { count: 5, distribution: "uniform" }, timeoutMs: 2000, route: { read: "n6", write: "n6" }, startMs: 10, stopMs: 1100 }, durationMs: 2500 });
const ring = makeRing(replicas, 32);
for (const k of ["k0000","k0001","k0002","k0003","k0004"]) {
  const pl = preferenceList(ring, k, 5);
  console.log(k, pl.join(","), pl.map(n => { const s: any = run.finalState(n); return n + ":" + JSON.stringify((s.store.get(k) ?? []).map((v: any) => v.value)) + " hints:" + s.hints.size; }).join(" "));
}
console.log(run.trace.filter(e => e.type === "note" && e.kind === "handoff").length);
