/**
 * Chart builders, fault windows, rendering and the notebook display helper (lib/charts).
 *
 * Every builder's spec is checked against the Vega-Lite v5 JSON schema (as the Vega-Lite
 * examples repository does for its own specs) and rendered to SVG; inputs that would draw a
 * blank or NaN chart must be refused with a ConfigError that names the field.
 */
import { Ajv } from "ajv";
import { expect } from "chai";
import { configErrorOf } from "./configErrors.js";
import { quantileSorted } from "../lib/stats.js";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import type { TopLevelSpec } from "vega-lite";
import {
  barChart,
  cdfChart,
  cdfPoints,
  compareChart,
  diagramMessages,
  displayBundle,
  withAltText,
  faultWindows,
  histogramChart,
  historyTimeline,
  inKernel,
  lineChart,
  PALETTE,
  show,
  showTable,
  spaceTimeDiagram,
  messageLabels,
  spaceTimeWindow,
  DEFAULT_WINDOW_MESSAGES,
  tableHtml,
  tableText,
  timelineOps,
  toPng,
  toSvg,
  VEGA_LITE_MIME,
} from "../lib/charts/index.js";
import { stableIds } from "../lib/charts/render.js";
import type { History, HistoryOp } from "../lib/history/types.js";
import type { Fault } from "../lib/sim/faults.js";
import type { Trace, TraceEvent } from "../lib/sim/trace.js";

const require = createRequire(import.meta.url);

// ---------------------------------------------------------------- sample inputs

const lagRows = [0, 100, 200, 300, 400, 500].flatMap((t) => [
  { time: t, replica: "n2", lag: t === 300 ? 250 : 5 + t / 100 },
  { time: t, replica: "n10", lag: 3 + t / 50 },
]);

/** A small history: c1 writes 1 (ok), c2 reads it (ok), c1 writes 2 and times out (info), c3's cas fails, c4 never completes. */
function sampleHistory(): History {
  const ops: Omit<HistoryOp, "index">[] = [
    { type: "invoke", process: "c1", f: "write", key: "x", value: 1, time: 0 },
    { type: "invoke", process: "c2", f: "read", key: "x", value: null, time: 5 },
    { type: "ok", process: "c1", f: "write", key: "x", value: 1, time: 30, node: "n1" },
    { type: "ok", process: "c2", f: "read", key: "x", value: 1, time: 40 },
    { type: "invoke", process: "c1", f: "write", key: "x", value: 2, time: 50 },
    { type: "info", process: "c1", f: "write", key: "x", value: 2, time: 150, error: "timeout" },
    { type: "invoke", process: "c3", f: "cas", key: "x", value: 3, expected: 2, time: 90 },
    { type: "fail", process: "c3", f: "cas", key: "x", value: 3, expected: 2, time: 120 },
    { type: "invoke", process: "c4", f: "read", key: "x", value: null, time: 160 },
  ];
  return ops.map((op, index) => ({ ...op, index }));
}

/** A trace: c1 → n1 write, n1 replicates to n2 (delivered) and n3 (dropped by a partition), n2 crashes. */
function sampleTrace(): Trace {
  const ev: TraceEvent[] = [
    { type: "send", t: 0, id: 1, src: "c1", dest: "n1", msg: "write", bytes: 20 },
    { type: "deliver", t: 5, id: 1, src: "c1", dest: "n1", msg: "write" },
    { type: "send", t: 6, id: 2, src: "n1", dest: "n2", msg: "replicate", bytes: 20 },
    { type: "send", t: 6, id: 3, src: "n1", dest: "n3", msg: "replicate", bytes: 20 },
    { type: "fault", t: 8, fault: { kind: "partition", at: 8, groups: [["n1", "n2"], ["n3"]] } },
    { type: "drop", t: 12, id: 3, src: "n1", dest: "n3", msg: "replicate", reason: "partition" },
    { type: "deliver", t: 16, id: 2, src: "n1", dest: "n2", msg: "replicate" },
    { type: "send", t: 17, id: 4, src: "n2", dest: "n1", msg: "replicate_ok", bytes: 10 },
    { type: "deliver", t: 25, id: 4, src: "n2", dest: "n1", msg: "replicate_ok" },
    { type: "fault", t: 35, fault: { kind: "crash", at: 35, node: "n2" } },
    { type: "fault", t: 40, fault: { kind: "clock", at: 40, node: "n3", skewMs: 20 } },
    { type: "fault", t: 55, fault: { kind: "heal", at: 55 } },
    { type: "send", t: 70, id: 5, src: "n1", dest: "n3", msg: "replicate", bytes: 20 },
    { type: "deliver", t: 80, id: 5, src: "n1", dest: "n3", msg: "replicate" },
  ];
  return ev;
}

const latencyRows = Array.from({ length: 200 }, (_, i) => ({ mode: i % 2 === 0 ? "one" : "quorum", latency: 1 + (i % 37) * (i % 2 === 0 ? 0.5 : 1.5) }));

