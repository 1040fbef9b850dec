import { expect } from "chai";
import fc from "fast-check";
import { findLostWrites } from "../../lib/checkers/lostWrites.js";
import { historyBuilder } from "../../lib/checkers/historyBuilder.js";
import { singleCopyHistory } from "../../lib/checkers/singleCopyHistory.js";
import { ConfigError } from "../../lib/errors.js";
import { stepsArbitrary } from "./arbitraries.js";

// DESIGN.md: lost writes are acknowledged writes absent from the final converged state,
// reported as a count and a fraction of acknowledged writes.
describe("lost acknowledged writes", () => {
  const h = historyBuilder()
    .write("c1", "x", 1, 0, 10)
    .write("c2", "x", 2, 20, 30)
    .write("c3", "x", 3, 40, 50, "info")
    .write("c4", "x", 4, 40, 50, "fail")
    .build();

  describe("all-versions (a store that keeps every write, e.g. a log)", () => {
    it("reports acknowledged writes whose value is absent, with count and fraction", () => {
      const r = findLostWrites(h, new Map([["x", [1]]]));
      expect(r.valid).to.equal(false);
      expect(r.acknowledged).to.equal(2); // info and fail writes were never acknowledged
      expect(r.lostCount).to.equal(1);
      expect(r.fraction).to.equal(0.5);
      expect(r.lost).to.deep.equal([{ op: 2, process: "c2", key: "x", value: 2, ackTime: 30 }]);
      expect(r.message).to.include("1 of 2 acknowledged writes lost (50.0%)");
    });

    it("an overwritten value still counts as lost when the store should have kept every version", () => {
      expect(findLostWrites(h, new Map([["x", [2]]]), "all-versions").lost.map((l) => l.value)).to.deep.equal([1]);
    });

    it("nothing is lost when every acknowledged value survives; unacknowledged ones do not matter", () => {
      const r = findLostWrites(h, new Map([["x", [1, 2]]]));
      expect(r.valid).to.equal(true);
      expect(r.fraction).to.equal(0);
    });

    it("a key missing from the final state lost all its acknowledged writes", () => {
      expect(findLostWrites(h, new Map()).lostCount).to.equal(2);
    });

    it("counts successful cas operations as acknowledged writes", () => {
      const c = historyBuilder().write("c1", "x", 1, 0, 10).cas("c2", "x", 1, 2, 20, 30).build();
      expect(findLostWrites(c, new Map([["x", [1]]])).lost.map((l) => l.value)).to.deep.equal([2]);
    });
  });

  describe("latest (a register store that keeps one value per key)", () => {
    it("a write replaced by a later write is not lost", () => {
      expect(findLostWrites(h, new Map([["x", [2]]]), "latest").valid).to.equal(true);
    });

    it("a write replaced by an earlier write (one that completed before it began) is lost", () => {
      const r = findLostWrites(h, new Map([["x", [1]]]), "latest");
      expect(r.lost.map((l) => l.value)).to.deep.equal([2]);
    });

    it("a write replaced by a concurrent write is not lost (either may win)", () => {
      const c = historyBuilder().write("c1", "x", 1, 0, 10).write("c2", "x", 2, 5, 15).build();
      expect(findLostWrites(c, new Map([["x", [1]]]), "latest").valid).to.equal(true);
      expect(findLostWrites(c, new Map([["x", [2]]]), "latest").valid).to.equal(true);
      expect(findLostWrites(c, new Map([["x", []]]), "latest").lostCount).to.equal(2);
    });

    it("a surviving info write may have replaced any write it was not invoked after", () => {
      expect(findLostWrites(h, new Map([["x", [3]]]), "latest").valid).to.equal(true);
    });

    it("an info write may take effect long after its info record, so its surviving value excuses a later write", () => {
      const c = historyBuilder().write("c1", "x", 1, 0, 5, "info").write("c2", "x", 2, 10, 20).build();
      expect(findLostWrites(c, new Map([["x", [1]]]), "latest").valid).to.equal(true);
    });

    it("a surviving value that no write produced does not excuse a missing write", () => {
      expect(findLostWrites(h, new Map([["x", [99]]]), "latest").lostCount).to.equal(2);
    });
  });

  it("a single copy loses nothing in latest mode (fast-check, fixed seed)", () => {
    fc.assert(fc.property(stepsArbitrary(), (steps) => {
      const run = singleCopyHistory(steps);
      const final = new Map([...run.finalState].map(([k, v]): [string, number[]] => [k, v === null ? [] : [v]]));
      const r = findLostWrites(run.history, final, "latest");
      expect(r.lost, r.message).to.deep.equal([]);
    }), { seed: 42, numRuns: 200 });
  });

  it("rejects an unknown mode and a final state that is not a Map of number arrays", () => {
    expect(() => findLostWrites(h, new Map(), "newest" as never)).to.throw(ConfigError, "mode");
    expect(() => findLostWrites(h, { x: [1] } as never)).to.throw(ConfigError, "finalState");
    expect(() => findLostWrites(h, new Map([["x", 1]]) as never)).to.throw(ConfigError, "finalState.get(\"x\")");
  });
});
