/**
 * Notebook cells call `show` with `await` (lib/charts/display.ts): a chart shown without it is
 * rendered after its cell has finished, so headless runs and `npm run figures` lose it and a
 * bad spec fails no cell.
 */
import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const NOTEBOOKS = fileURLToPath(new URL("../notebooks", import.meta.url));

describe("notebook cells await show()", () => {
  for (const file of fs.readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb")).sort()) {
    it(file, () => {
      const nb = JSON.parse(fs.readFileSync(path.join(NOTEBOOKS, file), "utf8")) as { cells: { cell_type: string; source: string | string[] }[] };
      const bare: string[] = [];
      nb.cells.forEach((cell, i) => {
        if (cell.cell_type !== "code") return;
        const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
        for (const m of source.matchAll(/(^|[^\w.])show\(/gm)) {
          const before = source.slice(0, m.index! + m[1]!.length).trimEnd();
          if (!/\bawait$/.test(before) && !/\bfunction\s*$/.test(before)) bare.push(`cell ${i + 1}: ${source.slice(m.index!, m.index! + 40).trim()}`);
        }
      });
      expect(bare, "write `await show(...)`").to.deep.equal([]);
    });
  }
});
