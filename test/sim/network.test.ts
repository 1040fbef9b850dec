import { expect } from "chai";
import { simulate } from "../../lib/sim/engine.js";
import type { DeliverEvent, DropEvent, SendEvent } from "../../lib/sim/trace.js";
import { kvConfig } from "./helpers.js";

const sends = (trace: readonly { type: string }[]) => trace.filter((e): e is SendEvent => e.type === "send");
const drops = (trace: readonly { type: string }[]) => trace.filter((e): e is DropEvent => e.type === "drop");
const delivers = (trace: readonly { type: string }[]) => trace.filter((e): e is DeliverEvent => e.type === "deliver");

describe("network as data", () => {
  it("loses about `loss` of the messages (binomial, within 4 standard deviations)", () => {
    const p = 0.2;
    const run = simulate(kvConfig({ network: { latency: { kind: "constant", value: 1 }, loss: p }, durationMs: 3000, workload: { ...kvConfig().workload!, timeoutMs: 5 } }));
    const n = sends(run.trace).length;
    const lost = drops(run.trace).filter((d) => d.reason === "loss").length;
    expect(n).to.be.greaterThan(1000);
    expect(Math.abs(lost - n * p)).to.be.lessThan(4 * Math.sqrt(n * p * (1 - p)));
  });

  it("delivers a duplicated message twice under the same id", () => {
    const run = simulate(kvConfig({ network: { latency: { kind: "constant", value: 1 }, duplicate: 1 } }));
    const perId = new Map<number, number>();
    for (const d of delivers(run.trace)) perId.set(d.id, (perId.get(d.id) ?? 0) + 1);
    expect([...perId.values()].every((c) => c === 2)).to.equal(true);
  });

  it("keeps send order on a FIFO link even when delays vary, and reorders without it", () => {
    const order = (fifo: boolean): boolean => {
      const run = simulate(kvConfig({ workload: { ...kvConfig().workload!, loop: "open", ratePerSec: 2000, clients: 1 }, network: { latency: { kind: "exponential", rate: 0.2 }, fifo }, durationMs: 200 }));
      const sentAt = new Map(sends(run.trace).filter((s) => s.src === "c1").map((s) => [s.id, s.t]));
      const arrivals = delivers(run.trace).filter((d) => d.src === "c1").map((d) => sentAt.get(d.id)!);
      return arrivals.every((t, i) => i === 0 || arrivals[i - 1] <= t);
    };
    expect(order(true)).to.equal(true);
    expect(order(false)).to.equal(false);
  });

  it("applies per-link overrides: a slow link to one node only", () => {
    const run = simulate(kvConfig({
      nodes: 2,
      network: { latency: { kind: "constant", value: 1 }, links: [{ from: "c1", to: "n1", latency: { kind: "constant", value: 7 } }] },
      workload: { ...kvConfig().workload!, route: { read: "random", write: "random" } },
    }));
    const sentAt = new Map(sends(run.trace).map((s) => [s.id, s.t]));
    for (const d of delivers(run.trace)) {
      const delay = d.t - sentAt.get(d.id)!;
      expect(delay).to.be.closeTo(d.src === "c1" && d.dest === "n1" ? 7 : 1, 1e-9);
    }
  });

  it("drops every message across a partition until it heals, in both directions", () => {
    const run = simulate(kvConfig({ faults: [{ kind: "partition", at: 100, groups: [["c1"], ["n1"]] }, { kind: "heal", at: 200 }] }));
    const cut = drops(run.trace).filter((d) => d.reason === "partition");
    expect(cut.length).to.be.greaterThan(0);
    expect(cut.every((d) => d.t >= 100 && d.t <= 200)).to.equal(true);
    expect(delivers(run.trace).some((d) => d.src === "c1" && d.t > 100 && d.t < 199)).to.equal(false);
    expect(delivers(run.trace).some((d) => d.src === "c1" && d.t > 202)).to.equal(true);
  });

  it("cuts only the first group's outgoing messages in a one-way partition", () => {
    const run = simulate(kvConfig({ faults: [{ kind: "partition", at: 0, groups: [["n1"]], oneWay: true }] }));
    const cut = drops(run.trace).filter((d) => d.reason === "partition");
    expect(cut.length).to.be.greaterThan(0);
    expect(cut.every((d) => d.src === "n1")).to.equal(true);
    expect(delivers(run.trace).filter((d) => d.dest === "n1").length).to.be.greaterThan(0);
  });
});