/** One spec per builder and main option, named for the test titles. */
function samples(): { builder: string; title: string; spec: TopLevelSpec }[] {
  const faults = faultWindows([{ kind: "crash", at: 150, node: "n1" }, { kind: "restart", at: 350, node: "n1" }, { kind: "clock", at: 420, node: "n2", skewMs: -20 }], 500);
  const measured = [1, 2, 3, 4].map((rf) => ({ rf, p: 0.1 ** rf * 1.1, ci_low: 0.1 ** rf * 0.8, ci_high: 0.1 ** rf * 1.4 }));
  const theory = [1, 1.5, 2, 2.5, 3, 3.5, 4].map((rf) => ({ rf, p: 0.1 ** rf }));
  return [
    { builder: "lineChart", title: "Replication lag during a crash", spec: lineChart({ rows: lagRows, x: "time", y: "lag", color: "replica", title: "Replication lag during a crash", xTitle: "time (ms)", yTitle: "lag (ms)", name: "line_replication_lag", faults, points: true }) },
    { builder: "lineChart (log y)", title: "Lag on a log scale", spec: lineChart({ rows: lagRows, x: "time", y: "lag", strokeDash: "replica", yScale: "log", title: "Lag on a log scale", xTitle: "time (ms)", yTitle: "lag (ms)", name: "line_lag_log" }) },
    { builder: "barChart", title: "Writes lost by a crash", spec: barChart({ rows: [{ policy: "always", rf: 1, lost: 0 }, { policy: "always", rf: 3, lost: 0 }, { policy: "never", rf: 1, lost: 40 }, { policy: "never", rf: 3, lost: 9 }], x: "policy", y: "lost", color: "rf", title: "Writes lost by a crash", xTitle: "fsync policy", yTitle: "lost writes (count)", name: "bar_lost_writes" }) },
    { builder: "barChart (log y)", title: "Loss probability per period", spec: barChart({ rows: [{ period: "Q1", k: "1", p: 0.015 }, { period: "Q1", k: "3", p: 9e-11 }, { period: "Q2", k: "1", p: 0.02 }, { period: "Q2", k: "3", p: 2e-10 }], x: "period", y: "p", color: "k", yScale: "log", title: "Loss probability per period", xTitle: "period", yTitle: "P(data loss within a year)", name: "bar_loss_log" }) },
    { builder: "barChart (columns)", title: "Lost writes per load", spec: barChart({ rows: [{ policy: "always", load: "low", lost: 0 }, { policy: "never", load: "high", lost: 7 }], x: "policy", y: "lost", column: "load", title: "Lost writes per load", xTitle: "fsync policy", yTitle: "lost writes (count)", name: "bar_lost_by_load" }) },
    { builder: "compareChart", title: "Probability of losing data", spec: compareChart({ measured, theory, x: "rf", y: "p", ciLow: "ci_low", ciHigh: "ci_high", yScale: "log", title: "Probability of losing data", xTitle: "replication factor (copies)", yTitle: "probability of data loss (per year)", name: "point_data_loss" }) },
    { builder: "compareChart (series)", title: "Loss per failure rate", spec: compareChart({ measured: measured.map((r) => ({ ...r, afr: "2%" })), theory: theory.map((r) => ({ ...r, afr: "2%" })), series: "afr", x: "rf", y: "p", title: "Loss per failure rate", xTitle: "replication factor (copies)", yTitle: "probability of data loss (per year)", name: "point_loss_by_afr" }) },
    { builder: "histogramChart", title: "Read latency", spec: histogramChart({ rows: latencyRows, field: "latency", color: "mode", title: "Read latency", xTitle: "latency (ms)", name: "bar_read_latency" }) },
    { builder: "cdfChart", title: "Read latency CDF", spec: cdfChart({ rows: latencyRows, field: "latency", color: "mode", percentiles: [0.5, 0.99], title: "Read latency CDF", xTitle: "latency (ms)", name: "line_read_latency_cdf" }) },
    { builder: "historyTimeline", title: "A timed-out write", spec: historyTimeline(sampleHistory(), { title: "A timed-out write", faults: faultWindows([{ kind: "crash", at: 100, node: "n1" }], 160), highlight: [3] }) },
    { builder: "spaceTimeDiagram", title: "Replication across a partition", spec: spaceTimeDiagram(sampleTrace(), { from: 0, to: 60, title: "Replication across a partition" }) },
  ];
}

// ---------------------------------------------------------------- specs

