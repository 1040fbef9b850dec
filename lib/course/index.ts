/**
 * Small helpers the course notebooks share (tables of trace events and state changes, a
 * window of a history for display).
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
export { traceRows, describeEvent, changeRows, shortText } from "./tables.js";
export { historyWindow } from "./historyWindow.js";
export type { TraceRow, TraceRowOptions, ChangeRow } from "./tables.js";
