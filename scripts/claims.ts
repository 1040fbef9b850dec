/**
 * `npm run claims`: checks that every number a notebook's prose cites agrees with the value its
 * cells computed, and with the committed golden value.
 *
 *     npm run claims [-- [--update] [notebooks/NAME.ipynb ...]]     (default: every notebook)
 *
 * It reads the executed copies that `npm run test:notebooks` writes to build/executed/notebooks/
 * (the notebook runner stores what the cells recorded with `claim(name, value)` in each executed
 * notebook's metadata) and the golden files in test/golden/claims/<notebook>.json. It fails, naming
 * the notebook, the markdown cell, the claim, the cited value and the computed one, when:
 *
 * - a cited number does not round to the value its cell computed (scripts/claimRules.ts);
 * - a marker names a claim no cell recorded, or a recorded claim is cited nowhere;
 * - a computed value differs from the golden file (a change of behaviour: review it, then
 *   `npm run claims -- --update` rewrites the golden files and prints the diff);
 * - a number in prose is neither tied, nor marked `<!--src-->`, nor exempt (an untied number).
 *
 * `npm test` runs this check after executing the notebooks. Node-only tooling (scripts/).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { agrees, citationsIn, sameAsGolden, untiedNumbers } from "./claimRules.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const NOTEBOOKS = path.join(ROOT, "notebooks");
const EXECUTED = path.join(ROOT, "build", "executed", "notebooks");
export const GOLDEN_DIR = path.join(ROOT, "test", "golden", "claims");

interface NotebookCell {
  cell_type: string;
  source: string | string[];
}
interface NotebookJson {
  cells: NotebookCell[];
  metadata: { replication_lab?: { claims?: Record<string, number> } };
}

/** One notebook's problems, and the values it computed. Plain data. */
export interface NotebookReport {
  notebook: string;
  problems: string[];
  computed: Record<string, number>;
  cited: number;
}

const text = (cell: NotebookCell): string => (Array.isArray(cell.source) ? cell.source.join("") : cell.source);
const firstWords = (s: string): string => {
  const line = s.replace(/<!--.*?-->/g, "").split("\n").find((l) => l.trim()) ?? "";
  return line.length > 50 ? `${line.slice(0, 47).trim()}...` : line.trim();
};

/** Reads a golden file: the claims a notebook computed when they were last reviewed. */
export function readGolden(stem: string): Record<string, number> | null {
  const file = path.join(GOLDEN_DIR, `${stem}.json`);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, number>) : null;
}

/**
 * Checks one notebook: its markdown (from the source notebook), what its cells recorded (from
 * the executed copy) and the golden file. Pure apart from reading those three files.
 */