describe("chart specs", function () {
  const all = samples();
  let validate: ReturnType<Ajv["compile"]>;

  before(function () {
    this.timeout(120_000); // compiling the 1.9 MB Vega-Lite schema takes a second or more (much more on a busy machine)
    // Vega-Lite's schema is draft-07 and uses union types; ajv's strict mode rejects both.
    // Formats (uri, color-hex) are not checked: structure is what the builders get wrong.
    const ajv = new Ajv({ strict: false, allowUnionTypes: true, validateFormats: false });
    validate = ajv.compile(require("vega-lite/build/vega-lite-schema.json") as object);
  });

  it("the schema check itself rejects an invalid spec (so passing it means something)", function () {
    expect(validate({ mark: "no-such-mark", data: { values: [] } })).to.equal(false);
  });

  for (const { builder, title, spec } of samples()) {
    it(`${builder}: validates against the Vega-Lite v5 JSON schema`, function () {
      const ok = validate(spec);
      expect(ok, JSON.stringify(validate.errors?.slice(0, 3), null, 1)).to.equal(true);
    });

    it(`${builder}: carries $schema v5, a <mark>_<subject> name, a description, its title and the theme`, function () {
      const s = spec as unknown as Record<string, unknown>;
      expect(s.$schema).to.equal("https://vega.github.io/schema/vega-lite/v5.json");
      expect(s.name).to.match(/^[a-z]+_[a-z0-9_]+$/);
      expect(s.description).to.be.a("string").and.not.equal("");
      expect(JSON.stringify(s.title)).to.contain(title);
      const config = s.config as { range: { category: string[] } };
      expect(config.range.category).to.deep.equal([...PALETTE]);
    });
  }

  it("draws log-scale bars from the power of ten below the smallest value (a log axis has no zero)", async function () {
    const spec = barChart({ rows: [{ c: "a", p: 0.015 }, { c: "b", p: 9e-11 }], x: "c", y: "p", yScale: "log", title: "Log bars", xTitle: "category", yTitle: "probability", name: "bar_log" });
    const enc = (spec as unknown as { encoding: { y2: { datum: number } } }).encoding;
    expect(enc.y2.datum).to.be.closeTo(1e-11, 1e-25);
    // Two visible bars: two rect paths with a non-zero height in the SVG.
    const svg = await toSvg(spec);
    const bars = svg.match(/<path[^>]*aria-roledescription="bar"[^>]*d="M[^"]*"/g) ?? [];
    expect(bars.length).to.equal(2);
  });

  it("every builder compiles and renders to SVG containing its title", async function () {
    this.timeout(20000);
    for (const { builder, title, spec } of all) {
      const svg = await toSvg(spec);
      expect(svg.startsWith("<svg"), builder).to.equal(true);
      expect(svg, builder).to.contain(title);
    }
  });

  it("axis titles keep their units", async function () {
    const svg = await toSvg(all[0].spec);
    expect(svg).to.contain("time (ms)");
    expect(svg).to.contain("lag (ms)");
  });

  it("the palette is Okabe and Ito's colour-blind-safe set (Okabe & Ito 2008, 'Color Universal Design')", function () {
    const okabeIto = ["#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"];
    expect([...PALETTE].sort()).to.deep.equal([...okabeIto].sort());
  });

  it("lineChart shades fault windows behind the lines and labels them", function () {
    const spec = all[0].spec as { layer: { mark: { type: string }; data: { values: Record<string, unknown>[] } }[] };
    const kinds = spec.layer.map((l) => l.mark.type);
    expect(kinds.indexOf("rect")).to.be.lessThan(kinds.indexOf("line"), "shading is drawn before (under) the lines");
    const rect = spec.layer[kinds.indexOf("rect")];
    expect(rect.data.values).to.deep.include({ fault_start: 150, fault_end: 350, fault: "n1 crashed", fault_kind: "crash", label_row: 0 });
    const labels = spec.layer.filter((l) => l.mark.type === "text").flatMap((l) => l.data.values.map((v) => v.fault));
    expect(labels).to.have.members(["n1 crashed", "n2 clock −20 ms"]);
  });

  it("renders frozen rows (as immer returns them) and changes neither the rows nor the spec", async function () {
    const rows = Object.freeze([Object.freeze({ time: 0, lag: 1 }), Object.freeze({ time: 10, lag: 3 })]);
    const spec = lineChart({ rows, x: "time", y: "lag", title: "Frozen", xTitle: "time (ms)", yTitle: "lag (ms)", name: "line_frozen" });
    const before = JSON.stringify(spec);
    await toSvg(spec);
    expect(JSON.stringify(spec)).to.equal(before);
    expect(Object.getOwnPropertySymbols((spec as { data: { values: object[] } }).data.values[0])).to.deep.equal([]);
  });

  it("a built spec does not change when the caller later changes its rows", function () {
    const rows = [{ time: 0, lag: 1 }];
    const spec = lineChart({ rows, x: "time", y: "lag", title: "Copy", xTitle: "time (ms)", yTitle: "lag (ms)", name: "line_copy" });
    rows[0].lag = 99;
    expect((spec as { data: { values: { lag: number }[] } }).data.values[0].lag).to.equal(1);
  });

  it("compareChart's legend tells simulation from closed form", async function () {
    const svg = await toSvg(all.find((c) => c.builder === "compareChart")!.spec);
    expect(svg).to.contain("simulation");
    expect(svg).to.contain("closed form");
  });
});

// ---------------------------------------------------------------- fault windows

