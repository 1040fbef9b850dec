import { expect } from "chai";
import { simulate } from "../../lib/sim/engine.js";
import type { SimConfig } from "../../lib/sim/config.js";
import type { Fault } from "../../lib/sim/faults.js";
import { makeRng } from "../../lib/sim/rng.js";
import { randomFaults as nemesis } from "./nemesis.js";
import type { DeliverEvent, NoteEvent } from "../../lib/sim/trace.js";
import type { WorkloadSpec } from "../../lib/workload/workload.js";
import { checkConvergence, checkMonotonicReads, checkReadYourWrites } from "../../lib/checkers/index.js";
import { ConfigError } from "../../lib/errors.js";
import {
  admitToken, finalLeader, finalReplicaStates, followerAcksNeeded, leaderEpochs, lostWritesOf, mergeEntries, pickFailoverCandidate,
  singleLeader, splitBrainMs, type SingleLeaderConfig, type SingleLeaderEntry, type SingleLeaderState,
} from "../../lib/protocols/singleLeader/index.js";
import { replicationLag } from "../../lib/metrics/index.js";

type Run = ReturnType<typeof simulate<SingleLeaderState, SingleLeaderConfig>>;

const NET = { latency: { kind: "exponential" as const, rate: 1 }, fifo: true };

function workload(over: Partial<WorkloadSpec> = {}): WorkloadSpec {
  return { clients: 4, loop: "closed", thinkMs: { kind: "constant", value: 2 }, mix: { read: 0.3, update: 0.7 }, keys: { count: 30, distribution: "uniform" }, timeoutMs: 40, route: { read: "sticky", write: "sticky" }, stopMs: 700, ...over };
}

function config(seed: number, c: SingleLeaderConfig, faults: Fault[], over: Partial<SimConfig<SingleLeaderState, SingleLeaderConfig>> = {}): SimConfig<SingleLeaderState, SingleLeaderConfig> {
  return { seed, nodes: 3, protocol: singleLeader, config: c, network: NET, faults, workload: workload(), durationMs: 1000, ...over };
}

/** One node fails (crash then restart, lose its disk then restart, or pause then resume), drawn from a seed. */
function oneNodeFails(seed: number): Fault[] {
  const r = makeRng(seed).fork("faults");
  const node = `n${1 + r.int(3)}`;
  const at = 100 + r.uniform() * 400;
  const back = at + 20 + r.uniform() * 150;
  const kind = r.int(3);
  if (kind === 0) return [{ kind: "crash", at, node }, { kind: "restart", at: back, node }];
  if (kind === 1) return [{ kind: "lose-disk", at, node }, { kind: "restart", at: back, node }];
  return [{ kind: "pause", at, node }, { kind: "resume", at: back, node }];
}

/** A random schedule of partitions, crashes and pauses, all over (healed, restarted, resumed) by 600 ms. */
function randomFaults(seed: number): Fault[] {
  return nemesis(seed, {
    nodes: ["n1", "n2", "n3"], firstAt: [50, 50], startsBefore: 520, endBy: 600, lasts: [20, 120], gap: [10, 60],
    // The struck node alone with one client, the rest with the others.
    partition: (alone) => [[alone, "c1"], [...["n1", "n2", "n3"].filter((n) => n !== alone), "c2", "c3", "c4"]],
  });
}

const leaderNotes = (run: Run): NoteEvent[] => run.trace.filter((e): e is NoteEvent => e.type === "note" && e.kind === "leader");
const okWrites = (run: Run): number => run.history.filter((o) => o.type === "ok" && o.f === "write").length;

