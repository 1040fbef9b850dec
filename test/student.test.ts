/**
 * Student copies (lib/exercises/studentCopy.ts and `npm run student`): solution regions between
 * `// BEGIN SOLUTION` and `// END SOLUTION` become stubs (nbgrader's convention,
 * https://nbgrader.readthedocs.io/en/stable/user_guide/creating_and_grading_assignments.html),
 * `solution-only` cells go, outputs are cleared, and the output is byte-identical on re-run.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../lib/errors.js";
import { makeStudentNotebook, serializeNotebook, stubSolutions, type NotebookCell, type NotebookJson } from "../lib/exercises/studentCopy.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const EXERCISE_FIXTURE = path.join(ROOT, "test", "fixtures", "notebooks", "exercise.ipynb");

function code(source: string, extra: Partial<NotebookCell> = {}): NotebookCell {
  return { cell_type: "code", source, metadata: {}, outputs: [], execution_count: null, ...extra };
}

function notebook(...cells: NotebookCell[]): NotebookJson {
  return { cells, metadata: { kernelspec: { name: "replication-lab" } }, nbformat: 4, nbformat_minor: 5 };
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("stubSolutions: replacing solution regions", () => {
  it("replaces the region, markers included, by the stub at the BEGIN line's indentation", () => {
    const source = [
      "function majority(n: number): number {",
      "    // BEGIN SOLUTION",
      "    const half = Math.floor(n / 2);",
      "    return half + 1;",
      "    // END SOLUTION",
      "}",
    ].join("\n");
    expect(stubSolutions(source, "nb, cell 1").split("\n")).to.deep.equal([
      "function majority(n: number): number {",
      "    // YOUR CODE HERE",
      '    throw new Error("Not implemented yet: majority");',
      "}",
    ]);
  });

  it("names the stub after the text following BEGIN SOLUTION when there is some", () => {
    const source = "const f = (x: number) => {\n  // BEGIN SOLUTION the fencing check\n  return x;\n  // END SOLUTION\n};";
    expect(stubSolutions(source, "nb")).to.contain('throw new Error("Not implemented yet: the fencing check");');
  });

  it("names the stub after the enclosing arrow function or method when no text follows the marker", () => {
    const arrow = "const chooseLeader = async (ids: string[]) => {\n  // BEGIN SOLUTION\n  return ids[0];\n  // END SOLUTION\n};";
    const method = "class Node {\n  onHeartbeat(at: number): void {\n    // BEGIN SOLUTION\n    this.x = at;\n    // END SOLUTION\n  }\n}";
    expect(stubSolutions(arrow, "nb")).to.contain("Not implemented yet: chooseLeader");
    expect(stubSolutions(method, "nb")).to.contain("Not implemented yet: onHeartbeat");
  });

  it("stubs every region of a cell and keeps the code around and between them unchanged", () => {
    const source = [
      "const a = 1; // setup",
      "function f() {",
      "  // BEGIN SOLUTION",
      "  return 1;",
      "  // END SOLUTION",
      "}",
      "function g() {",
      "  // BEGIN SOLUTION",
      "  return 2;",
      "  // END SOLUTION",
      "}",
      "console.log(a);",
    ].join("\n");
    const out = stubSolutions(source, "nb").split("\n");
    expect(out.filter((l) => l.includes("YOUR CODE HERE"))).to.have.length(2);
    expect(out).to.include.members(["const a = 1; // setup", "function f() {", "function g() {", "console.log(a);"]);
    expect(out.join("\n")).not.to.contain("return 1;").and.not.to.contain("return 2;");
  });

  it("leaves a source without markers exactly as it was", () => {
    const source = "const x = 1;\n\n  // a comment about SOLUTION\nconsole.log(x);\n";
    expect(stubSolutions(source, "nb")).to.equal(source);
  });
});

describe("stubSolutions: unbalanced markers fail, naming the notebook, cell and line", () => {
  it("an END without a BEGIN", () => {
    const error = caught(() => stubSolutions("x();\n// END SOLUTION", "notebooks/01.ipynb, cell 4"));
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as Error).message).to.match(/^notebooks\/01\.ipynb, cell 4: line 2 has "\/\/ END SOLUTION" without/);
  });

  it("a BEGIN that is never closed", () => {
    const error = caught(() => stubSolutions("// BEGIN SOLUTION\nx();", "notebooks/01.ipynb, cell 5"));
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as Error).message).to.match(/^notebooks\/01\.ipynb, cell 5: the "\/\/ BEGIN SOLUTION" on line 1 is never closed/);
  });

  it("a BEGIN inside an open region (regions do not nest)", () => {
    const error = caught(() => stubSolutions("// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION", "nb, cell 2"));
    expect((error as Error).message).to.match(/^nb, cell 2: line 2 opens .* inside the region opened on line 1/);
  });
});

describe("makeStudentNotebook", () => {
  it("removes cells tagged solution-only, code and markdown alike, and keeps the others in order", () => {
    const nb = notebook(
      code("a()"),
      { cell_type: "markdown", source: "Answer: 42", metadata: { tags: ["solution-only"] } },
      code("secret()", { metadata: { tags: ["solution-only", "other"] } }),
      { cell_type: "markdown", source: "Next", metadata: {} },
    );
    const out = makeStudentNotebook(nb, "nb.ipynb");
    expect(out.cells.map((c) => c.source)).to.deep.equal([["a()"], "Next"]);
  });

  it("clears outputs, execution counts and run timings, and keeps other metadata such as tags", () => {
    const nb = notebook(
      code("f()", {
        outputs: [{ output_type: "stream", name: "stdout", text: "score: 4/4\n" }],
        execution_count: 7,
        metadata: { tags: ["exercise-check"], execution: { "iopub.status.busy": "2024-01-01" } },
      }),
    );
    const [cell] = makeStudentNotebook(nb, "nb.ipynb").cells;
    expect(cell.outputs).to.deep.equal([]);
    expect(cell.execution_count).to.equal(null);
    expect(cell.metadata).to.deep.equal({ tags: ["exercise-check"] });
  });

  it("leaves markdown cells alone even when they mention the markers", () => {
    const md = { cell_type: "markdown", source: "Write your code between // BEGIN SOLUTION and ...", metadata: {} };
    expect(makeStudentNotebook(notebook(md), "nb.ipynb").cells[0]).to.deep.equal(md);
  });

  it("names the notebook and the 1-based cell position in a marker error", () => {
    const nb = notebook(code("ok()"), code("// BEGIN SOLUTION\nx()"));
    expect(() => makeStudentNotebook(nb, "notebooks/02-split-brain.ipynb")).to.throw(ConfigError, /^notebooks\/02-split-brain\.ipynb, cell 2: /);
  });

  it("does not modify its input", () => {
    const nb = notebook(code("function f() {\n// BEGIN SOLUTION\nreturn 1;\n// END SOLUTION\n}", { execution_count: 3 }));
    const before = JSON.stringify(nb);
    makeStudentNotebook(nb, "nb.ipynb");
    expect(JSON.stringify(nb)).to.equal(before);
  });
});

describe("serializeNotebook: deterministic bytes", () => {
  it("writes exactly what nbformat writes (keys sorted, one-space indent, final newline): the fixture round-trips", () => {
    // The fixture was written by Python's nbformat.write, an independent implementation.
    const text = fs.readFileSync(EXERCISE_FIXTURE, "utf8");
    expect(serializeNotebook(JSON.parse(text) as NotebookJson)).to.equal(text);
  });

  it("gives the same bytes whatever order the keys were in", () => {
    const a = { nbformat: 4, cells: [{ source: "x", cell_type: "code", metadata: { b: 1, a: 2 } }] };
    const b = { cells: [{ metadata: { a: 2, b: 1 }, cell_type: "code", source: "x" }], nbformat: 4 };
    expect(serializeNotebook(a as unknown as NotebookJson)).to.equal(serializeNotebook(b as unknown as NotebookJson));
  });
});

describe("npm run student (scripts/student.mjs)", function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "student-test-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const student = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(ROOT, "scripts", "student.mjs"), ...args], { encoding: "utf8", cwd: ROOT });

  it("writes a student copy with the solution stubbed and the solution-only cell gone, byte-identical on re-run", () => {
    const first = student("--out", path.join(dir, "a"), EXERCISE_FIXTURE);
    const second = student("--out", path.join(dir, "b"), EXERCISE_FIXTURE);
    expect(first.status, first.stderr).to.equal(0);
    expect(second.status, second.stderr).to.equal(0);
    const a = fs.readFileSync(path.join(dir, "a", "exercise.ipynb"));
    const b = fs.readFileSync(path.join(dir, "b", "exercise.ipynb"));
    expect(a.equals(b)).to.equal(true);
    const text = a.toString("utf8");
    expect(text).to.contain("// YOUR CODE HERE").and.to.contain("Not implemented yet: majority");
    expect(text).not.to.contain("Math.floor(n / 2) + 1"); // the reference solution
    expect(text).not.to.contain("Reference answer"); // the solution-only cell
  });

  it("fails with exit code 1 and names notebook and cell when markers are unbalanced, writing nothing", () => {
    const broken = path.join(dir, "broken.ipynb");
    fs.writeFileSync(broken, serializeNotebook(notebook(code("a()"), code("b()"), code("function f() {\n  // BEGIN SOLUTION\n  return 1;\n}"))));
    const out = path.join(dir, "out");
    const run = student("--out", out, broken);
    expect(run.status).to.equal(1);
    expect(run.stderr).to.contain("broken.ipynb, cell 3:").and.to.contain("never closed");
    expect(fs.existsSync(path.join(out, "broken.ipynb"))).to.equal(false);
  });
});