describe("faultWindows", function () {
  it("pairs a crash at 100 with the restart at 300 into the window [100, 300]", function () {
    const w = faultWindows([{ kind: "crash", at: 100, node: "n1" }, { kind: "restart", at: 300, node: "n1" }], 1000);
    expect(w).to.deep.equal([{ start: 100, end: 300, label: "n1 crashed", kind: "crash", node: "n1", open: false }]);
  });

  it("runs a crash without restart to the end of the run", function () {
    const w = faultWindows([{ kind: "crash", at: 100, node: "n1" }], 1000);
    expect(w).to.deep.equal([{ start: 100, end: 1000, label: "n1 crashed", kind: "crash", node: "n1", open: true }]);
  });

  it("pairs pause→resume, lose-disk→restart, partition→heal, and marks clock skew as an instant", function () {
    const faults: Fault[] = [
      { kind: "pause", at: 10, node: "n2" },
      { kind: "resume", at: 20, node: "n2" },
      { kind: "lose-disk", at: 30, node: "n3" },
      { kind: "restart", at: 60, node: "n3" },
      { kind: "partition", at: 40, groups: [["n1", "n2"], ["n3"]] },
      { kind: "heal", at: 90 },
      { kind: "clock", at: 50, node: "n1", skewMs: 25, drift: 0.001 },
    ];
    const w = faultWindows(faults, 100).map((x) => [x.start, x.end, x.label]);
    expect(w).to.deep.equal([
      [10, 20, "n2 paused"],
      [30, 60, "n3 lost its disk"],
      [40, 90, "partition {n1,n2} | {n3}"],
      [50, 50, "n1 clock +25 ms, drift 0.001"],
    ]);
  });

  it("sorts a schedule written out of order", function () {
    const w = faultWindows([{ kind: "restart", at: 300, node: "n1" }, { kind: "crash", at: 100, node: "n1" }], 400);
    expect(w.map((x) => [x.start, x.end])).to.deep.equal([[100, 300]]);
  });

  it("reads the fault events of a trace and ignores the other events", function () {
    const w = faultWindows(sampleTrace(), 100);
    expect(w.map((x) => [x.start, x.end, x.label])).to.deep.equal([
      [8, 55, "partition {n1,n2} | {n3}"],
      [35, 100, "n2 crashed"],
      [40, 40, "n3 clock +20 ms"],
    ]);
  });

  it("ends every open partition at a heal; a restart of a running node changes nothing", function () {
    const w = faultWindows(
      [
        { kind: "partition", at: 10, groups: [["n1"]] },
        { kind: "partition", at: 20, groups: [["n2"]], oneWay: true },
        { kind: "restart", at: 25, node: "n4" },
        { kind: "heal", at: 30 },
      ],
      50,
    );
    expect(w.map((x) => [x.start, x.end, x.label])).to.deep.equal([
      [10, 30, "partition {n1} | rest"],
      [20, 30, "one-way partition {n2} → rest"],
    ]);
  });

  it("a disk lost while crashed ends the crash window and shows the rest as a lost disk", function () {
    const w = faultWindows([{ kind: "crash", at: 10, node: "n1" }, { kind: "lose-disk", at: 20, node: "n1" }, { kind: "restart", at: 40, node: "n1" }], 50);
    expect(w.map((x) => [x.start, x.end, x.kind])).to.deep.equal([[10, 20, "crash"], [20, 40, "lose-disk"]]);
  });

  it("refuses a fault after endTime, naming it", function () {
    const e = configErrorOf(() => faultWindows([{ kind: "crash", at: 10, node: "n1" }, { kind: "crash", at: 2000, node: "n2" }], 1000));
    expect(e.field).to.equal("faults[1].at");
  });
});

// ---------------------------------------------------------------- validation

