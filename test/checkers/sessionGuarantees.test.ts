import { expect } from "chai";
import fc from "fast-check";
import {
  SESSION_GUARANTEES, checkConsistentPrefix, checkMonotonicReads, checkMonotonicWrites,
  checkReadYourWrites, checkSessionGuarantees, checkWritesFollowReads, type SessionGuarantee, type SessionOptions,
} from "../../lib/checkers/sessionGuarantees.js";
import { historyBuilder } from "../../lib/checkers/historyBuilder.js";
import { singleCopyHistory } from "../../lib/checkers/singleCopyHistory.js";
import { HistoryError } from "../../lib/checkers/historyError.js";
import type { History } from "../../lib/history/types.js";
import { corruptReads, stepsArbitrary } from "./arbitraries.js";

/** The guarantees checkSessionGuarantees reports as violated. */
function flagged(history: History, options: SessionOptions): SessionGuarantee[] {
  const r = checkSessionGuarantees(history, options);
  return SESSION_GUARANTEES.filter((g) => r.byGuarantee[g].valid === false);
}

// Terry et al., "Session Guarantees for Weakly Consistent Replicated Data" (PDIS 1994): each
// anomaly below breaks exactly one guarantee. Every case passes both orders so that no
// checker answers "unknown" and each can be seen to stay silent.
describe("session guarantees (Terry et al. 1994)", () => {
  describe("each checker flags its own anomaly and not the others'", () => {
    it("read-your-writes: a session reads an older version than its own acknowledged write", () => {
      const h = historyBuilder().write("c1", "x", 1, 0, 10).read("c1", "x", null, 20, 25).build();
      const opts = { finalOrder: new Map([["x", [1]]]), writeOrder: [1] };
      expect(flagged(h, opts)).to.deep.equal(["read-your-writes"]);
      const v = checkReadYourWrites(h, opts).violations;
      expect(v).to.have.length(1);
      expect(v[0]).to.include({ process: "c1", key: "x" });
      expect(v[0].ops).to.deep.equal([0, 2]);
      expect(v[0].message).to.include("c1 wrote x=1").and.include("read x=null");
    });

    it("monotonic reads: a session reads a version older than one it read before", () => {
      const h = historyBuilder().write("c1", "x", 1, 0, 10).write("c1", "x", 2, 20, 30)
        .read("c2", "x", 2, 40, 45).read("c2", "x", 1, 50, 55).build();
      const opts = { finalOrder: new Map([["x", [1, 2]]]), writeOrder: [1, 2] };
      expect(flagged(h, opts)).to.deep.equal(["monotonic-reads"]);
      const v = checkMonotonicReads(h, opts).violations;
      expect(v.map((x) => x.ops)).to.deep.equal([[4, 6]]);
    });

    it("monotonic writes: the final order reverses two writes of one session", () => {
      const h = historyBuilder().write("c1", "x", 1, 0, 10).write("c1", "x", 2, 20, 30).build();
      const opts = { finalOrder: new Map([["x", [2, 1]]]), writeOrder: [2, 1] };
      expect(flagged(h, opts)).to.deep.equal(["monotonic-writes"]);
      expect(checkMonotonicWrites(h, opts).violations[0].ops).to.deep.equal([0, 2]);
    });

    it("monotonic writes across keys: the global order puts the later write first", () => {
      const h = historyBuilder().write("c1", "x", 1, 0, 10).write("c1", "y", 2, 20, 30).build();
      expect(flagged(h, { writeOrder: [2, 1] })).to.deep.equal(["monotonic-writes"]);
      expect(flagged(h, { writeOrder: [1, 2] })).to.deep.equal([]);
    });

    it("writes-follow-reads: a write ordered before a version its session had read (across keys)", () => {
      const h = historyBuilder().write("c1", "x", 1, 0, 10).read("c2", "x", 1, 20, 25).write("c2", "y", 2, 30, 40).build();
      const opts = { finalOrder: new Map([["x", [1]], ["y", [2]]]), writeOrder: [2, 1] };
      expect(flagged(h, opts)).to.deep.equal(["writes-follow-reads"]);
      const v = checkWritesFollowReads(h, opts).violations;
      expect(v[0].ops).to.deep.equal([2, 4]);
      expect(v[0].message).to.include("c2 read x=1").and.include("then wrote y=2");
    });

    it("writes-follow-reads on one key: the final per-key order puts the write before the version read", () => {
      const h = historyBuilder().write("c1", "x", 1, 0, 10).read("c2", "x", 1, 20, 25).write("c2", "x", 2, 30, 40).build();
      expect(flagged(h, { finalOrder: new Map([["x", [2, 1]]]) })).to.deep.equal(["writes-follow-reads"]);
    });

    it("a session that reads its own write and then writes again is monotonic writes' case, not writes-follow-reads'", () => {
      const h = historyBuilder().write("c1", "x", 1, 0, 10).read("c1", "x", 1, 20, 25).write("c1", "x", 2, 30, 40).build();
      expect(flagged(h, { finalOrder: new Map([["x", [2, 1]]]), writeOrder: [2, 1] })).to.deep.equal(["monotonic-writes"]);
    });

    it("consistent prefix: a session sees a later write on one key and then misses an earlier one on another", () => {
      // DDIA's "Mrs Cake answers before Mr Poons asks", seen by one observer.
      const h = historyBuilder().write("c1", "x", 1, 0, 10).write("c1", "y", 2, 20, 30)
        .read("c3", "y", 2, 40, 45).read("c3", "x", null, 50, 55).build();
      const opts = { finalOrder: new Map([["x", [1]], ["y", [2]]]), writeOrder: [1, 2] };
      expect(flagged(h, opts)).to.deep.equal(["consistent-prefix"]);
      const v = checkConsistentPrefix(h, opts).violations;
      expect(v[0].ops).to.deep.equal([4, 6]);
      expect(v[0].message).to.include("missing x=1").and.include("before y=2");
    });
  });

  describe("what each guarantee allows", () => {
    it("read-your-writes accepts a newer or concurrent write by another session", () => {
      for (const seen of [1, 2]) {
        const h = historyBuilder().write("c1", "x", 1, 0, 10).write("c2", "x", 2, 5, 20).read("c1", "x", seen, 25, 30).build();
        expect(checkReadYourWrites(h).valid, `read ${seen}`).to.equal(true);
      }
      const newer = historyBuilder().write("c1", "x", 1, 0, 10).write("c2", "x", 2, 12, 20).read("c1", "x", 2, 25, 30).build();
      expect(checkReadYourWrites(newer).valid).to.equal(true);
    });

    it("read-your-writes ignores writes that were not acknowledged", () => {
      const h = historyBuilder().write("c1", "x", 1, 0, 10, "info").read("c1", "x", null, 20, 25).build();
      expect(checkReadYourWrites(h).valid).to.equal(true);
    });

    it("a sibling read that includes the session's write satisfies read-your-writes", () => {
      // Siblings: versions the store could not order (by version vector), even if real time can.
      const b = historyBuilder().write("c2", "x", 1, 0, 10).write("c1", "x", 2, 20, 30).invoke("c1", "read", "x", null, 40);
      const read = (siblings: number[]) => b.build().concat([{ index: 5, type: "ok", process: "c1", f: "read", key: "x", value: siblings[0], siblings, time: 45 }]);
      expect(checkReadYourWrites(read([1, 2])).valid).to.equal(true);
      expect(checkReadYourWrites(read([1])).valid).to.equal(false);
    });

    it("monotonic reads leaves concurrent writes unordered by default, and uses finalOrder when given", () => {
      const h = historyBuilder().write("c1", "x", 1, 0, 10).write("c2", "x", 2, 5, 15)
        .read("c3", "x", 2, 20, 25).read("c3", "x", 1, 30, 35).build();
      expect(checkMonotonicReads(h).valid).to.equal(true);
      expect(checkMonotonicReads(h, { finalOrder: new Map([["x", [1, 2]]]) }).valid).to.equal(false);
      expect(checkMonotonicReads(h, { finalOrder: new Map([["x", [2, 1]]]) }).valid).to.equal(true);
    });

    it("consistent prefix lets a session catch up: missing a write first and seeing a later one after is fine", () => {
      const h = historyBuilder().write("c1", "x", 1, 0, 10).write("c1", "y", 2, 20, 30)
        .read("c3", "x", null, 40, 45).read("c3", "y", 2, 50, 55).read("c3", "x", 1, 60, 65).build();
      expect(checkConsistentPrefix(h, { writeOrder: [1, 2] }).valid).to.equal(true);
    });

    it("the guarantees that need a final order say \"unknown\" without one", () => {
      const h = historyBuilder().write("c1", "x", 1, 0, 10).read("c1", "x", 1, 20, 25).build();
      const r = checkSessionGuarantees(h);
      expect(r.byGuarantee["read-your-writes"].valid).to.equal(true);
      expect(r.byGuarantee["monotonic-reads"].valid).to.equal(true);
      expect(r.byGuarantee["monotonic-writes"].valid).to.equal("unknown");
      expect(r.byGuarantee["writes-follow-reads"].valid).to.equal("unknown");
      expect(r.byGuarantee["consistent-prefix"].valid).to.equal("unknown");
      expect(r.valid).to.equal("unknown");
      expect(r.byGuarantee["consistent-prefix"].message).to.include("writeOrder");
    });

    it("duplicate write values are refused, since a read's value would not name its write", () => {
      const h = historyBuilder().write("c1", "x", 1, 0, 10).write("c2", "x", 1, 20, 30).build();
      expect(() => checkReadYourWrites(h)).to.throw(HistoryError, "history[2] (process c2)");
      const acrossKeys = historyBuilder().write("c1", "x", 1, 0, 10).write("c2", "y", 1, 20, 30).build();
      expect(checkReadYourWrites(acrossKeys).valid).to.equal(true);
      expect(() => checkConsistentPrefix(acrossKeys, { writeOrder: [1] })).to.throw(HistoryError, "unique");
    });
  });

  describe("generated histories (fast-check, fixed seed)", () => {
    it("read-your-writes and monotonic reads give the same verdicts on their fast real-time path and the general one", () => {
      const general = { finalOrder: new Map([["unused-key", [] as number[]]]) };
      const laterOps = (r: ReturnType<typeof checkReadYourWrites>) => r.violations.map((v) => v.ops[v.ops.length - 1]);
      let flaggedReads = 0;
      fc.assert(fc.property(stepsArbitrary(), fc.array(fc.nat(), { minLength: 1 }), (steps, choices) => {
        const h = corruptReads(singleCopyHistory(steps).history, choices);
        for (const check of [checkReadYourWrites, checkMonotonicReads]) {
          const fast = laterOps(check(h));
          expect(fast, check.name).to.deep.equal(laterOps(check(h, general)));
          flaggedReads += fast.length;
        }
      }), { seed: 42, numRuns: 200 });
      expect(flaggedReads, "violations exercised").to.be.greaterThan(100);
    });


    it("a single copy (linearizable) satisfies all five guarantees, with the effect order as the write order", () => {
      fc.assert(fc.property(stepsArbitrary(), (steps) => {
        const run = singleCopyHistory(steps);
        const writeOrder = run.linearization.map((i) => run.history[i]).filter((e) => e.f !== "read").map((e) => e.value as number);
        const r = checkSessionGuarantees(run.history, { writeOrder });
        expect(r.violations, r.message).to.deep.equal([]);
        expect(r.valid).to.equal(true);
      }), { seed: 42, numRuns: 200 });
    });
  });
});
