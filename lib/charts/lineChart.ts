/**
 * Line charts: time series (lag over time, availability per window) and parameter sweeps
 * (lag against load), optionally with fault windows shaded behind the lines.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import type { TopLevelSpec } from "vega-lite";
import { requireOneOf } from "../errors.js";
import type { FaultWindow } from "./faultWindows.js";
import { naturalDistinct } from "./naturalOrder.js";
import { asTopLevelSpec, faultLayers, skeleton, themeSize, type CommonChartOptions, type SpecPart } from "./spec.js";
import {
  optionalField,
  requireAxisTitle,
  requireDomain,
  requireFaultWindows,
  requireFieldName,
  requireNumericField,
  requireRows,
  type Row,
} from "./validate.js";

/** Options of `lineChart`. */
export interface LineChartOptions extends CommonChartOptions {
  /** Tidy rows, one object per point. */
  readonly rows: readonly Row[];
  /** Field of the x value (a number: time in ms, load in ops/s, ...). */
  readonly x: string;
  /** Field of the y value (a finite number). */
  readonly y: string;
  /** Field whose values give one coloured line each (replica, policy, ...). */
  readonly color?: string;
  /** Legend title of `color`; defaults to the field name. */
  readonly colorTitle?: string;
  /** Field whose values give one dash pattern each (a second grouping beside colour). */
  readonly strokeDash?: string;
  /** Axis titles with units, e.g. "time (ms)", "lag (ms)". */
  readonly xTitle: string;
  readonly yTitle: string;
  /** Fault windows (from `faultWindows`) shaded behind the lines, labelled. */
  readonly faults?: readonly FaultWindow[];
  /** "log" for quantities spanning orders of magnitude (all y must then be > 0). */
  readonly yScale?: "linear" | "log";
  /** Fixes the y axis range, e.g. [0, 1] for a fraction. */
  readonly yDomain?: readonly [number, number];
  /** Draws a dot at every point as well (useful for sparse sweeps). */
  readonly points?: boolean;
  /** "step-after" draws a value as holding until the next point (counters, states). */
  readonly interpolate?: "linear" | "step-after" | "monotone";
}

/**
 * A line chart spec for a time series or a sweep. Pure: returns a new Vega-Lite v5 spec.
 * Throws `ConfigError` naming the field when a row lacks x or y, a y is not finite, or the
 * title is empty.
 */
export function lineChart(opts: LineChartOptions): TopLevelSpec {
  const rows = requireRows("rows", opts.rows);
  const x = requireFieldName("x", opts.x);
  const y = requireFieldName("y", opts.y);
  const yScale = requireOneOf("yScale", opts.yScale ?? "linear", ["linear", "log"] as const);
  requireNumericField("rows", rows, x, "x");
  requireNumericField("rows", rows, y, "y", yScale === "log");
  const color = optionalField("rows", rows, opts.color, "color");
  const dash = optionalField("rows", rows, opts.strokeDash, "strokeDash");
  const xTitle = requireAxisTitle("xTitle", opts.xTitle);
  const yTitle = requireAxisTitle("yTitle", opts.yTitle);
  const interpolate = requireOneOf("interpolate", opts.interpolate ?? "linear", ["linear", "step-after", "monotone"] as const);
  const windows = requireFaultWindows("faults", opts.faults ?? []);
  const top = skeleton(opts, `${opts.title}: ${yTitle} against ${xTitle}${color === undefined ? "" : `, one line per ${color}`}.`);

  const yScaleSpec: SpecPart = { type: yScale };
  if (opts.yDomain !== undefined) yScaleSpec.domain = requireDomain("yDomain", opts.yDomain, yScale === "log");

  const encoding: SpecPart = {
    x: { field: x, type: "quantitative", title: xTitle },
    y: { field: y, type: "quantitative", title: yTitle, scale: yScaleSpec },
  };
  const tooltip: SpecPart[] = [
    { field: x, type: "quantitative", title: xTitle },
    { field: y, type: "quantitative", title: yTitle },
  ];
  if (color !== undefined) {
    encoding.color = { field: color, type: "nominal", title: opts.colorTitle ?? color, sort: naturalDistinct(rows, color) };
    tooltip.unshift({ field: color, type: "nominal" });
  }
  if (dash !== undefined) {
    encoding.strokeDash = { field: dash, type: "nominal", sort: naturalDistinct(rows, dash) };
    tooltip.unshift({ field: dash, type: "nominal" });
  }
  encoding.tooltip = tooltip;

  const lines: SpecPart = {
    data: { values: rows },
    mark: { type: "line", interpolate, point: opts.points === true },
    encoding,
  };
  const fault = faultLayers(windows, xTitle);
  const body: SpecPart = windows.length === 0 ? lines : { layer: [...fault.shading, lines, ...fault.labels] };
  return asTopLevelSpec({ ...top, ...themeSize(), ...body });
}
