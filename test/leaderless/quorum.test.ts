import { expect } from "chai";
import { simulate } from "../../lib/sim/engine.js";
import { makeRng } from "../../lib/sim/rng.js";
import type { SimConfig } from "../../lib/sim/config.js";
import type { Fault } from "../../lib/sim/faults.js";
import { ConfigError } from "../../lib/errors.js";
import { findLostWrites, readStaleness, summarizeStaleness } from "../../lib/checkers/index.js";
import { leaderlessQuorum, type QuorumConfig, type QuorumState } from "../../lib/protocols/leaderless/quorum.js";
import { conflictRate, divergenceOverTime, lwwDroppedWrites, mergedContents, antiEntropyTraffic } from "../../lib/protocols/leaderless/analysis.js";
import { availabilityExperiment } from "../../lib/protocols/leaderless/experiments.js";
import { makeRing } from "../../lib/protocols/leaderless/ring.js";

type Cfg = SimConfig<QuorumState, QuorumConfig>;

function base(seed: number, config: QuorumConfig, extra: Partial<Cfg> = {}): Cfg {
  return {
    seed,
    nodes: 5,
    protocol: leaderlessQuorum,
    config,
    network: { latency: { kind: "exponential", rate: 0.5 } },
    workload: { clients: 1, loop: "closed", mix: { read: 0.6, update: 0.4 }, keys: { count: 5, distribution: "uniform" }, timeoutMs: 2000, route: { read: "random", write: "random" } },
    durationMs: 3000,
    recordStates: false,
    ...extra,
  };
}

/** One node down for a while, drawn from the seed: never two at once. */
function oneCrash(seed: number): Fault[] {
  const r = makeRng(seed).fork("faults");
  const node = `n${1 + r.int(5)}`;
  const at = 200 + r.uniform() * 1500;
  return [{ kind: "crash", at, node }, { kind: "restart", at: at + 100 + r.uniform() * 800, node }];
}

