/**
 * Space-time (Lamport) diagrams of a trace: one horizontal lane per node or client, time
 * running left to right, a line per message from its send on the sender's lane to its
 * delivery on the receiver's lane (Lamport, "Time, Clocks, and the Ordering of Events in a
 * Distributed System", CACM 1978, Fig. 1, turned on its side so time reads like the other
 * charts). Lost messages end in a cross short of
 * their receiver, at their drop time.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import type { TopLevelSpec } from "vega-lite";
import { ConfigError, describe, requireInteger, requireNumber } from "../errors.js";
import type { DeliverEvent, DropEvent, NodeId, SendEvent, Trace } from "../sim/trace.js";
import { faultWindows } from "./faultWindows.js";
import { naturalCompare } from "./naturalOrder.js";
import { asTopLevelSpec, faultLayers, skeleton, type SpecPart } from "./spec.js";
import { THEME } from "./theme.js";
import { requireTitle, type Row } from "./validate.js";

/** How far (in lanes) a dropped message's line stops short of its receiver's lane. */
const DROP_GAP = 0.35;
/** Messages sent in the default window: enough to see a pattern, few enough to follow each. */
export const DEFAULT_WINDOW_MESSAGES = 40;
/** Font size of the message labels (px). */
const LABEL_FONT = THEME.labelFontSize - 2;
/** Average glyph width of the label font as a share of its size (sans-serif, lower case). */
const GLYPH_WIDTH = 0.6;

/** Options of `spaceTimeDiagram`. */
export interface SpaceTimeOptions {
  /**
   * The time window drawn (ms). By default it starts at the first message and ends where the
   * `DEFAULT_WINDOW_MESSAGES`+1-th message after `from` is sent (at least at the first arrival),
   * so the diagram shows a few dozen messages that can each be followed.
   */
  readonly from?: number;
  readonly to?: number;
  /** Lanes to draw, top to bottom; by default every sender and receiver seen, in natural order. */
  readonly nodes?: readonly NodeId[];
  readonly title: string;
  /** `<mark>_<subject>` name; "rule_space_time" by default. */
  readonly name?: string;
  readonly subtitle?: string;
  readonly description?: string;
  /**
   * Writes the message type on the lines: `true` on every line, `false` on none. By default
   * ("auto") on as many as fit without two labels overlapping (`messageLabels`); the colour
   * legend and each line's tooltip name every message anyway.
   */
  readonly labels?: boolean | "auto";
  /** Refuses windows with more messages than this (unreadable and heavy); 2000 by default. */
  readonly maxMessages?: number;
}

/** One message drawn in a space-time diagram. Plain data. */
export interface DiagramMessage {
  readonly id: number;
  readonly msg: string;
  readonly src: NodeId;
  readonly dest: NodeId;
  readonly sent: number;
  /** Delivery or drop time (ms). */
  readonly arrived: number;
  readonly outcome: "delivered" | "dropped";
  /** Why it was dropped; empty when delivered. */
  readonly reason: string;
}

/**
 * The messages of `trace` whose flight overlaps [from, to]: each delivery and each drop
 * matched to its send by `id` (a duplicated message gives one entry per delivery). Sends
 * never delivered nor dropped in the trace (still in flight at its end) are left out. Pure.
 */
export function diagramMessages(trace: Trace, from: number, to: number): DiagramMessage[] {
  const sends = new Map<number, SendEvent>();
  for (const ev of trace) if (ev.type === "send") sends.set(ev.id, ev);
  const out: DiagramMessage[] = [];
  for (const ev of trace) {
    if (ev.type !== "deliver" && ev.type !== "drop") continue;
    const send = sends.get(ev.id);
    if (send === undefined || send.t > to || ev.t < from) continue;
    out.push(messageOf(send, ev));
  }
  return out.sort((a, b) => a.sent - b.sent || a.id - b.id || a.arrived - b.arrived);
}

function messageOf(send: SendEvent, ev: DeliverEvent | DropEvent): DiagramMessage {
  return {
    id: send.id,
    msg: send.msg,
    src: send.src,
    dest: send.dest,
    sent: send.t,
    arrived: ev.t,
    outcome: ev.type === "deliver" ? "delivered" : "dropped",
    reason: ev.type === "drop" ? ev.reason : "",
  };
}

