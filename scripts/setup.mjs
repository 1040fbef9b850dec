/**
 * One-command set-up, run by `npm install` (postinstall): a project-local Python venv with
 * JupyterLab and the notebook runner, the TypeScript kernel registered inside that venv only,
 * and the library compiled for that kernel (build/kernel-lib/, see scripts/build-lib.cjs).
 *
 * Safe to run again: every step checks whether it is already done (the pip step compares a stamp
 * of the pinned requirements), so a second run takes about a second.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import libBuild from "./build-lib.cjs";
import {
  JUPYTER_DIR,
  KERNEL_DIR,
  KERNEL_DISPLAY_NAME,
  ROOT,
  VENV_DIR,
  VENV_JUPYTER,
  VENV_PYTHON,
} from "./project-paths.mjs";

/** Pinned Python packages: JupyterLab for `npm run lab`, nbclient/nbconvert for the notebook tests. */
const REQUIREMENTS = ["jupyterlab==4.6.4", "nbclient==0.11.0", "nbconvert==7.17.1"];
const MIN_PYTHON = [3, 9];
const STAMP_FILE = path.join(VENV_DIR, "replication-lab-setup.json");
const PYTHON = process.env.PYTHON || "python3";

function step(message) {
  console.log(`[setup] ${message}`);
}

function fail(message) {
  console.error(`[setup] ERROR: ${message}`);
  process.exit(1);
}

/** Runs a command, returning {status, stdout, stderr}; never throws. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: "utf8", ...options });
  return {
    status: result.error ? null : result.status,
    error: result.error,
    stdout: result.stdout ?? "",
    stderr: result.stderr ?? "",
  };
}

/** Checks that python3 exists, is new enough and can make a venv; returns its version string. */
function checkPython() {
  const probe = run(PYTHON, ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"]);
  if (probe.status !== 0) {
    fail(
      `${PYTHON} was not found or does not run. Install Python ${MIN_PYTHON.join(".")}+ with its venv module ` +
        "(Debian/Ubuntu: apt-get install python3 python3-venv; macOS: brew install python), " +
        "or point the PYTHON environment variable at one.",
    );
  }
  const version = probe.stdout.trim();
  const [major, minor] = version.split(".").map(Number);
  if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
    fail(`${PYTHON} is ${version}; JupyterLab needs ${MIN_PYTHON.join(".")} or newer. Install a newer python3.`);
  }
  // Debian splits venv/ensurepip into a separate package; without it `python3 -m venv` fails late.
  const venvModule = run(PYTHON, ["-c", "import venv, ensurepip"]);
  if (venvModule.status !== 0) {
    fail(
      `${PYTHON} ${version} has no working venv module. Install it ` +
        `(Debian/Ubuntu: apt-get install python3-venv, or python${major}.${minor}-venv) and run npm install again.`,
    );
  }
  return version;
}

/** True when .venv holds a Python that still runs (a python upgrade can break an old venv). */
function venvPythonWorks() {
  return fs.existsSync(VENV_PYTHON) && run(VENV_PYTHON, ["-c", "import sys"]).status === 0;
}

function createVenv() {
  if (venvPythonWorks()) {
    step("Python venv .venv exists");
    return false;
  }
  if (fs.existsSync(VENV_DIR)) {
    step("Python venv .venv is broken; recreating it");
    fs.rmSync(VENV_DIR, { recursive: true, force: true });
  } else {
    step("creating Python venv .venv");
  }
  const made = run(PYTHON, ["-m", "venv", VENV_DIR], { stdio: ["ignore", "inherit", "inherit"] });
  if (made.status !== 0 || !venvPythonWorks()) {
    fail(`could not create the venv with "${PYTHON} -m venv .venv". On Debian/Ubuntu: apt-get install python3-venv.`);
  }
  return true;
}

function wantedStamp(pythonVersion) {
  return JSON.stringify({ python: pythonVersion, requirements: REQUIREMENTS }, null, 2) + "\n";
}

