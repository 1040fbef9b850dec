/**
 * Finding and reading dataset files, with their checksums verified. The only module here
 * that touches the file system (the parsers are pure).
 *
 * Introduced in notebooks/01.00-Durability.ipynb (drive failure rates, Azure latencies) and notebooks/05.00-Leaderless-Replication.ipynb (PBS latencies).
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ConfigError } from "../errors.js";
import { DatasetError } from "./datasetError.js";
import { datasetInfo } from "./registry.js";
import type { DatasetInfo } from "./registry.js";

/** Where to look for the datasets: `root` is the folder that holds `datasets/`. */
export interface DatasetOptions {
  /** The repository root (the folder containing `datasets/README.md`). Default: found from the working directory. */
  readonly root?: string;
}

const MARKER = join("datasets", "README.md");

/** Lower-case hex SHA-256 of `bytes`. Pure. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * The repository root: `options.root` if given (checked), else the first of the working
 * directory and its parents that holds `datasets/README.md`. Reads the file system.
 * Works from the notebook kernel (whose working directory is the repository) and tests.
 */
export function findRepositoryRoot(options: DatasetOptions = {}): string {
  if (options.root !== undefined) {
    const root = resolve(options.root);
    if (!existsSync(join(root, MARKER))) {
      throw new ConfigError("root", `${JSON.stringify(options.root)} has no ${MARKER}`, "pass the repository folder (the one that contains datasets/), or leave root out to search from the working directory");
    }
    return root;
  }
  const start = resolve(process.cwd());
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, MARKER))) return dir;
    if (dirname(dir) === dir) break;
  }
  throw new ConfigError("root", `no ${MARKER} in ${JSON.stringify(start)} or any folder above it`, "run from inside the repository, or pass { root: \"<path to the repository>\" }");
}

/**
 * The text of dataset `name`, after checking its SHA-256 against the registry. Reads the
 * file system. Throws DatasetError (field `sha256`) if the file changed, with the new
 * checksum and where to put it if the change is intended.
 */
export function readDatasetText(name: string, options: DatasetOptions = {}): { readonly info: DatasetInfo; readonly text: string } {
  const info = datasetInfo(name);
  const path = join(findRepositoryRoot(options), "datasets", info.file);
  const shown = `datasets/${info.file}`;
  if (!existsSync(path)) {
    throw new DatasetError(shown, null, "file", `is missing (looked for ${JSON.stringify(path)})`, "restore it from version control, or pass the right { root }");
  }
  const bytes = readFileSync(path);
  const actual = sha256Hex(bytes);
  if (actual !== info.sha256) {
    throw new DatasetError(
      shown,
      null,
      "sha256",
      `the file changed: its SHA-256 is ${actual}, the registry expects ${info.sha256}`,
      `if the change is intended, set sha256: "${actual}" for "${info.name}" in lib/datasets/registry.ts and record the change in datasets/README.md; otherwise restore the file from version control`,
    );
  }
  return { info, text: bytes.toString("utf8") };
}
