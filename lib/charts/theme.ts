/**
 * The one look of every chart in the course: size, palette, fonts and the colour of fault
 * shading. Builders read it from here and nowhere else, so a lecture slide and a student's
 * notebook look the same, and a change here restyles every figure at once.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import type { Config } from "vega-lite";

/**
 * The categorical palette of Okabe and Ito ("Color Universal Design", 2008), reordered so
 * the first colours are the most distinct on white. It stays distinguishable under the
 * common colour-vision deficiencies (protanopia, deuteranopia, tritanopia); its yellow is
 * kept last because it is faint on a white background.
 */
export const PALETTE: readonly string[] = [
  "#0072B2", // blue
  "#E69F00", // orange
  "#009E73", // bluish green
  "#D55E00", // vermillion
  "#56B4E9", // sky blue
  "#CC79A7", // reddish purple
  "#000000", // black
  "#F0E442", // yellow
];

/** Outcome colours of client operations (Jepsen's ok / fail / info), from the same palette. */
export const OUTCOME_COLORS: Readonly<Record<"ok" | "fail" | "info", string>> = {
  ok: "#009E73",
  fail: "#D55E00",
  info: "#E69F00",
};

/** Size, fonts and fault shading shared by all builders. Pure data. */
export const THEME = {
  /** Plot area width in pixels (per facet when a chart has columns). */
  width: 560,
  /** Plot area height in pixels. */
  height: 280,
  /** Height in pixels of one lane (client process, node) in timelines and space-time diagrams. */
  laneStep: 28,
  /** One font family; "sans-serif" maps to DejaVu Sans when rendered to PNG. */
  font: "sans-serif",
  titleFontSize: 15,
  axisTitleFontSize: 12,
  labelFontSize: 11,
  /** Fill colour of fault windows (a crashed node, a partition), drawn behind the data. */
  faultColor: "#999999",
  faultOpacity: 0.22,
  /** Colour of fault labels and instant markers (clock skew). */
  faultTextColor: "#555555",
  /** Colour of the closed-form (theory) line in comparison charts, and of outlines. */
  theoryColor: "#000000",
  /** Colour of measured points in comparison charts. */
  measuredColor: "#0072B2",
  /** Background of every rendered chart. */
  background: "white",
} as const;

/**
 * The Vega-Lite `config` block every builder puts in its spec: it carries the theme
 * inside the spec, so JupyterLab, the SVG export and the PNG export draw the same chart.
 * Pure: returns a fresh object each call.
 */
export function themeConfig(): Config {
  return {
    background: THEME.background,
    font: THEME.font,
    view: { stroke: "#dddddd" },
    title: { fontSize: THEME.titleFontSize, anchor: "start", offset: 10 },
    axis: {
      titleFontSize: THEME.axisTitleFontSize,
      labelFontSize: THEME.labelFontSize,
      gridColor: "#eeeeee",
    },
    legend: { titleFontSize: THEME.axisTitleFontSize, labelFontSize: THEME.labelFontSize, titleLimit: 260, labelLimit: 260 },
    header: { titleFontSize: THEME.axisTitleFontSize, labelFontSize: THEME.labelFontSize },
    range: { category: [...PALETTE] },
    // Single-series marks take the palette's first colour, not Vega's default steel blue.
    mark: { color: PALETTE[0] },
    line: { strokeWidth: 2 },
  };
}
