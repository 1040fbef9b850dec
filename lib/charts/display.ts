/**
 * Showing charts and tables in the notebook. This is the only module of lib/ that talks to
 * the Jupyter kernel; everything else returns data.
 *
 * A chart goes out as ONE display output carrying three forms of it: the Vega-Lite spec
 * (interactive in JupyterLab), the rendered SVG (for nbconvert's HTML export, GitHub and
 * viewers without Vega) and the title as text. tslab's public `display.raw` sends one form
 * per output, so this module calls the kernel's display writer directly.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { ConfigError, describe } from "../errors.js";
import { toSvg } from "./render.js";
import { VEGA_LITE_MIME } from "./spec.js";
import { tableHtml, tableText, type TableOptions } from "./table.js";
import type { Row } from "./validate.js";

/** A display message's content, as tslab's kernel sends it on the iopub channel. */
export interface DisplayContent {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient: Record<string, unknown>;
}
/** Sends one display message; `update: true` replaces the output with the same display_id. */
export type DisplayWriter = (content: DisplayContent, update: boolean) => void;

/**
 * The mime bundle of a chart: `application/vnd.vegalite.v5+json` (the spec as a JSON
 * object: as a string, JupyterLab's renderer takes it for a URL and shows "Javascript
 * Error: 404"), `image/svg+xml` (rendered by `toSvg`) and `text/plain` (the title).
 * Pure apart from rendering, which is deterministic.
 */
export async function displayBundle(spec: TopLevelSpec): Promise<Record<string, unknown>> {
  if (spec === null || typeof spec !== "object" || Array.isArray(spec)) {
    throw new ConfigError("spec", `must be a Vega-Lite spec object, got ${describe(spec)}`, "pass what a chart builder returns");
  }
  // A plain-JSON copy: what the kernel will send anyway, and no later mutation of the
  // caller's object can change what was shown.
  const json = JSON.parse(JSON.stringify(spec)) as Record<string, unknown>;
  const title = titleText(json);
  const description = typeof json.description === "string" && json.description.trim() !== "" ? json.description : title;
  return {
    [VEGA_LITE_MIME]: json,
    "image/svg+xml": withAltText(await toSvg(spec), title, description),
    "text/plain": title,
  };
}

/**
 * The SVG with alt text from the chart's title and description: `role="img"` and an
 * `aria-label` on the root element, and `<title>`/`<desc>` as its first children (what screen
 * readers, and browsers' tooltips, read in the HTML export and on GitHub). Pure.
 */
export function withAltText(svg: string, title: string, description: string): string {
  const open = /^<svg\b[^>]*>/.exec(svg);
  if (open === null) return svg;
  const tag = open[0].replace(/^<svg\b/, `<svg role="img" aria-label="${xmlEscape(description)}"`);
  return `${tag}<title>${xmlEscape(title)}</title><desc>${xmlEscape(description)}</desc>${svg.slice(open[0].length)}`;
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * Shows a chart in the notebook as one output (interactive Vega-Lite, SVG fallback,
 * title as text), under the cell that called it. Use it as `await show(spec)`, so a bad
 * spec fails its own cell. Outside a tslab kernel (plain Node,
 * tests, scripts) it does nothing and resolves; use `displayBundle` to get the output
 * itself. Resolves to nothing, so a cell ending in it prints no extra value.
 */
export async function show(spec: TopLevelSpec): Promise<void> {
  // Taken now, before rendering: the writer belongs to the cell that called show, and the
  // chart must land there even if the call was not awaited and the next cell has started.
  const write = kernelWriter();
  if (write === undefined) return;
  const data = await displayBundle(spec);
  write({ data, metadata: {}, transient: {} }, false);
}

/**
 * Shows rows as a table (HTML, with a plain-text fallback) in the notebook. Outside a tslab
 * kernel it does nothing. Throws `ConfigError` for empty rows or an empty title.
 */
export function showTable(rows: readonly Row[], opts: TableOptions): void {
  const data = { "text/html": tableHtml(rows, opts), "text/plain": tableText(rows, opts) };
  const write = kernelWriter();
  if (write !== undefined) write({ data, metadata: {}, transient: {} }, false);
}

/** Whether this code runs inside a tslab kernel that can display outputs. Reads process state. */
export function inKernel(): boolean {
  return kernelWriter() !== undefined;
}

/**
 * The kernel's display writer, or undefined outside a kernel. Internal to lib/charts (progress.ts
 * uses it; not exported from lib/index.ts). Reads process state.
 *
 * tslab keeps the writer of the cell being executed in `lastWriteDisplayData`, a live
 * export of its `tslab/dist/jupyter` module. Importing that module would hand us a copy
 * of its exports taken at import time (tslab compiles `import * as` to a snapshot), so
 * the writer of the first cell would be used for ever and later charts would go nowhere.
 * Instead we read the export from the already loaded module, found in Node's module cache
 * each time; importing nothing also means plain Node never loads the kernel's zeromq.
 */
export function kernelWriter(): DisplayWriter | undefined {
  const cache = createRequire(join(process.cwd(), "noop.js")).cache;
  for (const key of Object.keys(cache)) {
    if (!/[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(key)) continue;
    const write = (cache[key]?.exports as { lastWriteDisplayData?: unknown } | undefined)?.lastWriteDisplayData;
    if (typeof write === "function") return write as DisplayWriter;
  }
  return undefined;
}

/** The text of a spec's title (string, lines, or `{text}`), or its name. Pure. */
function titleText(spec: Record<string, unknown>): string {
  const title = spec.title as unknown;
  const text = (t: unknown): string => (Array.isArray(t) ? t.join(" ") : typeof t === "string" ? t : "");
  if (title !== null && typeof title === "object" && !Array.isArray(title)) {
    const o = title as { text?: unknown; subtitle?: unknown };
    const sub = text(o.subtitle);
    return sub === "" ? text(o.text) : `${text(o.text)} (${sub})`;
  }
  return text(title) || (typeof spec.name === "string" ? spec.name : "chart");
}
