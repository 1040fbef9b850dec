import { expect } from "chai";
import { availability, availabilitySummary, latencyPercentiles, replicationLag, propagationDelays, traffic } from "../../lib/metrics/index.js";
import { mean, quantile, standardErrorOfMean, wilsonInterval } from "../../lib/stats.js";
import { historyBuilder } from "../../lib/checkers/index.js";
import type { Trace } from "../../lib/sim/trace.js";

const note = (t: number, node: string, kind: string, value: number) => ({ type: "note" as const, t, node, kind, key: "x", value });

describe("metrics: one meaning everywhere (DESIGN.md)", () => {
  describe("replication lag", () => {
    // Writes 1, 2, 3 commit at the origin at 10, 20, 30; n2 applies them at 15, 40, 41.
    const trace: Trace = [
      note(10, "n1", "commit", 1),
      note(15, "n2", "apply", 1),
      note(20, "n1", "commit", 2),
      note(30, "n1", "commit", 3),
      note(40, "n2", "apply", 2),
      note(41, "n2", "apply", 3),
    ];
    const lag = replicationLag(trace, { stepMs: 5, endMs: 45 });
    const at = (t: number) => lag.find((r) => r.t === t)!;
    it("is t minus the commit time of the oldest write not yet applied", () => {
      expect(at(10).lagMs).to.equal(0); // write 1 committed at 10 and not applied: 10 − 10
      expect(at(12.5 - 2.5).lagMs).to.equal(0);
      expect(at(15).lagMs).to.equal(0); // caught up at 15
      expect(at(25).lagMs).to.equal(5); // write 2 pending since 20
      expect(at(35).lagMs).to.equal(15); // writes 2 and 3 pending: the oldest counts
      expect(at(40).lagMs).to.equal(10); // write 2 applied at 40; write 3 pending since 30
      expect(at(45).lagMs).to.equal(0);
    });
    it("counts operations behind", () => {
      expect(at(35).opsBehind).to.equal(2);
      expect(at(40).opsBehind).to.equal(1);
      expect(at(45).opsBehind).to.equal(0);
    });
    it("gives each write's propagation delay", () => {
      expect(propagationDelays(trace).map((r) => r.delayMs)).to.deep.equal([5, 20, 11]);
    });
  });

  describe("availability", () => {
    const h = historyBuilder();
    h.invoke("c1", "write", "x", 1, 0);
    h.ok("c1", 5);
    h.invoke("c2", "read", "x", null, 2);
    h.fail("c2", 4, "unavailable");
    h.invoke("c1", "read", "x", null, 12);
    h.ok("c1", 13, 1);
    h.invoke("c2", "write", "x", 2, 14);
    h.info("c2", 40, "timeout");
    const history = h.build();
    it("is the fraction of ops invoked in a window that completed ok", () => {
      const rows = availability(history, { windowMs: 10 });
      const get = (t: number, f: string) => rows.find((r) => r.t === t && r.f === f)!;
      expect(get(0, "all").availability).to.equal(0.5);
      expect(get(0, "write").availability).to.equal(1);
      expect(get(0, "read").availability).to.equal(0);
      expect(get(10, "all").availability).to.equal(0.5);
    });
    it("counts an ok slower than the client timeout as unavailable", () => {
      const rows = availability(history, { windowMs: 10, timeoutMs: 3 });
      expect(rows.find((r) => r.t === 0 && r.f === "write")!.availability).to.equal(0);
    });
    it("shows an empty window as null, not as 100 %", () => {
      const rows = availability(history, { windowMs: 10, endMs: 30 });
      expect(rows.find((r) => r.t === 20 && r.f === "all")!.availability).to.equal(null);
    });
    it("summarises a run in nines", () => {
      const all = availabilitySummary(history).find((r) => r.f === "all")!;
      expect(all.availability).to.equal(0.5);
      expect(all.nines).to.be.closeTo(Math.log10(2), 1e-12);
    });
  });

  describe("latency", () => {
    it("takes nearest-rank quantiles", () => {
      expect(quantile([5, 1, 4, 2, 3], 0.5)).to.equal(3);
      expect(quantile([1, 2, 3, 4], 0.99)).to.equal(4);
      expect(Number.isNaN(quantile([], 0.5))).to.equal(true);
    });
    it("gives the Wilson interval of a proportion: 0 of 10 is not [0, 0], and it stays inside [0, 1]", () => {
      // Wilson (1927); for 0 successes of n the upper bound is z²/(n + z²).
      const { low, high } = wilsonInterval(0, 10);
      expect(low).to.equal(0);
      expect(high).to.be.closeTo(1.96 ** 2 / (10 + 1.96 ** 2), 1e-12);
      const mid = wilsonInterval(50, 100);
      expect(mid.low + mid.high).to.be.closeTo(1, 1e-12);
      expect(wilsonInterval(10, 10).high).to.equal(1);
    });
    it("measures invoke to ok only", () => {
      const h = historyBuilder();
      h.invoke("c1", "write", "x", 1, 0);
      h.ok("c1", 7);
      h.invoke("c1", "write", "x", 2, 10);
      h.info("c1", 99, "timeout");
      const p50 = latencyPercentiles(h.build(), [50]).find((r) => r.f === "write")!;
      expect(p50.latencyMs).to.equal(7);
      expect(p50.count).to.equal(1);
    });
  });

  it("counts messages and bytes per op, replication traffic apart", () => {
    const trace: Trace = [
      { type: "send", t: 0, id: 1, src: "c1", dest: "n1", msg: "write", bytes: 100 },
      { type: "send", t: 1, id: 2, src: "n1", dest: "n2", msg: "replicate", bytes: 140 },
      { type: "drop", t: 1, id: 2, src: "n1", dest: "n2", msg: "replicate", reason: "loss" },
      { type: "send", t: 2, id: 3, src: "n1", dest: "c1", msg: "write_ok", bytes: 100 },
    ];
    const h = historyBuilder();
    h.invoke("c1", "write", "x", 1, 0);
    h.ok("c1", 3);
    const t = traffic(trace, h.build());
    expect(t).to.include({ messages: 3, bytes: 340, replicationMessages: 1, replicationBytes: 140, ops: 1, messagesPerOp: 3, dropped: 1 });
  });
});

