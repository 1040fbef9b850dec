/**
 * The load balancer as a protocol (lib/balancing/): its config errors name the field; round
 * robin spreads evenly; consistent hashing keeps a key on one server; bounded loads cap every
 * server at ⌈c·m/n⌉ (Mirrokni, Thorup and Zadimoghaddam, SODA 2018); health checks mark a
 * crashed server down within (fall + 1) intervals and up again within (rise + 1); fan-out
 * waits for the slowest copy (1 − 0.99^k slow, Dean and Barroso 2013) and hedging cuts it.
 */
import { expect } from "chai";
import { balancedClusterConfig, runBalancedCluster } from "../../lib/balancing/experiments.js";
import { clientLatencies, failuresOverTime } from "../../lib/balancing/metrics.js";
import { boundedLoadCapacity, chooseServer, compilePolicy } from "../../lib/balancing/policies.js";
import { resolveBalancer } from "../../lib/balancing/config.js";
import { loadBalancer } from "../../lib/balancing/protocol.js";
import { ConfigError } from "../../lib/errors.js";
import { simulate } from "../../lib/sim/engine.js";
import { makeRng } from "../../lib/sim/rng.js";
import type { Distribution } from "../../lib/sim/distributions.js";

const nodes = ["n1", "n2", "n3", "n4"];

/** The servers the balancer sent `serve` copies to, in order. */
const servesTo = (trace: ReturnType<typeof runBalancedCluster>["trace"]) =>
  trace.filter((e) => e.type === "send" && e.msg === "serve").map((e) => (e as { dest: string }).dest);

describe("load balancer: bad config names the field", () => {
  const cases: [string, unknown, RegExp][] = [
    ["d < 1", { policy: { kind: "power-of-d", d: 0 } }, /^config\.policy\.d:/],
    ["d not an integer", { policy: { kind: "power-of-d", d: 1.5 } }, /^config\.policy\.d:/],
    ["d above the servers", { policy: { kind: "power-of-d", d: 4 } }, /^config\.policy\.d:/],
    ["empty server set", { policy: { kind: "random" }, servers: [] }, /^config\.servers:/],
    ["balance factor 1", { policy: { kind: "bounded-load", balanceFactor: 1 } }, /^config\.policy\.balanceFactor:/],
    ["balance factor 0.5", { policy: { kind: "bounded-load", balanceFactor: 0.5 } }, /^config\.policy\.balanceFactor:/],
    ["unknown policy", { policy: { kind: "fastest" } }, /^config\.policy\.kind:/],
    ["missing policy", {}, /^config\.policy:/],
    ["unknown server", { policy: { kind: "random" }, servers: ["n9"] }, /^config\.servers\[0\]:/],
    ["balancer among servers", { policy: { kind: "random" }, servers: ["n1", "n2"] }, /^config\.servers\[0\]:/],
    ["fan-out above the servers", { policy: { kind: "random" }, fanOut: 4 }, /^config\.fanOut:/],
    ["health interval 0", { policy: { kind: "random" }, healthCheck: { intervalMs: 0 } }, /^config\.healthCheck\.intervalMs:/],
    ["fall 0", { policy: { kind: "random" }, healthCheck: { intervalMs: 10, fall: 0 } }, /^config\.healthCheck\.fall:/],
    ["custom without a function", { policy: { kind: "custom", name: "x", choose: 3 } }, /^config\.policy\.choose:/],
  ];
  for (const [what, config, field] of cases) {
    it(what, () => {
      expect(() => resolveBalancer(config as never, nodes)).to.throw(ConfigError, field);
    });
  }

  it("a single-node run has no server", () => {
    expect(() => resolveBalancer({ policy: { kind: "random" } }, ["n1"])).to.throw(ConfigError, /^config\.servers:/);
  });

  it("is checked when a run starts, and a custom policy returning a bad index stops the run", () => {
    const cfg = balancedClusterConfig({ seed: 1, servers: 3, policy: { kind: "random" }, load: 0.5, durationMs: 100 });
    expect(() => simulate({ ...cfg, config: { policy: { kind: "power-of-d", d: 0 } } })).to.throw(ConfigError, /config\.policy\.d/);
    expect(() => runBalancedCluster({ seed: 1, servers: 3, policy: { kind: "custom", name: "bad", choose: () => 7 }, load: 0.5, durationMs: 100 })).to.throw(ConfigError, /config\.policy\.choose/);
  });
});