/** Where a message's label sits: the middle of its line, in ms and in lanes. */
export interface LabelPlace {
  readonly msg: string;
  readonly mid_t: number;
  readonly mid_y: number;
}

/**
 * Which messages get a label so that no two labels overlap (the density rule): labels are
 * taken in the order given (by send time), each kept only if its box (text width × line
 * height, in pixels of a `widthPx` × `heightPx` plot of [from, to] × `lanes`) clears every
 * label kept before it. Where messages crowd, only the first of each crowd is labelled; an
 * empty plot region labels everything. Pure.
 */
export function messageLabels(
  places: readonly LabelPlace[],
  view: { from: number; to: number; lanes: number; widthPx: number; heightPx: number },
): boolean[] {
  const pxPerMs = view.widthPx / (view.to - view.from);
  const pxPerLane = view.heightPx / Math.max(view.lanes, 1);
  const lineHeight = LABEL_FONT + 2;
  const kept: { x: number; y: number; half: number }[] = [];
  return places.map((p) => {
    const x = (p.mid_t - view.from) * pxPerMs;
    const y = p.mid_y * pxPerLane;
    const half = (p.msg.length * LABEL_FONT * GLYPH_WIDTH) / 2 + 2;
    const clear = kept.every((k) => Math.abs(k.x - x) >= k.half + half || Math.abs(k.y - y) >= lineHeight);
    if (clear) kept.push({ x, y, half });
    return clear;
  });
}

/**
 * The default window of `spaceTimeDiagram` for `messages` (sorted by send time): from the
 * first send at or after `from` (or the first message), up to the send of the
 * `DEFAULT_WINDOW_MESSAGES`+1-th, and at least to the first one's arrival. Pure.
 */
export function spaceTimeWindow(messages: readonly DiagramMessage[], from?: number): { from: number; to: number } {
  const after = from === undefined ? messages : messages.filter((m) => m.sent >= from);
  const start = from ?? (after.length > 0 ? after[0].sent : 0);
  if (after.length === 0) return { from: start, to: start + 1 };
  const end = after.length > DEFAULT_WINDOW_MESSAGES ? after[DEFAULT_WINDOW_MESSAGES].sent : Math.max(...after.map((m) => m.arrived));
  return { from: start, to: Math.max(end, after[0].arrived, start + 1) };
}

/**
 * A space-time diagram spec of the messages in [from, to]: lanes per node/client, a line
 * per message coloured by message type (dashed and ending in a cross when dropped), crash
 * and pause windows as bars on their lane, clock skews as ticks, partitions shaded over all
 * lanes. Pure. Throws `ConfigError` for a bad window, an unknown lane, too many messages,
 * or an empty title.
 */