describe("chart input validation", function () {
  const base = { rows: lagRows, x: "time", y: "lag", title: "Lag", xTitle: "time (ms)", yTitle: "lag (ms)", name: "line_lag" };

  it("a row missing the y field names rows[i].<field>", function () {
    const rows = [{ time: 0, lag: 1 }, { time: 1 }];
    expect(configErrorOf(() => lineChart({ ...base, rows })).field).to.equal("rows[1].lag");
  });

  it("a row missing the x field names rows[i].<field>", function () {
    const rows = [{ t: 0, lag: 1 }];
    expect(configErrorOf(() => lineChart({ ...base, rows })).field).to.equal("rows[0].time");
  });

  it("a NaN y is refused, not drawn as a gap", function () {
    const rows = [{ time: 0, lag: 1 }, { time: 1, lag: Number.NaN }];
    const e = configErrorOf(() => lineChart({ ...base, rows }));
    expect(e.field).to.equal("rows[1].lag");
    expect(e.message).to.contain("NaN");
  });

  it("an empty or blank title is refused", function () {
    expect(configErrorOf(() => lineChart({ ...base, title: "" })).field).to.equal("title");
    expect(configErrorOf(() => barChart({ ...base, x: "time", title: "  " })).field).to.equal("title");
    expect(configErrorOf(() => historyTimeline(sampleHistory(), { title: "" })).field).to.equal("title");
    expect(configErrorOf(() => spaceTimeDiagram(sampleTrace(), { from: 0, to: 10, title: "" })).field).to.equal("title");
  });

  it("empty rows are refused (the chart would be blank)", function () {
    expect(configErrorOf(() => lineChart({ ...base, rows: [] })).field).to.equal("rows");
  });

  it("a name not in <mark>_<subject> form is refused", function () {
    expect(configErrorOf(() => lineChart({ ...base, name: "Replication Lag" })).field).to.equal("name");
  });

  it("an axis title is required", function () {
    expect(configErrorOf(() => lineChart({ ...base, yTitle: "" })).field).to.equal("yTitle");
  });

  it("a log scale refuses zero", function () {
    const rows = [{ time: 0, lag: 0 }];
    expect(configErrorOf(() => lineChart({ ...base, rows, yScale: "log" })).field).to.equal("rows[0].lag");
  });

  it("a colour field missing from a row is named", function () {
    expect(configErrorOf(() => lineChart({ ...base, rows: [{ time: 0, lag: 1 }], color: "replica" })).field).to.equal("rows[0].replica");
  });

  it("compareChart refuses one interval bound without the other, and low > high", function () {
    const measured = [{ x: 1, y: 2, lo: 3, hi: 1 }];
    const opts = { measured, theory: [{ x: 1, y: 2 }], x: "x", y: "y", title: "T", xTitle: "x (n)", yTitle: "y (n)", name: "point_t" };
    expect(configErrorOf(() => compareChart({ ...opts, ciLow: "lo" })).field).to.equal("ciHigh");
    expect(configErrorOf(() => compareChart({ ...opts, ciLow: "lo", ciHigh: "hi" })).field).to.equal("measured[0].lo");
  });

  it("cdfChart refuses a percentile written as a percentage", function () {
    const opts = { rows: latencyRows, field: "latency", title: "T", xTitle: "latency (ms)", name: "line_t" };
    expect(configErrorOf(() => cdfChart({ ...opts, percentiles: [99] })).field).to.equal("percentiles[0]");
  });

  it("spaceTimeDiagram refuses an empty window and one with too many messages", function () {
    expect(configErrorOf(() => spaceTimeDiagram(sampleTrace(), { from: 10, to: 10, title: "T" })).field).to.equal("to");
    expect(configErrorOf(() => spaceTimeDiagram(sampleTrace(), { from: 0, to: 100, title: "T", maxMessages: 2 })).field).to.equal("to");
  });

  it("a fault window list with end before start is refused", function () {
    const faults = [{ start: 10, end: 5, label: "x", kind: "crash" as const, open: false }];
    expect(configErrorOf(() => lineChart({ ...base, faults })).field).to.equal("faults[0].end");
  });
});

// ---------------------------------------------------------------- timeline and diagram data

describe("historyTimeline", function () {
  it("pairs each invocation with its process's next completion", function () {
    const ops = timelineOps(sampleHistory());
    const byOp = new Map(ops.map((o) => [o.op, o]));
    expect(byOp.get(0)).to.include({ process: "c1", start: 0, end: 30, outcome: "ok", value: "1", completion: 2, node: "n1" });
    expect(byOp.get(1)).to.include({ process: "c2", f: "read", start: 5, end: 40, outcome: "ok", value: "1" });
    expect(byOp.get(6)).to.include({ outcome: "fail", value: "2→3", start: 90, end: 120 });
  });

  it("an info op may take effect until the end of the history; one never completed runs to the end", function () {
    const byOp = new Map(timelineOps(sampleHistory()).map((o) => [o.op, o]));
    expect(byOp.get(4)).to.include({ outcome: "info", end: 150, may_apply_until: 160, error: "timeout" });
    expect(byOp.get(8)).to.include({ outcome: "info", start: 160, end: 160, completion: -1 });
  });

  it("highlights an op selected by its invocation or its completion index", function () {
    const ops = timelineOps(sampleHistory(), [3, 4]);
    expect(ops.filter((o) => o.highlighted).map((o) => o.op)).to.have.members([1, 4]);
  });

  it("draws one lane per process, in natural order", function () {
    const h = sampleHistory().map((o) => (o.process === "c4" ? { ...o, process: "c10" } : o));
    const spec = historyTimeline(h, { title: "T" }) as unknown as { layer: { layer?: { encoding?: { y?: { sort?: string[] } } }[] }[] };
    const y = spec.layer.flatMap((l) => l.layer ?? []).find((l) => l.encoding?.y?.sort !== undefined)?.encoding?.y;
    expect(y?.sort).to.deep.equal(["c1", "c2", "c3", "c10"]);
  });
});

