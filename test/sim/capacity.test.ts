/**
 * Node capacity (lib/sim/capacity.ts): what queues, when handlers run, that a free run is
 * unchanged, bad input, and the queue against queueing theory's closed forms.
 *
 * Closed forms (Kleinrock, Queueing Systems vol. 1, 1975: M/M/1 § 3.2, M/M/c § 3.5, M/G/1
 * § 5.6), with arrival rate λ, service rate μ per core, c cores, a = λ/μ, ρ = a/c:
 * - utilisation ρ = λ/(cμ);
 * - M/M/1 mean wait in queue Wq = ρ/(μ − λ);
 * - M/M/c (Erlang C) Wq = C(c, a)/(cμ − λ), C(c, a) = [aᶜ/c! · 1/(1−ρ)] / [Σₖ₌₀ᶜ⁻¹ aᵏ/k! + aᶜ/c! · 1/(1−ρ)];
 * - M/D/1 (Pollaczek–Khinchine with a constant service time) Wq = ρ/(2μ(1 − ρ));
 * - M/G/1 (Pollaczek–Khinchine) Wq = λ·E[S²]/(2(1 − ρ)), ρ = λ·E[S]: here S = a base cost
 *   plus a cost per unit of work, the units set by the key each request names.
 * The apply stage is checked the same way: writes arrive as a Poisson stream, each is on
 * disk at once (fsync on an interval), so its WAL record joins the stage's queue at once.
 *
 * Tolerance: each measured mean must lie within 3 standard errors of the closed form. The
 * standard error comes from batch means: one long run, its first batch dropped as warm-up
 * (the queue starts empty), the rest cut by arrival time into 20 batches; SE = sd of the
 * batch means / √20. Batches are thousands of mean service times long, far longer than the
 * queue's relaxation time, so batch means are close to independent.
 */
import { expect } from "chai";
import { ConfigError } from "../../lib/errors.js";
import { simulate } from "../../lib/sim/engine.js";
import { traceHash } from "../../lib/sim/traceHash.js";
import type { Distribution } from "../../lib/sim/distributions.js";
import type { CapacitySpec } from "../../lib/sim/capacity.js";
import type { DeliverEvent, SendEvent } from "../../lib/sim/trace.js";
import { applyQueueingStats, queueingStats, queueingDelayPercentiles, queueLengthOverTime, type QueueingStatsRow } from "../../lib/metrics/queueing.js";
import { keyName } from "../../lib/workload/keys.js";
import type { Protocol } from "../../lib/sim/protocol.js";
import { kvConfig, localKv, type KvState } from "./helpers.js";

const LATENCY_MS = 0.5;
const BATCHES = 20;

/** Units of work a request carries in these tests: its key's number mod 4 (keys are uniform, so 0–3 units with probabilities .3, .3, .2, .2). */
const unitsOfKey = (key: unknown): number => Number(String(key).replace(/\D/g, "")) % 4;

/** The local store that counts work (units per key) and has an apply stage that changes nothing. */
const countingKv: Protocol<KvState, { replyBeforeDisk?: boolean }> = {
  ...localKv,
  name: "counting-kv",
  workOf: (body) => unitsOfKey(body.key),
  onApplied: (s) => s,
};

/**
 * Poisson requests at `lambdaPerMs` from one open-loop client to one node that answers each
 * read at once (the local store), with `cores` and the given service time for reads.
 */
function queueRun(seed: number, lambdaPerMs: number, cores: number, service: Distribution, batchMs: number, capacity?: CapacitySpec, writes = false) {
  const stopMs = batchMs * (BATCHES + 1);
  return simulate(
    kvConfig({
      seed,
      protocol: countingKv,
      network: { latency: { kind: "constant", value: LATENCY_MS } },
      // On an interval, a write is "written" the moment it is persisted: the apply stage sees the arrivals as they come.
      storage: { fsync: { kind: "interval", everyMs: 1000 }, fsyncLatency: { kind: "constant", value: 1 } },
      capacity: capacity ?? { cores, serviceMs: { read: service } },
      workload: { clients: 1, loop: "open", ratePerSec: lambdaPerMs * 1000, mix: writes ? { read: 0, update: 1 } : { read: 1, update: 0 }, keys: { count: 10, distribution: "uniform" }, timeoutMs: 1e9, stopMs },
      // Time for the queue to drain after the last arrival, so every message is served.
      durationMs: stopMs + 2000,
      recordStates: false,
    }),
  );
}

