/**
 * Tables of tidy rows as HTML and as plain text, for what reads better as numbers than as
 * a picture: the difference between two moments of a run, a summary per strategy. HTML
 * shows in JupyterLab and in nbconvert's HTML export; the text form is the fallback.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import { ConfigError, describe, requireInteger } from "../errors.js";
import { requireRows, requireTitle, type Row } from "./validate.js";

/** A column: a field name, or a field with its header (say the unit: "lag (ms)"). */
export type TableColumn = string | { readonly field: string; readonly title: string };

/** Options of `tableHtml` and `tableText`. */
export interface TableOptions {
  /** The caption above the table. Required. */
  readonly title: string;
  /** Columns in order; by default every field of the rows, in the order first seen. */
  readonly columns?: readonly TableColumn[];
  /** Row indices to emphasise, e.g. the rows that changed between two moments. */
  readonly highlight?: readonly number[];
}

interface ResolvedTable {
  readonly title: string;
  readonly columns: readonly { field: string; title: string }[];
  readonly cells: readonly (readonly string[])[];
  readonly numeric: readonly boolean[];
  readonly highlight: ReadonlySet<number>;
}

/**
 * An HTML `<table>` of `rows`, with a caption, numbers right-aligned and highlighted rows
 * in bold on a pale background. All text is escaped. Pure.
 */
export function tableHtml(rows: readonly Row[], opts: TableOptions): string {
  const t = resolve(rows, opts);
  const cell = (tag: string, text: string, right: boolean): string =>
    `<${tag} style="text-align:${right ? "right" : "left"};padding:2px 8px">${escapeHtml(text)}</${tag}>`;
  const head = t.columns.map((c, j) => cell("th", c.title, t.numeric[j])).join("");
  const body = t.cells
    .map((r, i) => {
      const style = t.highlight.has(i) ? ' style="font-weight:bold;background:#fff3c4"' : "";
      return `<tr${style}>${r.map((v, j) => cell("td", v, t.numeric[j])).join("")}</tr>`;
    })
    .join("\n");
  return (
    `<table style="border-collapse:collapse;font-family:sans-serif;font-size:13px">\n` +
    `<caption style="text-align:left;font-weight:bold;padding:4px 0">${escapeHtml(t.title)}</caption>\n` +
    `<thead><tr style="border-bottom:1px solid #999">${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`
  );
}

/** The same table as aligned plain text; highlighted rows start with `*`. Pure. */
export function tableText(rows: readonly Row[], opts: TableOptions): string {
  const t = resolve(rows, opts);
  const widths = t.columns.map((c, j) => Math.max(c.title.length, ...t.cells.map((r) => r[j].length)));
  const line = (values: readonly string[], mark: string): string =>
    mark + values.map((v, j) => (t.numeric[j] ? v.padStart(widths[j]) : v.padEnd(widths[j]))).join("  ").trimEnd();
  return [
    t.title,
    line(t.columns.map((c) => c.title), "  "),
    line(widths.map((w) => "-".repeat(w)), "  "),
    ...t.cells.map((r, i) => line(r, t.highlight.has(i) ? "* " : "  ")),
  ].join("\n");
}

function resolve(rowsIn: readonly Row[], opts: TableOptions): ResolvedTable {
  const rows = requireRows("rows", rowsIn);
  const title = requireTitle("title", opts?.title);
  let columns: { field: string; title: string }[];
  if (opts.columns === undefined) {
    const seen = new Set<string>();
    for (const r of rows) for (const k of Object.keys(r)) seen.add(k);
    columns = [...seen].map((f) => ({ field: f, title: f }));
  } else {
    columns = opts.columns.map((c, i) => {
      if (typeof c === "string" && c !== "") return { field: c, title: c };
      if (c !== null && typeof c === "object" && typeof c.field === "string" && typeof c.title === "string") return { field: c.field, title: c.title };
      throw new ConfigError(`columns[${i}]`, `must be a field name or {field, title}, got ${describe(c)}`, "e.g. [\"key\", {field: \"lag\", title: \"lag (ms)\"}]");
    });
  }
  const highlight = new Set((opts.highlight ?? []).map((h, i) => requireInteger(`highlight[${i}]`, h, 0, rows.length - 1)));
  const cells = rows.map((r) => columns.map((c) => formatCell(r[c.field])));
  const numeric = columns.map((c) => rows.every((r) => typeof r[c.field] === "number" || r[c.field] == null));
  return { title, columns, cells, numeric, highlight };
}

/** A cell's text: numbers to 6 significant digits, absent values empty, objects as JSON. */
function formatCell(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  if (typeof v === "string") return v;
  if (typeof v === "boolean" || typeof v === "bigint") return String(v);
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

/** Escapes text for HTML element content and attribute values. Pure. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}
