/**
 * `npm run figures`: every chart of every notebook, regenerated as SVG and PNG for lectures.
 *
 *   npm run figures                      execute notebooks/*.ipynb, then render their charts
 *   npm run figures -- --no-execute      render from the executed copies in build/executed/notebooks
 *   npm run figures -- NB.ipynb ...      only these notebooks
 *
 * Each notebook is executed through the real kernel by scripts/run_notebooks.py (executed
 * copies go to build/executed/notebooks/); the Vega-Lite specs its cells displayed are taken from those
 * copies and rendered by lib/charts (not the notebook's own SVG), to
 * build/figures/<notebook>/<NN>-<spec name>.svg and .png. Rendering is deterministic, so a
 * second run writes byte-identical files (test/figures.test.ts checks this).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { extractFigures, renderFigure } from "../lib/charts/figures.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const NOTEBOOKS_DIR = path.join(ROOT, "notebooks");
/**
 * Where executed notebooks are written: the folder `npm run test:notebooks` writes its
 * instructor copies to, so `--no-execute` right after `npm test` reuses them.
 */
const EXECUTED_DIR = path.join(ROOT, "build", "executed", "notebooks");
const FIGURES_DIR = path.join(ROOT, "build", "figures");
const VENV_PYTHON = path.join(ROOT, ".venv", process.platform === "win32" ? "Scripts/python.exe" : "bin/python");
const RUNNER = path.join(ROOT, "scripts", "run_notebooks.py");

/** An executed notebook to take figures from. */
export interface ExecutedNotebook {
  /** File name without `.ipynb`; names the output folder. */
  readonly stem: string;
  /** The parsed notebook JSON. */
  readonly notebook: unknown;
}

/** What `writeFigures` wrote. */
export interface FiguresWritten {
  /** Files written, relative to the output folder, in order. */
  readonly files: string[];
  /** Number of charts per notebook stem. */
  readonly perNotebook: Record<string, number>;
}

/**
 * Renders the charts of executed notebooks into `outDir/<stem>/<NN>-<name>.svg|png`. Each
 * notebook's folder is emptied first, so a chart removed from a notebook does not linger.
 */
export async function writeFigures(notebooks: readonly ExecutedNotebook[], outDir: string): Promise<FiguresWritten> {
  const files: string[] = [];
  const perNotebook: Record<string, number> = {};
  for (const { stem, notebook } of notebooks) {
    const figures = extractFigures(notebook);
    const dir = path.join(outDir, stem);
    fs.rmSync(dir, { recursive: true, force: true });
    perNotebook[stem] = figures.length;
    if (figures.length === 0) continue;
    fs.mkdirSync(dir, { recursive: true });
    for (const figure of figures) {
      const { svg, png } = await renderFigure(figure.spec);
      fs.writeFileSync(path.join(dir, `${figure.file}.svg`), svg);
      fs.writeFileSync(path.join(dir, `${figure.file}.png`), png);
      files.push(`${stem}/${figure.file}.svg`, `${stem}/${figure.file}.png`);
    }
  }
  return { files, perNotebook };
}

/** Options of `runFigures`; the defaults are the repository's folders. */
export interface RunFiguresOptions {
  readonly notebooks?: readonly string[];
  readonly notebooksDir?: string;
  readonly executedDir?: string;
  readonly outDir?: string;
  /** Skip execution and use the executed copies already in `executedDir`. */
  readonly execute?: boolean;
  readonly log?: (line: string) => void;
}