describe("spaceTimeDiagram", function () {
  it("matches sends to deliveries and drops by id, within the window", function () {
    const m = diagramMessages(sampleTrace(), 0, 60);
    expect(m.map((x) => [x.id, x.sent, x.arrived, x.outcome])).to.deep.equal([
      [1, 0, 5, "delivered"],
      [2, 6, 16, "delivered"],
      [3, 6, 12, "dropped"],
      [4, 17, 25, "delivered"],
    ]);
    expect(m[2].reason).to.equal("partition");
  });

  it("ends a dropped message short of its receiver's lane, dashed", function () {
    const spec = spaceTimeDiagram(sampleTrace(), { from: 0, to: 60, title: "T" }) as unknown as { layer: { data?: { values: Record<string, unknown>[] }; layer?: { encoding: Record<string, unknown> }[] }[] };
    const msgs = spec.layer.find((l) => l.data?.values.some((v) => v.msg !== undefined))!;
    const dropped = msgs.data!.values.find((v) => v.id === 3)!;
    const delivered = msgs.data!.values.find((v) => v.id === 2)!;
    // Lanes in natural order: c1=0, n1=1, n2=2, n3=3.
    expect(delivered).to.include({ y1: 1, y2: 2 });
    expect(dropped.y1).to.equal(1);
    expect(dropped.y2).to.be.greaterThan(2).and.lessThan(3);
    const rule = msgs.layer!.find((l) => "x2" in l.encoding)!;
    expect(rule.encoding.strokeDash).to.deep.include({ field: "outcome" });
  });

  /** A busy trace: `n` replicate messages n1 → n2, one every `everyMs`, each taking 5 ms. */
  function busyTrace(n: number, everyMs: number): Trace {
    const ev: TraceEvent[] = [];
    for (let i = 0; i < n; i++) {
      ev.push({ type: "send", t: i * everyMs, id: i + 1, src: "n1", dest: "n2", msg: "replicate", bytes: 20 });
      ev.push({ type: "deliver", t: i * everyMs + 5, id: i + 1, src: "n1", dest: "n2", msg: "replicate" });
    }
    return ev.sort((a, b) => a.t - b.t);
  }
  type Spec = { description: string; layer: { data?: { values: Record<string, unknown>[] }; layer?: { transform?: unknown[]; mark: { type: string } }[] }[] };
  const messageRows = (spec: Spec) => spec.layer.find((l) => l.data?.values.some((v) => v.msg !== undefined))!.data!.values;

  it("labels every message when the labels have room (the sample's four)", function () {
    const rows = messageRows(spaceTimeDiagram(sampleTrace(), { from: 0, to: 60, title: "T" }) as unknown as Spec);
    expect(rows.map((r) => r.label)).to.deep.equal([true, true, true, true]);
  });

  it("density rule: crowded messages get labels only as far apart as a label is wide, none overlapping", function () {
    // 200 messages in 200 ms on one pair of lanes: 560 px / 200 ms = 2.8 px per ms, and a
    // "replicate" label (9 characters at 9 px) is about 53 px wide, so about one label in 19 ms.
    const spec = spaceTimeDiagram(busyTrace(200, 1), { from: 0, to: 200, title: "T" }) as unknown as Spec;
    const rows = messageRows(spec);
    const labelled = rows.filter((r) => r.label).map((r) => r.mid_t as number);
    expect(rows).to.have.length(200);
    expect(labelled.length).to.be.within(5, 15);
    const widthMs = (9 * 9 * 0.6 + 4) / (560 / 200);
    for (let i = 1; i < labelled.length; i++) expect(labelled[i] - labelled[i - 1]).to.be.at.least(widthMs);
    expect(spec.description).to.contain(`${labelled.length} of them labelled`);
    const text = spec.layer.flatMap((l) => l.layer ?? []).find((l) => l.mark.type === "text")!;
    expect(text.transform).to.deep.equal([{ filter: "datum.label" }]);
  });

  it("messageLabels keeps labels on different lanes even at the same time, and labels: true / false override it", function () {
    const view = { from: 0, to: 100, lanes: 3, widthPx: 560, heightPx: 168 };
    const same = messageLabels([{ msg: "ack", mid_t: 50, mid_y: 0.5 }, { msg: "ack", mid_t: 50, mid_y: 0.5 }, { msg: "ack", mid_t: 50, mid_y: 1.5 }], view);
    expect(same).to.deep.equal([true, false, true]);
    const all = messageRows(spaceTimeDiagram(busyTrace(50, 1), { from: 0, to: 60, title: "T", labels: true }) as unknown as Spec);
    expect(all.every((r) => r.label === true)).to.equal(true);
    const none = spaceTimeDiagram(busyTrace(50, 1), { from: 0, to: 60, title: "T", labels: false }) as unknown as Spec;
    expect(messageRows(none).some((r) => r.label)).to.equal(false);
    expect(none.layer.flatMap((l) => l.layer ?? []).some((l) => l.mark.type === "text")).to.equal(false);
    expect(configErrorOf(() => spaceTimeDiagram(sampleTrace(), { from: 0, to: 60, title: "T", labels: "some" as unknown as boolean })).field).to.equal("labels");
  });

  it("default window: from the first message, about DEFAULT_WINDOW_MESSAGES messages long", function () {
    const trace = busyTrace(500, 10);
    const window = spaceTimeWindow(diagramMessages(trace, -Infinity, Infinity));
    expect(window).to.deep.equal({ from: 0, to: DEFAULT_WINDOW_MESSAGES * 10 });
    const rows = messageRows(spaceTimeDiagram(trace, { title: "T" }) as unknown as Spec);
    expect(rows.length).to.be.within(DEFAULT_WINDOW_MESSAGES, DEFAULT_WINDOW_MESSAGES + 1);
    // Given only `from`, the window starts there.
    expect(spaceTimeWindow(diagramMessages(trace, -Infinity, Infinity), 1000)).to.deep.equal({ from: 1000, to: 1000 + DEFAULT_WINDOW_MESSAGES * 10 });
    // A short trace is shown whole.
    expect(spaceTimeWindow(diagramMessages(sampleTrace(), -Infinity, Infinity))).to.deep.equal({ from: 0, to: 80 });
  });

  it("shows only the lanes asked for", function () {
    const spec = spaceTimeDiagram(sampleTrace(), { from: 0, to: 60, title: "T", nodes: ["n1", "n2"] }) as unknown as { layer: { data?: { values: Record<string, unknown>[] } }[] };
    const lanes = spec.layer.find((l) => l.data?.values.some((v) => v.lane !== undefined))!.data!.values.map((v) => v.lane);
    expect(lanes).to.deep.equal(["n1", "n2"]);
  });
});

