import { expect } from "chai";
import { checkConvergence } from "../../lib/checkers/convergence.js";
import { ConfigError } from "../../lib/errors.js";

describe("convergence: do all replicas hold the same final state", () => {
  it("replicas holding equal maps have converged", () => {
    const r = checkConvergence({ n1: new Map([["x", 1], ["y", 2]]), n2: new Map([["y", 2], ["x", 1]]) });
    expect(r.valid).to.equal(true);
    expect(r.differing).to.deep.equal([]);
    expect(r.message).to.include("2 replica(s) agree on 2 key(s)");
  });

  it("lists each differing key with every replica's value (null where absent)", () => {
    const r = checkConvergence({
      n1: new Map([["x", 1], ["y", 2], ["z", 3]]),
      n2: new Map([["x", 1], ["y", 5]]),
      n3: new Map([["x", 1], ["y", 2], ["z", 3]]),
    });
    expect(r.valid).to.equal(false);
    expect(r.differing).to.deep.equal([
      { key: "y", values: { n1: 2, n2: 5, n3: 2 } },
      { key: "z", values: { n1: 3, n2: null, n3: 3 } },
    ]);
    expect(r.message).to.include("2 of 3 key(s) differ").and.include("n2=5");
  });

  it("treats absent, null and an empty list alike: all mean \"no value\"", () => {
    const r = checkConvergence({ n1: new Map([["x", null]]), n2: new Map(), n3: new Map([["x", []]]) });
    expect(r.valid).to.equal(true);
  });

  it("compares lists as sequences by default (log order matters) or as sets (siblings)", () => {
    const states = { n1: new Map([["x", [1, 2]]]), n2: new Map([["x", [2, 1]]]) };
    expect(checkConvergence(states).valid).to.equal(false);
    expect(checkConvergence(states, "set").valid).to.equal(true);
  });

  it("one replica has trivially converged; none is an error", () => {
    expect(checkConvergence({ n1: new Map([["x", 1]]) }).valid).to.equal(true);
    expect(() => checkConvergence({})).to.throw(ConfigError, "states");
    expect(() => checkConvergence({ n1: { x: 1 } as never })).to.throw(ConfigError, "states.n1");
  });
});
