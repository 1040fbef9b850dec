/**
 * Where a well-kept library replaced hand-written code (issue 8 § 7): the results agree with
 * the definitions they replaced.
 */
import { expect } from "chai";
import { naturalCompare, naturalDistinct } from "../lib/charts/naturalOrder.js";
import { binomial, kStalenessMissProbability, quorumAvailability } from "../lib/pbs/closedForms.js";

describe("natural order by Intl.Collator (numeric, locale \"en\")", () => {
  it("orders numbers inside names by value, clients before nodes, and is total", () => {
    const names = ["n10", "n2", "c1", "n1", "c10", "c2", "n01", "N1"];
    const sorted = [...names].sort(naturalCompare);
    expect(sorted.indexOf("n2")).to.be.below(sorted.indexOf("n10"));
    expect(sorted.indexOf("c10")).to.be.below(sorted.indexOf("n1"));
    // "n01" and "n1" collate equal; code-unit order breaks the tie, the same on every machine.
    expect(naturalCompare("n01", "n1")).to.equal(-1);
    expect(naturalCompare("n1", "n01")).to.equal(1);
    for (const a of names) for (const b of names) expect(Math.sign(naturalCompare(a, b)), `${a} ${b}`).to.equal(-Math.sign(naturalCompare(b, a)));
    expect(naturalDistinct([{ x: 10 }, { x: 2 }, { x: 10 }], "x")).to.deep.equal([2, 10]);
  });
});

describe("binomial helpers from @stdlib", () => {
  /** The sum the library computed before: Σ_{up ≥ need} C(n, up) (1 − p)^up p^(n − up). */
  const bySum = (n: number, need: number, p: number): number => {
    let c = 1, total = 0;
    for (let up = 0; up <= n; up++) {
      if (up > 0) c = (c * (n - up + 1)) / up;
      if (up >= need) total += c * (1 - p) ** up * p ** (n - up);
    }
    return total;
  };

  it("C(n, k) is exact for small n and 0 outside 0 ≤ k ≤ n", () => {
    expect(binomial(5, 2)).to.equal(10);
    expect(binomial(30, 15)).to.equal(155117520);
    expect(binomial(5, 6)).to.equal(0);
    expect(binomial(5, -1)).to.equal(0);
  });

  it("quorum availability agrees with the explicit binomial sum to 1e-12 relative", () => {
    for (const [n, need, p] of [[3, 2, 0.01], [5, 3, 0.1], [7, 4, 0.3], [9, 9, 0.001], [4, 0, 0.5]] as const) {
      const want = bySum(n, need, p);
      expect(Math.abs(quorumAvailability(n, need, p) - want) / want, `${n} ${need} ${p}`).to.be.below(1e-12);
    }
  });

  it("k-staleness uses the same coefficients: C(2, 1) / C(3, 1) = 2/3 for N = 3, R = W = 1", () => {
    expect(kStalenessMissProbability(3, 1, 1)).to.be.closeTo(2 / 3, 1e-15);
    expect(kStalenessMissProbability(3, 1, 1, 2)).to.be.closeTo(4 / 9, 1e-15);
  });
});
