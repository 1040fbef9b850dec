import { expect } from "chai";
import { ConfigError } from "../../lib/errors.js";
import { changeRows, describeEvent, shortText, traceRows } from "../../lib/course/tables.js";
import type { TraceEvent } from "../../lib/sim/trace.js";

// A hand-written trace with one event of every kind, in the engine's vocabulary (Maelstrom:
// nodes n1…, clients c1…, messages {src, dest, body.type}).
const trace: TraceEvent[] = [
  { type: "op", t: 0, op: { index: 0, type: "invoke", process: "c1", f: "write", key: "x", value: 7, time: 0, node: "n1" } },
  { type: "send", t: 0, id: 1, src: "c1", dest: "n1", msg: "write", bytes: 64 },
  { type: "deliver", t: 1.23456, id: 1, src: "c1", dest: "n1", msg: "write" },
  { type: "note", t: 1.23456, node: "n1", kind: "commit", key: "x", value: 7, index: 0 },
  { type: "disk", t: 2.2, node: "n1", written: 1, synced: 1 },
  { type: "drop", t: 3, id: 2, src: "n1", dest: "n2", msg: "replicate", reason: "crashed" },
  { type: "timer", t: 4, node: "n1", name: "ship" },
  { type: "fault", t: 5, fault: { kind: "crash", at: 5, node: "n2" } },
  { type: "fault", t: 6, fault: { kind: "partition", at: 6, groups: [["n1"], ["n2", "n3"]] } },
  { type: "op", t: 7, op: { index: 1, type: "invoke", process: "c2", f: "read", key: "x", value: null, time: 7 } },
  { type: "op", t: 9, op: { index: 2, type: "info", process: "c2", f: "read", key: "x", value: null, time: 9, error: "timeout" } },
];

describe("course tables: trace events as rows", () => {
  it("gives one row per event, in trace order, with the time rounded to 2 decimals", () => {
    const rows = traceRows(trace, { limit: 100 });
    expect(rows.map((r) => r.event)).to.deep.equal(trace.map((e) => e.type));
    expect(rows[2].t).to.equal(1.23);
  });

  it("names a message's link as src → dest and its type, id and size", () => {
    expect(describeEvent(trace[1])).to.deep.equal({ where: "c1 → n1", what: "write #1 sent (64 B)" });
    expect(describeEvent(trace[5])).to.deep.equal({ where: "n1 → n2", what: "replicate #2 dropped (crashed)" });
  });

  it("shows an invocation of a read without a value (the value is known only at completion) and an error in brackets", () => {
    expect(describeEvent(trace[0]).what).to.equal("invoke write x=7");
    expect(describeEvent(trace[9]).what).to.equal("invoke read x");
    expect(describeEvent(trace[10]).what).to.equal("info read x=nil (timeout)");
  });

  it("places node faults on their node and partitions on the network", () => {
    expect(describeEvent(trace[7])).to.deep.equal({ where: "n2", what: "crash" });
    expect(describeEvent(trace[8])).to.deep.equal({ where: "network", what: "partition {n1} | {n2,n3}" });
  });

  it("keeps only events in [from, to] of the chosen kinds, at most `limit`", () => {
    expect(traceRows(trace, { from: 1, to: 5 }).map((r) => r.t)).to.deep.equal([1.23, 1.23, 2.2, 3, 4, 5]);
    expect(traceRows(trace, { kinds: ["op"] })).to.have.length(3);
    expect(traceRows(trace, { limit: 2 })).to.have.length(2);
  });

  it("refuses a window that ends before it starts, and a limit below 1", () => {
    expect(() => traceRows(trace, { from: 5, to: 1 })).to.throw(ConfigError, "to");
    expect(() => traceRows(trace, { limit: 0 })).to.throw(ConfigError, "limit");
  });
});

describe("course tables: state changes as rows", () => {
  it("turns values into text and cuts long ones to maxChars with an ellipsis", () => {
    const rows = changeRows([{ node: "n1", path: "state.log[0..3)", before: "(absent)", after: [{ index: 0, key: "k0001", value: 1 }, { index: 1, key: "k0002", value: 2 }] }], 20);
    expect(rows[0].before).to.equal("(absent)");
    expect(rows[0].after).to.have.length(20);
    expect(rows[0].after.endsWith("…")).to.equal(true);
    expect(shortText(42)).to.equal("42");
    expect(shortText(undefined)).to.equal("(absent)");
  });
});
