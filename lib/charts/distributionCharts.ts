/**
 * Distributions of a measure, mostly latencies: a histogram to see the shape and a CDF to
 * read percentiles (the tail is what a quorum or a failover makes worse).
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import type { TopLevelSpec } from "vega-lite";
import { ConfigError, describe, requireInteger, requireOneOf } from "../errors.js";
import { quantileSorted } from "../stats.js";
import { naturalCompare } from "./naturalOrder.js";
import { asTopLevelSpec, skeleton, themeSize, type CommonChartOptions, type SpecPart } from "./spec.js";
import { THEME } from "./theme.js";
import { optionalField, requireAxisTitle, requireFieldName, requireNumericField, requireRows, type Row } from "./validate.js";

/** Options both distribution charts take: observations of one measured field. */
export interface ObservationChartOptions extends CommonChartOptions {
  /** Tidy rows, one per observation (e.g. one per completed op). */
  readonly rows: readonly Row[];
  /** Field of the measured value, e.g. `latency`. */
  readonly field: string;
  /** Field that splits observations into coloured groups (one histogram or CDF each). */
  readonly color?: string;
  readonly colorTitle?: string;
  /** Axis title of the value, with unit, e.g. "latency (ms)". */
  readonly xTitle: string;
  /** Axis title of the counts or fractions (each chart has a default). */
  readonly yTitle?: string;
}

/** Options of `histogramChart`; the y axis defaults to "count (ops)". */
export interface HistogramChartOptions extends ObservationChartOptions {
  /** Upper bound on the number of bins (Vega-Lite picks round bin edges); 40 by default. */
  readonly maxBins?: number;
}

/**
 * A histogram spec: counts of observations per bin. Pure. Throws `ConfigError` naming the
 * field when a row lacks the field or holds a non-finite value, or the title is empty.
 */
export function histogramChart(opts: HistogramChartOptions): TopLevelSpec {
  const rows = requireRows("rows", opts.rows);
  const field = requireFieldName("field", opts.field);
  requireNumericField("rows", rows, field, "field");
  const color = optionalField("rows", rows, opts.color, "color");
  const xTitle = requireAxisTitle("xTitle", opts.xTitle);
  const yTitle = requireAxisTitle("yTitle", opts.yTitle ?? "count (ops)");
  const maxBins = requireInteger("maxBins", opts.maxBins ?? 40, 2, 1000);
  const top = skeleton(opts, `${opts.title}: histogram of ${xTitle}${color === undefined ? "" : ` per ${color}`}.`);

  const encoding: SpecPart = {
    x: { field, type: "quantitative", bin: { maxbins: maxBins }, title: xTitle },
    y: { aggregate: "count", type: "quantitative", title: yTitle, stack: null },
    tooltip: [
      { field, type: "quantitative", bin: { maxbins: maxBins }, title: xTitle },
      { aggregate: "count", type: "quantitative", title: yTitle },
    ],
  };
  if (color !== undefined) {
    encoding.color = { field: color, type: "nominal", title: opts.colorTitle ?? color, sort: distinctSorted(rows, color) };
    (encoding.tooltip as SpecPart[]).unshift({ field: color, type: "nominal" });
  }
  return asTopLevelSpec({
    ...top,
    ...themeSize(),
    data: { values: rows },
    // Overlaid, not stacked: each group's shape stays readable; translucency shows overlap.
    mark: { type: "bar", opacity: color === undefined ? 1 : 0.55, binSpacing: 1 },
    encoding,
  });
}

/** Options of `cdfChart`; the y axis defaults to "fraction of ops ≤ x". */
export interface CdfChartOptions extends ObservationChartOptions {
  /** "log" spreads out a long tail (all values must then be > 0). */
  readonly xScale?: "linear" | "log";
  /** Percentiles to mark with a vertical rule and label, as fractions, e.g. [0.5, 0.99]. */
  readonly percentiles?: readonly number[];
  /** Most points drawn per group; larger samples are thinned evenly. 1000 by default. */
  readonly maxPoints?: number;
}

/** Field names of the computed CDF rows. */
const FRACTION = "cumulative_fraction";
const PERCENTILE = "percentile";
const LABEL_Y = "label_y";

/**
 * A CDF spec: for each value v, the fraction of observations ≤ v, drawn as a step line
 * over the sorted values, with optional percentile rules. The CDF is computed here (not in
 * Vega), so the points are exact and the spec small. Pure. Throws `ConfigError` naming the
 * field for missing or non-finite values, or a percentile outside (0, 1].
 */
