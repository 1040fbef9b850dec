/**
 * The normal sampler (lib/sim/distributions.ts) builds stdlib's ziggurat itself so that its
 * hidden integer stream can be checkpointed; it must give exactly the draws of
 * `@stdlib/random-base-normal` with the same external source, or every run with a normal
 * latency would change.
 */
import { expect } from "chai";
import normalFactory from "@stdlib/random-base-normal";
import { normalDraws } from "../../lib/sim/distributions.js";
import { makeRng } from "../../lib/sim/rng.js";

describe("normal draws", () => {
  for (const [mean, sd, seed] of [[0, 1, 1], [5, 2, 7], [-3, 0.1, 99], [100, 40, 12345]] as const) {
    it(`equal stdlib's normal factory draw for draw (mean ${mean}, sd ${sd}, seed ${seed})`, () => {
      const ours = normalDraws(mean, sd, makeRng(seed).fork("x"));
      const theirs = normalFactory.factory(mean, sd, { prng: makeRng(seed).fork("x").source });
      for (let i = 0; i < 20_000; i++) expect(ours(), `draw ${i}`).to.equal(theirs());
    });
  }

  it("can be saved and restored with its family, continuing the same draws", () => {
    const rng = makeRng(3);
    const draw = normalDraws(1, 2, rng);
    for (let i = 0; i < 1000; i++) draw();
    const saved = rng.family.save();
    const next = Array.from({ length: 500 }, draw);
    rng.family.restore(saved);
    expect(Array.from({ length: 500 }, draw)).to.deep.equal(next);
    // and a control: without the restore the draws differ
    expect(Array.from({ length: 500 }, draw)).not.to.deep.equal(next);
  });

  it("refuses to restore a family of another size", () => {
    const a = makeRng(1);
    a.fork("b");
    expect(() => makeRng(1).family.restore(a.family.save())).to.throw(/2 generators cannot restore a family of 1/);
  });
});