describe("leaderless quorums (Dynamo, SOSP 2007)", () => {
  it("strict quorum (R + W > N), no concurrent writes, no sloppy quorum: a read that starts after a write completes returns it — 30 seeds, one crash each", function () {
    this.timeout(120_000);
    for (let seed = 1; seed <= 30; seed++) {
      // Clients route to random nodes, so the node a client picks may be the crashed one:
      // those ops time out (info), which the staleness checker leaves out.
      const run = simulate(base(seed, { n: 3, r: 2, w: 2, readRepair: seed % 2 === 0 }, { faults: oneCrash(seed) }));
      const summary = summarizeStaleness(readStaleness(run.history));
      expect(summary.reads, `seed ${seed}`).to.be.greaterThan(50);
      expect(summary.staleReads, `seed ${seed}: ${summary.message}`).to.equal(0);
    }
  });

  it("control: a partial quorum (R = W = 1, N = 3) does return stale reads on the same workload, so the check above can fail", () => {
    let stale = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const cfg = base(seed, { n: 3, r: 1, w: 1, readRepair: false });
      stale += summarizeStaleness(readStaleness(simulate({ ...cfg, workload: { ...cfg.workload!, thinkMs: { kind: "constant", value: 0 } } }).history)).staleReads;
    }
    expect(stale).to.be.greaterThan(0);
  });

  it("quorum availability matches the binomial closed form within 3 standard errors (strict and sloppy, N=3, R=W=2, 5 nodes)", function () {
    this.timeout(120_000);
    for (const sloppy of [false, true]) {
      for (const pDown of [0.2, 0.4]) {
        for (const row of availabilityExperiment({ n: 3, r: 2, w: 2, cluster: 5, pDown, sloppy, epochs: 120, seed: 11 })) {
          const tolerance = 3 * Math.max(row.standardError, 0.005);
          expect(Math.abs(row.measured - row.closedForm), `${row.kind} sloppy=${sloppy} p=${pDown}: ${row.measured} vs ${row.closedForm}`).to.be.at.most(tolerance);
        }
      }
    }
  });

  it("sloppy quorums with hinted handoff: writes succeed while two of a key's replicas are down, and reach them after they return", () => {
    const faults: Fault[] = [
      // Down before the first write, so every write during the outage needs the fallbacks.
      { kind: "crash", at: 0, node: "n1" },
      { kind: "crash", at: 0, node: "n2" },
      { kind: "restart", at: 1200, node: "n1" },
      { kind: "restart", at: 1200, node: "n2" },
    ];
    const cfg = base(3, { n: 3, r: 1, w: 2, sloppy: true, readRepair: false, handoffEveryMs: 100 }, { faults, durationMs: 2500 });
    const run = simulate({ ...cfg, nodes: 6, config: { ...cfg.config, replicas: ["n1", "n2", "n3", "n4", "n5"] }, workload: { ...cfg.workload!, mix: { read: 0, update: 1 }, route: { read: "n6", write: "n6" }, startMs: 10, stopMs: 1100 } });
    const writes = run.history.filter((o) => o.f === "write" && o.type !== "invoke");
    expect(writes.every((o) => o.type === "ok")).to.equal(true);
    expect(run.trace.some((e) => e.type === "note" && e.kind === "handoff")).to.equal(true);
    const strict = simulate({ ...cfg, nodes: 6, config: { ...cfg.config, sloppy: false, replicas: ["n1", "n2", "n3", "n4", "n5"] }, workload: { ...cfg.workload!, mix: { read: 0, update: 1 }, route: { read: "n6", write: "n6" }, stopMs: 1100 } });
    expect(strict.history.some((o) => o.f === "write" && o.type === "info")).to.equal(true);
    // After handoff every key's replicas agree.
    const ring = makeRing(["n1", "n2", "n3", "n4", "n5"], 32);
    const [last] = divergenceOverTime(run.trace, ring, 3, [2500]);
    expect(last.divergent).to.equal(0);
  });

  it("LWW with a clock behind drops acknowledged writes; version vectors keep them as siblings", () => {
    const faults: Fault[] = [{ kind: "clock", at: 0, node: "n2", skewMs: -200 }];
    const cfg = (versioning: "lww" | "vv", skew: boolean): Cfg => {
      const b = base(5, { n: 3, r: 2, w: 2, versioning }, { faults: skew ? faults : [] });
      return { ...b, workload: { ...b.workload!, clients: 4, mix: { read: 0.2, update: 0.8 }, stopMs: 2500 } };
    };
    const skewed = simulate(cfg("lww", true));
    expect(lwwDroppedWrites(skewed.trace, skewed.history).dropped).to.be.greaterThan(0);
    const fair = simulate(cfg("lww", false));
    expect(lwwDroppedWrites(fair.trace, fair.history).dropped).to.equal(0);
    const vv = simulate(cfg("vv", true));
    const states = ["n1", "n2", "n3", "n4", "n5"].map((n) => vv.finalState(n));
    expect(findLostWrites(vv.history, mergedContents(states, "vv"), "latest").lostCount).to.equal(0);
    expect(conflictRate(vv.trace).concurrent).to.be.greaterThan(0);
  });

  it("Merkle anti-entropy converges replicas after a partition heals, with no reads at all; without it they stay apart", () => {
    const faults: Fault[] = [{ kind: "partition", at: 100, groups: [["n1"], ["n2", "n3", "n4", "n5", "c1"]] }, { kind: "heal", at: 1000 }];
    const make = (ae: number): Cfg => {
      const b = base(9, { n: 3, r: 1, w: 1, readRepair: false, antiEntropyEveryMs: ae }, { faults, durationMs: 3000 });
      return { ...b, workload: { ...b.workload!, keys: { count: 100, distribution: "uniform" }, mix: { read: 0, update: 1 }, route: { read: "n2", write: "n2" }, stopMs: 900 } };
    };
    const ring = makeRing(["n1", "n2", "n3", "n4", "n5"], 32);
    const withAe = simulate(make(100));
    const without = simulate(make(0));
    const [a] = divergenceOverTime(withAe.trace, ring, 3, [2999]);
    const [b] = divergenceOverTime(without.trace, ring, 3, [2999]);
    expect(b.divergent).to.be.greaterThan(0);
    expect(a.divergent).to.equal(0);
    const traffic = antiEntropyTraffic(withAe.trace);
    expect(traffic.hashes).to.be.greaterThan(0);
    expect(traffic.keys).to.be.greaterThan(0);
  });

  it("read repair brings a replica that missed writes up to date on the keys that are read, and only with it on", () => {
    // n1 misses every write while cut off; after 1 s the writer (n6) is cut off instead and only reads go on.
    const faults: Fault[] = [{ kind: "partition", at: 0, groups: [["n1"]] }, { kind: "partition", at: 1000, groups: [["n6"]] }];
    const make = (readRepair: boolean): Cfg => {
      const b = base(4, { n: 3, r: 2, w: 1, readRepair, replicas: ["n1", "n2", "n3", "n4", "n5"] }, { faults, durationMs: 6000 });
      return { ...b, nodes: 6, workload: { ...b.workload!, clients: 4, loop: "open", ratePerSec: 100, keys: { count: 20, distribution: "uniform" }, mix: { read: 0.5, update: 0.5 }, timeoutMs: 500, route: { read: "n2", write: "n6" } } };
    };
    const ring = makeRing(["n1", "n2", "n3", "n4", "n5"], 32);
    const [healOn, endOn] = divergenceOverTime(simulate(make(true)).trace, ring, 3, [1000, 5999]);
    const [healOff, endOff] = divergenceOverTime(simulate(make(false)).trace, ring, 3, [1000, 5999]);
    expect(healOn.divergent).to.be.greaterThan(0);
    expect(endOn.divergent).to.equal(0); // 20 keys, ~1,000 reads: every key is read many times
    expect(endOff.divergent).to.be.at.least(healOff.divergent); // nothing repairs them
  });

  it("bad configurations get clear errors: R or W larger than N, N larger than the cluster", () => {
    const tryConfig = (c: QuorumConfig) => () => simulate(base(1, c));
    expect(tryConfig({ n: 3, r: 4, w: 1 })).to.throw(ConfigError, /config\.r.*larger than n = 3/);
    expect(tryConfig({ n: 3, r: 1, w: 5 })).to.throw(ConfigError, /config\.w.*larger than n = 3/);
    expect(tryConfig({ n: 7, r: 1, w: 1 })).to.throw(ConfigError, /config\.n.*only 5 nodes/);
    expect(tryConfig({ n: 3, r: 2, w: 2, versioning: "vector" as never })).to.throw(ConfigError, /config\.versioning/);
    expect(tryConfig({ n: 3, r: 2, w: 2, replicas: ["n1", "n9"] })).to.throw(ConfigError, /config\.replicas\[1\]/);
  });

  it("a duplicate replica is reported in config.replicas (where the user wrote it), not in the ring's internals", () => {
    const run = () => simulate(base(1, { n: 2, r: 1, w: 1, replicas: ["n1", "n2", "n1"] }));
    expect(run).to.throw(ConfigError, /config\.replicas\[2\].*repeats n1/);
    try {
      run();
    } catch (e) {
      expect((e as ConfigError).field).to.equal("config.replicas[2]");
    }
  });

  it("rings of node ids that contain commas do not collide: each run gets the ring of its own nodes", () => {
    // Joined with commas, ["a,b", "c"] and ["a", "b,c"] are the same text "a,b,c".
    const cfg = (ids: string[]): Cfg => ({ ...base(3, { n: 2, r: 1, w: 1 }), nodes: ids, workload: { ...base(3, { n: 2, r: 1, w: 1 }).workload!, route: { read: "random", write: "random" } }, durationMs: 300 });
    const first = simulate(cfg(["a", "b,c"]));
    simulate(cfg(["a,b", "c"]));
    const states = ["a", "b,c"].map((n) => first.finalState(n).ring.nodes);
    expect(states[0]).to.deep.equal(["a", "b,c"]);
    const fresh = simulate(cfg(["a,b", "c"]));
    expect(fresh.finalState("c").ring.nodes).to.deep.equal(["a,b", "c"]);
  });
});
