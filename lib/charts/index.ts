/**
 * Charts: pure builders that return Vega-Lite v5 specs in one theme, fault windows to shade
 * behind them, rendering to SVG/PNG, and the one helper that shows a chart in the notebook.
 * Introduced in notebook 00 (getting started).
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
export { faultWindows, partitionLabel, type FaultWindow, type FaultWindowKind } from "./faultWindows.js";
export { lineChart, type LineChartOptions } from "./lineChart.js";
export { barChart, type BarChartOptions } from "./barChart.js";
export { compareChart, type CompareChartOptions } from "./compareChart.js";
export {
  histogramChart,
  cdfChart,
  cdfPoints,
  type HistogramChartOptions,
  type CdfChartOptions,
} from "./distributionCharts.js";
export { historyTimeline, timelineOps, type HistoryTimelineOptions, type TimelineOp } from "./historyTimeline.js";
export {
  spaceTimeDiagram,
  diagramMessages,
  messageLabels,
  spaceTimeWindow,
  DEFAULT_WINDOW_MESSAGES,
  type SpaceTimeOptions,
  type DiagramMessage,
  type LabelPlace,
} from "./spaceTimeDiagram.js";
export { tableHtml, tableText, type TableColumn, type TableOptions } from "./table.js";
export { toSvg, toPng, PNG_SCALE, type PngOptions } from "./render.js";
export { show, showTable, displayBundle, inKernel, withAltText } from "./display.js";
export { progress, progressText, type Progress } from "./progress.js";
export { extractFigures, renderFigure, fileSafeName, type NotebookFigure } from "./figures.js";
export { THEME, PALETTE, OUTCOME_COLORS, themeConfig } from "./theme.js";
export { VEGA_LITE_MIME, VEGA_LITE_SCHEMA, type CommonChartOptions } from "./spec.js";
export type { Row } from "./validate.js";
