import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";

/** Every .ts file under a folder of lib/. */
function sources(dir: string): string[] {
  const root = path.join("lib", dir);
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts")).map((f) => path.join(root, f));
}

/** Code without comments, so that prose about what is forbidden does not count. */
function code(file: string): string {
  return fs.readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
}

describe("the simulation stays deterministic and pure (DESIGN.md, STYLE.md)", () => {
  const core = ["sim", "protocols", "balancing", "workload", "history", "checkers", "metrics", "durability", "pbs"].flatMap(sources);

  it("finds the core's files", () => {
    expect(core.length).to.be.greaterThan(20);
  });

  it("never reads the wall clock or an unseeded random source in the core", () => {
    const banned = /Math\.random|Date\.now|performance\.now|new Date\(/;
    const offenders = core.filter((f) => banned.test(code(f)));
    expect(offenders).to.deep.equal([]);
  });

  it("never touches files or the kernel from the core", () => {
    const banned = /from\s+["'](node:)?(fs|fs\/promises|child_process)["']|from\s+["']tslab/;
    const offenders = core.filter((f) => banned.test(code(f)));
    expect(offenders).to.deep.equal([]);
  });

  it("talks to the kernel from one module only: lib/charts/display.ts", () => {
    const all = fs.readdirSync("lib", { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts")).map((f) => path.join("lib", f));
    // Any code (not comment) naming the tslab package counts: import, require, module-cache lookups.
    const kernel = all.filter((f) => /\btslab\b/.test(code(f)));
    expect(kernel).to.deep.equal([path.join("lib", "charts", "display.ts")]);
  });
});

describe("every library module links back to the notebook that introduces it (STYLE.md)", () => {
  const all = fs.readdirSync("lib", { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts") && f !== "index.ts").map((f) => path.join("lib", f));
  it("names an existing notebook in each module's header", () => {
    const notebooks = new Set(fs.readdirSync("notebooks"));
    const missing = all.filter((f) => {
      const names = fs.readFileSync(f, "utf8").match(/notebooks\/([\w.-]+\.ipynb)/g) ?? [];
      return names.length === 0 || !names.some((n) => notebooks.has(n.slice("notebooks/".length)));
    });
    expect(missing).to.deep.equal([]);
  });
});
