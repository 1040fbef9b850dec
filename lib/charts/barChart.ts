/**
 * Grouped bar charts: one measure across categories (fsync policy, write concern,
 * strategy), bars side by side per group, optionally one panel per column value.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import type { TopLevelSpec } from "vega-lite";
import { requireOneOf } from "../errors.js";
import { asTopLevelSpec, skeleton, type CommonChartOptions, type SpecPart } from "./spec.js";
import { THEME } from "./theme.js";
import {
  optionalField,
  requireAxisTitle,
  requireDomain,
  requireFieldName,
  requireNumericField,
  requirePresentField,
  requireRows,
  type Row,
} from "./validate.js";

/** Options of `barChart`. */
export interface BarChartOptions extends CommonChartOptions {
  /** Tidy rows, one object per bar. */
  readonly rows: readonly Row[];
  /** Field of the category on the x axis; categories keep the order they first appear in. */
  readonly x: string;
  /** Field of the bar height (a finite number). */
  readonly y: string;
  /** Field that colours the bars; bars of different colours stand side by side. */
  readonly color?: string;
  /** Legend title of `color`; defaults to the field name. */
  readonly colorTitle?: string;
  /** Field that puts bars side by side within a category; defaults to `color`. */
  readonly group?: string;
  /** Field that splits the chart into one panel per value, left to right. */
  readonly column?: string;
  /** Axis titles with units, e.g. "write concern", "lost writes (count)". */
  readonly xTitle: string;
  readonly yTitle: string;
  /** "log" for quantities spanning orders of magnitude (all y must then be > 0). */
  readonly yScale?: "linear" | "log";
  /** Fixes the y axis range, e.g. [0, 1] for a fraction. */
  readonly yDomain?: readonly [number, number];
}

/**
 * A grouped bar chart spec. Pure: returns a new Vega-Lite v5 spec. Throws `ConfigError`
 * naming the field when a row lacks a field, a y is not finite, or the title is empty.
 */
export function barChart(opts: BarChartOptions): TopLevelSpec {
  const rows = requireRows("rows", opts.rows);
  const x = requireFieldName("x", opts.x);
  const y = requireFieldName("y", opts.y);
  const yScale = requireOneOf("yScale", opts.yScale ?? "linear", ["linear", "log"] as const);
  requirePresentField("rows", rows, x, "x");
  requireNumericField("rows", rows, y, "y", yScale === "log");
  const color = optionalField("rows", rows, opts.color, "color");
  const group = optionalField("rows", rows, opts.group, "group") ?? color;
  const column = optionalField("rows", rows, opts.column, "column");
  const xTitle = requireAxisTitle("xTitle", opts.xTitle);
  const yTitle = requireAxisTitle("yTitle", opts.yTitle);
  const top = skeleton(opts, `${opts.title}: ${yTitle} per ${xTitle}${group === undefined ? "" : `, grouped by ${group}`}.`);

  const yScaleSpec: SpecPart = { type: yScale };
  if (opts.yDomain !== undefined) yScaleSpec.domain = requireDomain("yDomain", opts.yDomain, yScale === "log");
  const categories = firstAppearance(rows, x);
  const encoding: SpecPart = {
    // Many categories: slant the labels so neighbours do not overprint.
    x: { field: x, type: "nominal", title: xTitle, sort: categories, axis: { labelAngle: categories.length > 6 ? -40 : 0 } },
    y: { field: y, type: "quantitative", title: yTitle, scale: yScaleSpec },
  };
  if (yScale === "log") {
    // A bar grows from zero, which a log scale cannot show: grow it from the power of ten
    // below the smallest value instead, and start the axis there.
    const min = Math.min(...rows.map((r) => r[y] as number));
    const baseline = Math.pow(10, Math.floor(Math.log10(min)));
    encoding.y2 = { datum: baseline };
    if (yScaleSpec.domain === undefined) yScaleSpec.domainMin = baseline;
  }
  const tooltip: SpecPart[] = [{ field: x, type: "nominal", title: xTitle }];
  if (color !== undefined) {
    encoding.color = { field: color, type: "nominal", title: opts.colorTitle ?? color, sort: firstAppearance(rows, color) };
  }
  if (group !== undefined) {
    encoding.xOffset = { field: group, type: "nominal", sort: firstAppearance(rows, group) };
    tooltip.push({ field: group, type: "nominal" });
  }
  let width: number = THEME.width;
  if (column !== undefined) {
    const panels = firstAppearance(rows, column);
    encoding.column = { field: column, type: "nominal", sort: panels, title: column };
    tooltip.push({ field: column, type: "nominal" });
    // Keep the whole figure about one theme width wide, however many panels it has.
    width = Math.max(120, Math.floor(THEME.width / panels.length));
  }
  tooltip.push({ field: y, type: "quantitative", title: yTitle });
  encoding.tooltip = tooltip;

  return asTopLevelSpec({
    ...top,
    width,
    height: THEME.height,
    data: { values: rows },
    mark: { type: "bar" },
    encoding,
  });
}

/** Distinct values of `field` in the order they first appear. Pure. */
function firstAppearance(rows: readonly Row[], field: string): unknown[] {
  const seen = new Set<unknown>();
  for (const r of rows) seen.add(r[field]);
  return [...seen];
}
