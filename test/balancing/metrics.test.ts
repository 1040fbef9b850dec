/**
 * The balancer notebook's metrics (lib/balancing/metrics.ts) on hand-made inputs: batch means
 * and their standard error, failures per window, and the options of a balanced cluster.
 */
import { expect } from "chai";
import { balancedClusterConfig } from "../../lib/balancing/experiments.js";
import { failuresOverTime, timeInSystem, type ServedCopy } from "../../lib/balancing/metrics.js";
import { ConfigError } from "../../lib/errors.js";
import type { History, HistoryOp } from "../../lib/history/types.js";

describe("timeInSystem: batch means", () => {
  // Two batches of [0, 20): copies in the first take 1 + 1 ms, in the second 3 + 1 ms.
  const copies: ServedCopy[] = [
    { arrived: 1, waitMs: 1, serviceMs: 1 }, { arrived: 5, waitMs: 1, serviceMs: 1 },
    { arrived: 12, waitMs: 3, serviceMs: 1 }, { arrived: 15, waitMs: 3, serviceMs: 1 },
    { arrived: 25, waitMs: 100, serviceMs: 1 }, // outside the window
  ];

  it("averages the copies that arrived in the window, and takes the SE from the batch means", () => {
    const s = timeInSystem(copies, 0, 20, 2);
    expect(s.count).to.equal(4);
    expect(s.meanTimeMs).to.equal(3);
    expect(s.meanWaitMs).to.equal(2);
    // Batch means 2 and 4: sd √2, SE √2/√2 = 1.
    expect(s.seTimeMs).to.be.closeTo(1, 1e-12);
    expect(s.batches).to.equal(2);
  });
});

describe("failuresOverTime", () => {
  const op = (index: number, type: HistoryOp["type"], process: string, time: number): HistoryOp => ({ index, type, process, f: "read", key: "k", value: null, time });
  const history: History = [
    op(0, "invoke", "c1", 1), op(1, "ok", "c1", 2),
    op(2, "invoke", "c2", 3), op(3, "info", "c2", 40),
    op(4, "invoke", "c1", 12), op(5, "fail", "c1", 13),
  ];

  it("counts requests by the window they were invoked in, and the fraction not ok", () => {
    expect(failuresOverTime(history, 10, 20)).to.deep.equal([
      { t: 0, invoked: 2, failed: 1, failedFraction: 0.5 },
      { t: 10, invoked: 1, failed: 1, failedFraction: 1 },
    ]);
  });
});

describe("balancedClusterConfig: bad options name the field", () => {
  const base = { seed: 1, servers: 4, policy: { kind: "random" as const }, durationMs: 100 };
  it("a load of 0, or none and no rate", () => {
    expect(() => balancedClusterConfig({ ...base, load: 0 })).to.throw(ConfigError, /^load:/);
    expect(() => balancedClusterConfig(base)).to.throw(ConfigError, /^load:/);
  });
  it("both a load and a rate", () => {
    expect(() => balancedClusterConfig({ ...base, load: 0.5, requestsPerSec: 10 })).to.throw(ConfigError, /^load:/);
  });
  it("more servers than a run can hold", () => {
    expect(() => balancedClusterConfig({ ...base, servers: 300, load: 0.5 })).to.throw(ConfigError, /^servers:/);
  });
  it("turns the load into the clients' rate: ρ × servers ÷ mean service, per fan-out copy", () => {
    const c = balancedClusterConfig({ ...base, load: 0.5, clients: 5, fanOut: 2 });
    expect(c.workload!.ratePerSec! * 5).to.be.closeTo((0.5 * 4 * 1000) / 2, 1e-9);
  });
});
