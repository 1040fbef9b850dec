/**
 * `npm run html`: exports executed notebooks as HTML pages that work offline.
 *
 *   node scripts/export-html.mjs [--out DIR] [NB.ipynb ...]
 *        (default: build/executed/notebooks/*.ipynb, which `npm run test:notebooks` writes;
 *         pages go to build/html/)
 *
 * nbconvert's own HTML template loads MathJax 2 and require.js from a CDN, so a page opened
 * without a network shows raw TeX. This export uses the project's template
 * (scripts/nbconvert-templates/offline: the lab template without require.js and mermaid) and
 * copies MathJax 3 from node_modules beside the pages, so nothing is fetched from the internet.
 * Charts show as their SVG fallback (with alt text); the Vega-Lite form needs JupyterLab.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { EXECUTED_DIR, ROOT, VENV_JUPYTER, jupyterEnv, requireVenv } from "./project-paths.mjs";

const TEMPLATES = path.join(ROOT, "scripts", "nbconvert-templates");
const MATHJAX = path.join(ROOT, "node_modules", "mathjax", "es5");

/** Copies what MathJax 3's tex-chtml component needs (the script and its fonts) into `dir`/mathjax. */
function copyMathJax(dir) {
  const target = path.join(dir, "mathjax");
  fs.mkdirSync(target, { recursive: true });
  fs.copyFileSync(path.join(MATHJAX, "tex-chtml.js"), path.join(target, "tex-chtml.js"));
  fs.cpSync(path.join(MATHJAX, "output", "chtml", "fonts"), path.join(target, "output", "chtml", "fonts"), { recursive: true });
}

function main(argv) {
  requireVenv("npm run html");
  let out = path.join(ROOT, "build", "html");
  const files = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--out") out = path.resolve(argv[++i]);
    else if (argv[i] !== "--") files.push(path.resolve(argv[i]));
  }
  const dir = path.join(EXECUTED_DIR, "notebooks");
  if (files.length === 0 && fs.existsSync(dir)) {
    for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort()) files.push(path.join(dir, f));
  }
  if (files.length === 0) {
    console.error("html: no executed notebooks; run npm run test:notebooks first, or name notebooks to export");
    return 1;
  }
  fs.mkdirSync(out, { recursive: true });
  copyMathJax(out);
  const run = spawnSync(
    VENV_JUPYTER,
    ["nbconvert", "--to", "html", "--template", "offline", `--TemplateExporter.extra_template_basedirs=${TEMPLATES}`, "--output-dir", out, ...files],
    { cwd: ROOT, env: jupyterEnv(), stdio: ["ignore", "inherit", "pipe"], encoding: "utf8" },
  );
  if (run.status !== 0) {
    process.stderr.write(run.stderr ?? "");
    console.error("html: nbconvert failed (see above)");
    return 1;
  }
  console.log(`html: ${files.length} page(s) in ${path.relative(ROOT, out) || out}/, MathJax beside them; nothing loads from the internet`);
  return 0;
}

process.exit(main(process.argv.slice(2)));