export function spaceTimeDiagram(trace: Trace, opts: SpaceTimeOptions): TopLevelSpec {
  if (!Array.isArray(trace)) {
    throw new ConfigError("trace", `must be a trace (a list of events), got ${describe(trace)}`, "pass the run's trace");
  }
  requireTitle("title", opts?.title);
  if (opts.labels !== undefined && opts.labels !== true && opts.labels !== false && opts.labels !== "auto") {
    throw new ConfigError("labels", `must be true, false or "auto", got ${describe(opts.labels)}`, 'leave it out for labels that do not overlap, or say true / false');
  }
  let from: number;
  let to: number;
  if (opts.from === undefined || opts.to === undefined) {
    const all = diagramMessages(trace, -Infinity, Infinity);
    const window = spaceTimeWindow(all, opts.from === undefined ? undefined : requireNumber("from", opts.from));
    from = window.from;
    to = opts.to === undefined ? window.to : requireNumber("to", opts.to);
  } else {
    from = requireNumber("from", opts.from);
    to = requireNumber("to", opts.to);
  }
  if (!(to > from)) throw new ConfigError("to", `must be after from (${from}), got ${to}`, "give a window with from < to");
  const maxMessages = requireInteger("maxMessages", opts.maxMessages ?? 2000, 1);

  let messages = diagramMessages(trace, from, to);
  let endOfTrace = to;
  for (const ev of trace) endOfTrace = Math.max(endOfTrace, ev.t);
  const windows = faultWindows(trace, endOfTrace)
    .filter((w) => w.end >= from && w.start <= to)
    .map((w) => ({ ...w, start: Math.max(w.start, from), end: Math.min(w.end, to) }));

  let lanes: NodeId[];
  if (opts.nodes !== undefined) {
    if (!Array.isArray(opts.nodes) || opts.nodes.length === 0) {
      throw new ConfigError("nodes", `must be a non-empty list of node ids, got ${describe(opts.nodes)}`, "list the lanes, e.g. [\"c1\", \"n1\", \"n2\"], or leave it out");
    }
    lanes = [...opts.nodes];
    const wanted = new Set(lanes);
    messages = messages.filter((m) => wanted.has(m.src) && wanted.has(m.dest));
  } else {
    const seen = new Set<NodeId>();
    for (const m of messages) seen.add(m.src).add(m.dest);
    for (const w of windows) if (w.node !== undefined) seen.add(w.node);
    lanes = [...seen].sort(naturalCompare);
  }
  if (lanes.length === 0) {
    throw new ConfigError("from", `no message or fault in [${from}, ${to}]`, "widen the window, or check the run sent messages then");
  }
  if (messages.length > maxMessages) {
    throw new ConfigError("to", `the window [${from}, ${to}] holds ${messages.length} messages, more than maxMessages = ${maxMessages}`, "narrow the window (or list fewer nodes) to see individual messages");
  }
  const lane = new Map(lanes.map((n, i) => [n, i]));

  const height = Math.max(THEME.laneStep * 4, lanes.length * THEME.laneStep * 2);
  const placed = messages.map((m) => {
    const y1 = lane.get(m.src) as number;
    const yDest = lane.get(m.dest) as number;
    // A lost message stops short of its receiver's lane: it points at where it was going
    // but visibly never arrives (ending halfway could land on another node's lane).
    const y2 = m.outcome === "dropped" ? yDest - Math.sign(yDest - y1) * DROP_GAP : yDest;
    // A line that starts before the window is labelled where it shows, not off the plot.
    const mid_t = (Math.max(m.sent, from) + Math.min(m.arrived, to)) / 2;
    return { ...m, y1, y2, mid_t, mid_y: (y1 + y2) / 2 };
  });
  const labelMode = opts.labels ?? "auto";
  const labelOn =
    labelMode === "auto"
      ? messageLabels(placed, { from, to, lanes: lanes.length, widthPx: THEME.width, heightPx: height })
      : placed.map(() => labelMode);
  const rows: Row[] = placed.map((m, i) => ({ ...m, label: labelOn[i] }));
  const labelled = labelOn.filter(Boolean).length;
  const nodeWindows = windows
    .filter((w) => w.node !== undefined && lane.has(w.node))
    .map((w) => {
      const y = lane.get(w.node as NodeId) as number;
      return { start: w.start, end: w.end, fault: w.label, y0: y - 0.22, y1: y + 0.22, y };
    });
  const partitions = windows.filter((w) => w.node === undefined);

  const xTitle = "time (ms)";
  const xScale = { domain: [from, to] };
  const x = (field: string): SpecPart => ({ field, type: "quantitative", title: xTitle, scale: xScale });
  const yScale = { domain: [-0.5, lanes.length - 0.5], reverse: true, nice: false, zero: false };
  const y = (field: string): SpecPart => ({
    field,
    type: "quantitative",
    title: "node / client",
    scale: yScale,
    axis: { values: lanes.map((_, i) => i), labelExpr: `${JSON.stringify(lanes)}[datum.value]`, grid: false, tickCount: lanes.length },
  });
  const msgTypes = [...new Set(messages.map((m) => m.msg))].sort(naturalCompare);
  const color = { field: "msg", type: "nominal", title: "message", sort: msgTypes };
  const tooltip = [
    { field: "msg", type: "nominal", title: "message" },
    { field: "id", type: "quantitative" },
    { field: "src", type: "nominal" },
    { field: "dest", type: "nominal" },
    { field: "sent", type: "quantitative", title: "sent (ms)" },
    { field: "arrived", type: "quantitative", title: "delivered / dropped (ms)" },
    { field: "outcome", type: "nominal" },
    { field: "reason", type: "nominal" },
  ];

  const fault = faultLayers(partitions, xTitle);
  const layers: SpecPart[] = [...fault.shading];
  layers.push({
    data: { values: lanes.map((name, i) => ({ lane: name, y: i })) },
    mark: { type: "rule", color: "#bbbbbb", strokeWidth: 1 },
    encoding: { y: y("y") },
  });
  const laneFaults = nodeWindows.filter((w) => w.end > w.start);
  if (laneFaults.length > 0) {
    layers.push({
      data: { values: laneFaults },
      layer: [
        {
          mark: { type: "rect", color: THEME.faultColor, opacity: 0.5, clip: true },
          encoding: { x: x("start"), x2: { field: "end" }, y: y("y0"), y2: { field: "y1" }, tooltip: [{ field: "fault", type: "nominal" }] },
        },
        {
          mark: { type: "text", align: "left", baseline: "bottom", dx: 2, dy: -1, fontSize: THEME.labelFontSize - 1, color: THEME.faultTextColor, clip: true },
          encoding: { x: x("start"), y: y("y0"), text: { field: "fault" } },
        },
      ],
    });
  }
  const instants = nodeWindows.filter((w) => w.end === w.start);
  if (instants.length > 0) {
    layers.push({
      data: { values: instants },
      layer: [
        {
          mark: { type: "rule", color: THEME.faultTextColor, strokeWidth: 2 },
          encoding: { x: x("start"), y: y("y0"), y2: { field: "y1" }, tooltip: [{ field: "fault", type: "nominal" }] },
        },
        {
          mark: { type: "text", align: "left", baseline: "bottom", dx: 2, fontSize: THEME.labelFontSize - 1, color: THEME.faultTextColor },
          encoding: { x: x("start"), y: y("y0"), text: { field: "fault" } },
        },
      ],
    });
  }
  if (rows.length > 0) {
    const messageLayers: SpecPart[] = [
      {
        mark: { type: "rule", strokeWidth: 1.5, clip: true },
        encoding: {
          x: x("sent"),
          x2: { field: "arrived" },
          y: y("y1"),
          y2: { field: "y2" },
          color,
          strokeDash: { field: "outcome", type: "nominal", title: "outcome", scale: { domain: ["delivered", "dropped"], range: [[1, 0], [5, 3]] } },
          tooltip,
        },
      },
      {
        mark: { type: "point", filled: true, size: 40, opacity: 1, clip: true },
        encoding: {
          x: x("arrived"),
          y: y("y2"),
          color,
          shape: { field: "outcome", type: "nominal", title: "outcome", scale: { domain: ["delivered", "dropped"], range: ["circle", "cross"] } },
          tooltip,
        },
      },
    ];
    if (labelled > 0) {
      messageLayers.push({
        transform: [{ filter: "datum.label" }],
        mark: { type: "text", fontSize: LABEL_FONT, dy: -6, clip: true },
        encoding: { x: x("mid_t"), y: y("mid_y"), text: { field: "msg" }, color },
      });
    }
    layers.push({ data: { values: rows }, layer: messageLayers });
  }
  layers.push(...fault.labels);

  const labelNote =
    rows.length === 0 || labelled === rows.length
      ? ""
      : ` ${labelled} of them labelled (where labels would overlap, only the first is); colour and tooltips name every message.`;
  const top = skeleton(
    { title: opts.title, name: opts.name ?? "rule_space_time", subtitle: opts.subtitle, description: opts.description },
    `${opts.title}: ${rows.length} messages between ${lanes.length} nodes and clients from ${from} to ${to} ms.${labelNote}`,
  );
  return asTopLevelSpec({
    ...top,
    width: THEME.width,
    height,
    layer: layers,
  });
}