/** Mean and standard error of batch means of utilisation and mean wait (first batch dropped). */
function batchMeans(run: ReturnType<typeof queueRun>, batchMs: number, stats: typeof queueingStats = queueingStats) {
  const util: number[] = [];
  const wait: number[] = [];
  const queueLength: number[] = [];
  const arrivals: number[] = [];
  for (let b = 1; b <= BATCHES; b++) {
    const [row]: QueueingStatsRow[] = stats(run, { fromMs: b * batchMs + LATENCY_MS, toMs: (b + 1) * batchMs + LATENCY_MS });
    util.push(row.utilisation);
    wait.push(row.meanWaitMs);
    queueLength.push(row.meanQueueLength);
    arrivals.push(row.arrivalsPerMs);
  }
  const stat = (xs: number[]) => {
    const m = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
    return { mean: m, se: sd / Math.sqrt(xs.length) };
  };
  return { util: stat(util), wait: stat(wait), queueLength: stat(queueLength), arrivals: stat(arrivals) };
}

function factorial(n: number): number {
  return n <= 1 ? 1 : n * factorial(n - 1);
}

/** Erlang C mean wait in queue for c servers, arrival rate λ, service rate μ. */
function erlangCWait(c: number, lambda: number, mu: number): number {
  const a = lambda / mu;
  const rho = a / c;
  let sum = 0;
  for (let k = 0; k < c; k++) sum += a ** k / factorial(k);
  const top = a ** c / factorial(c) / (1 - rho);
  return top / (sum + top) / (c * mu - lambda);
}

/** Printed with CAPACITY_GAPS=1: each comparison's measured value, SE and gap. */
const gaps: string[] = [];

/** Checks |measured − expected| ≤ 3 SE and returns the gap in standard errors. */
function within3Se(label: string, m: { mean: number; se: number }, expected: number): number {
  const gap = (m.mean - expected) / m.se;
  expect(Math.abs(gap), `${label}: measured ${m.mean.toFixed(4)} ± ${m.se.toFixed(4)} (SE), closed form ${expected.toFixed(4)}, gap ${gap.toFixed(2)} SE`).to.be.at.most(3);
  // The SE must be small enough for the check to mean something (≤ 5 % of the value).
  expect(m.se, `${label}: SE too large to test anything`).to.be.below(0.05 * expected);
  gaps.push(`${label}: measured ${m.mean.toFixed(4)} ± ${m.se.toFixed(4)}, closed form ${expected.toFixed(4)}, gap ${gap.toFixed(2)} SE`);
  return gap;
}

after(() => {
  if (process.env.CAPACITY_GAPS) console.log(gaps.join("\n"));
});