/** The whole command. Returns the process exit code. */
export async function runFigures(opts: RunFiguresOptions = {}): Promise<number> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const notebooksDir = opts.notebooksDir ?? NOTEBOOKS_DIR;
  const executedDir = opts.executedDir ?? EXECUTED_DIR;
  const outDir = opts.outDir ?? FIGURES_DIR;
  const sources =
    opts.notebooks !== undefined && opts.notebooks.length > 0
      ? opts.notebooks.map((p) => path.resolve(p))
      : fs.existsSync(notebooksDir)
        ? fs
            .readdirSync(notebooksDir)
            .filter((f) => f.endsWith(".ipynb"))
            .sort()
            .map((f) => path.join(notebooksDir, f))
        : [];
  if (sources.length === 0) {
    log(`figures: no notebooks in ${path.relative(ROOT, notebooksDir) || notebooksDir} yet; nothing to render.`);
    return 0;
  }
  for (const s of sources) {
    if (!fs.existsSync(s)) {
      log(`figures: ${s} does not exist.`);
      return 1;
    }
  }

  if (opts.execute !== false) {
    const code = executeNotebooks(sources, executedDir, log);
    if (code !== 0) return code;
  }

  const executed: ExecutedNotebook[] = [];
  for (const source of sources) {
    const stem = path.basename(source, ".ipynb");
    const file = path.join(executedDir, `${stem}.ipynb`);
    if (!fs.existsSync(file)) {
      log(`figures: no executed copy ${path.relative(ROOT, file)}; run without --no-execute.`);
      return 1;
    }
    executed.push({ stem, notebook: JSON.parse(fs.readFileSync(file, "utf8")) });
  }
  const { files, perNotebook } = await writeFigures(executed, outDir);
  for (const [stem, n] of Object.entries(perNotebook)) log(`  ${stem}: ${n} figure${n === 1 ? "" : "s"}`);
  const count = files.length / 2;
  log(`figures: ${count} figure${count === 1 ? "" : "s"} (SVG + PNG) from ${executed.length} notebook${executed.length === 1 ? "" : "s"} in ${path.relative(ROOT, outDir) || outDir}/`);
  return 0;
}

/** Executes notebooks through the real kernel with the project's runner. Returns its exit code. */
function executeNotebooks(sources: readonly string[], executedDir: string, log: (line: string) => void): number {
  if (!fs.existsSync(RUNNER)) {
    log("figures: scripts/run_notebooks.py is missing; it executes the notebooks.");
    return 1;
  }
  if (!fs.existsSync(VENV_PYTHON)) {
    log("figures: the project's Python environment (.venv) is missing. Run npm install first.");
    return 1;
  }
  fs.mkdirSync(executedDir, { recursive: true });
  log(`figures: executing ${sources.length} notebook${sources.length === 1 ? "" : "s"} through the kernel ...`);
  const jupyter = path.join(ROOT, ".jupyter");
  const result = spawnSync(VENV_PYTHON, [RUNNER, "--out", executedDir, ...sources], {
    cwd: ROOT,
    stdio: "inherit",
    env: {
      ...process.env,
      // The runner keeps Jupyter's state inside the project; these are its defaults, set
      // here only if the caller has not chosen other folders.
      JUPYTER_CONFIG_DIR: process.env.JUPYTER_CONFIG_DIR ?? path.join(jupyter, "config"),
      JUPYTER_DATA_DIR: process.env.JUPYTER_DATA_DIR ?? path.join(jupyter, "data"),
      JUPYTER_RUNTIME_DIR: process.env.JUPYTER_RUNTIME_DIR ?? path.join(jupyter, "runtime"),
    },
  });
  if (result.error !== undefined) {
    log(`figures: could not run the notebook runner: ${result.error.message}`);
    return 1;
  }
  if (result.status !== 0) {
    log("figures: a notebook failed to execute (see above); no figures written.");
    return result.status ?? 1;
  }
  return 0;
}

function parseArgs(argv: readonly string[]): RunFiguresOptions {
  const notebooks: string[] = [];
  let execute = true;
  for (const arg of argv) {
    if (arg === "--no-execute") execute = false;
    else if (arg === "--help" || arg === "-h") {
      console.log("usage: npm run figures [-- --no-execute] [NB.ipynb ...]");
      process.exit(0);
    } else if (arg.startsWith("-")) {
      console.error(`figures: unknown option ${arg}`);
      process.exit(2);
    } else notebooks.push(arg);
  }
  return { notebooks, execute };
}

// Run as a command (tsx scripts/figures.ts), not when imported by the tests.
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runFigures(parseArgs(process.argv.slice(2))).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
      process.exitCode = 1;
    },
  );
}
