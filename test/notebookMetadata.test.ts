/**
 * Every course notebook carries the metadata the kernel reports (scripts/kernel-info.cjs), so
 * opening and closing one in JupyterLab changes nothing and does not ask to save. A commit that
 * adds or edits a notebook without running scripts/normalize-notebooks.mjs fails here.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SCRIPT = path.join(ROOT, "scripts", "normalize-notebooks.mjs");
const check = (files: string[]) => spawnSync(process.execPath, [SCRIPT, "--check", ...files], { cwd: ROOT, encoding: "utf8" });

describe("notebook metadata matches what the kernel reports (scripts/normalize-notebooks.mjs)", () => {
  it("every notebook under notebooks/ is normalized (else: node scripts/normalize-notebooks.mjs)", () => {
    const done = check([]);
    expect(done.status, done.stderr).to.equal(0);
  });

  it("names the TypeScript that compiles the cells, not tslab's hard-coded 3.7.2", () => {
    const nb = JSON.parse(fs.readFileSync(path.join(ROOT, "notebooks", "00.00-Getting-Started.ipynb"), "utf8"));
    const tslabTs = JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", "@tslab", "typescript-for-tslab", "package.json"), "utf8"));
    expect(nb.metadata.language_info.version).to.equal(tslabTs.version);
    expect(nb.metadata.kernelspec.name).to.equal("replication-lab");
  });

  it("--check fails on a notebook with other metadata, and normalizing changes only its metadata", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nb-meta-"));
    try {
      const file = path.join(dir, "copy.ipynb");
      const nb = JSON.parse(fs.readFileSync(path.join(ROOT, "notebooks", "00.00-Getting-Started.ipynb"), "utf8"));
      nb.metadata.language_info = { name: "typescript", version: "3.7.2" };
      fs.writeFileSync(file, JSON.stringify(nb, null, 1) + "\n");
      const failed = check([file]);
      expect(failed.status).to.equal(1);
      expect(failed.stderr).to.contain("copy.ipynb");
      const fixed = spawnSync(process.execPath, [SCRIPT, file], { cwd: ROOT, encoding: "utf8" });
      expect(fixed.status, fixed.stderr).to.equal(0);
      const after = JSON.parse(fs.readFileSync(file, "utf8"));
      expect(after.cells).to.deep.equal(nb.cells);
      expect(after.metadata.language_info.version).to.not.equal("3.7.2");
      expect(check([file]).status).to.equal(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
