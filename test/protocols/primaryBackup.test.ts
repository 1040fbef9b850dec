import { expect } from "chai";
import { simulate } from "../../lib/sim/engine.js";
import { copiesNeeded, primaryBackup, type PrimaryBackupConfig, type PrimaryBackupState } from "../../lib/protocols/primaryBackup.js";
import { checkConvergence, findLostWrites } from "../../lib/checkers/index.js";
import type { SimConfig } from "../../lib/sim/config.js";
import type { Fault } from "../../lib/sim/faults.js";
import type { FsyncPolicy } from "../../lib/sim/storage.js";
import { makeRng } from "../../lib/sim/rng.js";
import type { NoteEvent } from "../../lib/sim/trace.js";

function config(seed: number, c: PrimaryBackupConfig, fsync: FsyncPolicy, faults: Fault[], stopMs = 900): SimConfig<PrimaryBackupState, PrimaryBackupConfig> {
  return {
    seed,
    nodes: 3,
    protocol: primaryBackup,
    config: c,
    network: { latency: { kind: "exponential", rate: 1 }, fifo: true },
    storage: { fsync, fsyncLatency: { kind: "uniform", min: 0.5, max: 1.5 } },
    faults,
    workload: { clients: 4, loop: "closed", mix: { read: 0.3, update: 0.7 }, keys: { count: 50, distribution: "zipfian" }, timeoutMs: 40, stopMs },
    durationMs: 1200,
  };
}

/** A random crash (or disk loss) of one node and its restart, drawn from a seed. */
function oneFailure(seed: number): Fault[] {
  const r = makeRng(seed).fork("faults");
  const node = `n${1 + r.int(3)}`;
  const at = 50 + r.uniform() * 600;
  return [{ kind: r.uniform() < 0.5 ? "crash" : "lose-disk", at, node }, { kind: "restart", at: at + 20 + r.uniform() * 100, node }];
}

// "latest": a write overwritten by a later one may be gone from a snapshot, legitimately.
const lostOf = (run: ReturnType<typeof simulate<PrimaryBackupState, PrimaryBackupConfig>>) =>
  findLostWrites(run.history, run.finalContents("n1"), "latest").lost.length;

describe("primary-backup replication to k copies", () => {
  it("needs 1, ⌊k/2⌋+1 or k copies for ack one / majority / all", () => {
    expect([1, 2, 3, 4, 5].map((k) => copiesNeeded("majority", k))).to.deep.equal([1, 2, 2, 3, 3]);
    expect(copiesNeeded("one", 5)).to.equal(1);
    expect(copiesNeeded("all", 5)).to.equal(5);
  });

  it("never loses an acknowledged write with ack all and fsync always, whatever single node crashes or loses its disk (30 seeds)", () => {
    for (let seed = 1; seed <= 30; seed++) {
      const run = simulate(config(seed, { copies: 3, ack: "all" }, { kind: "always" }, oneFailure(seed)));
      expect(run.history.some((o) => o.type === "ok" && o.f === "write"), `seed ${seed}`).to.equal(true);
      expect(lostOf(run), `seed ${seed}: ${JSON.stringify(oneFailure(seed))}`).to.equal(0);
    }
  });

  it("never loses an acknowledged write with ack majority and fsync always under one failure (30 seeds)", () => {
    for (let seed = 1; seed <= 30; seed++) {
      const run = simulate(config(seed, { copies: 3, ack: "majority" }, { kind: "always" }, oneFailure(seed)));
      expect(lostOf(run), `seed ${seed}`).to.equal(0);
    }
  });

  it("loses acknowledged writes with ack one when the primary, cut off from its backups, loses its disk", () => {
    const faults: Fault[] = [
      { kind: "partition", at: 300, groups: [["n2", "n3"]] },
      { kind: "lose-disk", at: 400, node: "n1" },
      { kind: "heal", at: 420 },
      { kind: "restart", at: 450, node: "n1" },
    ];
    const acked = (o: { type: string; f: string; time: number }) => o.type === "ok" && o.f === "write" && o.time > 300 && o.time < 400;
    // Clients stop before the disk dies, so no later write overwrites (and hides) a loss.
    const one = simulate(config(3, { copies: 3, ack: "one" }, { kind: "always" }, faults, 395));
    expect(one.history.filter(acked).length).to.be.greaterThan(10);
    expect(lostOf(one)).to.be.greaterThan(0);
    // The same story with ack majority: nothing is acknowledged during the partition, nothing lost.
    const majority = simulate(config(3, { copies: 3, ack: "majority" }, { kind: "always" }, faults, 395));
    expect(majority.history.filter(acked)).to.have.length(0);
    expect(lostOf(majority)).to.equal(0);
  });

  it("converges: after the faults and a quiet period every copy holds the same data (20 seeds)", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const run = simulate(config(seed, { copies: 3, ack: "majority" }, { kind: "interval", everyMs: 25 }, oneFailure(seed)));
      const states = Object.fromEntries(run.nodes.map((n) => [n, Object.fromEntries(run.finalState(n).kv)]));
      const verdict = checkConvergence(Object.fromEntries(Object.entries(states).map(([n, kv]) => [n, new Map(Object.entries(kv))])));
      expect(verdict.valid, `seed ${seed}: ${verdict.message}`).to.equal(true);
    }
  });

  describe("rebuilding a lost copy: catch-up time against its closed form", () => {
    // Constant one-way latency d: every catch-up step is one round trip 2d. With a log of
    // L entries, batches of B and a snapshot at s: replaying the log takes ⌈L/B⌉ round
    // trips; a snapshot then the rest takes 1 + ⌈(L − s)/B⌉.
    const d = 2;
    const B = 10;
    function rebuild(mode: "log" | "snapshot"): { time: number; length: number; snapshotAt: number } {
      const c = config(7, { copies: 3, ack: "all", rebuild: mode, batchSize: B, snapshotEvery: 40 }, { kind: "always" }, [
        { kind: "lose-disk", at: 700, node: "n3" },
        { kind: "restart", at: 800, node: "n3" },
      ], 600);
      const run = simulate({ ...c, network: { latency: { kind: "constant", value: d }, fifo: true }, storage: { fsync: { kind: "always" }, fsyncLatency: { kind: "constant", value: 0 } } });
      const done = run.trace.find((e): e is NoteEvent => e.type === "note" && e.kind === "caught-up" && e.node === "n3" && e.t > 800)!;
      const primary = run.stateAt("n1", 800).state;
      return { time: done.t - 800, length: primary.base + primary.log.length, snapshotAt: primary.snapshot.index };
    }
    it("replays the whole log in ⌈L/B⌉ round trips", () => {
      const r = rebuild("log");
      expect(r.length).to.be.greaterThan(50);
      expect(r.time).to.be.closeTo(2 * d * Math.ceil(r.length / B), 1e-9);
    });
    it("installs a snapshot, then replays the rest: 1 + ⌈(L − s)/B⌉ round trips", () => {
      const r = rebuild("snapshot");
      expect(r.snapshotAt).to.be.greaterThan(0);
      expect(r.time).to.be.closeTo(2 * d * (1 + Math.ceil((r.length - r.snapshotAt) / B)), 1e-9);
    });
  });
});

