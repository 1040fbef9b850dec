/**
 * Input checks shared by the chart builders. A chart with a missing field or a NaN draws as
 * an empty or silently wrong picture; these checks turn that into a `ConfigError` that names
 * the field, so the mistake is found where it was made.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import { ConfigError, describe, requireNumber } from "../errors.js";
import type { FaultWindow } from "./faultWindows.js";

/** One data point of a chart: a tidy row, one object per point (what lib metrics return). */
export type Row = Readonly<Record<string, unknown>>;

/** Spec names follow the Vega-Lite examples' `<mark>_<subject>` form, e.g. `line_replication_lag`. */
const SPEC_NAME = /^[a-z][a-z0-9]*_[a-z0-9_]*[a-z0-9]$/;

/** Throws unless `value` is a non-blank string. Pure. Returns it trimmed. */
export function requireText(field: string, value: unknown, fix: string): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new ConfigError(field, `must be a non-empty text, got ${describe(value)}`, fix);
  }
  return value.trim();
}

/** Throws unless `value` is a chart title (non-blank). Pure. */
export function requireTitle(field: string, value: unknown): string {
  return requireText(field, value, "give the chart a title that says what it shows, e.g. \"Replication lag under load\"");
}

/** Throws unless `value` is an axis title; axis titles carry units, e.g. "time (ms)". Pure. */
export function requireAxisTitle(field: string, value: unknown): string {
  return requireText(field, value, "give the axis a title with its unit, e.g. \"time (ms)\" or \"lag (ms)\"");
}

/** Throws unless `value` is a spec name in `<mark>_<subject>` form. Pure. */
export function requireSpecName(field: string, value: unknown): string {
  if (typeof value !== "string" || !SPEC_NAME.test(value)) {
    throw new ConfigError(
      field,
      `must be <mark>_<subject> in lower case, got ${describe(value)}`,
      "name the chart after its mark and subject, e.g. \"line_replication_lag\" (it becomes the figure's file name)",
    );
  }
  return value;
}

/**
 * Throws unless `rows` is a non-empty array of objects. Pure. Returns shallow copies of the
 * rows, so a spec never shares objects with the caller: later changes to the caller's rows
 * do not change a built chart.
 */
export function requireRows(field: string, rows: unknown): readonly Row[] {
  if (!Array.isArray(rows)) {
    throw new ConfigError(field, `must be an array of rows (one object per point), got ${describe(rows)}`, "pass the tidy rows a metric returns");
  }
  if (rows.length === 0) {
    throw new ConfigError(field, "is empty, so the chart would be blank", "check the run produced data (time window, filters) before charting it");
  }
  rows.forEach((row, i) => {
    if (row === null || typeof row !== "object" || Array.isArray(row)) {
      throw new ConfigError(`${field}[${i}]`, `must be an object, got ${describe(row)}`, "make each row a plain object such as {time: 10, lag: 3}");
    }
  });
  return (rows as Row[]).map((row) => ({ ...row }));
}

/** Throws unless `value` is a non-empty field name. Pure. */
export function requireFieldName(field: string, value: unknown): string {
  return requireText(field, value, "give the name of a field of the rows, e.g. \"time\"");
}

/**
 * Throws unless every row has `name` set (not undefined). `option` is the builder option
 * that chose the field (`x`, `color`, ...), quoted in the message. Pure.
 */
export function requirePresentField(rowsField: string, rows: readonly Row[], name: string, option: string): void {
  rows.forEach((row, i) => {
    if (row[name] === undefined) {
      throw new ConfigError(
        `${rowsField}[${i}].${name}`,
        `is missing (${option}: ${JSON.stringify(name)}); the row is ${describe(row)}`,
        `give every row a ${JSON.stringify(name)} field, or set ${option} to a field the rows have`,
      );
    }
  });
}

/**
 * Throws unless every row's `name` is a finite number (and positive when `positive`, as a
 * log scale needs). NaN, Infinity, null and strings are rejected: they would draw nothing. Pure.
 */
export function requireNumericField(
  rowsField: string,
  rows: readonly Row[],
  name: string,
  option: string,
  positive = false,
): void {
  requirePresentField(rowsField, rows, name, option);
  rows.forEach((row, i) => {
    const v = row[name];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new ConfigError(
        `${rowsField}[${i}].${name}`,
        `must be a finite number, got ${describe(v)}`,
        "drop or fix rows without a value (e.g. rows.filter(r => Number.isFinite(r." + name + ")))",
      );
    }
    if (positive && v <= 0) {
      throw new ConfigError(
        `${rowsField}[${i}].${name}`,
        `must be > 0 on a log scale, got ${v}`,
        "use a linear scale, or drop the zero rows and say so in the text",
      );
    }
  });
}

/** Throws unless `value`, when given, is a field name present in every row. Pure. */
export function optionalField(rowsField: string, rows: readonly Row[], value: unknown, option: string): string | undefined {
  if (value === undefined) return undefined;
  const name = requireFieldName(option, value);
  requirePresentField(rowsField, rows, name, option);
  return name;
}

/** Throws unless `windows` is a list of fault windows with finite, ordered times. Pure. */
export function requireFaultWindows(field: string, windows: unknown): readonly FaultWindow[] {
  if (!Array.isArray(windows)) {
    throw new ConfigError(field, `must be a list of fault windows, got ${describe(windows)}`, "pass faultWindows(trace, endTime)");
  }
  windows.forEach((w: unknown, i) => {
    const o = (w ?? {}) as Record<string, unknown>;
    requireNumber(`${field}[${i}].start`, o.start);
    requireNumber(`${field}[${i}].end`, o.end, o.start as number);
    if (typeof o.label !== "string") {
      throw new ConfigError(`${field}[${i}].label`, `must be text, got ${describe(o.label)}`, "pass faultWindows(trace, endTime), which labels every window");
    }
  });
  return windows as readonly FaultWindow[];
}

/** Throws unless `domain` is [low, high] with low < high (both > 0 on a log scale). Pure. */
export function requireDomain(field: string, domain: unknown, positive: boolean): [number, number] {
  if (!Array.isArray(domain) || domain.length !== 2) {
    throw new ConfigError(field, `must be [low, high], got ${describe(domain)}`, "give two numbers, e.g. [0, 1]");
  }
  const low = requireNumber(`${field}[0]`, domain[0], positive ? Number.MIN_VALUE : -Infinity);
  const high = requireNumber(`${field}[1]`, domain[1]);
  if (!(high > low)) {
    throw new ConfigError(field, `must have low < high, got ${describe(domain)}`, "swap or widen the range");
  }
  return [low, high];
}
