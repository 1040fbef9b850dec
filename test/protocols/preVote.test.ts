/** PreVote (Ongaro's thesis §9.6), an option of single-leader elections with epochs. */
import { expect } from "chai";
import { simulate } from "../../lib/sim/engine.js";
import { ConfigError } from "../../lib/errors.js";
import { leaderEpochs, singleLeader, type SingleLeaderConfig } from "../../lib/protocols/singleLeader/index.js";
import { electionDowntimes } from "./electionLiveness.test.js";

function isolatedFollower(preVote: boolean, seed: number) {
  const config: SingleLeaderConfig = { mode: "async", epochs: true, heartbeatMs: 10, failureTimeoutMs: 40, preVote };
  const run = simulate({
    seed, nodes: 3, protocol: singleLeader, config, network: { latency: { kind: "exponential", rate: 1 }, fifo: true },
    faults: [{ kind: "partition", at: 200, groups: [["n3"]] }, { kind: "heal", at: 600 }], durationMs: 1000,
  });
  return { terms: leaderEpochs(run.trace, 1000), epochOfN3: run.finalState("n3").epoch };
}

describe("PreVote (Ongaro's thesis §9.6): a node cut off from the others cannot depose a working leader on its return", () => {
  it("without PreVote the isolated follower raises the epoch and, on the heal, the leader n1 steps down (control, 10 seeds)", () => {
    for (let seed = 1; seed <= 10; seed++) {
      const r = isolatedFollower(false, seed);
      expect(r.terms.length, `seed ${seed}`).to.be.greaterThan(1);
    }
  });

  it("with PreVote n1 leads throughout, 10 seeds: the isolated follower's pre-votes find no majority, so its epoch never moves", () => {
    for (let seed = 1; seed <= 10; seed++) {
      const r = isolatedFollower(true, seed);
      expect(r.terms.map((t) => t.node), `seed ${seed}`).to.deep.equal(["n1"]);
      expect(r.epochOfN3).to.equal(1);
    }
  });

  it("with PreVote a crashed leader is still replaced within the liveness bound (same 50 runs as the liveness test)", function () {
    this.timeout(120_000);
    const d = electionDowntimes({ preVote: true });
    expect(d.filter((ms) => !(ms <= 4 * 60))).to.deep.equal([]);
  });

  it("needs epochs", () => {
    const run = () => simulate({ seed: 1, nodes: 3, protocol: singleLeader, config: { mode: "async", preVote: true }, network: { latency: { kind: "constant", value: 1 } }, durationMs: 10 });
    expect(run).to.throw(ConfigError, /config\.preVote/);
  });
});
