/**
 * Figures of an executed notebook: the Vega-Lite specs its cells displayed, in order,
 * with the file names `npm run figures` gives them. Pure functions over notebook JSON
 * (nbformat 4), so the lecture figures come from exactly what the notebook showed.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import type { TopLevelSpec } from "vega-lite";
import { ConfigError, describe } from "../errors.js";
import { toPng, toSvg } from "./render.js";
import { VEGA_LITE_MIME } from "./spec.js";

/** One chart found in a notebook's outputs. Plain data. */
export interface NotebookFigure {
  /** 1-based position among the notebook's charts. */
  readonly nn: number;
  /** The spec's `name`, made safe for a file name; "chart" when it has none. */
  readonly name: string;
  /** File name without extension: `<NN>-<name>`, e.g. `01-line_replication_lag`. */
  readonly file: string;
  /** 0-based index of the cell that displayed it. */
  readonly cell: number;
  readonly spec: TopLevelSpec;
}

/**
 * The Vega-Lite v5 specs displayed by an executed notebook, in cell and output order.
 * Reads `display_data`, `update_display_data` and `execute_result` outputs; a spec stored
 * as a JSON string is parsed. Pure. Throws `ConfigError` if the JSON is not a notebook.
 */
export function extractFigures(notebook: unknown): NotebookFigure[] {
  const cells = (notebook as { cells?: unknown } | null)?.cells;
  if (!Array.isArray(cells)) {
    throw new ConfigError("notebook.cells", `must be a list of cells, got ${describe(cells)}`, "pass the parsed JSON of an .ipynb file (nbformat 4)");
  }
  const figures: NotebookFigure[] = [];
  cells.forEach((cell: unknown, cellIndex) => {
    const outputs = (cell as { outputs?: unknown } | null)?.outputs;
    if (!Array.isArray(outputs)) return;
    for (const output of outputs as unknown[]) {
      const o = output as { output_type?: unknown; data?: Record<string, unknown> } | null;
      if (o === null || typeof o !== "object") continue;
      if (o.output_type !== "display_data" && o.output_type !== "execute_result" && o.output_type !== "update_display_data") continue;
      const raw = o.data?.[VEGA_LITE_MIME];
      if (raw === undefined) continue;
      const spec = typeof raw === "string" ? parseSpec(raw, cellIndex) : raw;
      if (spec === null || typeof spec !== "object") continue;
      const nn = figures.length + 1;
      const name = fileSafeName((spec as { name?: unknown }).name);
      figures.push({ nn, name, file: `${String(nn).padStart(2, "0")}-${name}`, cell: cellIndex, spec: spec as TopLevelSpec });
    }
  });
  return figures;
}

/** Renders one figure to SVG text and PNG bytes. Deterministic: same spec, same bytes. */
export async function renderFigure(spec: TopLevelSpec): Promise<{ svg: string; png: Uint8Array }> {
  const svg = await toSvg(spec);
  return { svg, png: await toPng(svg) };
}

/** A spec name as a file name: letters, digits, `_`, `-`, `.` kept, the rest `_`. Pure. */
export function fileSafeName(name: unknown): string {
  if (typeof name !== "string" || name.trim() === "") return "chart";
  return name.trim().replace(/[^A-Za-z0-9_.-]/g, "_").replace(/^\.+/, "_").slice(0, 100);
}

function parseSpec(text: string, cellIndex: number): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ConfigError(`notebook.cells[${cellIndex}]`, `holds a ${VEGA_LITE_MIME} output that is not JSON`, "display specs with charts.show, which sends the spec as a JSON object");
  }
}
