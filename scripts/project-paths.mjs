/**
 * Where the project keeps its Python venv, its Jupyter state and its kernel, in one place,
 * so that set-up, the lab launcher and the notebook tests agree. Node-only (scripts/).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import kernelInfo from "./kernel-info.cjs";

/** Absolute path of the repository root (the folder holding package.json). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The project-local Python virtual environment. */
export const VENV_DIR = path.join(ROOT, ".venv");
/** Folder of the venv's executables (`bin`, or `Scripts` on Windows). */
export const VENV_BIN = path.join(VENV_DIR, process.platform === "win32" ? "Scripts" : "bin");
/** The venv's Python interpreter. */
export const VENV_PYTHON = path.join(VENV_BIN, process.platform === "win32" ? "python.exe" : "python");
/** The venv's `jupyter` command. */
export const VENV_JUPYTER = path.join(VENV_BIN, process.platform === "win32" ? "jupyter.exe" : "jupyter");

/** Jupyter's config, data and runtime files live here instead of under the home folder. */
export const JUPYTER_DIR = path.join(ROOT, ".jupyter");

/** Name of the kernelspec that notebooks reference in their metadata (scripts/kernel-info.cjs). */
export const KERNEL_NAME = kernelInfo.KERNEL_NAME;
/** What JupyterLab shows in its kernel picker. */
export const KERNEL_DISPLAY_NAME = kernelInfo.KERNEL_DISPLAY_NAME;
/** The kernelspec folder, inside the venv so nothing is registered in ~ or system-wide. */
export const KERNEL_DIR = path.join(VENV_DIR, "share", "jupyter", "kernels", KERNEL_NAME);

/** Where the notebooks are, and where `npm run student` writes their student copies. */
export const NOTEBOOKS_DIR = path.join(ROOT, "notebooks");
export const STUDENT_NOTEBOOKS_DIR = path.join(ROOT, "build", "student", "notebooks");
/** Where `npm run test:notebooks` writes executed notebooks (read by `npm run figures`). */
export const EXECUTED_DIR = path.join(ROOT, "build", "executed");

/**
 * The environment for any Jupyter process of ours: Jupyter's own state goes under .jupyter/
 * (never ~), and the venv's bin comes first on PATH.
 */
export function jupyterEnv(base = process.env) {
  return {
    ...base,
    JUPYTER_CONFIG_DIR: path.join(JUPYTER_DIR, "config"),
    JUPYTER_DATA_DIR: path.join(JUPYTER_DIR, "data"),
    JUPYTER_RUNTIME_DIR: path.join(JUPYTER_DIR, "runtime"),
    // Opts in to the platformdirs layout now, which silences jupyter_core's migration warning;
    // all three dirs are set explicitly above anyway.
    JUPYTER_PLATFORM_DIRS: "1",
    PATH: `${VENV_BIN}${path.delimiter}${base.PATH ?? ""}`,
    VIRTUAL_ENV: VENV_DIR,
  };
}

/** True when set-up has produced a venv with Jupyter and our kernelspec. */
export function venvReady() {
  return fs.existsSync(VENV_PYTHON) && fs.existsSync(VENV_JUPYTER) && fs.existsSync(path.join(KERNEL_DIR, "kernel.json"));
}

/** Exits with a clear message unless `npm install` has set up the venv. */
export function requireVenv(what) {
  if (venvReady()) return;
  console.error(`${what}: the project's Python environment (.venv) is missing or incomplete. Run npm install first.`);
  process.exit(1);
}