describe("the mean and its standard error (lib/stats.ts)", () => {
  it("gives the mean and the sample standard deviation over √n, worked by hand; NaN where undefined", () => {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum to 32, sample variance 32/7.
    const xs = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(xs)).to.equal(5);
    expect(standardErrorOfMean(xs)).to.be.closeTo(Math.sqrt(32 / 7 / 8), 1e-15);
    expect(mean([])).to.be.NaN;
    expect(standardErrorOfMean([3])).to.be.NaN;
  });
});

describe("replication lag after a snapshot install", () => {
  it("counts every write logged before the snapshot's index as applied at install time", () => {
    const trace: Trace = [
      { type: "note", t: 10, node: "n1", kind: "commit", key: "x", value: 1, index: 0 },
      { type: "note", t: 20, node: "n1", kind: "commit", key: "y", value: 2, index: 1 },
      { type: "note", t: 30, node: "n1", kind: "commit", key: "z", value: 3, index: 2 },
      { type: "note", t: 40, node: "n3", kind: "install", index: 2 },
      { type: "note", t: 50, node: "n3", kind: "apply", key: "z", value: 3, index: 2 },
    ];
    const lag = replicationLag(trace, { stepMs: 5, endMs: 55, replicas: ["n3"] });
    const at = (t: number) => lag.find((r) => r.t === t)!;
    expect(at(35).lagMs).to.equal(25); // writes 1..3 pending since 10
    expect(at(45).lagMs).to.equal(15); // the snapshot covered 1 and 2; write 3 pending since 30
    expect(at(45).opsBehind).to.equal(1);
    expect(at(55).lagMs).to.equal(0);
  });
});
