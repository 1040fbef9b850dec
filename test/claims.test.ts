/**
 * The claims check (scripts/claimRules.ts, scripts/claims.ts): how cited numbers are read and
 * compared, which numbers in prose need a tie, and that a changed number fails naming the
 * notebook, the cell, the claim, the cited value and the computed one.
 */
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { claim, clearClaims, recordedClaims } from "../lib/claims/claim.js";
import { ConfigError } from "../lib/errors.js";
import { agrees, citationsIn, citedNumberAtEnd, sameAsGolden, untiedNumbers } from "../scripts/claimRules.js";
import { checkNotebook, goldenDiff } from "../scripts/claims.js";

describe("claims: reading a cited number", () => {
  it("reads integers, thousands separators, decimals, negatives, percent and ratios", () => {
    expect(citedNumberAtEnd("lost 68")).to.include({ value: 68, halfUnit: 0.5 });
    expect(citedNumberAtEnd("out of 7,305")).to.include({ value: 7305, halfUnit: 0.5 });
    expect(citedNumberAtEnd("a median of 3.2")).to.include({ value: 3.2 });
    expect(citedNumberAtEnd("a median of 3.2")!.halfUnit).to.be.closeTo(0.05, 1e-12);
    expect(citedNumberAtEnd("drift of −0.25")!.value).to.equal(-0.25);
    expect(citedNumberAtEnd("moved 13.8 %")).to.include({ value: 13.8, text: "13.8 %" });
    expect(citedNumberAtEnd("about 3.6×")).to.include({ value: 3.6, text: "3.6×" });
  });

  it("reads scientific notation and bare powers of ten", () => {
    const sci = citedNumberAtEnd("a chance of 8.87 × 10⁻¹¹")!;
    expect(sci.value).to.be.closeTo(8.87e-11, 1e-24);
    expect(sci.halfUnit).to.be.closeTo(0.005e-11, 1e-26);
    expect(citedNumberAtEnd("about 10⁻¹⁰")).to.include({ orderOfMagnitude: -10 });
  });

  it("finds no number where the prose has none", () => {
    expect(citedNumberAtEnd("the leader")).to.equal(null);
    expect(citedNumberAtEnd("")).to.equal(null);
  });
});

describe("claims: agreement is rounding at the precision the prose shows", () => {
  it("accepts a computed value that rounds to the cited one, and nothing further", () => {
    const c = citedNumberAtEnd("for 338")!;
    expect(agrees(c, 338.4)).to.equal(true);
    expect(agrees(c, 337.5)).to.equal(true);
    expect(agrees(c, 338.6)).to.equal(false);
    const d = citedNumberAtEnd("within 3.2")!;
    expect(agrees(d, 3.249)).to.equal(true);
    expect(agrees(d, 3.26)).to.equal(false);
    const sci = citedNumberAtEnd("8.87 × 10⁻¹¹")!;
    expect(agrees(sci, 8.8713e-11)).to.equal(true);
    expect(agrees(sci, 8.9e-11)).to.equal(false);
    const oom = citedNumberAtEnd("about 10⁻¹⁰")!;
    expect(agrees(oom, 2.9e-10)).to.equal(true);
    expect(agrees(oom, 8.87e-11)).to.equal(true);
    expect(agrees(oom, 4e-12)).to.equal(false);
    expect(agrees(c, Number.NaN)).to.equal(false);
  });

  it("compares with the golden value to a relative 1e-9", () => {
    expect(sameAsGolden(0.1 + 0.2, 0.3)).to.equal(true);
    expect(sameAsGolden(113, 238)).to.equal(false);
  });
});

describe("claims: markers in markdown", () => {
  it("pairs each marker with the number just before it, through bold markup", () => {
    const cs = citationsIn("two leaders for 338<!--claim:naive.splitMs--> ms and **68**<!--claim:naive.lost--> lost");
    expect(cs.map((c) => [c.name, c.cited?.value])).to.deep.equal([["naive.splitMs", 338], ["naive.lost", 68]]);
  });

  it("reports a marker that follows no number", () => {
    expect(citationsIn("the leader<!--claim:x.y-->")[0]!.cited).to.equal(null);
  });
});

