/**
 * Simulation against theory on one pair of axes: measured points (with confidence
 * intervals) over the closed-form curve, so a student sees at a glance whether the model
 * explains the experiment (e.g. probability of losing data against replication factor).
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import type { TopLevelSpec } from "vega-lite";
import { ConfigError, requireOneOf } from "../errors.js";
import { naturalCompare } from "./naturalOrder.js";
import { asTopLevelSpec, skeleton, themeSize, type CommonChartOptions, type SpecPart } from "./spec.js";
import { THEME } from "./theme.js";
import {
  optionalField,
  requireAxisTitle,
  requireDomain,
  requireFieldName,
  requireNumericField,
  requireRows,
  requireText,
  type Row,
} from "./validate.js";

/** Options of `compareChart`. */
export interface CompareChartOptions extends CommonChartOptions {
  /** Measured rows (one per simulated point), drawn as dots. */
  readonly measured: readonly Row[];
  /** Closed-form rows (as many x as needed for a smooth curve), drawn as a dashed line. */
  readonly theory: readonly Row[];
  /** Field of x in both row sets. */
  readonly x: string;
  /** Field of y in both row sets. */
  readonly y: string;
  /** Fields of the measured rows' confidence interval; give both to draw error bars. */
  readonly ciLow?: string;
  readonly ciHigh?: string;
  /** Field (in both row sets) giving one colour per series, e.g. replication factor. */
  readonly series?: string;
  /** Legend title of `series`; defaults to the field name. */
  readonly seriesTitle?: string;
  /** Axis titles with units. */
  readonly xTitle: string;
  readonly yTitle: string;
  readonly xScale?: "linear" | "log";
  readonly yScale?: "linear" | "log";
  readonly yDomain?: readonly [number, number];
  /** Legend words for the two sources; "simulation" and "closed form" by default. */
  readonly measuredLabel?: string;
  readonly theoryLabel?: string;
}

/**
 * A spec comparing measured points to a closed-form line on the same axes; the legend
 * tells "simulation" from "closed form". Pure. Throws `ConfigError` naming the field for
 * missing or non-finite x, y or interval values, or an interval with low > high.
 */
