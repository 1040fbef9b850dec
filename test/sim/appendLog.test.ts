import { expect } from "chai";
import { append, emptyLog, slice, truncate } from "../../lib/sim/appendLog.js";

describe("AppendLog: a persistent log whose old versions never change", () => {
  it("appends in place to the newest version and shares the backing array", () => {
    const a = append(append(emptyLog<number>(), 1), 2);
    const b = append(a, 3);
    expect(slice(a)).to.deep.equal([1, 2]);
    expect(slice(b)).to.deep.equal([1, 2, 3]);
    expect(b.items).to.equal(a.items);
  });

  it("branches (copies) when an older version is appended to", () => {
    const a = append(append(emptyLog<string>(), "x"), "y");
    const b = append(a, "b-only");
    const c = append(a, "c-only");
    expect(slice(b)).to.deep.equal(["x", "y", "b-only"]);
    expect(slice(c)).to.deep.equal(["x", "y", "c-only"]);
    expect(c.items).to.not.equal(b.items);
  });

  it("keeps a truncated version apart from the entries that follow in the original", () => {
    const full = [1, 2, 3, 4].reduce((log, x) => append(log, x), emptyLog<number>());
    const cut = truncate(full, 2);
    const regrown = append(cut, 99);
    expect(slice(full)).to.deep.equal([1, 2, 3, 4]);
    expect(slice(regrown)).to.deep.equal([1, 2, 99]);
  });

  it("never lets two appends to the shared empty log see each other", () => {
    const a = append(emptyLog<number>(), 1);
    const b = append(emptyLog<number>(), 2);
    expect(slice(a)).to.deep.equal([1]);
    expect(slice(b)).to.deep.equal([2]);
  });
});
