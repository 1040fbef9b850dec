/**
 * The library's public surface (lib/index.ts) is curated: a name is there because a notebook
 * uses it, each group of names says what it is for, nothing is exported under a second name,
 * and tooling reaches everything else through lib/internal.ts.
 */
import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as publicEntry from "../lib/index.js";
import * as internalEntry from "../lib/internal.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const INDEX = fs.readFileSync(path.join(ROOT, "lib", "index.ts"), "utf8");

/**
 * Public values no notebook imports yet, each with the reason it is public. Keep this short:
 * anything else belongs behind lib/internal.ts.
 */
const PUBLIC_BEYOND_NOTEBOOKS: Record<string, string> = {
  ConfigError: "every validator throws it; a student's code catches it with instanceof",
  progress: "the progress bar for a student's own long-running cells",
};

function notebookImports(): Set<string> {
  const names = new Set<string>();
  for (const file of fs.readdirSync(path.join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb"))) {
    const nb = JSON.parse(fs.readFileSync(path.join(ROOT, "notebooks", file), "utf8")) as { cells: { cell_type: string; source: string | string[] }[] };
    for (const cell of nb.cells) {
      if (cell.cell_type !== "code") continue;
      const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
      for (const m of source.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*["']\.\/lib\/index\.js["']/g)) {
        for (const part of m[1]!.split(",")) {
          const name = part.trim().replace(/^type\s+/, "");
          if (name) names.add(name);
        }
      }
    }
  }
  return names;
}

describe("the library's public entry (lib/index.ts)", () => {
  it("exports only values some notebook imports, or a short documented list", () => {
    const used = notebookImports();
    const unused = Object.keys(publicEntry).filter((name) => !used.has(name) && !(name in PUBLIC_BEYOND_NOTEBOOKS));
    expect(unused, "move these to lib/internal.ts, or list them with a reason").to.deep.equal([]);
    for (const name of Object.keys(PUBLIC_BEYOND_NOTEBOOKS)) expect(name in publicEntry, `${name} is listed but not exported`).to.equal(true);
  });

  it("names each export once, by its own name: no `export *`, no aliases", () => {
    expect(INDEX).not.to.match(/export\s+\*/);
    const exportStatements = INDEX.match(/export\s+(?:type\s+)?\{[^}]*\}/g) ?? [];
    for (const statement of exportStatements) expect(statement, statement).not.to.match(/\bas\b/);
  });

  it("introduces every group of exports with a JSDoc line", () => {
    const blocks = INDEX.split(/\n\s*\n/).filter((b) => /^export\b/m.test(b));
    for (const block of blocks) expect(block.trimStart(), block.split("\n").find((l) => l.startsWith("export"))).to.match(/^\/\*\*/);
  });

  it("keeps the names exercises ask for out of the public entry, yet reachable by tooling through lib/internal.ts", () => {
    for (const name of ["admitToken", "atLeastAsUpToDate", "mergeEntries", "compareVv", "dominates", "expectedLostWritesInterval"]) {
      expect(name in publicEntry, `${name} in lib/index.ts`).to.equal(false);
      expect(name in internalEntry, `${name} in lib/internal.ts`).to.equal(true);
    }
  });

  it("no longer carries the dead exports leadersOf, datasetPath, logOf and lastEntry", () => {
    for (const name of ["leadersOf", "datasetPath", "logOf", "lastEntry"]) expect(name in internalEntry, name).to.equal(false);
  });
});