describe("node capacity against queueing theory (within 3 standard errors of batch means)", function () {
  this.timeout(300_000);

  it("M/M/1, ρ = 0.5: utilisation ρ = λ/μ and mean wait Wq = ρ/(μ − λ)", () => {
    const lambda = 0.5;
    const mu = 1;
    const batchMs = 5000;
    const m = batchMeans(queueRun(11, lambda, 1, { kind: "exponential", rate: mu }, batchMs), batchMs);
    within3Se("M/M/1 utilisation", m.util, lambda / mu);
    within3Se("M/M/1 Wq", m.wait, lambda / mu / (mu - lambda));
    // Little's law for the queue, Lq = λ·Wq, as a cross-check of the queue-length metric.
    within3Se("M/M/1 Lq (Little)", m.queueLength, (lambda * lambda) / mu / (mu - lambda));
  });

  for (const [c, lambda] of [
    [2, 1.4],
    [4, 2.8],
  ] as const) {
    it(`M/M/${c}, ρ = 0.7: utilisation λ/(cμ) and the Erlang C mean wait`, () => {
      const mu = 1;
      const batchMs = 4000;
      const m = batchMeans(queueRun(12 + c, lambda, c, { kind: "exponential", rate: mu }, batchMs), batchMs);
      within3Se(`M/M/${c} utilisation`, m.util, lambda / (c * mu));
      within3Se(`M/M/${c} Wq`, m.wait, erlangCWait(c, lambda, mu));
    });
  }

  it("M/D/1, ρ = 0.5: the Pollaczek–Khinchine mean wait ρ/(2μ(1 − ρ)), half the M/M/1 wait", () => {
    const lambda = 0.5;
    const mu = 1;
    const batchMs = 5000;
    const m = batchMeans(queueRun(17, lambda, 1, { kind: "constant", value: 1 / mu }, batchMs), batchMs);
    within3Se("M/D/1 utilisation", m.util, lambda / mu);
    within3Se("M/D/1 Wq", m.wait, lambda / mu / (2 * mu * (1 - lambda / mu)));
  });

  it("M/G/1 with a cost per unit of work (perUnitMs), ρ = 0.6: the Pollaczek–Khinchine mean wait λ·E[S²]/(2(1 − ρ))", () => {
    // S = 0.2 ms + 0.4 ms per unit, units = key number mod 4 over 10 uniform keys.
    const base = 0.2;
    const per = 0.4;
    const services = Array.from({ length: 10 }, (_, i) => base + per * unitsOfKey(keyName(i)));
    const es = services.reduce((a, x) => a + x, 0) / services.length;
    const es2 = services.reduce((a, x) => a + x * x, 0) / services.length;
    const lambda = 0.6 / es;
    const batchMs = 5000;
    const capacity: CapacitySpec = { serviceMs: { read: { kind: "constant", value: base } }, perUnitMs: { read: { kind: "constant", value: per } } };
    const m = batchMeans(queueRun(19, lambda, 1, { kind: "constant", value: 0 }, batchMs, capacity), batchMs);
    within3Se("M/G/1 utilisation", m.util, lambda * es);
    within3Se("M/G/1 Wq", m.wait, (lambda * es2) / (2 * (1 - lambda * es)));
  });

  it("the apply stage as M/M/1, ρ = 0.5: utilisation and Wq = ρ/(μ − λ) of records waiting after their disk write", () => {
    const lambda = 0.5;
    const mu = 1;
    const batchMs = 5000;
    const run = queueRun(21, lambda, 1, { kind: "constant", value: 0 }, batchMs, { applyMs: { kind: "exponential", rate: mu } }, true);
    const m = batchMeans(run, batchMs, applyQueueingStats);
    within3Se("apply M/M/1 utilisation", m.util, lambda / mu);
    within3Se("apply M/M/1 Wq", m.wait, lambda / mu / (mu - lambda));
    within3Se("apply M/M/1 Lq (Little)", m.queueLength, (lambda * lambda) / mu / (mu - lambda));
  });

  it("the apply stage as M/D/1, ρ = 0.7: the Pollaczek–Khinchine mean wait ρ/(2μ(1 − ρ))", () => {
    const lambda = 0.7;
    const mu = 1;
    const batchMs = 5000;
    const run = queueRun(23, lambda, 1, { kind: "constant", value: 0 }, batchMs, { applyMs: { kind: "constant", value: 1 / mu } }, true);
    const m = batchMeans(run, batchMs, applyQueueingStats);
    within3Se("apply M/D/1 utilisation", m.util, lambda / mu);
    within3Se("apply M/D/1 Wq", m.wait, lambda / mu / (2 * mu * (1 - lambda / mu)));
  });
});

