/**
 * Starts the TypeScript kernel (tslab) with the repository root as its working directory.
 *
 * Jupyter starts a kernel in the notebook's folder, and tslab compiles cells with its working
 * directory as rootDir, so a notebook in notebooks/ could not import ../lib. Moving to the root
 * first lets every notebook, wherever it sits (notebooks/, build/student/notebooks/, test
 * fixtures), import the library the same way: `import { ... } from "./lib/index.js"`.
 *
 * Usage (from kernel.json): node scripts/kernel.cjs {connection_file}
 * CommonJS on purpose: package.json says "type": "module" and tslab is CommonJS.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const util = require("node:util");

const root = path.resolve(__dirname, "..");
const connectionArg = process.argv[2];
if (!connectionArg) {
  process.stderr.write("usage: node scripts/kernel.cjs <connection_file>\n");
  process.exit(2);
}
// Resolved before the chdir below, in case Jupyter passed a relative path.
const connectionFile = path.resolve(connectionArg);

// tslab points process.stderr at the notebook (the last executed cell) and never points it
// back, so an error thrown later by a timer or a rejected promise is sent to a cell that is
// already finished, and JupyterLab and nbclient both drop it. Write such errors to the real
// stderr (fd 2) as well: the lab's terminal shows them, and the notebook tests read them.
function reportToRealStderr(kind, err) {
  const text = err instanceof Error ? (err.stack || String(err)) : util.inspect(err);
  try {
    fs.writeSync(2, `[replication-lab kernel] ${kind}: ${text}\n`);
  } catch {
    // stderr closed: nothing more we can do.
  }
}
process.on("uncaughtException", (err) => reportToRealStderr("UncaughtException", err));
process.on("unhandledRejection", (reason) => reportToRealStderr("UnhandledPromiseRejection", reason));

process.chdir(root);

// tslab watches the library files (and their folders) a notebook imports. When one changes
// while the kernel runs (a student edits lib/), the watcher schedules a recompile that tslab
// does not expect, and the next cells fail with "Unexpected pending rebuildTimer" until the
// kernel restarts. Node would not reload the changed module anyway (its require cache keeps
// the first version), so picking up the new types alone would only mislead. We turn the
// watch off: edits to lib/ take effect on a kernel restart, as with any imported module.
const tsForTslab = require(path.join(root, "node_modules", "@tslab", "typescript-for-tslab"));
const noWatch = () => ({ close() {} });
tsForTslab.sys.watchFile = noWatch;
tsForTslab.sys.watchDirectory = noWatch;

// startKernel is tslab's stable entry point (its source promises not to change it), the same
// thing `tslab kernel --config-path <file>` calls.
const { startKernel } = require(path.join(root, "node_modules", "tslab", "dist", "main.js"));
startKernel({ configPath: connectionFile, enableFindLocal: false, jsKernel: false });