describe("claims: untied numbers", () => {
  it("flags a bare number in prose", () => {
    expect(untiedNumbers("every one of the 68 writes is gone").map((u) => u.number)).to.deep.equal(["68"]);
  });

  it("accepts tied and sourced numbers", () => {
    expect(untiedNumbers("the 68<!--claim:a.b--> writes; Linux writes back after 30<!--src--> s (its docs)")).to.deep.equal([]);
    expect(untiedNumbers("moved 13.8 %<!--claim:ring.moved--> and 8.87 × 10⁻¹¹<!--claim:loss.p-->")).to.deep.equal([]);
  });

  it("sets aside code, math, links, ids, references, years and list numbering", () => {
    const md = [
      "# 02.00 · Split brain",
      "## 3. The experiment",
      "1. first `n1 = 300` and $1 - 0.99^{100}$ [paper](https://x.org/p/42)",
      "Node n1, client c2, p99.9 latency, YCSB-A, 3f replicas, §5.4.1, Figure 2, ch. 8, Exercise 5.2, notebook 03, Bailis et al. 2012.",
      "<details><summary>Hint 1</summary>x</details>",
    ].join("\n");
    expect(untiedNumbers(md)).to.deep.equal([]);
  });

  it("shows the prose around an untied number as written", () => {
    const [u] = untiedNumbers("`n1` acknowledged 67 writes");
    expect(u!.context).to.contain("`n1` acknowledged 67");
  });
});

describe("claims: the registry", () => {
  afterEach(clearClaims);

  it("records, replaces and lists claims by name", () => {
    expect(claim("b.x", 2)).to.equal(2);
    claim("a.y", 1);
    claim("b.x", 3);
    expect(recordedClaims()).to.deep.equal({ "a.y": 1, "b.x": 3 });
  });

  it("refuses a malformed name or a value that is not a finite number", () => {
    expect(() => claim("Bad name", 1)).to.throw(ConfigError, /claim name/);
    expect(() => claim("a.b", Number.NaN)).to.throw(ConfigError, /finite number/);
  });
});

describe("claims: checking a notebook", () => {
  let dir: string;
  const write = (name: string, cells: { cell_type: string; source: string }[], claims?: Record<string, number>): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify({ cells, metadata: claims ? { replication_lab: { claims } } : {} }));
    return file;
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "claims-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const cells = [
    { cell_type: "markdown", source: "# 09.00 · Test\n" },
    { cell_type: "code", source: 'claim("naive.lost", lost);' },
    { cell_type: "markdown", source: "All 68<!--claim:naive.lost--> writes are lost." },
  ];

  it("passes when prose, cells and golden file agree", () => {
    const nb = write("src.ipynb", cells);
    const run = write("run.ipynb", cells, { "naive.lost": 68 });
    expect(checkNotebook(nb, run, { "naive.lost": 68 }).problems).to.deep.equal([]);
  });

  it("fails on a changed number, naming the cell, the claim, the cited value and the computed one", () => {
    const nb = write("src.ipynb", cells);
    const run = write("run.ipynb", cells, { "naive.lost": 55 });
    const problems = checkNotebook(nb, run, { "naive.lost": 68 }).problems;
    expect(problems[0]).to.match(/markdown cell 3 \("All 68 writes are lost\."\): claim naive\.lost is cited as 68, but the cell computed 55/);
    expect(problems[1]).to.match(/claim naive\.lost changed: golden 68, computed 55/);
  });

  it("fails on an uncited claim, an unrecorded citation and a missing golden file", () => {
    const nb = write("src.ipynb", cells);
    const run = write("run.ipynb", cells, { "naive.lost": 68, "extra.one": 1 });
    const problems = checkNotebook(nb, run, null).problems.join("\n");
    expect(problems).to.match(/claim extra\.one \(computed 1\) is cited by no markdown cell/);
    expect(problems).to.match(/no golden file/);
    const bare = write("bare.ipynb", cells, {});
    expect(checkNotebook(nb, bare, {}).problems.join("\n")).to.match(/no cell recorded it/);
  });

  it("fails when the notebook did not run", () => {
    const nb = write("src.ipynb", cells);
    expect(checkNotebook(nb, path.join(dir, "missing.ipynb"), {}).problems[0]).to.match(/no executed copy/);
    const noClaims = write("run.ipynb", cells);
    expect(checkNotebook(nb, noClaims, {}).problems[0]).to.match(/records no claims/);
  });

  it("prints a reviewable diff of golden values", () => {
    expect(goldenDiff({ a: 1, b: 2 }, { b: 3, c: 4 })).to.deep.equal(["- a: 1", "~ b: 2 → 3", "+ c: 4"]);
  });
});
