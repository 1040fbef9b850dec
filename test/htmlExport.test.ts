/**
 * `npm run html` (scripts/export-html.mjs): an exported notebook loads nothing from the
 * internet. nbconvert's own template fetches MathJax and require.js from a CDN; ours serves
 * MathJax 3 from a copy beside the page and leaves require.js out. Needs the venv that
 * `npm install` creates.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

describe("HTML export works offline (scripts/export-html.mjs)", function () {
  this.timeout(120_000);
  let out = "";
  let html = "";

  before(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), "html-export-"));
    const nb = path.join(out, "math.ipynb");
    fs.writeFileSync(nb, JSON.stringify({
      cells: [{ cell_type: "markdown", id: "m1", metadata: {}, source: "# Math\nA majority is $\\lfloor n/2 \\rfloor + 1$." }],
      metadata: { kernelspec: { name: "replication-lab", display_name: "TypeScript (Replication Lab)", language: "typescript" } },
      nbformat: 4, nbformat_minor: 5,
    }));
    const run = spawnSync(process.execPath, [path.join(ROOT, "scripts", "export-html.mjs"), "--out", out, nb], { cwd: ROOT, encoding: "utf8" });
    expect(run.status, run.stdout + run.stderr).to.equal(0);
    html = fs.readFileSync(path.join(out, "math.html"), "utf8");
  });
  after(() => fs.rmSync(out, { recursive: true, force: true }));

  it("has no script, stylesheet or module loaded from http(s)", () => {
    expect(html).to.contain("lfloor");
    const external = [...html.matchAll(/<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["'](?:https?:)?\/\/[^"']*/gi)].map((m) => m[0]);
    expect(external).to.deep.equal([]);
    expect(html).not.to.match(/import\(\s*["']https?:/);
  });

  it("loads MathJax from the copy beside the page", () => {
    expect(html).to.match(/<script[^>]*src="mathjax\/tex-chtml\.js"/);
    expect(fs.existsSync(path.join(out, "mathjax", "tex-chtml.js"))).to.equal(true);
    expect(fs.readdirSync(path.join(out, "mathjax", "output", "chtml", "fonts")).length).to.be.above(0);
  });
});