describe("node capacity: what queues and when handlers run", () => {
  const open = (over: Partial<ReturnType<typeof kvConfig>> = {}) =>
    kvConfig({
      network: { latency: { kind: "constant", value: LATENCY_MS } },
      workload: { clients: 2, loop: "open", ratePerSec: 700, mix: { read: 0.5, update: 0.5 }, keys: { count: 10, distribution: "uniform" }, timeoutMs: 1e6 },
      durationMs: 400,
      ...over,
    });

  it("leaves a run without capacity byte-identical (no capacity, or one for no node)", () => {
    const free = simulate(open());
    expect(free.trace.some((e) => e.type === "deliver" && e.queuedMs !== undefined)).to.equal(false);
    expect(traceHash(simulate(open({ capacity: { byNode: {} } })))).to.equal(traceHash(free));
  });

  it("follows the FIFO recursion on one core: service starts at max(arrival, previous end); the handler runs at its end", () => {
    const run = simulate(open({ capacity: { serviceMs: { read: { kind: "constant", value: 2 }, write: { kind: "constant", value: 3 } } } }));
    // Independently of the engine's bookkeeping: arrivals are sends to n1 plus the constant latency.
    const sends = new Map(run.trace.filter((e): e is SendEvent => e.type === "send" && e.dest === "n1").map((e) => [e.id, e.t + LATENCY_MS]));
    let prevDone = 0;
    let checked = 0;
    for (const e of run.trace) {
      if (e.type !== "deliver" || e.dest !== "n1") continue;
      const arrived = sends.get(e.id)!;
      const cost = e.msg === "read" ? 2 : 3;
      const start = Math.max(arrived, prevDone);
      expect(e.serviceMs).to.equal(cost);
      expect(e.queuedMs!).to.be.closeTo(start - arrived, 1e-9);
      expect(e.t).to.be.closeTo(start + cost, 1e-9);
      prevDone = e.t;
      checked++;
    }
    expect(checked).to.be.greaterThan(100);
    // A reply leaves when the handler runs, i.e. after queueing and service.
    const reads = run.trace.filter((e) => e.type === "deliver" && e.dest === "n1" && e.msg === "read");
    const replies = new Set(run.trace.filter((e) => e.type === "send" && e.src === "n1").map((e) => e.t));
    expect(reads.every((e) => replies.has(e.t))).to.equal(true);
  });

  it("serves `cores` messages at once, never more", () => {
    const run = simulate(open({ capacity: { cores: 3, serviceMs: { "*": { kind: "exponential", rate: 0.4 } } } }));
    const points: [number, number][] = [];
    // Rounded to 1e-9 ms: a start recomputed as t − serviceMs can land a rounding error before the end it followed.
    const r = (x: number) => Math.round(x * 1e9) / 1e9;
    for (const e of run.trace) if (e.type === "deliver" && e.dest === "n1") points.push([r(e.t - e.serviceMs!), 1], [r(e.t), -1]);
    points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let busy = 0;
    let peak = 0;
    for (const [, d] of points) peak = Math.max(peak, (busy += d));
    expect(peak).to.equal(3);
  });

  it("draws service times from their own stream: the clients' arrivals are the same with and without capacity", () => {
    const invokes = (over: Partial<ReturnType<typeof kvConfig>>) => simulate(open(over)).history.filter((o) => o.type === "invoke").map((o) => `${o.time} ${o.f} ${o.key}`);
    expect(invokes({ capacity: { serviceMs: { "*": { kind: "exponential", rate: 0.5 } } } })).to.deep.equal(invokes({}));
  });

  it("loses what was queued or in service when the node crashes (drops with reason crashed)", () => {
    const run = simulate(open({ capacity: { serviceMs: { "*": { kind: "constant", value: 5 } } }, faults: [{ kind: "crash", at: 200, node: "n1" }] }));
    const lost = run.trace.filter((e) => e.type === "drop" && e.t === 200 && e.reason === "crashed");
    expect(lost.length).to.be.greaterThan(5);
    expect(run.trace.some((e) => e.type === "deliver" && e.dest === "n1" && e.t > 200)).to.equal(false);
  });

  it("starts no service while paused; the queue waits and drains on resume", () => {
    const run = simulate(open({ capacity: { serviceMs: { "*": { kind: "constant", value: 1 } } }, faults: [{ kind: "pause", at: 100, node: "n1" }, { kind: "resume", at: 150, node: "n1" }] }));
    const during = run.trace.filter((e) => e.type === "deliver" && e.dest === "n1" && e.t > 100 && e.t < 150);
    expect(during.length).to.equal(0);
    const after = run.trace.filter((e): e is DeliverEvent => e.type === "deliver" && e.dest === "n1" && e.t >= 150);
    expect(Math.max(...after.map((e) => e.queuedMs!))).to.be.greaterThan(40);
  });

  it("adds one draw from perUnitMs per unit of work the message carries (Protocol.workOf)", () => {
    const run = simulate(open({ protocol: countingKv, capacity: { serviceMs: { "*": { kind: "constant", value: 0.5 } }, perUnitMs: { write: { kind: "constant", value: 0.25 } } } }));
    const sends = new Map(run.trace.filter((e): e is SendEvent => e.type === "send" && e.dest === "n1").map((e) => [e.id, e]));
    let checked = 0;
    let units = 0;
    // The request's key, from the client history: clients send each request as they invoke it, in order.
    const invokes = run.history.filter((o) => o.type === "invoke");
    const sendsInOrder = run.trace.filter((e): e is SendEvent => e.type === "send" && e.dest === "n1" && e.src.startsWith("c"));
    expect(sendsInOrder.length).to.equal(invokes.length);
    const keyById = new Map(sendsInOrder.map((e, i) => [e.id, invokes[i].key]));
    for (const e of run.trace) {
      if (e.type !== "deliver" || e.dest !== "n1" || !sends.has(e.id)) continue;
      const u = e.msg === "write" ? unitsOfKey(keyById.get(e.id)) : 0;
      expect(e.serviceMs).to.be.closeTo(0.5 + 0.25 * u, 1e-12);
      units += u;
      checked++;
    }
    expect(checked).to.be.greaterThan(100);
    expect(units, "some writes carried work").to.be.greaterThan(50);
  });

  it("an apply stage delays onApplied, not onPersisted: replies wait for the disk only", () => {
    const cfg = (capacity?: CapacitySpec) => open({ protocol: countingKv, storage: { fsync: { kind: "interval", everyMs: 1000 } }, workload: { ...open().workload!, mix: { read: 0, update: 1 } }, capacity });
    const free = simulate(cfg());
    const staged = simulate(cfg({ applyMs: { kind: "constant", value: 5 } }));
    // The local store answers writes in onPersisted: the apply stage leaves every reply where it was.
    expect(JSON.stringify(staged.trace.filter((e) => e.type !== "applied"))).to.equal(JSON.stringify(free.trace));
    const applied = staged.trace.filter((e) => e.type === "applied");
    // 5 ms each, one at a time: a 400 ms run applies at most 80, and falls behind the ~280 writes.
    expect(applied.length).to.be.at.most(80).and.at.least(70);
    expect(Math.max(...applied.map((e) => (e.type === "applied" ? e.queuedMs : 0)))).to.be.greaterThan(100);
  });

  it("an apply stage is volatile: a crash drops its queue, and the restarted node applies only new records", () => {
    const run = simulate(open({
      protocol: countingKv, storage: { fsync: { kind: "interval", everyMs: 10 } }, workload: { ...open().workload!, mix: { read: 0, update: 1 } },
      capacity: { applyMs: { kind: "constant", value: 5 } }, faults: [{ kind: "crash", at: 200, node: "n1" }, { kind: "restart", at: 250, node: "n1" }],
    }));
    const applied = run.trace.filter((e): e is Extract<typeof e, { type: "applied" }> => e.type === "applied");
    expect(applied.some((e) => e.t > 200 && e.t < 250)).to.equal(false);
    const after = applied.filter((e) => e.t >= 250);
    expect(after.length).to.be.greaterThan(10);
    // After the restart every record waited no longer than since the restart.
    expect(after.every((e) => e.t - e.serviceMs - e.queuedMs >= 250 - 1e-9)).to.equal(true);
  });

  it("gives per-node metrics: delay percentiles and tidy queue-length rows", () => {
    const run = simulate(open({ nodes: 2, capacity: { byNode: { n1: { serviceMs: { "*": { kind: "exponential", rate: 1 } } } } }, workload: { ...open().workload!, route: { read: "n1", write: "n1" } } }));
    const stats = queueingStats(run);
    expect(stats.map((r) => r.node)).to.deep.equal(["n1"]);
    const pct = queueingDelayPercentiles(run, [50, 99]);
    expect(pct.map((r) => r.percentile)).to.deep.equal([50, 99]);
    expect(pct[1].waitMs).to.be.at.least(pct[0].waitMs);
    expect(pct[1].waitMs).to.be.at.most(stats[0].maxWaitMs);
    const rows = queueLengthOverTime(run, 40);
    expect(rows.length).to.equal(10);
    // The windows' busy time adds up to the run's total service time.
    const total = run.trace.reduce((s, e) => s + (e.type === "deliver" && e.dest === "n1" ? e.serviceMs! : 0), 0);
    expect(rows.reduce((s, r) => s + r.busyCores * 40, 0)).to.be.closeTo(total, 1e-6);
  });
});

