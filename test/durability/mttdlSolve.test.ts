/**
 * MTTDL's linear solve comes from ml-matrix (issue 8 § 7): it must agree with the Gaussian
 * elimination it replaced, kept here as the reference, to 1e-12 relative.
 */
import { expect } from "chai";
import { failureRatePerYear, mttdlYears } from "../../lib/durability/dataLoss.js";

/** The replaced code: Gauss–Jordan elimination with partial pivoting on Q_T · m = −1. */
function mttdlByElimination(copies: number, afr: number, rebuildHours: number): number {
  const k = copies;
  const lambda = failureRatePerYear(afr);
  const mu = (365.25 * 24) / rebuildHours;
  const a = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let down = 0; down < k; down++) {
    const fail = (k - down) * lambda;
    const repair = down * mu;
    if (down + 1 < k) a[down][down + 1] = fail;
    if (down > 0) a[down][down - 1] = repair;
    a[down][down] = -(fail + repair);
  }
  const b = new Array<number>(k).fill(-1);
  for (let col = 0; col < k; col++) {
    let pivot = col;
    for (let r = col + 1; r < k; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    [b[col], b[pivot]] = [b[pivot], b[col]];
    for (let r = 0; r < k; r++) {
      if (r === col) continue;
      const f = a[r][col] / a[col][col];
      for (let c = col; c < k; c++) a[r][c] -= f * a[col][c];
      b[r] -= f * b[col];
    }
  }
  return b[0] / a[0][0];
}

describe("MTTDL by ml-matrix's solve agrees with the elimination it replaced", () => {
  it("to 1e-12 relative over copies 1–6, AFR 0.1 %–30 %, rebuilds of 1 h to 6 weeks", () => {
    let worst = 0;
    for (const copies of [1, 2, 3, 4, 5, 6]) {
      for (const afr of [0.001, 0.0157, 0.05, 0.3]) {
        for (const rebuildHours of [1, 24, 168, 1000]) {
          const want = mttdlByElimination(copies, afr, rebuildHours);
          const got = mttdlYears({ copies, afr, rebuildHours });
          worst = Math.max(worst, Math.abs(got - want) / want);
        }
      }
    }
    expect(worst).to.be.below(1e-12);
  });
});
