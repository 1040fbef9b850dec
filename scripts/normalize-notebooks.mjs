/**
 * Writes into every notebook the metadata our kernel reports (scripts/kernel-info.cjs):
 * `kernelspec` and `language_info`, exactly as JupyterLab would copy them from the running
 * kernel. With them in place, opening a notebook and closing it without running anything
 * changes nothing, so JupyterLab does not ask to save it. Only metadata changes; the file keeps
 * nbformat's layout (one-space indent, sorted keys, a final newline).
 *
 *   node scripts/normalize-notebooks.mjs [NB.ipynb ...]    (default: notebooks/*.ipynb)
 *   node scripts/normalize-notebooks.mjs --check [...]     exit 1, writing nothing, if any is not normalized
 *
 * test/notebookMetadata.test.ts fails when a committed notebook is not normalized.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import kernelInfo from "./kernel-info.cjs";
import { NOTEBOOKS_DIR, ROOT } from "./project-paths.mjs";

/** JSON as nbformat writes it: keys sorted, one-space indent, non-ASCII kept, final newline. */
export function nbformatJson(value) {
  const sort = (v) =>
    Array.isArray(v)
      ? v.map(sort)
      : v !== null && typeof v === "object"
        ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k])]))
        : v;
  return JSON.stringify(sort(value), null, 1) + "\n";
}

/** The notebook's text with normalized metadata (other metadata keys are kept). */
export function normalizedNotebook(text) {
  const nb = JSON.parse(text);
  nb.metadata = { ...(nb.metadata ?? {}), kernelspec: kernelInfo.kernelspecMetadata(), language_info: kernelInfo.languageInfo() };
  return nbformatJson(nb);
}

/** The notebooks under notebooks/, sorted. */
export function courseNotebooks() {
  return fs.readdirSync(NOTEBOOKS_DIR).filter((f) => f.endsWith(".ipynb")).sort().map((f) => path.join(NOTEBOOKS_DIR, f));
}

function main(argv) {
  const check = argv.includes("--check");
  const given = argv.filter((a) => a !== "--check" && a !== "--");
  const files = given.length ? given.map((f) => path.resolve(f)) : courseNotebooks();
  const stale = [];
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    const normal = normalizedNotebook(text);
    if (normal === text) continue;
    stale.push(path.relative(ROOT, file));
    if (!check) fs.writeFileSync(file, normal);
  }
  if (check) {
    if (stale.length) console.error(`not normalized (run node scripts/normalize-notebooks.mjs): ${stale.join(", ")}`);
    return stale.length ? 1 : 0;
  }
  console.log(stale.length ? `normalized: ${stale.join(", ")}` : `all ${files.length} notebooks already normalized`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(main(process.argv.slice(2)));
}