export function compareChart(opts: CompareChartOptions): TopLevelSpec {
  const measured = requireRows("measured", opts.measured);
  const theory = requireRows("theory", opts.theory);
  const x = requireFieldName("x", opts.x);
  const y = requireFieldName("y", opts.y);
  const xScale = requireOneOf("xScale", opts.xScale ?? "linear", ["linear", "log"] as const);
  const yScale = requireOneOf("yScale", opts.yScale ?? "linear", ["linear", "log"] as const);
  for (const [name, rows] of [["measured", measured], ["theory", theory]] as const) {
    requireNumericField(name, rows, x, "x", xScale === "log");
    requireNumericField(name, rows, y, "y", yScale === "log");
  }
  const series = optionalField("measured", measured, opts.series, "series");
  if (series !== undefined) optionalField("theory", theory, series, "series");
  const ci = requireInterval(measured, opts.ciLow, opts.ciHigh, yScale === "log");
  const xTitle = requireAxisTitle("xTitle", opts.xTitle);
  const yTitle = requireAxisTitle("yTitle", opts.yTitle);
  const measuredLabel = requireText("measuredLabel", opts.measuredLabel ?? "simulation", "name the measured source, e.g. \"simulation\"");
  const theoryLabel = requireText("theoryLabel", opts.theoryLabel ?? "closed form", "name the formula, e.g. \"closed form\"");
  const top = skeleton(opts, `${opts.title}: ${yTitle} against ${xTitle}, ${measuredLabel} (points) and ${theoryLabel} (line).`);

  const yScaleSpec: SpecPart = { type: yScale };
  if (opts.yDomain !== undefined) yScaleSpec.domain = requireDomain("yDomain", opts.yDomain, yScale === "log");
  const xEnc = { field: x, type: "quantitative", title: xTitle, scale: { type: xScale } };
  const yEnc = { field: y, type: "quantitative", title: yTitle, scale: yScaleSpec };
  const source = "source";
  const tag = (rows: readonly Row[], label: string): Row[] => rows.map((r) => ({ ...r, [source]: label }));

  // Colour is the series when there is one; otherwise each source has its theme colour.
  const colorOf = (fixed: string): SpecPart =>
    series === undefined
      ? { value: fixed }
      : {
          field: series,
          type: "nominal",
          title: opts.seriesTitle ?? series,
          sort: [...new Set([...measured, ...theory].map((r) => r[series]))].sort(naturalCompare),
        };
  // The sources are told apart by mark: a dashed line for the formula, dots for the
  // simulation. Encoding that on strokeDash and shape gives each its own legend entry.
  const theoryLayer: SpecPart = {
    data: { values: tag(theory, theoryLabel) },
    mark: { type: "line", strokeWidth: 1.5 },
    encoding: {
      x: xEnc,
      y: yEnc,
      color: colorOf(THEME.theoryColor),
      strokeDash: { field: source, type: "nominal", title: null, scale: { domain: [theoryLabel], range: [[6, 3]] } },
      tooltip: tooltipFor(x, y, xTitle, yTitle, series, undefined, source),
    },
  };
  const measuredPoints: SpecPart = {
    mark: { type: "point", filled: true, size: 50, opacity: 1 },
    encoding: {
      x: xEnc,
      y: yEnc,
      color: colorOf(THEME.measuredColor),
      shape: { field: source, type: "nominal", title: null, scale: { domain: [measuredLabel], range: ["circle"] } },
      tooltip: tooltipFor(x, y, xTitle, yTitle, series, ci, source),
    },
  };
  const measuredLayers: SpecPart[] = [measuredPoints];
  if (ci !== undefined) {
    measuredLayers.unshift({
      mark: { type: "errorbar", ticks: true },
      encoding: {
        x: xEnc,
        y: { field: ci.low, type: "quantitative", title: yTitle, scale: yScaleSpec },
        y2: { field: ci.high },
        color: colorOf(THEME.measuredColor),
      },
    });
  }
  return asTopLevelSpec({
    ...top,
    ...themeSize(),
    layer: [theoryLayer, { data: { values: tag(measured, measuredLabel) }, layer: measuredLayers }],
  });
}

function tooltipFor(
  x: string,
  y: string,
  xTitle: string,
  yTitle: string,
  series: string | undefined,
  ci: { low: string; high: string } | undefined,
  source: string,
): SpecPart[] {
  const t: SpecPart[] = [{ field: source, type: "nominal" }];
  if (series !== undefined) t.push({ field: series, type: "nominal" });
  t.push({ field: x, type: "quantitative", title: xTitle }, { field: y, type: "quantitative", title: yTitle });
  if (ci !== undefined) t.push({ field: ci.low, type: "quantitative" }, { field: ci.high, type: "quantitative" });
  return t;
}

/** Validates the optional confidence-interval fields of the measured rows. Pure. */
function requireInterval(
  rows: readonly Row[],
  low: string | undefined,
  high: string | undefined,
  positive: boolean,
): { low: string; high: string } | undefined {
  if (low === undefined && high === undefined) return undefined;
  if (low === undefined || high === undefined) {
    throw new ConfigError(low === undefined ? "ciLow" : "ciHigh", "is missing while the other bound is given", "give both ciLow and ciHigh (e.g. \"ci_low\", \"ci_high\"), or neither");
  }
  const lo = requireFieldName("ciLow", low);
  const hi = requireFieldName("ciHigh", high);
  requireNumericField("measured", rows, lo, "ciLow", positive);
  requireNumericField("measured", rows, hi, "ciHigh", positive);
  rows.forEach((r, i) => {
    if ((r[lo] as number) > (r[hi] as number)) {
      throw new ConfigError(`measured[${i}].${lo}`, `is ${r[lo]}, above ${hi} = ${r[hi]}`, "swap the bounds: ciLow is the lower end of the interval");
    }
  });
  return { low: lo, high: hi };
}