export function checkNotebook(notebookPath: string, executedPath: string, golden: Record<string, number> | null): NotebookReport {
  const notebook = path.relative(ROOT, notebookPath);
  const problems: string[] = [];
  const source = JSON.parse(fs.readFileSync(notebookPath, "utf8")) as NotebookJson;
  if (!fs.existsSync(executedPath)) {
    return { notebook, problems: [`no executed copy at ${path.relative(ROOT, executedPath)}: run \`node scripts/test-notebooks.mjs ${notebook}\` first`], computed: {}, cited: 0 };
  }
  const executed = JSON.parse(fs.readFileSync(executedPath, "utf8")) as NotebookJson;
  const computed = executed.metadata.replication_lab?.claims;
  if (computed === undefined) {
    return { notebook, problems: [`the executed copy records no claims: it did not run to the end (see the notebook test's output)`], computed: {}, cited: 0 };
  }
  const citedNames = new Set<string>();
  let cited = 0;
  source.cells.forEach((cell, i) => {
    if (cell.cell_type !== "markdown") return;
    const md = text(cell);
    const where = `markdown cell ${i + 1} ("${firstWords(md)}")`;
    for (const c of citationsIn(md)) {
      cited++;
      citedNames.add(c.name);
      const value = computed[c.name];
      if (c.cited === null) {
        problems.push(`${where}: the marker for claim ${c.name} follows no number ("...${c.context}"); put it right after the number`);
      } else if (value === undefined) {
        problems.push(`${where}: cites claim ${c.name} as ${c.cited.text}, but no cell recorded it; add claim("${c.name}", value) to the cell that computes it`);
      } else if (!agrees(c.cited, value)) {
        problems.push(`${where}: claim ${c.name} is cited as ${c.cited.text}, but the cell computed ${value} ("...${c.context}")`);
      }
    }
    for (const u of untiedNumbers(md)) {
      problems.push(`${where}: untied number ${u.number} ("...${u.context}..."); tie it with a claim, or mark a sourced number <!--src--> beside its citation`);
    }
  });
  for (const name of Object.keys(computed)) {
    if (!citedNames.has(name)) problems.push(`claim ${name} (computed ${computed[name]}) is cited by no markdown cell; cite it or stop recording it`);
  }
  if (golden === null) {
    problems.push(`no golden file test/golden/claims/${path.basename(notebookPath, ".ipynb")}.json; review the values, then run npm run claims -- --update`);
  } else {
    for (const [name, value] of Object.entries(computed)) {
      if (!(name in golden)) problems.push(`claim ${name} = ${value} is new (not in the golden file); review it, then npm run claims -- --update`);
      else if (!sameAsGolden(value, golden[name]!)) problems.push(`claim ${name} changed: golden ${golden[name]}, computed ${value} (a change of behaviour? review it, then npm run claims -- --update)`);
    }
    for (const name of Object.keys(golden)) if (!(name in computed)) problems.push(`claim ${name} is in the golden file but no cell recorded it`);
  }
  return { notebook, problems, computed, cited };
}

/** The lines of a diff between two golden files, for review. Pure. */
export function goldenDiff(before: Record<string, number> | null, after: Record<string, number>): string[] {
  const lines: string[] = [];
  const old = before ?? {};
  for (const name of Object.keys({ ...old, ...after }).sort()) {
    if (!(name in after)) lines.push(`- ${name}: ${old[name]}`);
    else if (!(name in old)) lines.push(`+ ${name}: ${after[name]}`);
    else if (!sameAsGolden(old[name]!, after[name]!)) lines.push(`~ ${name}: ${old[name]} → ${after[name]}`);
  }
  return lines;
}

function sorted(values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(values).sort().map((k) => [k, values[k]!]));
}

function main(argv: string[]): number {
  const update = argv.includes("--update");
  const chosen = argv.filter((a) => a !== "--update" && a !== "--");
  const notebooks = chosen.length
    ? chosen.map((f) => path.resolve(f))
    : fs.readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb")).sort().map((f) => path.join(NOTEBOOKS, f));
  let failed = 0;
  let passed = 0;
  for (const nb of notebooks) {
    const stem = path.basename(nb, ".ipynb");
    const executedPath = path.join(EXECUTED, path.basename(nb));
    const golden = readGolden(stem);
    const report = checkNotebook(nb, executedPath, update ? null : golden);
    if (update) {
      const changes = goldenDiff(golden, report.computed);
      if (Object.keys(report.computed).length > 0) {
        fs.mkdirSync(GOLDEN_DIR, { recursive: true });
        fs.writeFileSync(path.join(GOLDEN_DIR, `${stem}.json`), `${JSON.stringify(sorted(report.computed), null, 2)}\n`);
      }
      console.log(`${report.notebook}: golden file ${changes.length ? "updated" : "unchanged"}`);
      for (const line of changes) console.log(`  ${line}`);
      report.problems = report.problems.filter((p) => !p.startsWith("no golden file"));
    }
    if (report.problems.length === 0) {
      passed++;
      console.log(`PASS ${report.notebook} (${report.cited} cited numbers, ${Object.keys(report.computed).length} claims)`);
    } else {
      failed++;
      console.log(`FAIL ${report.notebook}: ${report.problems.length} problem(s)`);
      for (const p of report.problems) console.log(`  ${report.notebook}, ${p}`);
    }
  }
  console.log(`claims: ${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(main(process.argv.slice(2)));
}