function installRequirements() {
  // The venv's own interpreter, which can differ from python3 when an old venv is reused.
  const venvVersion = run(VENV_PYTHON, ["-c", "import sys; print(sys.version.split()[0])"]).stdout.trim();
  const stamp = wantedStamp(venvVersion);
  const current = fs.existsSync(STAMP_FILE) ? fs.readFileSync(STAMP_FILE, "utf8") : "";
  if (current === stamp && fs.existsSync(VENV_JUPYTER)) {
    step(`Python packages up to date (${REQUIREMENTS.join(", ")})`);
    return;
  }
  step(`installing ${REQUIREMENTS.join(", ")} into .venv (about 20 s)`);
  const started = process.hrtime.bigint();
  const pip = run(
    VENV_PYTHON,
    ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--progress-bar", "off", ...REQUIREMENTS],
    {
      // Captured, and shown only if pip fails: a healthy install is one progress line, not pages.
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
      // An unreachable package index makes pip retry with back-off for minutes per package;
      // failing at once is better, here and on CI (see TOOLCHAIN.md).
      env: { ...process.env, PIP_RETRIES: "0", PIP_DISABLE_PIP_VERSION_CHECK: "1" },
    },
  );
  if (pip.status !== 0) {
    const output = `${pip.stdout}${pip.stderr}`.trimEnd().split("\n");
    console.error(output.slice(-40).join("\n"));
    fail("pip could not install the Python packages (see pip's message above). Check your network or pip config and run npm install again.");
  }
  fs.writeFileSync(STAMP_FILE, stamp);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  step(`installed Python packages in ${seconds.toFixed(1)} s`);
}

/** Writes `file` only when its content differs; returns whether it wrote. */
function writeIfChanged(file, content) {
  if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === content) return false;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return true;
}

function registerKernel() {
  const tslabMain = path.join(ROOT, "node_modules", "tslab", "dist", "main.js");
  if (!fs.existsSync(tslabMain)) {
    fail("node_modules/tslab is missing; run npm install (not only this script).");
  }
  // Absolute paths are fine here: the kernelspec lives in the ignored .venv of this checkout
  // and is rewritten by every npm install.
  const spec = {
    argv: [process.execPath, path.join(ROOT, "scripts", "kernel.cjs"), "{connection_file}"],
    display_name: KERNEL_DISPLAY_NAME,
    language: "typescript",
    interrupt_mode: "signal",
    metadata: { debugger: false },
  };
  const changed = writeIfChanged(path.join(KERNEL_DIR, "kernel.json"), JSON.stringify(spec, null, 2) + "\n");
  step(`${changed ? "registered" : "kept"} kernel "${KERNEL_DISPLAY_NAME}" in .venv/share/jupyter/kernels`);
}

function finishVenv() {
  // With "type": "module" in our package.json, Node would treat JupyterLab's own helper .js
  // scripts inside .venv as ES modules and they fail with "require is not defined".
  writeIfChanged(path.join(VENV_DIR, "package.json"), JSON.stringify({ type: "commonjs" }) + "\n");
  // JupyterLab's default settings for this venv: the course runs offline, so neither ask about
  // nor fetch Jupyter news and update checks (a pop-up on every first start otherwise).
  const overrides = { "@jupyterlab/apputils-extension:notification": { fetchNews: "false", checkForUpdates: false } };
  writeIfChanged(path.join(VENV_DIR, "share", "jupyter", "lab", "settings", "overrides.json"), JSON.stringify(overrides, null, 2) + "\n");
  for (const dir of ["config", "data", "runtime"]) {
    fs.mkdirSync(path.join(JUPYTER_DIR, dir), { recursive: true });
  }
}

/**
 * Compiles lib/ for the notebook kernel (scripts/build-lib.cjs), so the first cell loads it in
 * well under a second. The kernel recompiles by itself when lib/ changes later; a library that
 * does not compile is not fatal here: the kernel then loads its sources and shows the errors.
 */
function buildLibrary() {
  const result = libBuild.ensureLibBuild({ root: ROOT, log: (m) => step(m) });
  if (result.error) {
    console.error(result.error.split("\n").slice(0, 20).join("\n"));
    step("WARNING: lib/ does not compile (errors above); notebooks will load its sources and show them.");
    return;
  }
  const where = path.relative(ROOT, result.dir);
  step(result.built ? `compiled the library for the kernel in ${result.seconds.toFixed(1)} s (${where})` : `library build is current (${where})`);
}

function main() {
  const started = process.hrtime.bigint();
  const pythonVersion = checkPython();
  step(`using ${PYTHON} ${pythonVersion}`);
  createVenv();
  installRequirements();
  finishVenv();
  registerKernel();
  buildLibrary();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  step(`done in ${seconds.toFixed(1)} s. Next: npm test, or npm run lab to open the course.`);
}

main();