// ---------------------------------------------------------------- distributions

describe("percentiles and CDF points", function () {
  // The worked example of the nearest-rank method (Wikipedia, "Percentile"): for
  // 15, 20, 35, 40, 50 the 5th, 30th, 40th, 50th and 100th percentiles are 15, 20, 20, 35, 50.
  it("quantileSorted matches the textbook nearest-rank example", function () {
    const v = [15, 20, 35, 40, 50];
    expect([0.05, 0.3, 0.4, 0.5, 1].map((p) => quantileSorted(v, p))).to.deep.equal([15, 20, 20, 35, 50]);
  });

  it("quantileSorted is not thrown off by floating point (0.07 × 100 = 7.000000000000001)", function () {
    // By definition the 7th percentile of 1..100 is the 7th smallest value.
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantileSorted(v, 0.07)).to.equal(7);
  });

  it("cdfPoints gives the fraction ≤ each distinct value", function () {
    expect(cdfPoints([1, 2, 2, 3], 100)).to.deep.equal([[1, 0.25], [2, 0.75], [3, 1]]);
  });

  it("cdfPoints thins a large sample but keeps the first and last point", function () {
    const v = Array.from({ length: 10000 }, (_, i) => i);
    const p = cdfPoints(v, 50);
    expect(p).to.have.length(50);
    expect(p[0]).to.deep.equal([0, 1 / 10000]);
    expect(p[49]).to.deep.equal([9999, 1]);
  });
});

// ---------------------------------------------------------------- rendering

