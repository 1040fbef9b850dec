import { expect } from "chai";
import fc from "fast-check";
import { singleCopyHistory } from "../../lib/checkers/singleCopyHistory.js";
import { pairOperations } from "../../lib/checkers/operations.js";
import { ConfigError } from "../../lib/errors.js";
import { illegalLinearization, stepsArbitrary } from "./arbitraries.js";

describe("singleCopyHistory: linearizable histories by construction", () => {
  it("its effect order is a legal linearization, checked by replay (fast-check, fixed seed)", () => {
    fc.assert(fc.property(stepsArbitrary(), (steps) => {
      const run = singleCopyHistory(steps);
      for (const key of new Set(steps.map((s) => s.key))) {
        const order = run.linearization.filter((i) => run.history[i].key === key);
        expect(illegalLinearization(run.history, key, order), key).to.equal(null);
      }
    }), { seed: 42, numRuns: 200 });
  });

  it("gives writes unique values 1, 2, 3, ... and keeps each client to one open op", () => {
    fc.assert(fc.property(stepsArbitrary(), (steps) => {
      const ops = pairOperations(singleCopyHistory(steps).history); // validation: one open op per process
      const values = ops.filter((o) => o.f !== "read").map((o) => o.value as number).sort((a, b) => a - b);
      expect(values).to.deep.equal(values.map((_, i) => i + 1)); // invocation order may differ from effect order
    }), { seed: 7, numRuns: 100 });
  });

  it("a cas that hits succeeds and one that misses fails; the final state is what the copy holds", () => {
    const base = { process: "c1", key: "x", gap: 1, before: 0, after: 0 } as const;
    const run = singleCopyHistory([
      { ...base, f: "write" },
      { ...base, f: "cas", casHits: true },
      { ...base, f: "cas", casHits: false },
      { ...base, f: "read" },
    ]);
    expect(run.history.filter((e) => e.type !== "invoke").map((e) => `${e.f} ${e.type} ${e.value}`)).to.deep.equal(["write ok 1", "cas ok 2", "cas fail 3", "read ok 2"]);
    expect(run.finalState.get("x")).to.equal(2);
  });

  it("an info op that was not applied leaves no trace in the state", () => {
    const base = { process: "c1", key: "x", gap: 1, before: 0, after: 0 } as const;
    const run = singleCopyHistory([{ ...base, f: "write" }, { ...base, f: "write", outcome: "info", applied: false }, { ...base, f: "read" }]);
    expect(run.history.at(-1)!.value).to.equal(1);
  });

  it("rejects a gap below 1 (effects must be strictly ordered)", () => {
    expect(() => singleCopyHistory([{ process: "c1", f: "read", key: "x", gap: 0, before: 0, after: 0 }])).to.throw(ConfigError, "steps[0].gap");
  });
});
