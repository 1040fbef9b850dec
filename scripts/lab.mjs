/**
 * `npm run lab`: JupyterLab from the project's venv, on 127.0.0.1, opened at notebooks/.
 *
 *   npm run lab                  the course notebooks
 *   npm run lab -- --student     the student copies in build/student/notebooks (built if missing)
 *   npm run lab -- --port 9000   any other option goes to `jupyter lab`
 *
 * The server's root is the repository, so lib/ and datasets/ are one click away, and it opens
 * at notebooks/. The kernel runs at the repository root whatever folder a notebook is in
 * (scripts/kernel.cjs). Access needs Jupyter's own random token, which we print as part of
 * the URL: a server without a token would let any local program, or a web page the browser
 * visits, run code as you. That URL is the one address printed: Jupyter's own start-up log is
 * turned down to warnings, and the kernel drops tslab's "unknown msg_type" lines
 * (scripts/kernel.cjs).
 */
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import {
  JUPYTER_DIR,
  KERNEL_NAME,
  ROOT,
  STUDENT_NOTEBOOKS_DIR,
  VENV_JUPYTER,
  jupyterEnv,
  requireVenv,
} from "./project-paths.mjs";

requireVenv("npm run lab");

// "--" arrives when the script is run as `node scripts/lab.mjs -- ...` (npm removes it itself).
const ownArgs = process.argv.slice(2).filter((a) => a !== "--");
const student = ownArgs.includes("--student");
const passThrough = ownArgs.filter((a) => a !== "--student");
const openDir = student ? STUDENT_NOTEBOOKS_DIR : path.join(ROOT, "notebooks");

if (student && !(fs.existsSync(openDir) && fs.readdirSync(openDir).some((f) => f.endsWith(".ipynb")))) {
  // Built only when missing: rebuilding would overwrite a student's work in progress.
  const built = spawnSync(process.execPath, [path.join(ROOT, "scripts", "student.mjs")], { stdio: "inherit" });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const args = [
  "lab",
  "--no-browser",
  "--ip=127.0.0.1",
  `--ServerApp.root_dir=${ROOT}`,
  // A notebook created in the lab gets the course's TypeScript kernel, not Python.
  `--MultiKernelManager.default_kernel_name=${KERNEL_NAME}`,
  // The course runs offline; don't fetch JupyterLab news or check for its updates.
  "--LabApp.news_url=None",
  "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
];
if (typeof process.getuid === "function" && process.getuid() === 0) args.push("--allow-root");
// One address to open, ours (printed below): Jupyter's start-up log (extensions loaded, the same
// URLs three ways) is left out; warnings and errors still show. `-- --ServerApp.log_level=INFO`
// brings it back.
if (!passThrough.some((a) => a.includes("log_level"))) args.push("--ServerApp.log_level=WARN", "--LabApp.log_level=WARN");
args.push(...passThrough);

// Our own random token, given through the environment (not on the command line, where other
// users could read it): Jupyter then does not print its "copy and paste one of these URLs"
// banner, which it shows only for a token it generated. A JUPYTER_TOKEN of yours is kept.
const env = jupyterEnv();
if (!env.JUPYTER_TOKEN && !env.JUPYTER_TOKEN_FILE) env.JUPYTER_TOKEN = crypto.randomBytes(24).toString("hex");

const started = Date.now();
const server = spawn(VENV_JUPYTER, args, { cwd: ROOT, env, stdio: "inherit" });
server.on("error", (error) => {
  console.error(`npm run lab: could not start ${VENV_JUPYTER}: ${error.message}. Run npm install again.`);
  process.exit(1);
});

// Ctrl+C reaches Jupyter directly (same terminal): it asks whether to shut down. Stay alive
// until it exits; pass on a plain termination request.
process.on("SIGINT", () => {});
process.on("SIGTERM", () => server.kill("SIGTERM"));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

/** The running server's info file (url, token), which Jupyter writes to its runtime dir. */
function findServerInfo() {
  const runtime = path.join(JUPYTER_DIR, "runtime");
  if (!fs.existsSync(runtime)) return null;
  for (const file of fs.readdirSync(runtime).filter((f) => /^jpserver-\d+\.json$/.test(f))) {
    try {
      const info = JSON.parse(fs.readFileSync(path.join(runtime, file), "utf8"));
      if (info.pid === server.pid) return info;
    } catch {
      // Being written right now: try again on the next poll.
    }
  }
  return null;
}

const poll = setInterval(() => {
  const info = findServerInfo();
  if (!info) {
    if (Date.now() - started > 120_000) {
      clearInterval(poll);
      console.error("npm run lab: JupyterLab has not reported its address after 2 minutes; see its log above.");
    }
    return;
  }
  clearInterval(poll);
  const where = path.relative(ROOT, openDir).split(path.sep).map(encodeURIComponent).join("/");
  const url = `${info.url.replace(/\/?$/, "/")}lab/tree/${where}${info.token ? `?token=${info.token}` : ""}`;
  console.log(`\nReplication Lab is running. Open this address in your browser:\n\n    ${url}\n\nStop it with Ctrl+C (twice).\n`);
}, 250);
