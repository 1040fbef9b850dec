/**
 * `npm run student`: writes the student copy of every notebook (solutions replaced by stubs,
 * `solution-only` cells removed, outputs cleared) to build/student/notebooks/.
 *
 *   node scripts/student.mjs [--out DIR] [NB.ipynb ...]
 *
 * Without notebook arguments it takes notebooks/*.ipynb and removes stale copies from the
 * output folder. The output is byte-identical on every run. The transformation itself is
 * lib/exercises/studentCopy.ts (pure, unit-tested); this file only reads and writes.
 */
import fs from "node:fs";
import path from "node:path";
import { tsImport } from "tsx/esm/api";
import { NOTEBOOKS_DIR, ROOT, STUDENT_NOTEBOOKS_DIR } from "./project-paths.mjs";

const { makeStudentNotebook, serializeNotebook } = await tsImport("../lib/exercises/studentCopy.ts", import.meta.url);

function usage(message) {
  console.error(`student: ${message}\nusage: node scripts/student.mjs [--out DIR] [NB.ipynb ...]`);
  process.exit(2);
}

function parseArgs(argv) {
  let out = STUDENT_NOTEBOOKS_DIR;
  const notebooks = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--out") {
      if (!argv[i + 1]) usage("--out needs a folder");
      out = path.resolve(argv[++i]);
    } else if (argv[i].startsWith("-")) {
      usage(`unknown option ${argv[i]}`);
    } else {
      notebooks.push(path.resolve(argv[i]));
    }
  }
  return { out, notebooks, all: notebooks.length === 0 };
}

const relative = (file) => {
  const rel = path.relative(ROOT, file);
  return rel === "" ? "." : rel.startsWith("..") ? file : rel;
};

function main() {
  const { out, notebooks, all } = parseArgs(process.argv.slice(2));
  const inputs = all
    ? fs.existsSync(NOTEBOOKS_DIR)
      ? fs.readdirSync(NOTEBOOKS_DIR).filter((f) => f.endsWith(".ipynb")).sort().map((f) => path.join(NOTEBOOKS_DIR, f))
      : []
    : notebooks;

  // Transform everything before writing anything, so one broken notebook leaves no half-built folder.
  const copies = [];
  const failures = [];
  for (const file of inputs) {
    try {
      const notebook = JSON.parse(fs.readFileSync(file, "utf8"));
      copies.push({ name: path.basename(file), text: serializeNotebook(makeStudentNotebook(notebook, relative(file))) });
    } catch (error) {
      failures.push(error instanceof SyntaxError ? `${relative(file)}: not valid JSON (${error.message})` : error.message);
    }
  }
  if (failures.length > 0) {
    for (const failure of failures) console.error(`student: ${failure}`);
    process.exit(1);
  }

  fs.mkdirSync(out, { recursive: true });
  if (all) {
    const wanted = new Set(copies.map((c) => c.name));
    for (const stale of fs.readdirSync(out).filter((f) => f.endsWith(".ipynb") && !wanted.has(f))) {
      fs.rmSync(path.join(out, stale));
    }
  }
  for (const copy of copies) fs.writeFileSync(path.join(out, copy.name), copy.text);
  console.log(`student: wrote ${copies.length} student notebook${copies.length === 1 ? "" : "s"} to ${relative(out)}`);
}

main();
