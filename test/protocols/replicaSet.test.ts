import { expect } from "chai";
import { Map as ImmutableMap } from "immutable";
import { simulate } from "../../lib/sim/engine.js";
import type { SimConfig } from "../../lib/sim/config.js";
import type { Fault } from "../../lib/sim/faults.js";
import { makeRng } from "../../lib/sim/rng.js";
import { ConfigError } from "../../lib/errors.js";
import { checkLinearizability } from "../../lib/checkers/index.js";
import { quantile } from "../../lib/stats.js";
import { replicaSet } from "../../lib/protocols/replicaSet/protocol.js";
import type { ReplicaSetConfig } from "../../lib/protocols/replicaSet/config.js";
import { implicitDefaultW, replicaSetWarnings } from "../../lib/protocols/replicaSet/config.js";
import { decideVote, electionTimeoutWithOffset, priorityTakeoverDelay } from "../../lib/protocols/replicaSet/elections.js";
import { applyEntries, applyEntry, compareOpTime, type OplogEntry } from "../../lib/protocols/replicaSet/oplog.js";
import { divergentSuffix, findCommonPoint } from "../../lib/protocols/replicaSet/rollback.js";
import { satisfiedIndex } from "../../lib/protocols/replicaSet/writeConcern.js";
import { crashPrimaryScenario, isolatedPrimaryScenario, replicaSetLan } from "../../lib/protocols/replicaSet/scenarios.js";
import {
  failoverTimes, finalPrimary, primarySpells, replicaSetLostWrites, rolledBackWrites, termsWithTwoPrimaries, whoSeesWhom,
} from "../../lib/protocols/replicaSet/inspect.js";
import { lastOpTime, type ReplicaSetState } from "../../lib/protocols/replicaSet/state.js";
import { slice } from "../../lib/sim/appendLog.js";
import { randomFaults as nemesis } from "./nemesis.js";

/** Fast timers for many-seed safety sweeps: safety must not depend on the timer values. */
const FAST: ReplicaSetConfig["settings"] = { heartbeatIntervalMillis: 100, heartbeatTimeoutSecs: 0.5, electionTimeoutMillis: 500 };

/** A random schedule of partitions, crashes and pauses over five members, all over by 6 s. */
function randomFaults(seed: number): Fault[] {
  const nodes = ["n1", "n2", "n3", "n4", "n5"];
  return nemesis(seed, {
    nodes, firstAt: [300, 500], startsBefore: 5500, endBy: 6000, lasts: [300, 1500], gap: [50, 400],
    // One or two random members cut off from the rest.
    partition: (_node, r) => [nodes.map((n) => ({ n, u: r.uniform() })).sort((x, y) => x.u - y.u).map((x) => x.n).slice(0, 1 + r.int(2))],
  });
}

function chaos(seed: number, config: ReplicaSetConfig): SimConfig<ReplicaSetState, ReplicaSetConfig> {
  return {
    seed, nodes: 5, protocol: replicaSet, config: { settings: FAST, ...config }, network: replicaSetLan, faults: randomFaults(seed),
    workload: { clients: 3, loop: "closed", thinkMs: { kind: "constant", value: 20 }, mix: { read: 0.3, update: 0.7 }, keys: { count: 10, distribution: "uniform" }, timeoutMs: 300, route: { read: "random", write: "random" }, stopMs: 7000 },
    durationMs: 9000, recordStates: false,
  };
}

const entry = (index: number, term: number, key = "k", value = index): OplogEntry => ({ term, index, op: "set", key, value, wall: index });