describe("single-leader replication", () => {
  describe("configuration errors name the field and the fix", () => {
    const nodes = ["n1", "n2", "n3"];
    const fails = (c: unknown, field: string): void => {
      expect(() => singleLeader.validate!(c as SingleLeaderConfig, nodes)).to.throw(ConfigError).with.property("field", field);
    };
    it("rejects a failure timeout at or below the heartbeat interval", () => {
      fails({ mode: "async", heartbeatMs: 20, failureTimeoutMs: 20 }, "config.failureTimeoutMs");
      fails({ mode: "async", heartbeatMs: 20, failureTimeoutMs: 10 }, "config.failureTimeoutMs");
      expect(() => singleLeader.validate!({ mode: "async", heartbeatMs: 20, failureTimeoutMs: 60 }, nodes)).not.to.throw();
    });
    it("rejects more followers than the cluster has nodes besides the leader", () => {
      fails({ mode: "sync", followers: 3 }, "config.followers");
      expect(() => singleLeader.validate!({ mode: "sync", followers: 2 }, nodes)).not.to.throw();
    });
    it("rejects a lease longer than the failure timeout (a new leader could be elected while the old one still serves)", () => {
      fails({ mode: "async", leases: true, leaseMs: 80, failureTimeoutMs: 50 }, "config.leaseMs");
    });
    it("rejects an unknown mode, failover policy or a join of a node that is already a replica", () => {
      fails({ mode: "eventually" }, "config.mode");
      fails({ mode: "async", failover: "random" }, "config.failover");
      fails({ mode: "async", joins: [{ node: "n2", atMs: 10 }] }, "config.joins[0].node");
    });
    it("rejects the settings that moved to node capacity, saying what to write instead", () => {
      const moved = (c: unknown, field: string, fix: RegExp): void => {
        expect(() => singleLeader.validate!(c as SingleLeaderConfig, nodes)).to.throw(ConfigError).with.property("fix").that.matches(fix);
        fails(c, field);
      };
      moved({ mode: "async", readServiceMs: 2 }, "config.readServiceMs", /capacity: \{ serviceMs: \{ read: \{ kind: "constant", value: 2 \} \} \}/);
      moved({ mode: "async", applyMs: { n3: 0.5 } }, "config.applyMs", /capacity: \{ byNode: \{ n3: \{ applyMs: \{ kind: "constant", value: 0.5 \} \} \} \}/);
      moved({ mode: "async", applyMs: 1 }, "config.applyMs", /capacity: \{ applyMs: \{ kind: "constant", value: 1 \} \}/);
    });
    it("simulate() refuses a bad config before running", () => {
      expect(() => simulate(config(1, { mode: "async", heartbeatMs: 50, failureTimeoutMs: 30 }, []))).to.throw(ConfigError, /heartbeat/);
    });
  });

  it("needs 0, 1 or every follower's copy for async, semi-sync and sync", () => {
    expect([followerAcksNeeded("async", 4), followerAcksNeeded("semi-sync", 4), followerAcksNeeded("sync", 4)]).to.deep.equal([0, 1, 4]);
    expect(followerAcksNeeded("semi-sync", 0)).to.equal(0);
  });

  it("without faults every replica ends with the leader's data, in every mode", () => {
    for (const mode of ["async", "semi-sync", "sync"] as const) {
      const run = simulate(config(7, { mode }, []));
      expect(okWrites(run), mode).to.be.greaterThan(100);
      expect(checkConvergence(finalReplicaStates(run)).valid, mode).to.equal(true);
      expect(lostWritesOf(run).lostCount, mode).to.equal(0);
    }
  });

  it("sync mode with epochs and fencing never loses an acknowledged write when at most one node fails (40 seeds; crash, disk loss or pause)", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const faults = oneNodeFails(seed);
      const run = simulate(config(seed, { mode: "sync", epochs: true, fencing: true, failover: "most-up-to-date" }, faults));
      expect(okWrites(run), `seed ${seed}`).to.be.greaterThan(0);
      const lost = lostWritesOf(run);
      expect(lost.lostCount, `seed ${seed} ${JSON.stringify(faults)}: ${lost.message}`).to.equal(0);
    }
  });

  it("async mode loses exactly the acknowledged writes the crashed leader had not yet shipped (30 seeds)", () => {
    let lostSomewhere = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const at = 150 + makeRng(seed).fork("crash").uniform() * 400;
      const run = simulate(
        config(seed, { mode: "async", epochs: true, shipEveryMs: 25 }, [{ kind: "crash", at, node: "n1" }], {
          recordStates: true,
          workload: workload({ route: { read: "leader", write: "leader" } }),
        }),
      );
      const before = run.stateAt("n1", at).state;
      if (before.role !== "leader") throw new Error(`seed ${seed}: n1 does not lead at ${at} ms`);
      const unshipped = new Set<number>();
      for (let i = before.shipped; i < before.base + before.log.length; i++) unshipped.add(before.log.items[i - before.base].value);
      const ackedUnshipped = run.history.filter((o) => o.type === "ok" && o.f === "write" && unshipped.has(o.value as number)).map((o) => o.value as number);
      const lost = lostWritesOf(run).lost.map((l) => l.value);
      expect(lost.sort((a, b) => a - b), `seed ${seed}`).to.deep.equal(ackedUnshipped.sort((a, b) => a - b));
      lostSomewhere += lost.length;
    }
    // The property must not hold vacuously: batching leaves acknowledged writes unshipped.
    expect(lostSomewhere).to.be.greaterThan(10);
  });

  it("with epochs on, no two leaders of the same epoch ever exist (60 random fault schedules, both failover policies, leases on and off)", () => {
    for (let seed = 1; seed <= 60; seed++) {
      const c: SingleLeaderConfig = { mode: seed % 3 === 0 ? "semi-sync" : "async", epochs: true, failover: seed % 2 ? "naive" : "most-up-to-date", leases: seed % 4 < 2 };
      const run = simulate(config(seed, c, randomFaults(seed)));
      const byEpoch = new Map<number, Set<string>>();
      for (const n of leaderNotes(run)) {
        const epoch = n.data!.epoch as number;
        if (!byEpoch.has(epoch)) byEpoch.set(epoch, new Set());
        byEpoch.get(epoch)!.add(n.node);
      }
      expect(byEpoch.size, `seed ${seed}`).to.be.greaterThan(0);
      for (const [epoch, nodes] of byEpoch) expect([...nodes], `seed ${seed} epoch ${epoch}`).to.have.length(1);
    }
  });

  it("without epochs, a partition gives two leaders at once, both acknowledging writes (split brain)", () => {
    const partition: Fault[] = [{ kind: "partition", at: 300, groups: [["n1", "c1"], ["n2", "n3", "c2", "c3", "c4"]] }, { kind: "heal", at: 600 }];
    const run = simulate(config(3, { mode: "async", failover: "naive" }, partition));
    const terms = leaderEpochs(run.trace, 1000);
    const overlap = terms.some((a) => terms.some((b) => a !== b && a.node !== b.node && a.from < b.to && b.from < a.to && a.from < 600 && b.from < 600));
    expect(overlap).to.equal(true);
    const acked = (node: string) => run.history.filter((o) => o.type === "ok" && o.f === "write" && o.time > 400 && o.time < 600 && o.process === node).length;
    expect(acked("c1"), "the old leader's side").to.be.greaterThan(5);
    expect(acked("c2"), "the new leader's side").to.be.greaterThan(5);
    expect(lostWritesOf(run).lostCount).to.be.greaterThan(0);
  });

  it("semi-sync with epochs and leases loses no acknowledged write in the same partition", () => {
    const partition: Fault[] = [{ kind: "partition", at: 300, groups: [["n1", "c1"], ["n2", "n3", "c2", "c3", "c4"]] }, { kind: "heal", at: 600 }];
    const run = simulate(config(3, { mode: "semi-sync", epochs: true, leases: true }, partition));
    expect(okWrites(run)).to.be.greaterThan(100);
    expect(lostWritesOf(run).lostCount).to.equal(0);
  });

  it("leases: a cut-off leader stops acknowledging writes within one lease of losing its majority", () => {
    const partition: Fault[] = [{ kind: "partition", at: 300, groups: [["n1", "c1"], ["n2", "n3", "c2", "c3", "c4"]] }, { kind: "heal", at: 600 }];
    const run = simulate(config(3, { mode: "async", epochs: true, leases: true, leaseMs: 40, failureTimeoutMs: 50 }, partition));
    const lateAcks = run.history.filter((o) => o.type === "ok" && o.process === "c1" && o.time > 300 + 40 + 5 && o.time < 600);
    expect(lateAcks).to.have.length(0);
    const earlyAcks = run.history.filter((o) => o.type === "ok" && o.process === "c1" && o.time > 300 && o.time < 340);
    expect(earlyAcks.length, "it keeps serving while the lease lasts").to.be.greaterThan(0);
  });

  it("fencing: followers' storage refuses the writes a paused leader ships when it resumes, and that leader steps down (Kleppmann, DDIA ch. 8)", () => {
    const pause: Fault[] = [{ kind: "pause", at: 300, node: "n1" }, { kind: "resume", at: 450, node: "n1" }];
    const fenced = simulate(config(5, { mode: "semi-sync", failover: "naive", fencing: true }, pause));
    const kinds = (run: Run, kind: string) => run.trace.filter((e) => e.type === "note" && e.kind === kind && e.t >= 450);
    expect(kinds(fenced, "fenced").length).to.be.greaterThan(0);
    expect(kinds(fenced, "fenced").map((e) => (e as NoteEvent).data!.from)).to.include("n1");
    expect(kinds(fenced, "step-down").map((e) => (e as NoteEvent).node)).to.include("n1");
    expect(checkConvergence(finalReplicaStates(fenced)).valid).to.equal(true);
    // Without fencing (and without epochs) nobody refuses the old leader: no fencing notes at all.
    const open = simulate(config(5, { mode: "semi-sync", failover: "naive" }, pause));
    expect(kinds(open, "fenced")).to.have.length(0);
  });

  it("replicas converge after the faults heal and the clients stop (40 random schedules, epochs on and off)", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const c: SingleLeaderConfig = seed % 2 ? { mode: "async", failover: "most-up-to-date" } : { mode: "semi-sync", epochs: true, leases: seed % 4 === 0, fencing: true };
      const run = simulate(config(seed, c, randomFaults(seed)));
      const verdict = checkConvergence(finalReplicaStates(run));
      expect(verdict.valid, `seed ${seed}: ${verdict.message}`).to.equal(true);
      expect(finalLeader(run)).to.be.a("string");
    }
  });

  it("session tokens give read-your-writes and monotonic reads from lagging followers (Terry et al., PDIS 1994)", () => {
    const base = { mode: "async" as const, readFrom: "any" as const, shipEveryMs: 30 };
    const w = workload({ route: { read: "random", write: "leader" }, keys: { count: 5, distribution: "uniform" }, mix: { read: 0.6, update: 0.4 } });
    const plain = simulate(config(11, base, [], { workload: w }));
    expect(checkReadYourWrites(plain.history).violations.length).to.be.greaterThan(0);
    expect(checkMonotonicReads(plain.history).violations.length).to.be.greaterThan(0);
    const session = simulate(config(11, base, [], { workload: { ...w, session: true } }));
    expect(checkReadYourWrites(session.history).violations).to.have.length(0);
    expect(checkMonotonicReads(session.history).violations).to.have.length(0);
  });

  it("a spare joins from a snapshot plus the log after it and ends with the leader's data, sending fewer bytes than replaying the log", () => {
    const bytes = (run: Run) => run.trace.filter((e) => e.type === "send" && e.dest === "n4").reduce((sum, e) => sum + (e.type === "send" ? e.bytes : 0), 0);
    const runs = (["snapshot", "log"] as const).map((joinFrom) =>
      simulate(config(2, { mode: "async", followers: 2, joins: [{ node: "n4", atMs: 500 }], joinFrom }, [], { nodes: 4, workload: workload({ route: { read: "leader", write: "leader" } }) })),
    );
    for (const run of runs) {
      const states = finalReplicaStates(run);
      expect(Object.keys(states)).to.include("n4");
      expect(checkConvergence(states).valid).to.equal(true);
    }
    expect(runs[0].trace.some((e) => e.type === "note" && e.kind === "install" && e.node === "n4")).to.equal(true);
    expect(bytes(runs[0])).to.be.lessThan(bytes(runs[1]));
    // Once installed, the snapshot counts as applying every earlier write: n4's lag is back to the network's.
    const lagAfterJoin = replicationLag(runs[0].trace, { stepMs: 10, endMs: 700, replicas: ["n4"] }).filter((r) => r.t >= 550);
    expect(Math.max(...lagAfterJoin.map((r) => r.lagMs))).to.be.lessThan(20);
  });

  it("reads scale with followers when they serve reads, and not when only the leader does", () => {
    const reads = (followers: number, readFrom: "leader" | "any") => {
      const run = simulate({
        seed: 4, nodes: 4, protocol: singleLeader, config: { mode: "async", followers, readFrom }, network: NET,
        // 2 ms per read, one at a time; a forwarded read costs the leader as much as a direct one.
        capacity: { serviceMs: { read: { kind: "constant", value: 2 }, forward: { kind: "constant", value: 2 } } },
        workload: { clients: 8, loop: "open", ratePerSec: 600, mix: { read: 1, update: 0 }, keys: { count: 10, distribution: "uniform" }, timeoutMs: 50, route: { read: "random", write: "leader" } },
        durationMs: 500,
      });
      return run.history.filter((o) => o.type === "ok" && o.f === "read").length;
    };
    // Each node serves at most 500 reads/s; 4800 reads/s are offered for 0.5 s.
    expect(reads(3, "any")).to.be.greaterThan(1.5 * reads(1, "any"));
    expect(reads(3, "leader")).to.be.lessThan(300);
  });

  describe("the small rules", () => {
    it("storage admits a fencing token iff it is not below the highest one accepted, and remembers the highest (DDIA ch. 8)", () => {
      expect(admitToken(3, 2)).to.deep.equal({ accept: false, highest: 3 });
      expect(admitToken(3, 3)).to.deep.equal({ accept: true, highest: 3 });
      expect(admitToken(3, 5)).to.deep.equal({ accept: true, highest: 5 });
    });
    it("the failover candidate is the longest log, ties to the lower id, whatever the order given", () => {
      const c = [{ node: "n3", length: 9 }, { node: "n2", length: 9 }, { node: "n4", length: 4 }];
      expect(pickFailoverCandidate(c)).to.equal("n2");
      expect(pickFailoverCandidate([...c].reverse())).to.equal("n2");
      expect(() => pickFailoverCandidate([])).to.throw(RangeError);
    });
    it("a follower keeps a matching prefix, cuts its log at the first conflict and refuses entries past a gap (Raft §5.3)", () => {
      const e = (index: number, value: number, epoch: number): SingleLeaderEntry => ({ index, key: "x", value, epoch });
      const log = [e(0, 1, 1), e(1, 2, 1), e(2, 3, 1)];
      expect(mergeEntries(log, [e(1, 2, 1), e(2, 3, 1), e(3, 4, 1)]).map((x) => x.value)).to.deep.equal([1, 2, 3, 4]);
      expect(mergeEntries(log, [e(1, 9, 2)]).map((x) => x.value)).to.deep.equal([1, 9]);
      expect(mergeEntries(log, [e(5, 9, 2)]).map((x) => x.value)).to.deep.equal([1, 2, 3]);
      expect(log).to.have.length(3);
    });
    it("split-brain time counts the time two or more spells overlap, once", () => {
      expect(splitBrainMs([{ from: 0, to: 10 }, { from: 5, to: 20 }])).to.equal(5);
      expect(splitBrainMs([{ from: 0, to: 30 }, { from: 10, to: 30 }, { from: 20, to: 30 }])).to.equal(20);
      expect(splitBrainMs([{ from: 0, to: 10 }, { from: 10, to: 20 }])).to.equal(0);
    });
  });

  it("a slow apply stage lags under async but holds sync writes back to its pace (acks wait for the apply)", () => {
    // n3 applies one entry per ms: at most 1000 writes/s. 16 busy clients offer far more.
    const busy = workload({ clients: 16, thinkMs: { kind: "constant", value: 1 }, mix: { read: 0, update: 1 }, route: { read: "leader", write: "leader" }, stopMs: 800 });
    const maxLag = (run: Run) => Math.max(...replicationLag(run.trace, { stepMs: 5, endMs: 1000, replicas: ["n3"] }).map((r) => r.lagMs));
    const run = (mode: "async" | "sync") => simulate(config(1, { mode }, [], { workload: busy, capacity: { byNode: { n3: { applyMs: { kind: "constant", value: 1 } } } } }));
    const a = run("async");
    const s = run("sync");
    expect(okWrites(a) / 0.8, "async outruns n3").to.be.greaterThan(1500);
    expect(maxLag(a)).to.be.greaterThan(200);
    // n3 applies at most one entry per ms, so by 800 ms sync can have acknowledged at most 800 writes.
    expect(s.history.filter((o) => o.type === "ok" && o.f === "write" && o.time <= 800).length, "sync is held to n3's pace").to.be.at.most(800).and.at.least(600);
    expect(maxLag(s)).to.be.lessThan(30);
    expect(checkConvergence(finalReplicaStates(a)).valid).to.equal(true);
  });

  it("a per-entry cost on appends (perUnitMs) slows a follower as an apply stage does; heartbeats, with no entries, cost nothing", () => {
    const busy = workload({ clients: 16, thinkMs: { kind: "constant", value: 1 }, mix: { read: 0, update: 1 }, route: { read: "leader", write: "leader" }, stopMs: 800 });
    // Shipped in batches every 5 ms, so appends carry several entries.
    const run = simulate(config(1, { mode: "async", shipEveryMs: 5 }, [], { workload: busy, capacity: { byNode: { n3: { perUnitMs: { append: { kind: "constant", value: 1 } } } } } }));
    const lag = replicationLag(run.trace, { stepMs: 5, endMs: 1000, replicas: ["n2", "n3"] });
    expect(Math.max(...lag.filter((r) => r.replica === "n3").map((r) => r.lagMs))).to.be.greaterThan(200);
    expect(Math.max(...lag.filter((r) => r.replica === "n2").map((r) => r.lagMs))).to.be.lessThan(30);
    const appends = run.trace.filter((e): e is DeliverEvent => e.type === "deliver" && e.dest === "n3" && e.msg === "append");
    // Whole milliseconds: one per entry carried; heartbeats carry none and cost nothing.
    expect(appends.every((e) => Number.isInteger(e.serviceMs))).to.equal(true);
    expect(appends.some((e) => e.serviceMs === 0), "heartbeats").to.equal(true);
    expect(appends.some((e) => e.serviceMs! > 1), "a batch of several entries").to.equal(true);
    // Every entry n3 holds passed through its queue at 1 ms: service time adds up to at least its log.
    const served = appends.reduce((sum, e) => sum + e.serviceMs!, 0);
    expect(served).to.be.at.least(run.finalState("n3").log.length);
  });

  it("an apply stage of 0 ms changes nothing but the applied events it adds to the trace", () => {
    const over = { nodes: 4, faults: [{ kind: "crash", at: 450, node: "n1" }] as Fault[], storage: { fsync: { kind: "interval", everyMs: 20 } } as const, workload: workload({ route: { read: "random", write: "sticky" } }) };
    const c: SingleLeaderConfig = { mode: "semi-sync", readFrom: "any", epochs: true, shipEveryMs: 3 };
    const free = simulate(config(3, c, over.faults, over));
    const staged = simulate(config(3, c, over.faults, { ...over, capacity: { applyMs: { kind: "constant", value: 0 } } }));
    const applied = staged.trace.filter((e) => e.type === "applied");
    expect(applied.length, "one applied event per entry record").to.be.greaterThan(100);
    expect(applied.every((e) => e.type === "applied" && e.serviceMs === 0 && e.queuedMs === 0)).to.equal(true);
    expect(JSON.stringify(staged.trace.filter((e) => e.type !== "applied"))).to.equal(JSON.stringify(free.trace));
  });

  it("an apply stage serves entries one at a time in WAL order, each taking applyMs after its disk write", () => {
    const run = simulate(config(2, { mode: "async" }, [], { capacity: { byNode: { n2: { applyMs: { kind: "constant", value: 0.7 } } } }, workload: workload({ clients: 6, mix: { read: 0, update: 1 } }) }));
    const events = run.trace.filter((e) => e.type === "applied");
    expect(events.length).to.be.greaterThan(100);
    expect(events.every((e) => e.type === "applied" && e.node === "n2" && Math.abs(e.serviceMs - 0.7) < 1e-12)).to.equal(true);
    // FIFO on one thread: each record starts when the previous one ends, or after it arrived.
    for (let i = 1; i < events.length; i++) {
      const [prev, cur] = [events[i - 1], events[i]] as { t: number; record: number; serviceMs: number; queuedMs: number }[];
      expect(cur.record).to.be.greaterThan(prev.record);
      expect(cur.t - cur.serviceMs).to.be.at.least(prev.t - 1e-9);
      if (cur.queuedMs > 1e-9) expect(cur.t - cur.serviceMs).to.be.closeTo(prev.t, 1e-9);
    }
    // n2's applied prefix trails what it holds on disk, and the "apply" notes follow the stage.
    const notes = run.trace.filter((e) => e.type === "note" && e.kind === "apply" && e.node === "n2").length;
    expect(notes).to.equal(run.finalState("n2").applied);
  });

  it("workload.session must be a boolean, and without it no session token travels", () => {
    expect(() => simulate(config(1, { mode: "async" }, [], { workload: { ...workload(), session: "yes" as unknown as boolean } }))).to.throw(ConfigError, /workload.session/);
    const plain = simulate(config(1, { mode: "async", readFrom: "any", shipEveryMs: 30 }, [], { workload: workload({ route: { read: "random", write: "leader" } }) }));
    expect(plain.finalState("n2").parked).to.have.length(0);
  });
});