describe("render", function () {
  it("renders the same spec to the same SVG, even where Vega numbers clip paths from a global counter", async function () {
    const spec = samples()[9].spec; // the space-time diagram clips its marks
    const a = await toSvg(spec);
    const b = await toSvg(spec);
    expect(a).to.contain("clip-path");
    expect(a).to.equal(b);
  });

  it("gives different charts different ids, so several inline SVGs on one page do not clash", async function () {
    const ids = (svg: string) => new Set([...svg.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
    const a = ids(await toSvg(samples()[9].spec));
    const b = ids(await toSvg(spaceTimeDiagram(sampleTrace(), { from: 0, to: 90, title: "Another window" })));
    expect(a.size).to.be.greaterThan(0);
    expect([...a].filter((id) => b.has(id))).to.deep.equal([]);
  });

  it("stableIds renames an id and every reference to it consistently", function () {
    const svg = '<svg><clipPath id="clip7"><rect/></clipPath><g clip-path="url(#clip7)"/><clipPath id="clip17"/><use href="#clip17"/></svg>';
    const out = stableIds(svg);
    const [first, second] = [...out.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(first).to.match(/^rl[0-9a-f]{10}-0$/);
    expect(out).to.contain(`url(#${first})`);
    expect(out).to.contain(`href="#${second}"`);
    expect(out).not.to.contain("clip7");
    expect(stableIds(svg.replace(/clip7/g, "clip99"))).to.equal(out);
  });

  it("renders PNG bytes deterministically, at twice the SVG size, on white", async function () {
    this.timeout(10000);
    const svg = await toSvg(samples()[2].spec);
    const a = await toPng(svg);
    const b = await toPng(samples()[2].spec);
    expect(Buffer.from(a).equals(Buffer.from(b))).to.equal(true);
    expect([...a.subarray(0, 8)]).to.deep.equal([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const width = Number(/width="(\d+)"/.exec(svg)![1]);
    expect(Buffer.from(a).readUInt32BE(16)).to.equal(width * 2);
  });
});

// ---------------------------------------------------------------- display

describe("display", function () {
  const spec = lineChart({ rows: lagRows, x: "time", y: "lag", title: "Shown chart", xTitle: "time (ms)", yTitle: "lag (ms)", name: "line_shown" });

  it("displayBundle carries the spec as a JSON object, the rendered SVG and the title as text", async function () {
    const bundle = await displayBundle(spec);
    expect(Object.keys(bundle).sort()).to.deep.equal(["application/vnd.vegalite.v5+json", "image/svg+xml", "text/plain"]);
    expect(bundle[VEGA_LITE_MIME]).to.be.an("object").that.deep.equals(JSON.parse(JSON.stringify(spec)));
    expect(bundle["image/svg+xml"]).to.equal(withAltText(await toSvg(spec), "Shown chart", (spec as { description: string }).description));
    expect(bundle["text/plain"]).to.equal("Shown chart");
  });

  it("charts carry alt text from their titles: the spec's description, and <title>, <desc>, aria-label in the SVG", async function () {
    const described = lineChart({ rows: lagRows, x: "time", y: "lag", title: "Lag <n2> & more", xTitle: "time (ms)", yTitle: "lag (ms)", name: "line_alt" });
    const description = (described as { description?: string }).description!;
    expect(description).to.contain("Lag <n2> & more");
    const svg = String((await displayBundle(described))["image/svg+xml"]);
    expect(svg).to.match(/^<svg role="img" aria-label="[^"]*Lag &lt;n2&gt; &amp; more[^"]*" xmlns=/);
    expect(svg).to.contain("<title>Lag &lt;n2&gt; &amp; more</title><desc>");
    // Still one well-formed root element.
    expect(svg.match(/<svg\b/g)).to.have.length(1);
    expect(svg.endsWith("</svg>")).to.equal(true);
  });

  it("show does nothing outside a kernel, and does not throw", async function () {
    expect(inKernel()).to.equal(false);
    expect(await show(spec)).to.equal(undefined);
  });

  describe("inside a (stand-in) tslab kernel", function () {
    // tslab keeps the current cell's display writer in the live export
    // `lastWriteDisplayData` of its tslab/dist/jupyter module and replaces it for every cell.
    const cache = require.cache;
    const key = path.join(os.tmpdir(), "stand-in", "node_modules", "tslab", "dist", "jupyter.js");
    const sent: { cell: number; data: Record<string, unknown> }[] = [];
    const fakeModule = { exports: { lastWriteDisplayData: null as unknown } };
    const enterCell = (cell: number) => {
      fakeModule.exports.lastWriteDisplayData = (content: { data: Record<string, unknown> }, update: boolean) => {
        expect(update).to.equal(false);
        sent.push({ cell, data: content.data });
      };
    };
    before(() => {
      cache[key] = fakeModule as unknown as NodeJS.Module;
    });
    after(() => {
      delete cache[key];
    });

    it("show sends one output with all three mime types, to the cell being executed", async function () {
      enterCell(1);
      await show(spec);
      // The next cell gets a new writer: a snapshot of the module's exports would still
      // write to cell 1 and the second chart would silently disappear.
      enterCell(2);
      await show(barChart({ rows: [{ k: "a", v: 1 }], x: "k", y: "v", title: "Second", xTitle: "key", yTitle: "v (count)", name: "bar_second" }));
      expect(sent.map((s) => s.cell)).to.deep.equal([1, 2]);
      for (const s of sent) expect(Object.keys(s.data)).to.have.members([VEGA_LITE_MIME, "image/svg+xml", "text/plain"]);
      expect(typeof sent[0].data[VEGA_LITE_MIME]).to.equal("object");
      expect(sent[1].data["text/plain"]).to.equal("Second");
    });

    it("a show that was not awaited still lands in the cell that called it", async function () {
      enterCell(4);
      const pending = show(spec);
      enterCell(5);
      await pending;
      expect(sent[sent.length - 1].cell).to.equal(4);
    });

    it("showTable sends HTML with a plain-text fallback", function () {
      enterCell(3);
      showTable([{ key: "x", lag: 2 }], { title: "Lag per key" });
      const last = sent[sent.length - 1];
      expect(last.cell).to.equal(3);
      expect(Object.keys(last.data)).to.have.members(["text/html", "text/plain"]);
    });
  });
});

// ---------------------------------------------------------------- tables

describe("tables", function () {
  const rows = [{ key: "x", before: 1, after: 2 }, { key: "<y>", before: 3.14159265, after: 3.14159265 }];

  it("tableHtml escapes text, right-aligns numbers and marks highlighted rows", function () {
    const html = tableHtml(rows, { title: "Diff & more", highlight: [0] });
    expect(html).to.contain("&lt;y&gt;").and.not.contain("<y>");
    expect(html).to.contain("Diff &amp; more");
    expect(html).to.match(/<tr style="font-weight:bold[^"]*"><td[^>]*>x<\/td>/);
    expect(html).to.contain('text-align:right;padding:2px 8px">3.14159<');
  });

  it("tableText aligns columns and stars highlighted rows", function () {
    const text = tableText(rows, { title: "Diff", columns: ["key", { field: "after", title: "after (ms)" }], highlight: [1] });
    expect(text.split("\n")).to.deep.equal(["Diff", "  key  after (ms)", "  ---  ----------", "  x             2", "* <y>     3.14159"]);
  });

  it("refuses a highlight index outside the rows", function () {
    expect(configErrorOf(() => tableText(rows, { title: "T", highlight: [5] })).field).to.equal("highlight[0]");
  });
});
