/**
 * The pros-and-cons bench (lib/prosCons): the quorum counting against its closed forms
 * (2f + 1 against crashes, 3f + 1 against lies), the verdict rules on runs where the answer
 * is known, and the checks of Exercises 7.2-7.4 (a blank stub fails, the reference passes).
 */
import { expect } from "chai";
import { simulate } from "../lib/sim/engine.js";
import { quorumSafety } from "../lib/prosCons/quorums.js";
import { benchConfig, benchVerdict, nodeStatesSeen, servingShare } from "../lib/prosCons/strategies.js";
import { gradeExercise } from "../lib/exercises/check.js";
import { checksForExercise72, checksForExercise74 } from "../lib/exercises/prosAndConsChecks.js";
import { ConfigError } from "../lib/errors.js";

const stub = (): never => {
  throw new Error("Not implemented yet");
};

describe("quorum counting", () => {
  it("is safe against f crashes exactly when n ≥ 2f + 1, and against f liars exactly when n ≥ 3f + 1 (enumeration against the closed forms)", () => {
    for (let n = 1; n <= 9; n++) {
      for (let f = 0; f < n; f++) {
        expect(quorumSafety(n, f, "crash").safe, `crash n=${n} f=${f}`).to.equal(n >= 2 * f + 1);
        expect(quorumSafety(n, f, "byzantine").safe, `byzantine n=${n} f=${f}`).to.equal(n >= 3 * f + 1);
      }
    }
  });

  it("gives a counterexample when unsafe, and rejects bad input naming the field", () => {
    const bad = quorumSafety(3, 1, "byzantine");
    expect(bad.counterexample).to.not.equal(null);
    expect(() => quorumSafety(13, 1, "crash")).to.throw(ConfigError, "n");
    expect(() => quorumSafety(4, 4, "crash")).to.throw(ConfigError, "f");
  });
});

describe("bench verdicts", () => {
  it("a fault-free run serves all the time and survives", () => {
    const run = simulate(benchConfig("leaderless N=3 R=2 W=2", "none"));
    expect(servingShare(run as never)).to.equal(1);
    expect(benchVerdict("leaderless N=3 R=2 W=2", "none", run as never).verdict).to.equal("survives");
  });

  it("the single node is unavailable when its region is lost; multi-leader keeps region B writing", () => {
    const single = benchVerdict("single node", "region loss", simulate(benchConfig("single node", "region loss")) as never);
    expect(single.verdict).to.equal("unavailable");
    expect(single.duringFault).to.equal(0);
    const multi = benchVerdict("multi-leader", "region loss", simulate(benchConfig("multi-leader", "region loss")) as never);
    expect(multi.verdict).to.equal("survives");
  });

  it("rejects an unknown strategy or fault, naming the field", () => {
    expect(() => benchConfig("two leaders" as never, "none")).to.throw(ConfigError, "strategy");
    expect(() => benchConfig("single node", "meteor" as never)).to.throw(ConfigError, "fault");
  });

  it("a majority strategy stops when the region holding its majority goes", () => {
    const v = benchVerdict("replica set w:majority", "region loss", simulate(benchConfig("replica set w:majority", "region loss")) as never);
    expect(v.verdict).to.equal("unavailable");
  });
});

describe("node states seen", () => {
  it("a single-leader node is seen leading, following and down through a crash of the leader", () => {
    const run = simulate(benchConfig("single-leader async", "node crash", { recordStates: true }));
    expect(nodeStatesSeen(run as never)).to.deep.equal(["down", "follower", "leader"]);
    const quiet = simulate(benchConfig("leaderless N=3 R=2 W=2", "none", { recordStates: true }));
    expect(nodeStatesSeen(quiet as never)).to.deep.equal(["serving"]);
  });
});

describe("exercise checks of notebook 07", () => {
  it("7.2: the stub fails, 2f + 1 and 3f + 1 pass, and off-by-one answers fail", async () => {
    expect((await gradeExercise("7.2", checksForExercise72(stub))).earned).to.equal(0);
    const ref = await gradeExercise("7.2", checksForExercise72((f, k) => (k === "crash" ? 2 * f + 1 : 3 * f + 1)));
    expect(ref.earned).to.equal(ref.possible);
    const tooMany = await gradeExercise("7.2", checksForExercise72((f, k) => (k === "crash" ? 2 * f + 2 : 3 * f + 2)));
    expect(tooMany.earned).to.equal(0);
  });

  it("7.4: the stub fails, 2N passes, 2N + 1 fails", async () => {
    expect((await gradeExercise("7.4", checksForExercise74(stub))).earned).to.equal(0);
    const ref = await gradeExercise("7.4", checksForExercise74((n) => 2 * n));
    expect(ref.earned).to.equal(ref.possible);
    expect((await gradeExercise("7.4", checksForExercise74((n) => 2 * n + 1))).earned).to.equal(0);
  });
});

describe("exercise checks of notebook 07 that run the bench", () => {
  it("7.1: the stub fails; predictions read off runs of the five-node region loss pass; a wrong one loses its point", async () => {
    const { checksForExercise71 } = await import("../lib/exercises/prosAndConsChecks.js");
    const { STRATEGY_NAMES } = await import("../lib/prosCons/strategies.js");
    expect((await gradeExercise("7.1", checksForExercise71(stub))).earned).to.equal(0);
    const truth = Object.fromEntries(STRATEGY_NAMES.map((s) => [s, benchVerdict(s, "region loss", simulate(benchConfig(s, "region loss", { seed: 1, nodes: 5 })) as never).verdict]));
    const ref = await gradeExercise("7.1", checksForExercise71(() => truth, 1));
    expect(ref.earned).to.equal(ref.possible);
    const wrong = await gradeExercise("7.1", checksForExercise71(() => ({ ...truth, "single node": "survives" }), 1));
    expect(wrong.earned).to.equal(ref.possible - 1);
  });

  it("7.3: the stub fails; one node per zone passes for three nodes; all in one zone fails", async () => {
    const { checksForExercise73 } = await import("../lib/exercises/prosAndConsChecks.js");
    const { loadCloudPrices } = await import("../lib/datasets/loaders.js");
    const { priceTableOf } = await import("../lib/costs/costModel.js");
    const prices = priceTableOf(loadCloudPrices(), "m7g.large");
    const run = simulate(benchConfig("leaderless N=3 R=2 W=2", "none", { durationMs: 600 }));
    const cases = [{ name: "three", nodes: ["n1", "n2", "n3"], trace: run.trace, durationMs: 600, prices }];
    expect((await gradeExercise("7.3", checksForExercise73(stub, cases))).earned).to.equal(0);
    const spread = await gradeExercise("7.3", checksForExercise73(() => ({ n1: { region: "A", zone: "a" }, n2: { region: "A", zone: "b" }, n3: { region: "A", zone: "c" } }), cases));
    expect(spread.earned).to.equal(spread.possible);
    const oneZone = await gradeExercise("7.3", checksForExercise73(() => ({ n1: { region: "A", zone: "a" }, n2: { region: "A", zone: "a" }, n3: { region: "A", zone: "a" } }), cases));
    expect(oneZone.earned).to.be.lessThan(oneZone.possible);
  });
});
