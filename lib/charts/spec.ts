/**
 * The parts every chart spec shares: the top-level skeleton ($schema, name, description,
 * title, theme) and the fault-shading layers. Builders compose these; nothing here is
 * exported from the charts entry point.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import type { TopLevelSpec } from "vega-lite";
import type { FaultWindow } from "./faultWindows.js";
import { THEME, themeConfig } from "./theme.js";
import { requireSpecName, requireTitle } from "./validate.js";

/** The Vega-Lite major version JupyterLab renders (v6 cannot load in the tslab kernel). */
export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** The mime type under which JupyterLab renders Vega-Lite 5 specs. */
export const VEGA_LITE_MIME = "application/vnd.vegalite.v5+json";

/** A piece of a Vega-Lite spec under construction; the schema test checks the result. */
export type SpecPart = Record<string, unknown>;

/** Options every builder takes. */
export interface CommonChartOptions {
  /** The chart's title, shown above it and used as its plain-text form. Required. */
  readonly title: string;
  /** Spec name in `<mark>_<subject>` form, e.g. `line_replication_lag`; names the figure file. */
  readonly name: string;
  /** A second title line, e.g. the run's parameters. */
  readonly subtitle?: string;
  /** One sentence for screen readers and the spec's `description`; a default is derived. */
  readonly description?: string;
}

/** Checks the common options and returns the spec's top-level fields. Pure. */
export function skeleton(opts: CommonChartOptions, defaultDescription: string): SpecPart {
  const title = requireTitle("title", opts.title);
  const name = requireSpecName("name", opts.name);
  const description = opts.description !== undefined && opts.description.trim() !== "" ? opts.description : defaultDescription;
  return {
    $schema: VEGA_LITE_SCHEMA,
    name,
    description,
    title: opts.subtitle === undefined ? title : { text: title, subtitle: opts.subtitle },
    config: themeConfig(),
  };
}

/** The theme's plot size. Pure. */
export function themeSize(): SpecPart {
  return { width: THEME.width, height: THEME.height };
}

/** Casts a finished spec object to Vega-Lite's type (the schema test checks the shape). Pure. */
export function asTopLevelSpec(spec: SpecPart): TopLevelSpec {
  return spec as unknown as TopLevelSpec;
}

/** How many label rows fault labels are staggered over, so neighbouring labels do not overprint. */
const FAULT_LABEL_ROWS = 3;
/** Pixels between staggered label rows (one line of label text). */
export const FAULT_LABEL_ROW_HEIGHT = 12;

/** The layers that show fault windows: shading goes under the data, labels over it. */
export interface FaultLayers {
  readonly shading: SpecPart[];
  readonly labels: SpecPart[];
}

/**
 * Layers that shade fault windows over the full height of a chart whose x axis is time:
 * a grey band per interval, a dashed rule per instant (clock skew), and the labels along
 * the top. Callers put `shading` first in their layer list and `labels` last, so the data
 * is drawn over the shading and no line hides a label. Pure; no layers for no windows.
 */
export function faultLayers(windows: readonly FaultWindow[], xTitle: string): FaultLayers {
  if (windows.length === 0) return { shading: [], labels: [] };
  const rows = windows.map((w, i) => ({
    fault_start: w.start,
    fault_end: w.end,
    fault: w.label,
    fault_kind: w.kind,
    label_row: i % FAULT_LABEL_ROWS,
  }));
  const x = { field: "fault_start", type: "quantitative", title: xTitle };
  const tooltip = [
    { field: "fault", type: "nominal", title: "fault" },
    { field: "fault_start", type: "quantitative", title: "from (ms)" },
    { field: "fault_end", type: "quantitative", title: "to (ms)" },
  ];
  const shading: SpecPart[] = [];
  const intervals = rows.filter((r) => r.fault_end > r.fault_start);
  const instants = rows.filter((r) => r.fault_end === r.fault_start);
  if (intervals.length > 0) {
    shading.push({
      data: { values: intervals },
      mark: { type: "rect", color: THEME.faultColor, opacity: THEME.faultOpacity },
      encoding: { x, x2: { field: "fault_end" }, tooltip },
    });
  }
  if (instants.length > 0) {
    shading.push({
      data: { values: instants },
      mark: { type: "rule", color: THEME.faultTextColor, strokeDash: [4, 3] },
      encoding: { x, tooltip },
    });
  }
  // One text layer per label row: a pixel offset per row keeps labels of neighbouring
  // windows apart without knowing how wide the labels will be.
  const labels: SpecPart[] = [];
  for (let row = 0; row < FAULT_LABEL_ROWS; row++) {
    const inRow = rows.filter((r) => r.label_row === row);
    if (inRow.length === 0) continue;
    labels.push({
      data: { values: inRow },
      mark: { type: "text", align: "left", baseline: "top", dx: 3, fontSize: THEME.labelFontSize - 1, color: THEME.faultTextColor },
      encoding: { x, y: { value: 2 + row * FAULT_LABEL_ROW_HEIGHT }, text: { field: "fault" } },
    });
  }
  return { shading, labels };
}
