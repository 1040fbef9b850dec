/**
 * `npm run test:notebooks`: every notebook executed headlessly through the real kernel.
 *
 *   node scripts/test-notebooks.mjs [notebooks/NAME.ipynb ...]   (default: notebooks/*.ipynb)
 *
 * 1. builds the student copies (scripts/student.mjs, into build/student/notebooks/);
 * 2. runs the instructor notebooks with --expect-checks full: no cell may fail and every
 *    exercise check must score full marks; executed copies go to build/executed/notebooks/,
 *    where `npm run figures` reads their display outputs;
 * 3. runs the student copies with --expect-checks failing: they must run without errors and
 *    every exercise check must score below full marks (executed copies: build/executed/student/);
 * 4. checks the claims of the course notebooks (scripts/claims.ts): every number the prose
 *    cites agrees with the value its cell computed and with test/golden/claims/.
 * Two notebooks run at a time (two cores, one kernel each). Exits 1 if anything failed.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import {
  EXECUTED_DIR,
  NOTEBOOKS_DIR,
  ROOT,
  STUDENT_NOTEBOOKS_DIR,
  VENV_PYTHON,
  jupyterEnv,
  requireVenv,
} from "./project-paths.mjs";

const JOBS = "2";
const RUNNER = path.join(ROOT, "scripts", "run_notebooks.py");

/** Runs run_notebooks.py, echoing its output, and resolves with its exit code and pass/fail counts. */
function runNotebooks(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(VENV_PYTHON, [RUNNER, "--jobs", JOBS, ...args], { cwd: ROOT, env: jupyterEnv(), stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const summary = /^notebooks: (\d+) passed, (\d+) failed$/m.exec(output);
      resolve({ code, passed: summary ? Number(summary[1]) : 0, failed: summary ? Number(summary[2]) : 1 });
    });
  });
}

async function main() {
  requireVenv("npm run test:notebooks");
  const chosen = process.argv.slice(2).filter((a) => a !== "--");
  const instructor = chosen.length
    ? chosen.map((f) => path.resolve(f))
    : fs.existsSync(NOTEBOOKS_DIR)
      ? fs.readdirSync(NOTEBOOKS_DIR).filter((f) => f.endsWith(".ipynb")).sort().map((f) => path.join(NOTEBOOKS_DIR, f))
      : [];
  if (instructor.length === 0) {
    console.log("test:notebooks: no notebooks in notebooks/ yet; nothing to run.");
    return 0;
  }

  const built = spawnSync(process.execPath, [path.join(ROOT, "scripts", "student.mjs"), ...(chosen.length ? instructor : [])], {
    cwd: ROOT,
    stdio: "inherit",
  });
  if (built.status !== 0) {
    console.error("test:notebooks: could not build the student copies (see above).");
    return 1;
  }
  const student = instructor.map((f) => path.join(STUDENT_NOTEBOOKS_DIR, path.basename(f)));

  if (!chosen.length) {
    // A full run replaces the executed copies, so none of a deleted or renamed notebook lingers for `npm run figures`.
    for (const dir of ["notebooks", "student"]) fs.rmSync(path.join(EXECUTED_DIR, dir), { recursive: true, force: true });
  }
  const started = process.hrtime.bigint();
  console.log(`\nInstructor notebooks (every exercise check must pass):`);
  const full = await runNotebooks(["--expect-checks", "full", "--out", path.join(EXECUTED_DIR, "notebooks"), ...instructor]);
  console.log(`\nStudent copies (must run cleanly; every exercise check must fail on the stubs):`);
  const failing = await runNotebooks(["--expect-checks", "failing", "--out", path.join(EXECUTED_DIR, "student"), ...student]);

  // The numbers the prose cites against what the cells computed, and against the golden files.
  const course = instructor.filter((f) => path.dirname(f) === NOTEBOOKS_DIR);
  let claims = { code: 0, passed: 0, failed: 0 };
  if (course.length) {
    console.log(`\nClaims (every number the prose cites agrees with the cell that computes it):`);
    const ran = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "claims.ts"), ...course], { cwd: ROOT, encoding: "utf8" });
    process.stdout.write(ran.stdout ?? "");
    process.stderr.write(ran.stderr ?? "");
    const summary = /^claims: (\d+) passed, (\d+) failed$/m.exec(ran.stdout ?? "");
    claims = { code: ran.status ?? 1, passed: summary ? Number(summary[1]) : 0, failed: summary ? Number(summary[2]) : 1 };
  }

  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const passed = full.passed + failing.passed + claims.passed;
  const failed = full.failed + failing.failed + claims.failed;
  console.log(`\nExecuted notebooks are in ${path.relative(ROOT, EXECUTED_DIR)}/ (${seconds.toFixed(1)} s).`);
  console.log(`notebooks: ${passed} passed, ${failed} failed`);
  return full.code === 0 && failing.code === 0 && claims.code === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`test:notebooks: ${error.stack ?? error}`);
    process.exit(1);
  },
);
