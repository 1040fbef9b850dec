/**
 * Student copies of notebooks: the reference solutions taken out, the exercises left as stubs.
 *
 * Solutions sit in code cells between the lines `// BEGIN SOLUTION` and `// END SOLUTION`
 * (nbgrader's convention). Each such region becomes
 *
 *     // YOUR CODE HERE
 *     throw new Error("Not implemented yet: <what>");
 *
 * at the indentation of its BEGIN line, where <what> is the text after `BEGIN SOLUTION` if any,
 * else the name of the function the region sits in. Put a region inside a function body, so
 * that the stub only throws when a check calls it. Cells tagged `solution-only` are dropped;
 * outputs and execution counts are cleared. Used by scripts/student.mjs (`npm run student`).
 */
import { ConfigError } from "../errors.js";

/** A notebook as nbformat 4 JSON. Only the fields we touch are typed. */
export interface NotebookJson {
  cells: NotebookCell[];
  metadata?: Record<string, unknown>;
  nbformat?: number;
  nbformat_minor?: number;
  [key: string]: unknown;
}

/** One notebook cell as nbformat 4 JSON. */
export interface NotebookCell {
  cell_type: string;
  source: string | string[];
  metadata?: { tags?: string[]; [key: string]: unknown };
  outputs?: unknown[];
  execution_count?: number | null;
  [key: string]: unknown;
}

/** Tag of cells kept out of student copies (e.g. a worked answer in prose or code). */
export const SOLUTION_ONLY_TAG = "solution-only";

const BEGIN = /^(\s*)\/\/\s*BEGIN SOLUTION\b(.*)$/;
const END = /^\s*\/\/\s*END SOLUTION\b/;

/**
 * Replaces every solution region of one cell's source with the stub. Pure.
 * `where` names the cell in errors, e.g. "notebooks/01.00-Durability.ipynb, cell 4".
 * Throws ConfigError when markers are unbalanced or nested.
 */
export function stubSolutions(source: string, where: string): string {
  const lines = source.split("\n");
  const out: string[] = [];
  let open: { line: number; indent: string; label: string } | null = null;
  lines.forEach((line, i) => {
    const begin = BEGIN.exec(line);
    if (begin) {
      if (open) {
        throw new ConfigError(where, `line ${i + 1} opens "// BEGIN SOLUTION" inside the region opened on line ${open.line}`, 'close the first region with "// END SOLUTION" before opening another');
      }
      const label = begin[2].trim() || enclosingName(lines.slice(0, i)) || "this exercise";
      open = { line: i + 1, indent: begin[1], label };
      return;
    }
    if (END.test(line)) {
      if (!open) {
        throw new ConfigError(where, `line ${i + 1} has "// END SOLUTION" without a "// BEGIN SOLUTION" before it`, 'add the missing "// BEGIN SOLUTION" line, or delete this one');
      }
      out.push(`${open.indent}// YOUR CODE HERE`);
      out.push(`${open.indent}throw new Error(${JSON.stringify(`Not implemented yet: ${open.label}`)});`);
      open = null;
      return;
    }
    if (!open) out.push(line);
  });
  if (open) {
    const { line } = open;
    throw new ConfigError(where, `the "// BEGIN SOLUTION" on line ${line} is never closed`, 'add "// END SOLUTION" after the solution');
  }
  return out.join("\n");
}

/** The name of the innermost function, method or arrow-function const declared in `before`, if any. */
function enclosingName(before: string[]): string | null {
  const patterns = [
    /\bfunction\s*\*?\s*([A-Za-z_$][\w$]*)\s*[<(]/,
    /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s*)?(?:function\b|\(|[A-Za-z_$][\w$]*\s*=>)/,
    /^\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*\([^)]*\)\s*(?::[^{]+)?\{\s*$/,
  ];
  for (let i = before.length - 1; i >= 0; i--) {
    for (const pattern of patterns) {
      const match = pattern.exec(before[i]);
      if (match && !["if", "for", "while", "switch", "catch"].includes(match[1])) return match[1];
    }
  }
  return null;
}

/**
 * The student copy of a notebook: solution regions stubbed, `solution-only` cells removed,
 * outputs and execution counts cleared. Pure; the input is not modified.
 * `name` (e.g. "notebooks/01.00-Durability.ipynb") is used in error messages.
 */
export function makeStudentNotebook(notebook: NotebookJson, name: string): NotebookJson {
  if (!notebook || !Array.isArray(notebook.cells)) {
    throw new ConfigError(name, "is not an nbformat 4 notebook (no cells array)", "save it from JupyterLab, or check the file is a .ipynb");
  }
  const cells: NotebookCell[] = [];
  notebook.cells.forEach((cell, index) => {
    const tags = cell.metadata?.tags ?? [];
    if (tags.includes(SOLUTION_ONLY_TAG)) return;
    if (cell.cell_type !== "code") {
      cells.push(cell);
      return;
    }
    const source = stubSolutions(joinSource(cell.source), `${name}, cell ${index + 1}`);
    const metadata = { ...(cell.metadata ?? {}) };
    delete metadata.execution; // nbclient's wall-clock timings
    cells.push({ ...cell, metadata, source: splitSource(source), outputs: [], execution_count: null });
  });
  return { ...notebook, cells };
}

/**
 * Notebook JSON as nbformat writes it: keys sorted, one-space indent, trailing newline, so
 * the same notebook always gives the same bytes and diffs against Jupyter-saved files stay small. Pure.
 */
export function serializeNotebook(notebook: NotebookJson): string {
  return JSON.stringify(sortKeys(notebook), null, 1) + "\n";
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}

function joinSource(source: string | string[]): string {
  return Array.isArray(source) ? source.join("") : source;
}

/** nbformat's on-disk form of a source: a list of lines, each but the last ending in "\n". */
function splitSource(source: string): string[] {
  if (source === "") return [];
  return source.split(/(?<=\n)/);
}
