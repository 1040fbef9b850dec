import { expect } from "chai";
import fc from "fast-check";
import { compareVv, dominates, EMPTY_VV, incrementVv, mergeVv, reconcile, type VersionVector } from "../../lib/protocols/shared/versionVector.js";
import { buildMerkle, diffMerkle } from "../../lib/protocols/leaderless/merkle.js";

const vv = (): fc.Arbitrary<VersionVector> => fc.dictionary(fc.constantFrom("n1", "n2", "n3", "n4"), fc.nat({ max: 5 }));
const RUNS = { seed: 42, numRuns: 300 };
const flip = { before: "after", after: "before", equal: "equal", concurrent: "concurrent" } as const;

describe("version vectors (Parker et al. 1983; Dynamo §4.4) — comparison laws (fast-check, fixed seed)", () => {
  it("antisymmetry: compare(a, b) is the mirror of compare(b, a)", () => {
    fc.assert(fc.property(vv(), vv(), (a, b) => compareVv(a, b) === flip[compareVv(b, a)]), RUNS);
  });

  it("reflexivity: every vector equals itself; missing entries count as 0", () => {
    fc.assert(fc.property(vv(), (a) => compareVv(a, a) === "equal" && compareVv(a, { ...a, zz: 0 }) === "equal"), RUNS);
  });

  it("transitivity of happened-before: a < b and b < c imply a < c", () => {
    fc.assert(fc.property(vv(), vv(), vv(), (a, b, c) => {
      if (compareVv(a, b) === "before" && compareVv(b, c) === "before") return compareVv(a, c) === "before";
      return true;
    }), RUNS);
  });

  it("merge is the least upper bound: it dominates both inputs and is dominated by any common upper bound", () => {
    fc.assert(fc.property(vv(), vv(), vv(), (a, b, c) => {
      const m = mergeVv(a, b);
      const upper = dominates(c, a) && dominates(c, b);
      return dominates(m, a) && dominates(m, b) && (!upper || dominates(c, m));
    }), RUNS);
  });

  it("merge is commutative, associative and idempotent", () => {
    fc.assert(fc.property(vv(), vv(), vv(), (a, b, c) =>
      compareVv(mergeVv(a, b), mergeVv(b, a)) === "equal" &&
      compareVv(mergeVv(mergeVv(a, b), c), mergeVv(a, mergeVv(b, c))) === "equal" &&
      compareVv(mergeVv(a, a), a) === "equal"), RUNS);
  });

  it("increment makes a strict successor: a happened before increment(a, n)", () => {
    fc.assert(fc.property(vv(), fc.constantFrom("n1", "n2", "n9"), (a, n) => compareVv(a, incrementVv(a, n)) === "before"), RUNS);
  });

  it("two increments of the same vector at different nodes are concurrent (the sibling case)", () => {
    fc.assert(fc.property(vv(), (a) => compareVv(incrementVv(a, "n1"), incrementVv(a, "n2")) === "concurrent"), RUNS);
  });

  it("reconcile keeps exactly the maximal versions: none of them dominates another, and every dropped one is dominated", () => {
    fc.assert(fc.property(fc.array(vv(), { maxLength: 6 }), (list) => {
      const kept = reconcile(list, (x) => x);
      const pairwiseOk = kept.every((a, i) => kept.every((b, j) => i === j || compareVv(a, b) === "concurrent"));
      const droppedOk = list.every((x) => kept.some((k) => dominates(k, x)));
      return pairwiseOk && droppedOk;
    }), RUNS);
  });

  it("the empty vector happened before any vector with a positive entry", () => {
    expect(compareVv(EMPTY_VV, { n1: 1 })).to.equal("before");
    expect(compareVv({ n1: 2, n2: 0 }, { n1: 1, n2: 1 })).to.equal("concurrent");
  });
});

describe("Merkle trees for anti-entropy (Dynamo §4.7)", () => {
  const entries = Array.from({ length: 1000 }, (_, i) => [`k${i}`, `v${i}`] as const);

  it("identical data: one hash compared at the root, nothing to exchange", () => {
    const d = diffMerkle(buildMerkle(entries, 8), buildMerkle([...entries].reverse(), 8));
    expect(d).to.deep.equal({ hashesExchanged: 1, rounds: 1, differingLeaves: [] });
  });

  it("one differing key: exactly one leaf differs, found with 2 hashes per level below the root", () => {
    const changed = entries.map(([k, v]) => (k === "k500" ? ([k, "other"] as const) : ([k, v] as const)));
    const d = diffMerkle(buildMerkle(entries, 8), buildMerkle(changed, 8));
    expect(d.differingLeaves).to.have.length(1);
    expect(d.hashesExchanged).to.equal(1 + 2 * 8);
  });

  it("a key missing on one side is found like a changed one", () => {
    const d = diffMerkle(buildMerkle(entries, 6), buildMerkle(entries.slice(1), 6));
    expect(d.differingLeaves).to.have.length(1);
  });
});