export function cdfChart(opts: CdfChartOptions): TopLevelSpec {
  const rows = requireRows("rows", opts.rows);
  const field = requireFieldName("field", opts.field);
  const xScale = requireOneOf("xScale", opts.xScale ?? "linear", ["linear", "log"] as const);
  requireNumericField("rows", rows, field, "field", xScale === "log");
  const color = optionalField("rows", rows, opts.color, "color");
  const xTitle = requireAxisTitle("xTitle", opts.xTitle);
  const yTitle = requireAxisTitle("yTitle", opts.yTitle ?? "fraction of ops ≤ x");
  const maxPoints = requireInteger("maxPoints", opts.maxPoints ?? 1000, 2);
  const percentiles = (opts.percentiles ?? []).map((p, i) => {
    if (typeof p !== "number" || !(p > 0 && p <= 1)) {
      throw new ConfigError(`percentiles[${i}]`, `must be a fraction in (0, 1], got ${describe(p)}`, "write the 99th percentile as 0.99");
    }
    return p;
  });
  const top = skeleton(opts, `${opts.title}: cumulative distribution of ${xTitle}${color === undefined ? "" : ` per ${color}`}.`);

  const groups = new Map<unknown, number[]>();
  for (const r of rows) {
    const g = color === undefined ? null : r[color];
    const list = groups.get(g) ?? [];
    list.push(r[field] as number);
    groups.set(g, list);
  }
  const curve: Row[] = [];
  const marks: Row[] = [];
  for (const [g, values] of [...groups.entries()].sort((a, b) => naturalCompare(a[0], b[0]))) {
    const sorted = [...values].sort((a, b) => a - b);
    for (const [value, fraction] of cdfPoints(sorted, maxPoints)) {
      curve.push(color === undefined ? { [field]: value, [FRACTION]: fraction } : { [color]: g, [field]: value, [FRACTION]: fraction });
    }
    for (const p of percentiles) {
      const label = `p${formatPercent(p)}`;
      const value = quantileSorted(sorted, p);
      // Labels of nearby rules are staggered down from the top so they do not overprint.
      const labelY = 0.99 - 0.06 * (marks.length % 3);
      const mark = { [PERCENTILE]: label, [field]: value, [LABEL_Y]: labelY };
      marks.push(color === undefined ? mark : { [color]: g, ...mark });
    }
  }

  const xEnc = { field, type: "quantitative", title: xTitle, scale: { type: xScale } };
  const colorEnc: SpecPart | undefined =
    color === undefined ? undefined : { field: color, type: "nominal", title: opts.colorTitle ?? color, sort: distinctSorted(rows, color) };
  const line: SpecPart = {
    data: { values: curve },
    mark: { type: "line", interpolate: "step-after" },
    encoding: {
      x: xEnc,
      y: { field: FRACTION, type: "quantitative", title: yTitle, scale: { domain: [0, 1] } },
      ...(colorEnc === undefined ? {} : { color: colorEnc }),
      tooltip: [
        ...(color === undefined ? [] : [{ field: color, type: "nominal" }]),
        { field, type: "quantitative", title: xTitle },
        { field: FRACTION, type: "quantitative", title: yTitle, format: ".3f" },
      ],
    },
  };
  const layers: SpecPart[] = [line];
  if (marks.length > 0) {
    const tooltip = [
      ...(color === undefined ? [] : [{ field: color, type: "nominal" }]),
      { field: PERCENTILE, type: "nominal" },
      { field, type: "quantitative", title: xTitle },
    ];
    layers.push({
      data: { values: marks },
      layer: [
        {
          mark: { type: "rule", strokeDash: [4, 3], ...(colorEnc === undefined ? { color: THEME.faultTextColor } : {}) },
          encoding: { x: xEnc, ...(colorEnc === undefined ? {} : { color: colorEnc }), tooltip },
        },
        {
          mark: { type: "text", align: "left", baseline: "top", dx: 3, fontSize: THEME.labelFontSize - 1, color: THEME.faultTextColor },
          encoding: { x: xEnc, y: { field: LABEL_Y, type: "quantitative", title: yTitle }, text: { field: PERCENTILE } },
        },
      ],
    });
  }
  return asTopLevelSpec({ ...top, ...themeSize(), layer: layers });
}


/**
 * Points (value, fraction ≤ value) of the empirical CDF of ascending `sorted`, one per
 * distinct value (the last occurrence carries the fraction), thinned evenly to at most
 * `maxPoints` while keeping the first and last. Pure.
 */
export function cdfPoints(sorted: readonly number[], maxPoints: number): [number, number][] {
  const n = sorted.length;
  const all: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    if (i + 1 < n && sorted[i + 1] === sorted[i]) continue;
    all.push([sorted[i], (i + 1) / n]);
  }
  if (all.length <= maxPoints) return all;
  const out: [number, number][] = [];
  for (let k = 0; k < maxPoints; k++) out.push(all[Math.round((k * (all.length - 1)) / (maxPoints - 1))]);
  return out;
}

function distinctSorted(rows: readonly Row[], field: string): unknown[] {
  return [...new Set(rows.map((r) => r[field]))].sort(naturalCompare);
}

/** 0.5 → "50", 0.99 → "99", 0.999 → "99.9". */
function formatPercent(p: number): string {
  return String(Number((p * 100).toFixed(4)));
}
