/**
 * Typed reads of CSV cells. Each names the file, line and column when the text is not
 * what the column needs, so a typo in a dataset points at itself.
 *
 * Introduced in notebooks/01.00-Durability.ipynb (drive failure rates, Azure latencies) and notebooks/05.00-Leaderless-Replication.ipynb (PBS latencies).
 */
import { describe } from "../errors.js";
import type { CsvRow } from "./csv.js";
import { DatasetError } from "./datasetError.js";

/** Bounds for a numeric cell; `exclusiveMin` makes `min` itself invalid (e.g. rates > 0). */
export interface NumberBounds {
  readonly min?: number;
  readonly max?: number;
  readonly exclusiveMin?: boolean;
}

// Plain decimal notation only: Number() would also accept "", "0x1f" and "Infinity".
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function boundsText(b: NumberBounds): string {
  const { min, max, exclusiveMin } = b;
  if (min !== undefined && max !== undefined) return ` in ${exclusiveMin ? "(" : "["}${min}, ${max}]`;
  if (min !== undefined) return exclusiveMin ? ` > ${min}` : ` ≥ ${min}`;
  if (max !== undefined) return ` ≤ ${max}`;
  return "";
}

/** Reads a number within `bounds` from `column`. Pure; throws DatasetError. */
export function numberCell(file: string, row: CsvRow, column: string, bounds: NumberBounds = {}): number {
  const text = row.cells[column];
  const range = boundsText(bounds);
  const value = DECIMAL.test(text) ? Number(text) : NaN;
  const { min, max, exclusiveMin } = bounds;
  const tooLow = min !== undefined && (exclusiveMin ? value <= min : value < min);
  const tooHigh = max !== undefined && value > max;
  if (!Number.isFinite(value) || tooLow || tooHigh) {
    throw new DatasetError(file, row.line, column, `must be a number${range}, got ${describe(text)}`, `write a plain decimal number${range}`);
  }
  return value;
}

/** Reads a whole number within `bounds` from `column`. Pure; throws DatasetError. */
export function integerCell(file: string, row: CsvRow, column: string, bounds: NumberBounds = {}): number {
  const value = numberCell(file, row, column, bounds);
  if (!Number.isInteger(value)) {
    throw new DatasetError(file, row.line, column, `must be a whole number, got ${describe(row.cells[column])}`, "write an integer");
  }
  return value;
}

/** Reads one of `allowed` from `column`. Pure; throws DatasetError. */
export function oneOfCell<T extends string>(file: string, row: CsvRow, column: string, allowed: readonly T[]): T {
  const text = row.cells[column];
  if (!(allowed as readonly string[]).includes(text)) {
    throw new DatasetError(file, row.line, column, `unknown value ${describe(text)}`, `use one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`);
  }
  return text as T;
}

/** Reads non-empty text from `column`, optionally matching `pattern` (described by `shape`). Pure. */
export function textCell(file: string, row: CsvRow, column: string, pattern?: RegExp, shape?: string): string {
  const text = row.cells[column];
  if (text === "") {
    throw new DatasetError(file, row.line, column, "must not be empty", `fill in the ${column}`);
  }
  if (pattern && !pattern.test(text)) {
    throw new DatasetError(file, row.line, column, `must look like ${shape ?? String(pattern)}, got ${describe(text)}`, `write it as ${shape ?? String(pattern)}`);
  }
  return text;
}

/** True when `column` is empty in `row` (an optional cell left out). Pure. */
export function isEmptyCell(row: CsvRow, column: string): boolean {
  return row.cells[column] === "";
}

/**
 * Throws DatasetError at the second row with the same key (e.g. two rows for one quarter).
 * `keyOf` returns the key and how to show it. Pure.
 */
export function requireUniqueRows(
  file: string,
  rows: readonly CsvRow[],
  field: string,
  keyOf: (row: CsvRow) => string,
  fix: string,
): void {
  const firstLine = new Map<string, number>();
  for (const row of rows) {
    const key = keyOf(row);
    const first = firstLine.get(key);
    if (first !== undefined) {
      throw new DatasetError(file, row.line, field, `duplicate ${key} (first given on line ${first})`, fix);
    }
    firstLine.set(key, row.line);
  }
}
