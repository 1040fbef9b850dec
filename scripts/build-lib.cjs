/**
 * The compiled library that the notebook kernel loads: lib/**\/*.ts compiled by the project's
 * TypeScript (tsconfig.lib.json: CommonJS, declarations, source maps) into
 * build/kernel-lib/<hash>/, where <hash> is a digest of every lib/ source and of the compiler
 * settings. A build folder, once renamed into place, is complete and never changes.
 *
 * Why: tslab type-checks and compiles every .ts file a cell imports, with its own TypeScript,
 * on the first import (about 5 s for the library) and type-checks them again for every later
 * cell that imports it (about 2.5 s). Served the compiled .js and its .d.ts instead
 * (scripts/kernel.cjs), a cell only checks itself against the declarations.
 *
 *   node scripts/build-lib.cjs           build unless the current sources are already built
 *   node scripts/build-lib.cjs --check   exit 1 (and build nothing) when the build is stale
 *
 * Run by `npm install` (scripts/setup.mjs) and, when lib/ changed since, by the kernel when a
 * cell first imports the library. CommonJS, like scripts/kernel.cjs, which requires it.
 */
"use strict";
const { spawnSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const PROJECT_ROOT = path.resolve(__dirname, "..");
/** Raised when this script's output format changes, so older builds are not reused. */
const FORMAT = 1;
/** How many finished builds to keep: a running kernel may still use an older one. */
const KEEP_BUILDS = 3;
/** A lock older than this is taken to be left over from a killed build. */
const STALE_LOCK_MS = 10 * 60 * 1000;

/** The folders of a project checkout (`root` is a parameter so tests can use a scratch copy). */
function layout(root = PROJECT_ROOT) {
  const outRoot = path.join(root, "build", "kernel-lib");
  return {
    root,
    libDir: path.join(root, "lib"),
    tsconfig: path.join(root, "tsconfig.lib.json"),
    outRoot,
    staging: path.join(outRoot, "staging"),
    buildInfo: path.join(outRoot, "staging.tsbuildinfo"),
    lock: path.join(outRoot, "lock"),
  };
}

/** Every .ts source under `dir` (declarations excluded), as sorted paths relative to it. */
function libSources(dir) {
  const found = [];
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) found.push(child);
    }
  };
  walk("");
  return found.sort();
}

/** The TypeScript compiler the project pins (not tslab's copy, which owns node_modules/.bin/tsc). */
function compilerPath(root) {
  return path.join(root, "node_modules", "typescript", "bin", "tsc");
}

/**
 * A digest of what the build depends on: each source's path and content, the compiler
 * settings (tsconfig.lib.json and the tsconfig.json it extends), the compiler's version and
 * FORMAT. Contents, not modification times: a checkout or a copy that keeps old times still
 * counts as a change. Reading the ~100 files takes a few milliseconds.
 */
function libHash(root = PROJECT_ROOT) {
  const { libDir, tsconfig } = layout(root);
  const hash = crypto.createHash("sha256");
  hash.update(`format ${FORMAT}\n`);
  for (const file of [tsconfig, path.join(root, "tsconfig.json"), path.join(root, "node_modules", "typescript", "package.json")]) {
    hash.update(`${path.basename(file)}\n`);
    hash.update(fs.existsSync(file) ? fs.readFileSync(file) : "(missing)");
  }
  for (const rel of libSources(libDir)) {
    hash.update(`\0${rel}\0`);
    hash.update(fs.readFileSync(path.join(libDir, rel)));
  }
  return hash.digest("hex").slice(0, 16);
}

