/**
 * `npm run figures`: taking the Vega-Lite specs out of an executed notebook and rendering
 * them to SVG and PNG, byte-identical from one run to the next.
 *
 * The fixture test/fixtures/figures/executed-notebook.json is a hand-made executed notebook
 * (nbformat 4, as scripts/run_notebooks.py writes it) with three charts among other outputs.
 */
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { extractFigures, fileSafeName } from "../lib/charts/index.js";
import { ConfigError } from "../lib/errors.js";
import { runFigures, writeFigures } from "../scripts/figures.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixturePath = path.join(here, "fixtures", "figures", "executed-notebook.json");
const loadFixture = (): { cells: { outputs?: { data?: Record<string, unknown> }[] }[] } => JSON.parse(fs.readFileSync(fixturePath, "utf8"));

/** Every file under `dir`, relative path → bytes. */
function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), fs.readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

describe("extractFigures", function () {
  it("finds the Vega-Lite v5 specs of display outputs, in cell and output order", function () {
    const figures = extractFigures(loadFixture());
    expect(figures.map((f) => [f.nn, f.file, f.cell])).to.deep.equal([
      [1, "01-line_replication_lag", 2],
      [2, "02-bar_lost_writes", 3],
      [3, "03-chart", 5],
    ]);
    expect((figures[1].spec as { title: string }).title).to.equal("Writes lost by a crash");
  });

  it("ignores streams, HTML tables and plain results", function () {
    const nb = loadFixture();
    const outputs = nb.cells.flatMap((c) => c.outputs ?? []);
    expect(outputs.length).to.be.greaterThan(3);
    expect(extractFigures(nb)).to.have.length(3);
  });

  it("reads a spec stored as a JSON string", function () {
    const nb = loadFixture();
    const out = nb.cells[2].outputs![0];
    out.data!["application/vnd.vegalite.v5+json"] = JSON.stringify(out.data!["application/vnd.vegalite.v5+json"]);
    expect(extractFigures(nb)[0].name).to.equal("line_replication_lag");
  });

  it("refuses JSON that is not a notebook, naming the field", function () {
    try {
      extractFigures({ nbformat: 4 });
      expect.fail("no error");
    } catch (e) {
      expect(e).to.be.instanceOf(ConfigError);
      expect((e as ConfigError).field).to.equal("notebook.cells");
    }
  });

  it("makes spec names safe as file names", function () {
    expect(fileSafeName("line_replication_lag")).to.equal("line_replication_lag");
    const escaped = fileSafeName("../../etc/passwd");
    expect(escaped).not.to.match(/[\\/]/);
    expect(escaped.startsWith(".")).to.equal(false);
    expect(fileSafeName("a chart/1")).to.equal("a_chart_1");
    expect(fileSafeName(undefined)).to.equal("chart");
  });
});

