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

// ---------------------------------------------------------------------------------------------
// The library, precompiled. Left alone, tslab type-checks and compiles every lib/*.ts file a
// cell imports with its own TypeScript: about 5 s for the first cell and 2.5 s again for every
// later cell that imports the library. Instead, `./lib/...` is served from the compiled build
// (scripts/build-lib.cjs: CommonJS + .d.ts, made by `npm install`): tslab's compiler sees
// lib/X.d.ts where lib/X.ts is (the sources are hidden from it, so it checks a cell against the
// declarations only, with the same types), and Node's require loads the compiled lib/X.js.
// Notebooks still write `import ... from "./lib/index.js"` and the working directory stays the
// repository root, so data files resolve as before.
//
// Freshness: the build is named after a digest of lib/'s sources. The first time a cell (or a
// completion request) looks into lib/, a stale build is recompiled, with a line in that cell
// saying so. A running kernel keeps what it loaded; edits to lib/ apply on the next restart.
// If lib/ does not compile, the kernel falls back to the sources and tslab shows the errors.
const libBuild = require("./build-lib.cjs");
const LIB_DIR = path.join(root, "lib");
const toSlash = (p) => p.replace(/\\/g, "/");
const LIB_PREFIX = toSlash(LIB_DIR) + "/";

/**
 * undefined: not decided yet; null: serve lib/ from its sources (also when the environment sets
 * REPLICATION_LAB_LIB=source, for comparing or debugging); else the compiled folder.
 */
let compiledLib = process.env.REPLICATION_LAB_LIB === "source" ? null : undefined;
if (compiledLib === undefined) try {
  const current = libBuild.currentBuild(root);
  if (current.built) compiledLib = current.dir;
} catch (error) {
  reportToRealStderr("library build check failed", error);
  compiledLib = null;
}

function compiledLibDir() {
  if (compiledLib !== undefined) return compiledLib;
  compiledLib = null; // decided once; also stops re-entry while the build runs
  try {
    const result = libBuild.ensureLibBuild({ root, log: (m) => process.stdout.write(`[replication-lab] ${m}\n`) });
    if (result.error) {
      process.stderr.write("[replication-lab] lib/ does not compile; loading it from its sources, so the errors show here.\n");
    } else {
      compiledLib = result.dir;
      if (result.built) process.stdout.write(`[replication-lab] compiled the library in ${result.seconds.toFixed(1)} s\n`);
    }
  } catch (error) {
    reportToRealStderr("library build failed", error);
  }
  return compiledLib;
}

/** Where a path under lib/ lives in the compiled build, or undefined (not under lib/, or no build). */
function inCompiledLib(p) {
  const s = toSlash(p);
  const rel = s === LIB_PREFIX.slice(0, -1) ? "" : s.startsWith(LIB_PREFIX) ? s.slice(LIB_PREFIX.length) : undefined;
  if (rel === undefined) return undefined;
  const dir = compiledLibDir();
  return dir === null ? undefined : path.join(dir, rel);
}

const SOURCE_FILE = /\.(?:[cm]?[jt]sx?)$/;
const DECLARATION_FILE = /\.d\.[cm]?ts$/;
const fileExists = tsForTslab.sys.fileExists;
const readFile = tsForTslab.sys.readFile;
tsForTslab.sys.fileExists = function (p) {
  const compiled = inCompiledLib(p);
  if (compiled === undefined) return fileExists.call(this, p);
  if (DECLARATION_FILE.test(p)) return fileExists.call(this, compiled);
  return SOURCE_FILE.test(p) ? false : fileExists.call(this, p);
};
tsForTslab.sys.readFile = function (p, encoding) {
  const compiled = inCompiledLib(p);
  return readFile.call(this, compiled !== undefined && DECLARATION_FILE.test(p) ? compiled : p, encoding);
};

// At run time a cell's `require("./lib/index.js")` finds no such file (lib/ holds .ts): look it
// up in the build. Only failed lookups of paths under lib/ are redirected.
const Module = require("node:module");
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  try {
    return resolveFilename.call(this, request, parent, ...rest);
  } catch (error) {
    if (error && error.code === "MODULE_NOT_FOUND" && (request.startsWith(".") || path.isAbsolute(request))) {
      const from = parent && parent.filename ? path.dirname(parent.filename) : process.cwd();
      const compiled = inCompiledLib(path.resolve(from, request));
      if (compiled !== undefined) return resolveFilename.call(this, compiled, parent, ...rest);
    }
    throw error;
  }
};
// Stack traces through the library name lib/*.ts lines (the build carries source maps).
process.setSourceMapsEnabled(true);

// ---------------------------------------------------------------------------------------------
// What the kernel says about itself. tslab's kernel_info_reply names TypeScript "3.7.2"; the
// cells really compile with its bundled 5.0.4. JupyterLab writes language_info into a notebook
// on open, so a wrong or changing value marks every notebook modified. scripts/kernel-info.cjs
// holds the one value, which scripts/normalize-notebooks.mjs also writes into the notebooks.
const kernelInfo = require("./kernel-info.cjs");
const jupyter = require(path.join(root, "node_modules", "tslab", "dist", "jupyter.js"));
const handleKernel = jupyter.JupyterHandlerImpl.prototype.handleKernel;
jupyter.JupyterHandlerImpl.prototype.handleKernel = function () {
  const reply = handleKernel.call(this);
  if (!this.isJs) reply.language_info = kernelInfo.languageInfo();
  return reply;
};

// tslab logs "unknown msg_type: X" for every request it has no handler for (JupyterLab sends
// some on every connection), which fills the lab's terminal. Drop exactly that line; the switch
// that prints it runs synchronously at the start of handleShellMessage.
const handleShellMessage = jupyter.ZmqServer.prototype.handleShellMessage;
jupyter.ZmqServer.prototype.handleShellMessage = function (...args) {
  const warn = console.warn;
  console.warn = function (first, ...more) {
    if (typeof first === "string" && first.startsWith("unknown msg_type: ")) return;
    return warn.call(this, first, ...more);
  };
  try {
    return handleShellMessage.apply(this, args);
  } finally {
    console.warn = warn;
  }
};

// startKernel is tslab's stable entry point (its source promises not to change it), the same
// thing `tslab kernel --config-path <file>` calls.
const { startKernel } = require(path.join(root, "node_modules", "tslab", "dist", "main.js"));
startKernel({ configPath: connectionFile, enableFindLocal: false, jsKernel: false });