describe("load balancer: policies", () => {
  it("round robin sends the same number of copies to every server (±1)", () => {
    const run = runBalancedCluster({ seed: 3, servers: 5, policy: { kind: "round-robin" }, load: 0.5, durationMs: 200 });
    const counts = new Map<string, number>();
    for (const s of servesTo(run.trace)) counts.set(s, (counts.get(s) ?? 0) + 1);
    const values = [...counts.values()];
    expect(counts.size).to.equal(5);
    expect(Math.max(...values) - Math.min(...values)).to.be.at.most(1);
  });

  it("consistent hashing sends every request for a key to one server", () => {
    const run = runBalancedCluster({ seed: 3, servers: 8, policy: { kind: "consistent-hash" }, load: 0.3, durationMs: 300, keys: { count: 50, distribution: "uniform" } });
    // A send event does not carry the body; the balancer forwards at once and the client
    // links have one constant latency, so the k-th copy sent is the k-th request invoked.
    const servers = new Set(servesTo(run.trace));
    expect(servers.size).to.be.greaterThan(1);
    const keyToServer = new Map<string, Set<string>>();
    const sendOrder = servesTo(run.trace);
    const requests = run.history.filter((o) => o.type === "invoke");
    expect(sendOrder.length).to.be.at.least(requests.length - 10);
    requests.slice(0, sendOrder.length).forEach((op, i) => {
      if (!keyToServer.has(op.key)) keyToServer.set(op.key, new Set());
      keyToServer.get(op.key)!.add(sendOrder[i]);
    });
    for (const set of keyToServer.values()) expect(set.size).to.equal(1);
  });

  it("bounded loads: the chosen server holds fewer than ⌈c·m/n⌉ outstanding (random views)", () => {
    const servers = Array.from({ length: 10 }, (_, i) => `n${i + 2}`);
    const compiled = compilePolicy({ kind: "bounded-load", balanceFactor: 1.25 }, servers);
    const rng = makeRng(11);
    for (let trial = 0; trial < 2000; trial++) {
      // Skewed loads: a few servers much busier than the rest.
      const outstanding = servers.map(() => Math.floor(rng.uniform() ** 3 * 20));
      const m = outstanding.reduce((a, b) => a + b, 0) + 1;
      const i = chooseServer(compiled, { servers, outstanding, key: `k${trial % 7}`, random: () => rng.uniform() }, trial);
      expect(outstanding[i]).to.be.below(boundedLoadCapacity(1.25, m, servers.length));
    }
  });

  it("bounded loads spread a hot key that plain consistent hashing piles on one server", () => {
    const keys = { count: 1000, distribution: "zipfian" as const, theta: 0.99 };
    const maxWait = (policy: Parameters<typeof runBalancedCluster>[0]["policy"]) => {
      const run = runBalancedCluster({ seed: 5, servers: 10, policy, load: 0.6, durationMs: 400, keys });
      const counts = new Map<string, number>();
      for (const s of servesTo(run.trace)) counts.set(s, (counts.get(s) ?? 0) + 1);
      return Math.max(...counts.values()) / servesTo(run.trace).length;
    };
    const hashed = maxWait({ kind: "consistent-hash" });
    const bounded = maxWait({ kind: "bounded-load", balanceFactor: 1.25 });
    expect(bounded).to.be.below(hashed);
    // No server takes much more than c/n of the requests.
    expect(bounded).to.be.below(1.25 / 10 + 0.05);
  });
});

