import { expect } from "chai";
import { checkConvergence, checkLinearizability, historyBuilder, pairOperations } from "../../lib/checkers/index.js";
import { ConfigError } from "../../lib/errors.js";
import { pnCounter, pnIncrement } from "../../lib/crdt/index.js";
import {
  multiLeader, conflictsInWindow, conflictFractionOverKeys, keyProbabilities, lwwLosses, certifySummary,
  siblingsPerRead, overtakes, type MultiLeaderConfig, type MultiLeaderState,
} from "../../lib/protocols/multiLeader/index.js";
import { compareVv, type VersionVector } from "../../lib/protocols/shared/versionVector.js";
import { simulate } from "../../lib/sim/engine.js";
import type { SimConfig } from "../../lib/sim/config.js";
import type { Fault } from "../../lib/sim/faults.js";
import type { NetworkSpec } from "../../lib/sim/network.js";
import type { NoteEvent, Trace } from "../../lib/sim/trace.js";
import type { WorkloadSpec } from "../../lib/workload/workload.js";

type Run = ReturnType<typeof simulate<MultiLeaderState, MultiLeaderConfig>>;

/** A lossy, duplicating, reordering network: exponential delays, no FIFO. */
const ROUGH: NetworkSpec = { latency: { kind: "exponential", rate: 1 / 20 }, loss: 0.1, duplicate: 0.1, clientLatency: { kind: "constant", value: 1 } };

function workload(over: Partial<WorkloadSpec> = {}): WorkloadSpec {
  return {
    clients: 4, loop: "open", ratePerSec: 40, mix: { read: 0.2, update: 0.8 }, keys: { distribution: "uniform", count: 6 },
    timeoutMs: 2000, route: { read: "sticky", write: "sticky" }, stopMs: 1500, ...over,
  };
}

function cfg(seed: number, config: MultiLeaderConfig, over: Partial<SimConfig<MultiLeaderState, MultiLeaderConfig>> = {}): SimConfig<MultiLeaderState, MultiLeaderConfig> {
  return { seed, nodes: 4, protocol: multiLeader, config: { retryMs: 100, ...config }, network: ROUGH, workload: workload(), durationMs: 5000, recordStates: false, ...over };
}

const notes = (trace: Trace, kind: string) => trace.filter((e): e is NoteEvent => e.type === "note" && e.kind === kind);

function finalStates(run: Run): Record<string, ReadonlyMap<string, readonly number[]>> {
  const out: Record<string, ReadonlyMap<string, readonly number[]>> = {};
  for (const n of run.nodes) out[n] = run.finalContents(n);
  return out;
}

const TOPOLOGIES: MultiLeaderConfig["topology"][] = [
  { kind: "all-to-all" },
  { kind: "ring" },
  { kind: "star", hub: "n2" },
  { kind: "tree", edges: [["n1", "n2"], ["n2", "n3"], ["n2", "n4"]] },
];