describe("writeFigures", function () {
  this.timeout(30000);
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "figures-test-"));
  });
  afterEach(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("writes <stem>/<NN>-<name>.svg and .png for every chart, rendered by lib/charts (not the notebook's SVG)", async function () {
    const { files, perNotebook } = await writeFigures([{ stem: "01-durability", notebook: loadFixture() }], tmp);
    expect(perNotebook).to.deep.equal({ "01-durability": 3 });
    expect(files).to.deep.equal([
      "01-durability/01-line_replication_lag.svg",
      "01-durability/01-line_replication_lag.png",
      "01-durability/02-bar_lost_writes.svg",
      "01-durability/02-bar_lost_writes.png",
      "01-durability/03-chart.svg",
      "01-durability/03-chart.png",
    ]);
    const svg = fs.readFileSync(path.join(tmp, "01-durability", "01-line_replication_lag.svg"), "utf8");
    expect(svg).to.contain("Replication lag").and.contain("lag (ms)");
    expect(svg).not.to.contain("not used");
    const png = fs.readFileSync(path.join(tmp, "01-durability", "02-bar_lost_writes.png"));
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join("")).to.equal("PNG");
  });

  it("running twice gives byte-identical files", async function () {
    const a = path.join(tmp, "a");
    const b = path.join(tmp, "b");
    await writeFigures([{ stem: "nb", notebook: loadFixture() }], a);
    await writeFigures([{ stem: "nb", notebook: loadFixture() }], b);
    const ta = readTree(a);
    const tb = readTree(b);
    expect([...ta.keys()]).to.deep.equal([...tb.keys()]);
    expect(ta.size).to.equal(6);
    for (const [name, bytes] of ta) expect(bytes.equals(tb.get(name)!), name).to.equal(true);
  });

  it("a changed spec gives different bytes", async function () {
    const changed = loadFixture();
    const spec = changed.cells[2].outputs![0].data!["application/vnd.vegalite.v5+json"] as { data: { values: { lag: number }[] } };
    spec.data.values[2].lag = 80;
    await writeFigures([{ stem: "a", notebook: loadFixture() }, { stem: "b", notebook: changed }], tmp);
    for (const ext of ["svg", "png"]) {
      const before = fs.readFileSync(path.join(tmp, "a", `01-line_replication_lag.${ext}`));
      const after = fs.readFileSync(path.join(tmp, "b", `01-line_replication_lag.${ext}`));
      expect(before.equals(after), ext).to.equal(false);
      // The other charts did not change.
      expect(fs.readFileSync(path.join(tmp, "a", `02-bar_lost_writes.${ext}`)).equals(fs.readFileSync(path.join(tmp, "b", `02-bar_lost_writes.${ext}`)))).to.equal(true);
    }
  });

  it("removes figures of a chart that is gone from the notebook", async function () {
    fs.mkdirSync(path.join(tmp, "nb"));
    fs.writeFileSync(path.join(tmp, "nb", "09-old_chart.svg"), "<svg/>");
    await writeFigures([{ stem: "nb", notebook: loadFixture() }], tmp);
    expect(fs.existsSync(path.join(tmp, "nb", "09-old_chart.svg"))).to.equal(false);
  });
});

describe("runFigures (npm run figures)", function () {
  this.timeout(30000);
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "figures-run-"));
  });
  afterEach(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("says so and exits 0 when there are no notebooks yet", async function () {
    const lines: string[] = [];
    const code = await runFigures({ notebooksDir: path.join(tmp, "notebooks"), outDir: path.join(tmp, "out"), log: (l) => lines.push(l) });
    expect(code).to.equal(0);
    expect(lines.join("\n")).to.match(/no notebooks/);
    expect(fs.existsSync(path.join(tmp, "out"))).to.equal(false);
  });

  it("with --no-execute renders the executed copies and prints a summary", async function () {
    const notebooks = path.join(tmp, "notebooks");
    const executed = path.join(tmp, "executed");
    fs.mkdirSync(notebooks);
    fs.mkdirSync(executed);
    fs.writeFileSync(path.join(notebooks, "00-getting-started.ipynb"), "{}");
    fs.copyFileSync(fixturePath, path.join(executed, "00-getting-started.ipynb"));
    const lines: string[] = [];
    const out = path.join(tmp, "figures");
    const code = await runFigures({ notebooksDir: notebooks, executedDir: executed, outDir: out, execute: false, log: (l) => lines.push(l) });
    expect(code).to.equal(0);
    expect(fs.readdirSync(path.join(out, "00-getting-started"))).to.have.length(6);
    expect(lines.join("\n")).to.match(/3 figures .* from 1 notebook/);
  });

  it("fails, naming the file, when a notebook has no executed copy", async function () {
    const notebooks = path.join(tmp, "notebooks");
    fs.mkdirSync(notebooks);
    fs.writeFileSync(path.join(notebooks, "01-durability.ipynb"), "{}");
    const lines: string[] = [];
    const code = await runFigures({ notebooksDir: notebooks, executedDir: path.join(tmp, "none"), outDir: path.join(tmp, "out"), execute: false, log: (l) => lines.push(l) });
    expect(code).to.equal(1);
    expect(lines.join("\n")).to.contain("01-durability.ipynb");
  });
});