describe("node capacity: bad input names the field and the fix", () => {
  const bad = (capacity: unknown, field: string, protocol = localKv) => {
    const cfg = { ...kvConfig(), protocol, capacity: capacity as CapacitySpec };
    expect(() => simulate(cfg)).to.throw(ConfigError).with.property("field", field);
  };
  const svc = { "*": { kind: "constant", value: 1 } };
  it("cores must be a positive integer", () => {
    bad({ cores: 0, serviceMs: svc }, "capacity.cores");
    bad({ cores: 1.5, serviceMs: svc }, "capacity.cores");
    bad({ byNode: { n1: { cores: -2, serviceMs: svc } } }, "capacity.byNode.n1.cores");
    bad({ cores: 2 }, "capacity.cores");
  });
  it("an unknown node id", () => bad({ byNode: { n9: { serviceMs: svc } } }, "capacity.byNode.n9"));
  it("an unknown message kind, when the protocol declares its kinds", () => {
    bad({ serviceMs: { raed: { kind: "constant", value: 1 } } }, "capacity.serviceMs.raed", { ...localKv, messageTypes: ["ping"] });
    expect(() => simulate({ ...kvConfig(), protocol: { ...localKv, messageTypes: ["ping"] }, capacity: { serviceMs: { ping: { kind: "constant", value: 1 }, read: { kind: "constant", value: 1 } } } })).not.to.throw();
  });
  it("negative or malformed service times", () => {
    bad({ serviceMs: { read: { kind: "constant", value: -1 } } }, "capacity.serviceMs.read.value");
    bad({ serviceMs: { read: { kind: "uniform", min: -2, max: 1 } } }, "capacity.serviceMs.read.min");
    bad({ serviceMs: [] }, "capacity.serviceMs");
    bad({ serviceMs: { read: 3 } }, "capacity.serviceMs.read");
  });
  it("perUnitMs needs a protocol that counts work, applyMs one with an apply stage", () => {
    bad({ perUnitMs: { read: { kind: "constant", value: 1 } } }, "capacity.perUnitMs");
    bad({ applyMs: { kind: "constant", value: 1 } }, "capacity.applyMs");
    bad({ byNode: { n1: { applyMs: { kind: "constant", value: 1 } } } }, "capacity.byNode.n1.applyMs");
    bad({ applyMs: { kind: "constant", value: -1 } }, "capacity.applyMs.value", countingKv);
    bad({ perUnitMs: { raed: { kind: "constant", value: 1 } } }, "capacity.perUnitMs.raed", { ...countingKv, messageTypes: ["ping"] });
    bad({ perUnitMs: 3 }, "capacity.perUnitMs", countingKv);
    expect(() => simulate({ ...kvConfig(), protocol: countingKv, capacity: { perUnitMs: { write: { kind: "constant", value: 1 } }, applyMs: { kind: "constant", value: 1 } } })).not.to.throw();
  });
  it("a byNode entry with no capacity, cores without a message queue, an unknown field inside byNode", () => {
    bad({ byNode: { n1: {} } }, "capacity.byNode.n1", countingKv);
    bad({ byNode: { n1: { cores: 2, applyMs: { kind: "constant", value: 1 } } } }, "capacity.byNode.n1.cores", countingKv);
    bad({ byNode: { n1: { applyMS: { kind: "constant", value: 1 } } } }, "capacity.byNode.n1.applyMS", countingKv);
  });
  it("a protocol whose workOf returns a bad count fails loudly, naming the hook", () => {
    const broken = { ...countingKv, workOf: () => -1 };
    expect(() => simulate({ ...kvConfig(), protocol: broken, capacity: { perUnitMs: { "*": { kind: "constant", value: 1 } } } })).to.throw(ConfigError).with.property("field", "counting-kv.workOf");
  });
  it("unknown fields and a capacity that is not an object", () => {
    bad({ core: 2, serviceMs: svc }, "capacity.core");
    bad(5, "capacity");
  });
});
