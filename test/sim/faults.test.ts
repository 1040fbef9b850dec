import { expect } from "chai";
import { simulate } from "../../lib/sim/engine.js";
import type { DeliverEvent, NoteEvent, SendEvent } from "../../lib/sim/trace.js";
import { kvConfig } from "./helpers.js";
import type { Protocol } from "../../lib/sim/protocol.js";

describe("faults as a schedule of data", () => {
  it("records every fault in the trace at its time", () => {
    const faults = [
      { kind: "pause", at: 10, node: "n1" },
      { kind: "resume", at: 20, node: "n1" },
      { kind: "crash", at: 30, node: "n1" },
      { kind: "restart", at: 40, node: "n1" },
      { kind: "partition", at: 50, groups: [["n1"]] },
      { kind: "heal", at: 60 },
      { kind: "clock", at: 70, node: "n1", skewMs: 5 },
      { kind: "lose-disk", at: 80, node: "n1" },
    ] as const;
    const run = simulate(kvConfig({ faults }));
    const seen = run.trace.filter((e) => e.type === "fault").map((e) => (e.type === "fault" ? [e.t, e.fault.kind] : []));
    expect(seen).to.deep.equal(faults.map((f) => [f.at, f.kind]));
  });

  it("holds a paused node's messages and delivers them, in arrival order, on resume", () => {
    // Constant latency: arrival order is send order, which the trace shows.
    const run = simulate(kvConfig({ network: { latency: { kind: "constant", value: 1 } }, faults: [{ kind: "pause", at: 100, node: "n1" }, { kind: "resume", at: 150, node: "n1" }] }));
    const toN1 = run.trace.filter((e): e is DeliverEvent => e.type === "deliver" && e.dest === "n1");
    expect(toN1.some((d) => d.t > 100 && d.t < 150)).to.equal(false);
    const atResume = toN1.filter((d) => d.t === 150);
    expect(atResume.length).to.be.greaterThan(0);
    const sentAt = new Map(run.trace.filter((e): e is SendEvent => e.type === "send").map((s) => [s.id, s.t]));
    const sends = atResume.map((d) => sentAt.get(d.id)!);
    expect(sends).to.deep.equal([...sends].sort((a, b) => a - b));
    // Nothing is lost by a pause.
    expect(run.trace.some((e) => e.type === "drop")).to.equal(false);
  });

  it("drops messages to a crashed node and restarts it from its durable log", () => {
    const run = simulate(kvConfig({ faults: [{ kind: "crash", at: 100, node: "n1" }, { kind: "restart", at: 200, node: "n1" }] }));
    const dropped = run.trace.filter((e) => e.type === "drop" && e.reason === "crashed");
    expect(dropped.length).to.be.greaterThan(0);
    expect(run.stateAt("n1", 150).up).to.equal(false);
    const after = run.stateAt("n1", 200);
    expect(after.up).to.equal(true);
    expect(after.state.booted).to.equal(1);
    expect(Object.keys(after.state.kv).length).to.be.greaterThan(0);
  });

  it("skews a node's clock: `out.now` reads true time plus skew, and drift stretches it", () => {
    const ticker: Protocol<{ n: number }, unknown> = {
      name: "ticker",
      init: (_ctx, out) => (out.setTimer("tick", 10), { n: 0 }),
      onMessage: (s) => s,
      onTimer: (s, _name, out) => {
        out.note("tick", { data: { now: out.now } });
        out.setTimer("tick", 10);
        return { n: s.n + 1 };
      },
    };
    const run = simulate({ ...kvConfig(), protocol: ticker, config: {}, workload: undefined, durationMs: 100, faults: [{ kind: "clock", at: 45, node: "n1", skewMs: 1000, drift: 0.25 }] });
    const ticks = run.trace.filter((e): e is NoteEvent => e.type === "note" && e.kind === "tick").map((e) => [e.t, (e.data as { now: number }).now]);
    expect(ticks[0]).to.deep.equal([10, 10]);
    // After the fault: local = t + 1000 + 0.25 (t − 45); timers of 10 local ms last 8 ms.
    const late = ticks.filter(([t]) => t > 45);
    for (const [t, now] of late) expect(now).to.be.closeTo(t + 1000 + 0.25 * (t - 45), 1e-9);
    expect(late[1][0] - late[0][0]).to.be.closeTo(8, 1e-9);
  });

  it("keeps timers from a past life from firing after a crash and restart", () => {
    // Each boot sets a 10 ms timer. Crashed at 5 ms and restarted at 6 ms, the node must see
    // the new life's timer at 16 ms and never the first life's at 10 ms.
    const oneTimer: Protocol<null, unknown> = {
      name: "one-timer",
      init: (_ctx, out) => (out.setTimer("t", 10), null),
      onMessage: (s) => s,
      onTimer: (s) => s,
    };
    const run = simulate({ ...kvConfig(), protocol: oneTimer, config: {}, workload: undefined, durationMs: 100, faults: [{ kind: "crash", at: 5, node: "n1" }, { kind: "restart", at: 6, node: "n1" }] });
    expect(run.trace.filter((e) => e.type === "timer").map((e) => e.t)).to.deep.equal([16]);
  });
});

describe("replies", () => {
  it("answer the right request even when a handler reuses one body object for several replies", () => {
    const shared = { type: "read_ok", value: null };
    const sloppy: Protocol<null, unknown> = {
      name: "reuses-a-body",
      init: () => null,
      onMessage: (s, msg, out) => {
        if (msg.body.type === "read") out.reply(msg, shared);
        return s;
      },
    };
    const run = simulate({ ...kvConfig(), protocol: sloppy, config: {}, workload: { ...kvConfig().workload!, mix: { read: 1, update: 0 } }, durationMs: 100 });
    // Every op that completed before the run ended completed ok: no reply went astray.
    const done = run.history.filter((o) => o.type !== "invoke" && o.error !== "run ended");
    expect(done.length).to.be.greaterThan(50);
    expect(done.filter((o) => o.type !== "ok")).to.deep.equal([]);
  });
});