describe("multi-leader replication (DDIA ch. 5)", () => {
  it("applies each write exactly once at every leader, under every topology, with loss, duplication and reordering", () => {
    for (const topology of TOPOLOGIES) {
      for (let seed = 1; seed <= 5; seed++) {
        const run = simulate(cfg(seed, { topology }));
        const committed = notes(run.trace, "commit").map((e) => e.value as number);
        expect(committed.length, `${topology!.kind} seed ${seed}: writes`).to.be.greaterThan(50);
        for (const node of run.nodes) {
          const applied = notes(run.trace, "apply").filter((e) => e.node === node).map((e) => e.value as number);
          const counts = new Map<number, number>();
          for (const v of applied) counts.set(v, (counts.get(v) ?? 0) + 1);
          const twice = [...counts].filter(([, c]) => c > 1);
          expect(twice, `${topology!.kind} seed ${seed}: ${node} applied these more than once`).to.deep.equal([]);
          expect(committed.filter((v) => !counts.has(v)), `${topology!.kind} seed ${seed}: ${node} never applied`).to.deep.equal([]);
        }
        // The duplicating network did deliver copies: the dedup was exercised.
        expect(run.trace.filter((e) => e.type === "deliver" && e.msg === "replicate").length).to.be.greaterThan(committed.length * 3);
      }
    }
  });

  it("local followers copy what their leader applies and forward writes to it", () => {
    const run = simulate(cfg(3, { leaders: ["n1", "n2"], followers: { n1: ["n3"], n2: ["n4"] } }));
    const committedAt = new Set(notes(run.trace, "commit").map((e) => e.node));
    expect([...committedAt].sort()).to.deep.equal(["n1", "n2"]);
    expect(checkConvergence(finalStates(run), "set").valid).to.equal(true);
    expect(run.history.filter((o) => o.type === "ok" && o.f === "write" && (o.node === "n3" || o.node === "n4")).length).to.be.greaterThan(0);
  });

  it("every policy converges after a partition heals, over 30 seeds", function () {
    this.timeout(300_000);
    const policies: MultiLeaderConfig[] = [
      { policy: "lww" },
      { policy: "siblings" },
      { policy: "crdt", crdt: { type: "pn-counter" } },
      { policy: "crdt", crdt: { type: "or-set" } },
      { policy: "custom", merge: (_k, a, b) => [...new Set([...a, ...b])].sort((x, y) => x - y) },
      { policy: "certify" },
    ];
    const faults: Fault[] = [{ kind: "partition", at: 300, groups: [["n1", "n2"], ["n3", "n4"]] }, { kind: "heal", at: 1200 }];
    for (const c of policies) {
      for (let seed = 1; seed <= 30; seed++) {
        const run = simulate(cfg(seed, { ...c, topology: TOPOLOGIES[seed % TOPOLOGIES.length] }, { faults, workload: workload({ contexts: true }) }));
        const verdict = checkConvergence(finalStates(run), "set");
        expect(verdict.valid, `${c.policy}${c.crdt ? " " + c.crdt.type : ""} seed ${seed}: ${verdict.message}`).to.equal(true);
      }
    }
  });

  it("without the heal the partitioned sides stay apart (the convergence check can fail)", () => {
    const faults: Fault[] = [{ kind: "partition", at: 300, groups: [["n1", "n2"], ["n3", "n4"]] }];
    const run = simulate(cfg(1, { policy: "lww" }, { faults }));
    expect(checkConvergence(finalStates(run), "set").valid).to.equal(false);
  });

  it("CRDT counters come out exact: the PN-counter holds one per acknowledged write, at every node", () => {
    const run = simulate(cfg(2, { policy: "crdt", crdt: { type: "pn-counter" } }, { workload: workload({ mix: { read: 0, update: 1 }, keys: { distribution: "uniform", count: 1 }, timeoutMs: 4000 }) }));
    const acknowledged = run.history.filter((o) => o.type === "ok" && o.f === "write").length;
    const committed = notes(run.trace, "commit").length;
    expect(acknowledged).to.be.greaterThan(30);
    for (const n of run.nodes) expect(run.finalContents(n).get("k0000")).to.deep.equal([committed]);
  });

  it("siblings pile up under blind writes and a write with the read's context replaces what it read", () => {
    const blind = simulate(cfg(4, { policy: "siblings" }, { network: { latency: { kind: "constant", value: 30 } }, workload: workload({ keys: { distribution: "uniform", count: 1 }, stopMs: 3000 }) }));
    const withCtx = simulate(cfg(4, { policy: "siblings" }, { network: { latency: { kind: "constant", value: 30 } }, workload: workload({ keys: { distribution: "uniform", count: 1 }, stopMs: 3000, contexts: true, mix: { read: 0.5, update: 0.5 } }) }));
    const last = (run: Run) => siblingsPerRead(run.history).slice(-10).reduce((a, r) => Math.max(a, r.siblings), 0);
    const early = siblingsPerRead(blind.history).slice(0, 10).reduce((a, r) => Math.max(a, r.siblings), 0);
    expect(last(blind)).to.be.greaterThan(early + 20);
    expect(last(withCtx)).to.be.lessThan(last(blind) / 4);
  });

  describe("last writer wins", () => {
    const lwwRun = (seed: number, skewMs: number) =>
      simulate(cfg(seed, { policy: "lww" }, {
        nodes: 3,
        network: { latency: { kind: "constant", value: 25 }, clientLatency: { kind: "constant", value: 1 } },
        workload: workload({ clients: 3, ratePerSec: 10, mix: { read: 0, update: 1 }, keys: { distribution: "uniform", count: 10 }, stopMs: 4000 }),
        faults: skewMs === 0 ? [] : [{ kind: "clock", at: 0, node: "n1", skewMs }],
      }));

    it("without skew discards exactly one write of every concurrent pair, the one with the earlier timestamp", () => {
      let pairs = 0;
      for (let seed = 1; seed <= 10; seed++) {
        const run = lwwRun(seed, 0);
        const commits = notes(run.trace, "commit").map((e) => ({ key: e.key!, value: e.value as number, ...(e.data as { ts: number; origin: string; vv: VersionVector }) }));
        const rivalsOf = new Map(commits.map((w) => [w.value, commits.filter((o) => o !== w && o.key === w.key && compareVv(o.vv, w.vv) === "concurrent")]));
        const { discarded, causalLoss } = lwwLosses(run.trace);
        // Only writes with a concurrent rival are ever discarded.
        expect(discarded.filter((v) => rivalsOf.get(v)!.length === 0), `seed ${seed}`).to.deep.equal([]);
        expect(causalLoss, `seed ${seed}`).to.deep.equal([]);
        for (const w of commits) {
          const rivals = rivalsOf.get(w.value)!;
          if (rivals.length !== 1 || rivalsOf.get(rivals[0].value)!.length !== 1 || w.value > rivals[0].value) continue;
          // An isolated concurrent pair: exactly one of the two is discarded, the earlier (ts, node id).
          const o = rivals[0];
          const [loser, winner] = o.ts > w.ts || (o.ts === w.ts && o.origin > w.origin) ? [w, o] : [o, w];
          expect(discarded.includes(loser.value) && !discarded.includes(winner.value), `seed ${seed}: pair ${w.value}, ${o.value}`).to.equal(true);
          pairs++;
        }
      }
      expect(pairs).to.be.greaterThan(20);
    });

    it("loses causally later writes to a clock that runs ahead, and none with skew zero (the control)", () => {
      let skewed = 0, control = 0;
      for (let seed = 1; seed <= 5; seed++) {
        skewed += lwwLosses(lwwRun(seed, 400).trace).causalLoss.length;
        control += lwwLosses(lwwRun(seed, 0).trace).causalLoss.length;
      }
      expect(control).to.equal(0);
      expect(skewed).to.be.greaterThan(5);
    });
  });

  describe("certification (MySQL Group Replication, multi-primary)", () => {
    const certRun = (seed: number) =>
      simulate(cfg(seed, { policy: "certify", sequencer: "n2" }, { workload: workload({ keys: { distribution: "uniform", count: 3 }, ratePerSec: 30, timeoutMs: 3000 }) }));

    it("never commits two conflicting writes: as compare-and-sets from the value each was certified over, the history is linearizable per key", () => {
      for (let seed = 1; seed <= 10; seed++) {
        const run = certRun(seed);
        const prevOf = new Map(notes(run.trace, "commit").map((e) => [e.value as number, (e.data as { basis: number | null }).basis]));
        const h = historyBuilder();
        let committed = 0;
        for (const op of pairOperations(run.history)) {
          if (op.f !== "write" || op.outcome === "fail" || !prevOf.has(op.value as number)) continue;
          if (op.outcome === "ok") committed++;
          const outcome = op.outcome === "ok" ? "ok" : "info";
          h.cas(op.process, op.key, prevOf.get(op.value as number)!, op.value as number, op.invokeTime, op.completeTime ?? run.endTime, outcome);
        }
        expect(committed, `seed ${seed}`).to.be.greaterThan(10);
        const verdict = checkLinearizability(h.build());
        expect(verdict.valid, `seed ${seed}: ${verdict.message}`).to.equal(true);
      }
    });

    it("rolls the later of two conflicting writes back with a definite error, and costs a round trip to the sequencer", () => {
      const run = certRun(1);
      const s = certifySummary(run.history);
      expect(s.aborted).to.be.greaterThan(0);
      const fails = run.history.filter((o) => o.type === "fail" && o.f === "write");
      expect(fails.every((o) => /3101/.test(o.error ?? ""))).to.equal(true);
      const latency = (node: string) => {
        const ops = pairOperations(run.history).filter((o) => o.f === "write" && o.outcome === "ok" && run.history[o.index].node === node);
        return ops.reduce((a, o) => a + (o.completeTime! - o.invokeTime), 0) / ops.length;
      };
      // n2 orders its own writes locally; the other leaders wait a wide-area round trip.
      expect(latency("n1")).to.be.greaterThan(latency("n2") + 20);
    });
  });

  it("the conflict rate matches 1 − exp(−2(L−1)λd) within 3 standard errors over 30 seeds (uniform and zipfian keys)", function () {
    this.timeout(300_000);
    // The closed form's assumptions: Poisson writes per key per leader (open-loop clients, one
    // per leader), the same constant one-way delay on every link, all-to-all, free nodes.
    const L = 3, d = 50, rate = 20, K = 10, T = 6000;
    for (const distribution of ["uniform", "zipfian"] as const) {
      const fractions: number[] = [];
      for (let seed = 1; seed <= 30; seed++) {
        const run = simulate(cfg(seed, {}, {
          nodes: L,
          network: { latency: { kind: "constant", value: d }, clientLatency: { kind: "constant", value: 1 } },
          workload: workload({ clients: L, ratePerSec: rate, mix: { read: 0, update: 1 }, keys: { distribution, count: K }, stopMs: T }),
          durationMs: T + 500,
        }));
        // Writes within 2d of either end have fewer rivals than the closed form assumes.
        fractions.push(conflictsInWindow(run.trace, 2 * d, T - 2 * d).fraction);
      }
      const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
      const sd = Math.sqrt(fractions.reduce((a, b) => a + (b - mean) ** 2, 0) / (fractions.length - 1));
      const se = sd / Math.sqrt(fractions.length);
      const closed = conflictFractionOverKeys(L, rate, d, keyProbabilities({ distribution, count: K }));
      expect(Math.abs(mean - closed), `${distribution}: simulated ${mean.toFixed(4)} ± ${se.toFixed(4)}, closed form ${closed.toFixed(4)}`).to.be.lessThan(3 * se);
    }
  });

  it("key probabilities sum to 1 and put the zipfian sampler's weight on the first keys", () => {
    const p = keyProbabilities({ distribution: "zipfian", count: 50 });
    expect(p.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-12);
    expect(p[0]).to.be.greaterThan(p[1]);
    expect(p[1]).to.be.greaterThan(p[49]);
  });

  describe("topologies and delivery", () => {
    const crashRun = (topology: MultiLeaderConfig["topology"], bypass: boolean) =>
      simulate(cfg(1, { topology, bypass }, {
        network: { latency: { kind: "constant", value: 10 }, clientLatency: { kind: "constant", value: 1 } },
        faults: [{ kind: "crash", at: 200, node: "n2" }],
        workload: workload({ stopMs: 1500 }),
        durationMs: 3000,
      }));

    it("a crashed forwarder stalls the ring downstream; bypass routes around it after the failure timeout", () => {
      const missingAt = (run: Run, node: string) => {
        const applied = new Set(notes(run.trace, "apply").filter((e) => e.node === node).map((e) => e.value));
        return notes(run.trace, "commit").filter((e) => e.node === "n1" && e.t > 300).filter((e) => !applied.has(e.value)).length;
      };
      const stalled = crashRun({ kind: "ring" }, false);
      const bypassed = crashRun({ kind: "ring" }, true);
      expect(missingAt(stalled, "n3")).to.be.greaterThan(10);
      expect(missingAt(bypassed, "n3")).to.equal(0);
      expect(missingAt(crashRun({ kind: "all-to-all" }, false), "n3")).to.equal(0);
    });

    it("a crashed star hub stalls every leaf; a crashed leaf does not", () => {
      const run = crashRun({ kind: "star", hub: "n2" }, false);
      const late = notes(run.trace, "commit").filter((e) => e.node === "n1" && e.t > 300).map((e) => e.value);
      const atN3 = new Set(notes(run.trace, "apply").filter((e) => e.node === "n3").map((e) => e.value));
      expect(late.filter((v) => atN3.has(v))).to.deep.equal([]);
      const leafDown = crashRun({ kind: "star", hub: "n1" }, false);
      const late2 = notes(leafDown.trace, "commit").filter((e) => e.node === "n1" && e.t > 300).map((e) => e.value);
      const atN3b = new Set(notes(leafDown.trace, "apply").filter((e) => e.node === "n3").map((e) => e.value));
      expect(late2.filter((v) => !atN3b.has(v))).to.deep.equal([]);
    });

    it("all-to-all lets writes overtake the ones they depend on; causal delivery brings that to zero", () => {
      // n1 → n3 is slow, n1 → n2 → n3 fast: n2's writes that follow n1's reach n3 first.
      const network: NetworkSpec = {
        latency: { kind: "constant", value: 10 }, clientLatency: { kind: "constant", value: 1 },
        links: [{ from: "n1", to: "n3", latency: { kind: "constant", value: 150 } }],
      };
      const run = (causal: boolean) => simulate(cfg(5, { causal }, { nodes: 3, network, workload: workload({ clients: 3, keys: { distribution: "uniform", count: 3 } }) }));
      const total = (r: Run) => [...overtakes(r.trace).values()].reduce((a, b) => a + b, 0);
      const plain = run(false);
      const held = run(true);
      expect(total(plain)).to.be.greaterThan(10);
      expect(total(held)).to.equal(0);
      expect(checkConvergence(finalStates(held), "set").valid).to.equal(true);
    });

    it("a home leader per key avoids conflicts; a suspected home's keys move to the next leader", () => {
      const network: NetworkSpec = { latency: { kind: "constant", value: 30 }, clientLatency: { kind: "constant", value: 1 } };
      const plain = simulate(cfg(6, {}, { network }));
      const homed = simulate(cfg(6, { homeLeader: true }, { network }));
      expect(conflictsInWindow(plain.trace).concurrent).to.be.greaterThan(10);
      expect(conflictsInWindow(homed.trace).concurrent).to.equal(0);
      // Followers pass writes to their leader, which sends them home: still no conflict.
      const withFollowers = simulate(cfg(6, { homeLeader: true, leaders: ["n1", "n2"], followers: { n1: ["n3"], n2: ["n4"] } }, { network }));
      expect(withFollowers.history.filter((o) => o.type === "ok" && o.f === "write" && (o.node === "n3" || o.node === "n4")).length).to.be.greaterThan(10);
      expect(conflictsInWindow(withFollowers.trace).concurrent).to.equal(0);
      const moved = simulate(cfg(6, { homeLeader: true, failureTimeoutMs: 100 }, { network, faults: [{ kind: "crash", at: 300, node: "n1" }] }));
      const late = pairOperations(moved.history).filter((o) => o.f === "write" && o.invokeTime > 600 && moved.history[o.index].node !== "n1");
      expect(late.length).to.be.greaterThan(10);
      expect(late.every((o) => o.outcome === "ok")).to.equal(true);
    });
  });

  describe("bad input names the field", () => {
    const bad = (config: MultiLeaderConfig, field: string, nodes = 3) => {
      let err: unknown;
      try {
        simulate(cfg(1, config, { nodes, workload: undefined }));
      } catch (e) {
        err = e;
      }
      expect(err, field).to.be.instanceOf(ConfigError);
      expect((err as ConfigError).field).to.equal(field);
      return err as ConfigError;
    };

    it("L < 2, an unknown topology, a hub that is not a node, a missing merge, an unknown CRDT type", () => {
      bad({}, "config.leaders", 1);
      bad({ leaders: ["n1"] }, "config.leaders");
      bad({ topology: { kind: "mesh" } as never }, "config.topology.kind");
      bad({ topology: { kind: "star", hub: "n9" } }, "config.topology.hub");
      bad({ topology: { kind: "ring", order: ["n1", "n2"] } }, "config.topology.order");
      bad({ policy: "custom" }, "config.merge");
      bad({ policy: "crdt", crdt: { type: "counter" as never } }, "config.crdt.type");
      bad({ policy: "paxos" as never }, "config.policy");
      bad({ policy: "certify", sequencer: "n7" }, "config.sequencer");
    });

    it("a CRDT type mismatch between the configured type and a key's initial state", () => {
      const e = bad({ policy: "crdt", crdt: { type: "g-counter", initial: { k0000: pnIncrement(pnCounter(), "n1") } } }, "config.crdt.initial.k0000");
      expect(e.message).to.match(/pn-counter/);
    });

    it("a merge function that throws: the error names the key and both values", () => {
      let err: unknown;
      try {
        simulate(cfg(1, { policy: "custom", merge: () => { throw new Error("boom"); } }, { network: { latency: { kind: "constant", value: 40 } } }));
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(ConfigError);
      expect((err as ConfigError).field).to.equal("config.merge");
      expect((err as ConfigError).message).to.match(/key "k\d+" merging values \[\d+\] and \[\d+\]: boom/);
    });
  });
});
