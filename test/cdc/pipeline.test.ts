import { expect } from "chai";
import { configErrorOf } from "../configErrors.js";
import { simulate } from "../../lib/sim/engine.js";
import type { SimConfig } from "../../lib/sim/config.js";
import type { Fault } from "../../lib/sim/faults.js";
import { cdcLag, cdcPipeline, checkCdcCopy, type CdcApply, type CdcConfig, type CdcNodeState } from "../../lib/cdc/index.js";

/** A 3-node pipeline (n1 leader, n2 follower, n3 consumer) with writes to n1 for 2 s and time to drain after. */
function cdcRun(seed: number, opts: { faults?: Fault[]; apply?: CdcApply; startMs?: number; commitEveryMs?: number } = {}) {
  const cfg: SimConfig<CdcNodeState, CdcConfig> = {
    seed, nodes: 3, protocol: cdcPipeline,
    config: { consumer: { apply: opts.apply ?? "versioned", startMs: opts.startMs ?? 300, commitEveryMs: opts.commitEveryMs ?? 200 } },
    network: { latency: { kind: "exponential", rate: 1 } },
    workload: { clients: 4, loop: "open", ratePerSec: 50, mix: { read: 0, update: 1 }, keys: { distribution: "zipfian", count: 40 }, timeoutMs: 100, route: { write: "n1" }, stopMs: 2000 },
    faults: opts.faults ?? [], durationMs: 2600, recordStates: false,
  };
  return simulate(cfg);
}

/** A consumer crash at a time drawn from the seed, and its restart 150 ms later. */
function crashFaults(seed: number): Fault[] {
  const at = 600 + ((seed * 7919) % 1000);
  return [{ kind: "crash", at, node: "n3" }, { kind: "restart", at: at + 150, node: "n3" }];
}

describe("change data capture: a consumer following a single-leader log", () => {
  it("without a crash the copy equals the source, nothing is delivered twice, the counters are right", () => {
    const check = checkCdcCopy(cdcRun(1));
    expect(check.equal).to.equal(true);
    expect(check.keys).to.be.greaterThan(20);
    expect(check.snapshotOffset).to.be.greaterThan(0);
    expect(check.duplicates).to.equal(0);
    expect(check.countersWrong).to.equal(0);
  });

  for (const apply of ["versioned", "overwrite"] as const) {
    it(`${apply} apply: under a consumer crash the copy equals the source on 20 seeds; duplicates are counted and the non-idempotent counter is off by exactly them`, () => {
      let withDuplicates = 0;
      for (let seed = 100; seed < 120; seed++) {
        const check = checkCdcCopy(cdcRun(seed, { apply, faults: crashFaults(seed) }));
        expect(check.equal, `seed ${seed}: missing ${check.missing}, wrong ${check.wrong}, extra ${check.extra}`).to.equal(true);
        expect(check.counterExcess, `seed ${seed}`).to.equal(check.duplicates);
        if (check.duplicates > 0) {
          withDuplicates++;
          expect(check.countersWrong).to.be.greaterThan(0);
        }
        if (apply === "versioned") expect(check.regressions).to.equal(0);
      }
      // A crash replays the changes read since the last commit (up to 200 ms of ~200 writes/s): nearly always some.
      expect(withDuplicates).to.be.at.least(15);
    });
  }

  it("overwrite apply takes keys back to older values while it replays (versioned apply's 0 is checked above)", () => {
    let regress = 0;
    for (let seed = 200; seed < 210; seed++) regress += checkCdcCopy(cdcRun(seed, { apply: "overwrite", faults: crashFaults(seed) })).regressions;
    expect(regress).to.be.greaterThan(0);
  });

  it("a crash before the snapshot is installed makes the consumer take the snapshot again, and the copy is still right", () => {
    const run = cdcRun(3, { startMs: 300, faults: [{ kind: "crash", at: 300.5, node: "n3" }, { kind: "restart", at: 500, node: "n3" }] });
    const installs = run.trace.filter((e) => e.type === "note" && e.node === "n3" && e.kind === "install");
    expect(installs).to.have.length(1);
    expect(installs[0].t).to.be.greaterThan(500);
    expect(checkCdcCopy(run).equal).to.equal(true);
  });

  it("order is kept per key (each key's changes are applied in log order) but not across keys", () => {
    const run = cdcRun(4);
    const lastIndex = new Map<string, number>();
    for (const e of run.trace) {
      if (e.type !== "note" || e.node !== "n3" || e.kind !== "apply") continue;
      expect(e.index!, `key ${e.key}`).to.be.greaterThan(lastIndex.get(e.key!) ?? -1);
      lastIndex.set(e.key!, e.index!);
    }
    expect(checkCdcCopy(run).reordered).to.be.greaterThan(0);
  });

  it("one partition keeps the log order across keys too", () => {
    const run = simulate({
      seed: 5, nodes: 2, protocol: cdcPipeline, config: { consumer: { partitions: 1 } }, network: { latency: { kind: "exponential", rate: 1 } },
      workload: { clients: 2, loop: "open", ratePerSec: 50, mix: { read: 0, update: 1 }, keys: { distribution: "uniform", count: 20 }, timeoutMs: 100, route: { write: "n1" }, stopMs: 1000 },
      durationMs: 1500, recordStates: false,
    });
    const check = checkCdcCopy(run);
    expect(check.equal).to.equal(true);
    expect(check.reordered).to.equal(0);
  });

  it("the consumer's lag (replication lag with the consumer as replica) stays within a poll period and a batch's trip while streaming, and is 0 once drained", () => {
    const run = cdcRun(6, { startMs: 0 });
    const rows = cdcLag(run, { stepMs: 10, endMs: 2600 });
    const streaming = rows.filter((r) => r.t >= 100 && r.t <= 2000);
    // A change waits at most one poll period (20 ms) for the next poll, plus the poll's round trip (exponential, mean 2 ms).
    expect(Math.max(...streaming.map((r) => r.lagMs))).to.be.lessThan(20 + 25);
    expect(rows[rows.length - 1].lagMs).to.equal(0);
    expect(rows[rows.length - 1].opsBehind).to.equal(0);
  });

  it("the same seed gives the same trace", () => {
    const a = cdcRun(7, { faults: crashFaults(7) }).trace;
    const b = cdcRun(7, { faults: crashFaults(7) }).trace;
    expect(JSON.stringify(a)).to.equal(JSON.stringify(b));
  });
});

describe("change data capture: bad input is a ConfigError naming the field", () => {
  const base = { seed: 1, nodes: 3, protocol: cdcPipeline, network: { latency: { kind: "constant" as const, value: 1 } }, durationMs: 100 };
  const cases: [string, unknown, number?][] = [
    ["config.consumer.partitions", { consumer: { partitions: 0 } }],
    ["config.consumer.pollEveryMs", { consumer: { pollEveryMs: 0 } }],
    ["config.consumer.batchSize", { consumer: { batchSize: 1.5 } }],
    ["config.consumer.commitEveryMs", { consumer: { commitEveryMs: -1 } }],
    ["config.consumer.apply", { consumer: { apply: "append" } }],
    ["config.consumer.startMs", { consumer: { startMs: -5 } }],
    ["config.consumer.pollMs", { consumer: { pollMs: 5 } }],
    ["config.sources", { sources: {} }],
    ["config.source.mode", { source: { mode: "eventual" } }],
    ["nodes", {}, 1],
  ];
  for (const [field, config, nodes] of cases) {
    it(field, () => {
      expect(configErrorOf(() => simulate({ ...base, nodes: nodes ?? 3, config: config as CdcConfig })).field).to.equal(field);
    });
  }
});