describe("load balancer: health checks", () => {
  const interval = 20;
  const crashAt = 205;
  const restartAt = 600;
  const run = runBalancedCluster({
    seed: 2, servers: 4, policy: { kind: "round-robin" }, load: 0.4, durationMs: 1000, timeoutMs: 50,
    healthCheck: { intervalMs: interval, fall: 3, rise: 2 },
    faults: [{ kind: "crash", at: crashAt, node: "n3" }, { kind: "restart", at: restartAt, node: "n3" }],
  });
  const notes = run.trace.filter((e) => e.type === "note") as unknown as { t: number; kind: string; data: { server: string } }[];

  it("marks the crashed server down within (fall + 1) intervals, and up within (rise + 1) after restart", () => {
    const down = notes.find((n) => n.kind === "server-down");
    const up = notes.find((n) => n.kind === "server-up");
    expect(down?.data.server).to.equal("n3");
    expect(down!.t).to.be.within(crashAt + 3 * interval - interval, crashAt + 4 * interval);
    expect(up!.t).to.be.within(restartAt, restartAt + 3 * interval);
  });

  it("sends nothing to a server marked down; requests fail only between crash and mark-down", () => {
    const down = notes.find((n) => n.kind === "server-down")!.t;
    const up = notes.find((n) => n.kind === "server-up")!.t;
    const sends = run.trace.filter((e) => e.type === "send" && e.msg === "serve" && e.dest === "n3" && e.t > down && e.t < up);
    expect(sends).to.have.length(0);
    // One-millisecond windows: failures by the time the request was invoked.
    const rows = failuresOverTime(run.history, 1, 1000);
    const failed = (from: number, to: number) => rows.filter((r) => r.t >= from && r.t < to).reduce((a, r) => a + r.failed, 0);
    const invoked = (from: number, to: number) => rows.filter((r) => r.t >= from && r.t < to).reduce((a, r) => a + r.invoked, 0);
    expect(failed(0, crashAt - 1)).to.equal(0);
    // Round robin over 4 servers: about a quarter of the requests meanwhile go to the dead one.
    expect(failed(crashAt, down) / invoked(crashAt, down)).to.be.within(0.15, 0.35);
    expect(failed(down + 1, 1000 - 60)).to.equal(0);
  });
});

describe("load balancer: fan-out and hedging (The Tail at Scale)", () => {
  // 1 in 100 requests takes 1 s; the rest about 1 ms.
  const slowTail: Distribution = {
    kind: "mixture",
    components: [
      { weight: 0.99, dist: { kind: "exponential", rate: 1 } },
      { weight: 0.01, dist: { kind: "constant", value: 1000 } },
    ],
  };
  // Many cores: no queueing, so each copy's time is one independent draw.
  const base = { servers: 20, policy: { kind: "round-robin" as const }, serviceMs: slowTail, cores: 1000, timeoutMs: 5000, requestsPerSec: 200 };

  it("a request fanned out to k = 20 servers is slow with probability 1 − 0.99^20 (within 3 SE)", () => {
    const run = runBalancedCluster({ ...base, seed: 4, fanOut: 20, durationMs: 6000 });
    const lat = clientLatencies(run.history, 0, 4500);
    const slow = lat.filter((x) => x >= 1000).length / lat.length;
    const expected = 1 - 0.99 ** 20;
    const se = Math.sqrt((expected * (1 - expected)) / lat.length);
    expect(lat.length).to.be.greaterThan(800);
    expect(Math.abs(slow - expected), `slow ${slow} of ${lat.length}`).to.be.below(3 * se);
  });

  it("hedging after 5 ms brings the p99.9 from about 1 s to under 20 ms, for about 2 % more copies", () => {
    const plain = runBalancedCluster({ ...base, seed: 4, durationMs: 12_000, requestsPerSec: 500 });
    const hedged = runBalancedCluster({ ...base, seed: 4, durationMs: 12_000, requestsPerSec: 500, hedgeAfterMs: 5 });
    const p999 = (r: typeof plain) => {
      const lat = clientLatencies(r.history, 0, 10_000);
      return lat[Math.floor(0.999 * (lat.length - 1))];
    };
    expect(p999(plain)).to.be.at.least(1000);
    expect(p999(hedged)).to.be.below(20);
    const copies = (r: typeof plain) => servesTo(r.trace).length;
    const extra = copies(hedged) / copies(plain) - 1;
    // A hedge is sent for the 1 % slow copies plus the fast ones past 5 ms (e^−5 ≈ 0.7 %).
    expect(extra).to.be.within(0.005, 0.04);
  });
});

describe("load balancer: a pure protocol", () => {
  it("validates through Protocol.validate", () => {
    expect(() => loadBalancer.validate!({ policy: { kind: "bounded-load", balanceFactor: 1 } }, nodes)).to.throw(ConfigError, /balanceFactor/);
  });
});