describe("replica set (MongoDB style)", () => {
  describe("configuration errors name the field", () => {
    const nodes = ["n1", "n2", "n3"];
    const fails = (c: unknown, field: string, n: readonly string[] = nodes): void => {
      expect(() => replicaSet.validate!(c as ReplicaSetConfig, n)).to.throw(ConfigError).with.property("field", field);
    };
    it("more than 7 voters (MongoDB's limit)", () => {
      const eight = Array.from({ length: 8 }, (_, i) => `n${i + 1}`);
      fails({}, "config.members", eight);
      expect(() => replicaSet.validate!({ members: { n8: { votes: 0, priority: 0 } } }, eight)).not.to.throw();
    });
    it("a priority outside [0, 1000]", () => {
      fails({ members: { n2: { priority: 1001 } } }, "config.members.n2.priority");
      fails({ members: { n2: { priority: -1 } } }, "config.members.n2.priority");
    });
    it("an arbiter with priority above 0", () => fails({ members: { n3: { arbiterOnly: true, priority: 1 } } }, "config.members.n3.priority"));
    it("an unknown member, and a w that names no count", () => {
      fails({ members: { n9: { priority: 2 } } }, "config.members.n9");
      fails({ writeConcern: { w: "n2" } }, "config.writeConcern.w");
    });
    it("a w larger than the data-bearing members (arbiters hold no data)", () => {
      fails({ writeConcern: { w: 4 } }, "config.writeConcern.w");
      fails({ members: { n3: { arbiterOnly: true } }, writeConcern: { w: 3 } }, "config.writeConcern.w");
      expect(() => replicaSet.validate!({ writeConcern: { w: 3 } }, nodes)).not.to.throw();
    });
    it("a negative timeout", () => {
      fails({ settings: { electionTimeoutMillis: -5 } }, "config.settings.electionTimeoutMillis");
      fails({ settings: { catchUpTimeoutMillis: -2 } }, "config.settings.catchUpTimeoutMillis");
      fails({ writeConcern: { w: 1, wtimeout: -1 } }, "config.writeConcern.wtimeout");
      expect(() => replicaSet.validate!({ settings: { catchUpTimeoutMillis: -1 } }, nodes)).not.to.throw();
    });
    it("an even number of voters with no arbiter is allowed, with a warning", () => {
      const four = ["n1", "n2", "n3", "n4"];
      expect(() => replicaSet.validate!({}, four)).not.to.throw();
      expect(replicaSetWarnings({}, four).join(" ")).to.match(/even number/);
      expect(replicaSetWarnings({}, nodes)).to.deep.equal([]);
    });
    it("MongoDB 5.0's implicit default write concern: w:1 for primary-secondary-arbiter, majority otherwise", () => {
      const m = (arb: boolean) => nodes.map((id) => ({ id, priority: 1, votes: 1 as const, arbiter: arb && id === "n3" }));
      expect(implicitDefaultW(m(true))).to.equal(1);
      expect(implicitDefaultW(m(false))).to.equal("majority");
    });
  });

  describe("the rules, as pure functions", () => {
    it("a voter grants one vote per term, only to a candidate at least as fresh (PV1)", () => {
      const voter = { term: 3, lastVote: { term: 3, candidate: "n2" }, lastOpTime: { term: 3, index: 10 } };
      expect(decideVote(voter, { candidate: "n3", term: 3, lastOpTime: { term: 3, index: 12 }, dryRun: false }).granted).to.equal(false);
      expect(decideVote(voter, { candidate: "n3", term: 4, lastOpTime: { term: 3, index: 12 }, dryRun: false }).granted).to.equal(true);
      expect(decideVote(voter, { candidate: "n3", term: 4, lastOpTime: { term: 3, index: 9 }, dryRun: false }).granted).to.equal(false);
      expect(decideVote(voter, { candidate: "n3", term: 4, lastOpTime: { term: 2, index: 50 }, dryRun: true }).granted).to.equal(false);
      expect(decideVote(voter, { candidate: "n3", term: 2, lastOpTime: { term: 3, index: 50 }, dryRun: true }).granted).to.equal(false);
    });
    it("optimes order by term first, then index", () => {
      expect(compareOpTime({ term: 2, index: 1 }, { term: 1, index: 99 })).to.be.greaterThan(0);
      expect(compareOpTime({ term: 2, index: 5 }, { term: 2, index: 6 })).to.be.lessThan(0);
    });
    it("the election timeout gets a random offset of up to 15 %", () => {
      expect(electionTimeoutWithOffset(10_000, 0)).to.equal(10_000);
      expect(electionTimeoutWithOffset(10_000, 0.999999)).to.be.closeTo(11_500, 0.1);
    });
    it("priority takeover waits one election timeout more per member ranked above", () => {
      const ms = [{ id: "n1", priority: 1, votes: 1 as const, arbiter: false }, { id: "n2", priority: 3, votes: 1 as const, arbiter: false }, { id: "n3", priority: 2, votes: 1 as const, arbiter: false }];
      expect(priorityTakeoverDelay(ms[1], ms, 10_000, 0)).to.equal(10_000);
      expect(priorityTakeoverDelay(ms[2], ms, 10_000, 0)).to.equal(20_000);
    });
    it("write concern counts data-bearing members; majority counts journaled voters", () => {
      const p = new Map([["n1", { applied: 10, durable: 8 }], ["n2", { applied: 9, durable: 7 }], ["n3", { applied: 3, durable: 3 }]]);
      const voters = ["n1", "n2", "n3"];
      expect(satisfiedIndex(1, false, p, voters)).to.equal(10);
      expect(satisfiedIndex(2, false, p, voters)).to.equal(9);
      expect(satisfiedIndex(2, true, p, voters)).to.equal(7);
      expect(satisfiedIndex("majority", true, p, voters)).to.equal(7);
      // Primary-secondary-arbiter: the arbiter votes but holds nothing, so with n2 silent majority is 0.
      expect(satisfiedIndex("majority", true, new Map([["n1", { applied: 10, durable: 10 }]]), ["n1", "n2", "n3"])).to.equal(0);
    });
    it("applying an oplog entry twice equals applying it once (idempotent oplog)", () => {
      const r = makeRng(7);
      for (let trial = 0; trial < 200; trial++) {
        const entries = Array.from({ length: 1 + r.int(20) }, (_, i) => entry(i + 1, 1, `k${r.int(4)}`, r.int(100)));
        const once = applyEntries(ImmutableMap(), entries);
        const twice = applyEntries(once, entries);
        expect(twice.equals(once)).to.equal(true);
        const e = entries[r.int(entries.length)];
        expect(applyEntry(applyEntry(once, e), e).equals(applyEntry(once, e))).to.equal(true);
      }
    });
    it("rollback finds the common point and undoes exactly the divergent suffix", () => {
      // Index 1..4 agree (term 1); the old primary then wrote 5..7 in term 1, the new one 5..6 in term 2.
      const mine = [1, 1, 1, 1, 1, 1, 1];
      const theirs = [1, 1, 1, 1, 2, 2];
      expect(findCommonPoint(1, mine, theirs)).to.equal(4);
      expect(findCommonPoint(5, [1, 1], [2, 2])).to.equal(4);
      const oplog = mine.map((t, i) => entry(i + 1, t));
      expect(divergentSuffix(oplog, 1, 4).map((e) => e.index)).to.deep.equal([5, 6, 7]);
      expect(divergentSuffix(oplog.slice(2), 3, 4).map((e) => e.index)).to.deep.equal([5, 6, 7]);
    });
  });

  describe("runs", function () {
    this.timeout(240_000);

    it("never two primaries in one term, over 60 seeds of random crashes, pauses and partitions", () => {
      let elections = 0;
      for (let seed = 1; seed <= 60; seed++) {
        const run = simulate(chaos(seed, { writeConcern: { w: 1 } }));
        expect(termsWithTwoPrimaries(run.trace), `seed ${seed}`).to.deep.equal([]);
        elections += primarySpells(run.trace, run.endTime).length;
      }
      // The faults must actually cause elections, or the test proves nothing.
      expect(elections).to.be.greaterThan(60 * 1.5);
    });

    it('no w:"majority" acknowledged write is ever rolled back (50 seeds); w:1 loses writes when the primary is isolated (the control)', () => {
      let majorityAcked = 0;
      for (let seed = 1; seed <= 50; seed++) {
        const run = simulate(seed % 2 === 0 ? chaos(seed, { writeConcern: { w: "majority" } }) : isolatedPrimaryScenario(seed, { writeConcern: { w: "majority" }, settings: FAST }, 500, 3000, { durationMs: 6000 }));
        expect(rolledBackWrites(run).filter((r) => r.acknowledged), `seed ${seed}`).to.deep.equal([]);
        expect(replicaSetLostWrites(run).lostCount, `seed ${seed}`).to.equal(0);
        majorityAcked += replicaSetLostWrites(run).acknowledged;
      }
      expect(majorityAcked).to.be.greaterThan(50 * 100);
      for (let seed = 1; seed <= 5; seed++) {
        const run = simulate(isolatedPrimaryScenario(seed, { writeConcern: { w: 1 }, settings: FAST }, 500, 3000, { durationMs: 6000 }));
        const rolled = rolledBackWrites(run).filter((r) => r.acknowledged);
        expect(rolled.length, `seed ${seed}`).to.be.greaterThan(0);
        expect(replicaSetLostWrites(run).lostCount).to.equal(rolled.length);
      }
    });

    it("liveness: with a majority up and connected, a primary is elected within the election timeout (+15 %) plus 200 ms", () => {
      const times: number[] = [];
      for (let seed = 1; seed <= 12; seed++) {
        const run = simulate(crashPrimaryScenario(seed, {}, 3000, { durationMs: 16_000, thinkMs: 50 }));
        const f = failoverTimes(run, 3000);
        expect(f.elected, `seed ${seed}`).not.to.equal(null);
        times.push(f.elected!);
      }
      expect(Math.max(...times)).to.be.at.most(11_500 + 200);
      // Not earlier than the timeout either: the secondaries heard the primary until it crashed.
      expect(quantile(times, 0.5)).to.be.at.least(10_000);
    });

    it("a rollback removes exactly the entries the new primary lacks, and keeps them as rollback data", () => {
      const run = simulate({ ...isolatedPrimaryScenario(3, { writeConcern: { w: 1 }, settings: FAST }, 500, 3000, { durationMs: 6000 }), recordStates: true });
      const n1 = run.finalState("n1");
      expect(n1.rollbacks.length).to.equal(1);
      const rb = n1.rollbacks[0];
      const before = run.stateAt("n1", rb.at - 1e-6).state;
      const winner = run.finalState(finalPrimary(run));
      const winnerLog = slice(winner.oplog);
      // Kept: every entry up to the common point, identical on the winner.
      const kept = slice(before.oplog).filter((e) => e.index <= rb.commonPoint);
      for (const e of kept) expect(winnerLog[e.index - winner.base.index - 1]).to.deep.equal(e);
      // Undone: exactly the old primary's entries after the common point, none of which the winner holds.
      expect(rb.undone).to.deep.equal(slice(before.oplog).filter((e) => e.index > rb.commonPoint));
      expect(winnerLog[rb.commonPoint + 1 - winner.base.index - 1].term).to.not.equal(rb.undone[0].term);
      // After it, n1's oplog is a prefix of the winner's.
      expect(slice(n1.oplog).every((e) => JSON.stringify(winnerLog[e.index - winner.base.index - 1]) === JSON.stringify(e))).to.equal(true);
      expect(compareOpTime(lastOpTime(n1), lastOpTime(winner))).to.be.at.most(0);
    });

    it('linearizable reads pass the linearizability checker; "local" reads fail it with an isolated primary (the control)', () => {
      const opts = { durationMs: 6000, keys: 4 };
      for (const seed of [1, 2, 3]) {
        const lin = simulate(isolatedPrimaryScenario(seed, { writeConcern: { w: "majority" }, readConcern: "linearizable", settings: FAST }, 500, 3000, opts));
        expect(checkLinearizability(lin.history).valid, `seed ${seed}`).to.equal(true);
      }
      // Under MongoDB's default timers the isolated primary serves reads for 10 s after the
      // others elected a new primary: local reads see stale (and later rolled-back) data.
      const slow = { durationMs: 30_000, keys: 4 };
      const local = simulate(isolatedPrimaryScenario(1, { writeConcern: { w: "majority" }, readConcern: "local" }, 3000, 20_000, slow));
      expect(checkLinearizability(local.history).valid).to.equal(false);
      const linSlow = simulate(isolatedPrimaryScenario(1, { writeConcern: { w: "majority" }, readConcern: "linearizable" }, 3000, 20_000, slow));
      expect(checkLinearizability(linSlow.history).valid).to.equal(true);
    });

    it("heartbeats: every member's view is inspectable at any moment, and a crashed primary is marked down after heartbeatTimeoutSecs", () => {
      const run = simulate({ ...crashPrimaryScenario(1, {}, 2000, { durationMs: 16_000 }), recordStates: true });
      const at = (t: number) => whoSeesWhom(run, t).find((r) => r.observer === "n2" && r.member === "n1")!;
      expect(at(1500).sees).to.equal("PRIMARY");
      expect(at(2000 + 9000).sees).to.equal("PRIMARY"); // heard < 10 s ago at the last check
      expect(at(2000 + 12_500).sees).to.equal("down");
      expect(whoSeesWhom(run, 5000).find((r) => r.observer === "n1")!.sees).to.equal("crashed");
    });

    it("primary-secondary-arbiter with the secondary down: w:1 keeps working, w:majority times out", () => {
      const psa = (w: 1 | "majority") => simulate({
        ...crashPrimaryScenario(1, { members: { n3: { arbiterOnly: true } }, writeConcern: { w, wtimeout: 500 } }, 0, { durationMs: 5000, clients: 2 }),
        faults: [{ kind: "crash", at: 1000, node: "n2" }],
        workload: { clients: 2, loop: "closed", thinkMs: { kind: "constant", value: 20 }, mix: { read: 0, update: 1 }, keys: { count: 5, distribution: "uniform" }, timeoutMs: 1000, route: { write: "n1" } },
      });
      const oksAfter = (run: ReturnType<typeof psa>) => run.history.filter((o) => o.type === "ok" && o.f === "write" && o.time > 1500).length;
      expect(oksAfter(psa(1))).to.be.greaterThan(50);
      const maj = psa("majority");
      expect(oksAfter(maj)).to.equal(0);
      const timedOut = maj.history.filter((o) => o.type === "info" && /wtimeout/.test(o.error ?? ""));
      expect(timedOut.length).to.be.greaterThan(0);
      // A wtimeout reports; it does not undo: every timed-out write is still in the primary's data.
      const kept = maj.finalContents("n1");
      expect(timedOut.every((o) => (kept.get(o.key) ?? []).includes(o.value as number))).to.equal(true);
    });

    it("a higher-priority member takes over once caught up", () => {
      const run = simulate({ ...crashPrimaryScenario(1, { members: { n3: { priority: 5 } }, initialPrimary: "n1" }, 0, { durationMs: 14_000 }), faults: [] });
      const spells = primarySpells(run.trace, run.endTime);
      expect(spells.map((s) => s.node)).to.deep.equal(["n1", "n3"]);
      // Armed at the first heartbeat check that sees n1 as primary (2 s), then one election
      // timeout (n3 ranks first) plus up to 15 %, plus a dry run and a vote (a few ms).
      expect(spells[1].from).to.be.within(2000 + 10_000, 2000 + 11_500 + 100);
    });

    it("same seed, same run", () => {
      const a = simulate(chaos(5, {}));
      const b = simulate(chaos(5, {}));
      expect(a.history).to.deep.equal(b.history);
      expect(a.events).to.equal(b.events);
    });
  });
});