/** The folder the current sources compile to, and whether it is already built. Cheap. */
function currentBuild(root = PROJECT_ROOT) {
  const hash = libHash(root);
  const dir = path.join(layout(root).outRoot, hash);
  return { hash, dir, built: fs.existsSync(path.join(dir, "index.js")) };
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Takes the build lock (a folder: mkdir is atomic), waiting for another build to finish. */
function withLock(lock, fn) {
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      let age = 0;
      try {
        age = Date.now() - fs.statSync(lock).mtimeMs;
      } catch {
        continue; // released just now
      }
      if (age > STALE_LOCK_MS) fs.rmSync(lock, { recursive: true, force: true });
      else sleep(200);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** Deletes all finished builds but the `keep` newest (and `current`). */
function pruneBuilds(outRoot, current, keep = KEEP_BUILDS) {
  const builds = fs
    .readdirSync(outRoot, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^[0-9a-f]{16}$/.test(e.name) && e.name !== current)
    .map((e) => ({ name: e.name, time: fs.statSync(path.join(outRoot, e.name)).mtimeMs }))
    .sort((a, b) => b.time - a.time);
  for (const old of builds.slice(keep - 1)) fs.rmSync(path.join(outRoot, old.name), { recursive: true, force: true });
  for (const e of fs.readdirSync(outRoot)) {
    if (e.includes(".tmp-")) fs.rmSync(path.join(outRoot, e), { recursive: true, force: true });
  }
}

/**
 * Makes sure the current lib/ sources are compiled; returns `{ dir, built, seconds }` (`built`:
 * whether this call compiled) or `{ error }` with the compiler's messages when lib/ does not
 * compile. Compiles incrementally into a staging folder under a lock (two kernels starting at
 * once compile once), then copies exactly the outputs of today's sources (no leftovers of a
 * deleted file) into a new folder and renames it into place.
 *
 * `log(message)` is told before a compile starts, so a waiting user knows why.
 */
function ensureLibBuild({ root = PROJECT_ROOT, log = () => {} } = {}) {
  const first = currentBuild(root);
  if (first.built) return { dir: first.dir, built: false, seconds: 0 };
  const paths = layout(root);
  return withLock(paths.lock, () => {
    const now = currentBuild(root); // another kernel may have built it while we waited
    if (now.built) return { dir: now.dir, built: false, seconds: 0 };
    log("compiling lib/ for the notebook kernel (once after each change to lib/; a few seconds)");
    const started = process.hrtime.bigint();
    const tsc = spawnSync(
      process.execPath,
      [compilerPath(root), "-p", paths.tsconfig, "--outDir", paths.staging, "--incremental", "--tsBuildInfoFile", paths.buildInfo],
      { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
    if (tsc.status !== 0) {
      const message = `${tsc.stdout ?? ""}${tsc.stderr ?? ""}${tsc.error ? String(tsc.error) : ""}`.trim();
      return { error: message || `tsc exited with status ${tsc.status}` };
    }
    const tmp = `${now.dir}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    for (const rel of libSources(paths.libDir)) {
      const base = rel.replace(/\.ts$/, "");
      for (const ext of [".js", ".js.map", ".d.ts"]) {
        const from = path.join(paths.staging, base + ext);
        if (!fs.existsSync(from)) continue;
        fs.mkdirSync(path.dirname(path.join(tmp, base + ext)), { recursive: true });
        fs.copyFileSync(from, path.join(tmp, base + ext));
      }
    }
    // The repository's package.json says "type": "module"; these files are CommonJS.
    fs.writeFileSync(path.join(tmp, "package.json"), JSON.stringify({ type: "commonjs" }) + "\n");
    fs.rmSync(now.dir, { recursive: true, force: true }); // an incomplete folder (no index.js) left by a crash
    fs.renameSync(tmp, now.dir);
    pruneBuilds(paths.outRoot, now.hash);
    return { dir: now.dir, built: true, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
  });
}

module.exports = { ensureLibBuild, currentBuild, libHash, libSources, layout };

if (require.main === module) {
  const rel = (p) => path.relative(PROJECT_ROOT, p);
  if (process.argv.includes("--check")) {
    const { dir, built } = currentBuild();
    console.log(built ? `library build is current: ${rel(dir)}` : "library build is stale: lib/ changed since it was last compiled");
    process.exit(built ? 0 : 1);
  }
  const result = ensureLibBuild({ log: (m) => console.log(`[build-lib] ${m}`) });
  if (result.error) {
    console.error(`[build-lib] lib/ does not compile; the kernel will compile it from source and show these errors:\n${result.error}`);
    process.exit(1);
  }
  console.log(
    result.built
      ? `[build-lib] compiled the library into ${rel(result.dir)} in ${result.seconds.toFixed(1)} s`
      : `[build-lib] library build is current (${rel(result.dir)})`,
  );
}