describe("primary-backup with batched (asynchronous) shipping", () => {
  const base = (shipEveryMs: number, ack: "one" | "majority"): SimConfig<PrimaryBackupState, PrimaryBackupConfig> => ({
    seed: 5,
    nodes: 3,
    protocol: primaryBackup,
    config: { copies: 3, ack, shipEveryMs },
    network: { latency: { kind: "constant", value: 1 }, fifo: true },
    storage: { fsync: { kind: "always" }, fsyncLatency: { kind: "constant", value: 0.5 } },
    faults: [{ kind: "lose-disk", at: 500, node: "n1" }, { kind: "restart", at: 520, node: "n1" }],
    workload: { clients: 4, loop: "open", ratePerSec: 200, mix: { read: 0, update: 1 }, keys: { count: 1000, distribution: "uniform" }, timeoutMs: 100, stopMs: 499 },
    durationMs: 800,
  });

  it("ships every entry exactly once per backup, in batches no more often than the interval", () => {
    const run = simulate({ ...base(20, "majority"), faults: [] });
    const ships = run.trace.filter((e) => e.type === "send" && e.msg === "replicate" && e.dest === "n2");
    for (let i = 1; i < ships.length; i++) expect(ships[i].t - ships[i - 1].t).to.be.at.least(20 - 1e-9);
    const applied = run.trace.filter((e) => e.type === "note" && e.kind === "apply" && e.node === "n2").map((e) => (e as NoteEvent).value);
    expect(new Set(applied).size).to.equal(applied.length);
  });

  it("loses with ack one about what was acknowledged but not yet shipped, never more than one interval's worth", () => {
    const run = simulate(base(50, "one"));
    const lost = findLostWrites(run.history, run.finalContents("n2"), "latest").lost;
    expect(lost.length).to.be.greaterThan(0);
    // Everything lost was acknowledged in the last 50 ms (+ a round trip) before the disk died.
    for (const l of lost) expect(l.ackTime).to.be.greaterThan(500 - 50 - 2);
  });

  it("loses nothing with ack majority, even though shipping is batched", () => {
    const run = simulate(base(50, "majority"));
    expect(findLostWrites(run.history, run.finalContents("n2"), "latest").lost).to.have.length(0);
  });
});
