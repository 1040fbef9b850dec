/**
 * The notebook runner collects what the cells recorded with `claim(name, value)` into the
 * executed notebook's metadata (scripts/run_notebooks.py), and the claims check reads it from
 * there: a fixture notebook runs through the real kernel, then its claims are checked against a
 * golden value that agrees and one that does not. Needs the venv that `npm install` creates.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { checkNotebook } from "../scripts/claims.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PYTHON = path.join(ROOT, ".venv", process.platform === "win32" ? "Scripts/python.exe" : "bin/python");
const FIXTURE = path.join(ROOT, "test", "fixtures", "notebooks", "claims.ipynb");

describe("claims through the real kernel (scripts/run_notebooks.py)", function () {
  this.timeout(180_000);
  let out = "";
  let executed = "";

  before(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), "claims-run-"));
    const run = spawnSync(PYTHON, [path.join(ROOT, "scripts", "run_notebooks.py"), "--timeout", "120", "--out", out, FIXTURE], { cwd: ROOT, encoding: "utf8" });
    expect(run.status, run.stdout + run.stderr).to.equal(0);
    executed = path.join(out, "claims.ipynb");
  });
  after(() => fs.rmSync(out, { recursive: true, force: true }));

  it("stores the recorded claims in the executed notebook's metadata, and removes its own cell", () => {
    const nb = JSON.parse(fs.readFileSync(executed, "utf8")) as { cells: unknown[]; metadata: { replication_lab?: { claims?: unknown } } };
    expect(nb.metadata.replication_lab?.claims).to.deep.equal({ "fixture.answer": 42 });
    expect(nb.cells).to.have.length(2);
  });

  it("passes against a golden value that agrees and fails against one that does not", () => {
    expect(checkNotebook(FIXTURE, executed, { "fixture.answer": 42 }).problems).to.deep.equal([]);
    expect(checkNotebook(FIXTURE, executed, { "fixture.answer": 41 }).problems.join("\n")).to.match(/claim fixture\.answer changed: golden 41, computed 42/);
  });
});
