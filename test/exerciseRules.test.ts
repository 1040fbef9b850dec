/**
 * Exercises that teach (the course's rule for every notebook): each exercise-check cell says
 * what it teaches, at least one exercise per notebook asks for a prediction checked against a
 * run, hints come in steps in the text, and no library function that does what the student is
 * asked to write is reachable from the student copy. That a stub fails and the solution passes
 * every check is proved per check cell by the notebook harness (`npm run test:notebooks`, with
 * --expect-checks full on the instructor copy and failing on the student copy).
 */
import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as library from "../lib/index.js";
import { makeStudentNotebook, type NotebookCell, type NotebookJson } from "../lib/exercises/studentCopy.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const NOTEBOOKS = path.join(ROOT, "notebooks");
const files = fs.readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb")).sort();

interface ExerciseMeta {
  id?: unknown;
  teaches?: unknown;
  samePurpose?: unknown;
  prediction?: unknown;
}

const source = (cell: NotebookCell): string => (Array.isArray(cell.source) ? cell.source.join("") : String(cell.source));
const tags = (cell: NotebookCell): string[] => ((cell.metadata as { tags?: string[] } | undefined)?.tags ?? []);
const isCheck = (cell: NotebookCell): boolean => cell.cell_type === "code" && tags(cell).includes("exercise-check");

/** The module specifiers a notebook's code cells import from. */
function importSources(cells: readonly NotebookCell[]): string[] {
  const out: string[] = [];
  for (const cell of cells) {
    if (cell.cell_type !== "code") continue;
    for (const m of source(cell).matchAll(/\bfrom\s+["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']|\brequire\s*\(\s*["']([^"']+)["']/g)) out.push(m[1] ?? m[2] ?? m[3]!);
  }
  return out;
}

/** The names a notebook's code cells import from the library. */
function importedNames(cells: readonly NotebookCell[]): Set<string> {
  const names = new Set<string>();
  for (const cell of cells) {
    if (cell.cell_type !== "code") continue;
    for (const m of source(cell).matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s*from/g)) {
      for (const part of m[1]!.split(",")) {
        const name = part.trim().replace(/^type\s+/, "").split(/\s+as\s+/).pop()!.trim();
        if (name) names.add(name);
      }
    }
  }
  return names;
}

for (const file of files) {
  const notebook = JSON.parse(fs.readFileSync(path.join(NOTEBOOKS, file), "utf8")) as NotebookJson;
  const cells = notebook.cells;
  const checks = cells.map((cell, index) => ({ cell, index })).filter(({ cell }) => isCheck(cell));
  if (checks.length === 0) continue;

  describe(`exercises of ${file}`, () => {
    it("every exercise-check cell carries its metadata: id, what it teaches, the library names of the same purpose", () => {
      for (const { cell, index } of checks) {
        const meta = (cell.metadata as { exercise?: ExerciseMeta } | undefined)?.exercise;
        const where = `cell ${index + 1} ("${source(cell).split("\n")[0]}")`;
        expect(meta, `${where}: add "exercise": {"id", "teaches", "samePurpose", "prediction"} to its metadata`).to.be.an("object");
        expect(meta!.id, `${where}: exercise.id`).to.be.a("string").and.not.equal("");
        expect(meta!.teaches, `${where}: exercise.teaches, one sentence`).to.be.a("string").with.length.above(10);
        expect(meta!.samePurpose, `${where}: exercise.samePurpose, a list (may be empty)`).to.be.an("array");
        expect(meta!.prediction, `${where}: exercise.prediction, true or false`).to.be.a("boolean");
      }
    });

    it("asks for at least one prediction checked against a run", () => {
      const predictions = checks.filter(({ cell }) => (cell.metadata as { exercise?: ExerciseMeta }).exercise?.prediction === true);
      expect(predictions.length, "mark a prediction exercise with exercise.prediction: true").to.be.at.least(1);
    });

    it("gives every exercise hints in steps, in its text", () => {
      let from = checks[0]!.index;
      // The exercise's text is the markdown between the previous check cell (or the Exercises heading) and this one.
      const exercisesHeading = cells.findIndex((c) => c.cell_type === "markdown" && /^#+\s*Exercises/m.test(source(c)));
      let previous = exercisesHeading >= 0 ? exercisesHeading : -1;
      for (const { cell, index } of checks) {
        from = previous + 1;
        const text = cells.slice(from, index).filter((c) => c.cell_type === "markdown").map(source).join("\n");
        const id = (cell.metadata as { exercise?: ExerciseMeta }).exercise?.id;
        expect(text, `exercise ${String(id)}: put hints in <details><summary>Hint 1</summary>…</details> blocks above its check`).to.match(/<details>\s*<summary>\s*Hint 1\b/);
        previous = index;
      }
    });

    it("reaches the library through lib/index.js only, and imports no name of the same purpose as an exercise", () => {
      const student = makeStudentNotebook(notebook, file);
      for (const spec of importSources(student.cells)) expect(spec, `${file} imports ${spec}`).to.equal("./lib/index.js");
      const imported = importedNames(student.cells);
      for (const { cell } of checks) {
        const meta = (cell.metadata as { exercise?: ExerciseMeta }).exercise;
        for (const name of (meta?.samePurpose as string[] | undefined) ?? []) {
          expect(imported.has(name), `exercise ${String(meta?.id)}: the notebook imports ${name}, which does the exercise for the student`).to.equal(false);
          expect(name in library, `exercise ${String(meta?.id)}: lib/index.ts exports ${name}, which does the exercise for the student; keep it internal`).to.equal(false);
        }
      }
    });

    it("keeps every solution out of the student copy", () => {
      const student = makeStudentNotebook(notebook, file);
      for (const cell of student.cells) expect(source(cell)).not.to.match(/BEGIN SOLUTION|END SOLUTION/);
      expect(student.cells.length).to.be.at.most(cells.length);
    });
  });
}
