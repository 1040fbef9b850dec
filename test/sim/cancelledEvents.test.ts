/**
 * Events that would do nothing never run: a timer reset or cancelled before it fires, and a
 * client timeout whose operation already finished, are cancelled in the queue (issue
 * "Hardening and speed" § 2). Runs and traces are unchanged; only the event count drops.
 */
import { expect } from "chai";
import { CANCELLED, EventQueue } from "../../lib/sim/queue.js";
import { simulate } from "../../lib/sim/engine.js";
import type { Protocol } from "../../lib/sim/protocol.js";
import { kvConfig } from "./helpers.js";

describe("cancelled events (lib/sim/queue.ts, the engine's timers and client timeouts)", () => {
  it("a cancelled event pops as CANCELLED in its place; every other event keeps its order", () => {
    const q = new EventQueue();
    const a = q.push(1, 7, 0, "a", 0);
    q.push(2, 7, 0, "b", 0);
    q.pushInOrder(0, 1.5, 7, 0, "lane", 0);
    q.cancel(a, a.seq);
    const popped: [number, unknown][] = [];
    for (let ev = q.pop(); ev !== null; ev = q.pop()) {
      popped.push([ev.kind, ev.a]);
      q.release(ev);
    }
    expect(popped).to.deep.equal([[CANCELLED, null], [7, "lane"], [7, "b"]]);
  });

  it("a stale handle does not cancel the recycled event that now holds another sequence number", () => {
    const q = new EventQueue();
    const first = q.push(1, 7, 0, "first", 0);
    const seq = first.seq;
    q.release(q.pop()!); // popped and recycled
    const second = q.push(2, 7, 0, "second", 0);
    expect(second).to.equal(first); // the same object, reused
    q.cancel(first, seq);
    expect(q.pop()!.kind).to.equal(7);
  });

  it("a timer reset on every message never runs until it fires once", () => {
    // Each client request resets the timer "idle" to 10 s; a 1 s run never fires it.
    const resetting: Protocol<number> = {
      name: "resetting",
      init: () => 0,
      onMessage(s, msg, out) {
        out.setTimer("idle", 10_000);
        out.reply(msg, { type: `${msg.body.type}_ok` });
        return s + 1;
      },
      onTimer: (s) => s,
    };
    const silent: Protocol<number> = { ...resetting, name: "silent", onMessage: (s, msg, out) => (out.reply(msg, { type: `${msg.body.type}_ok` }), s + 1) };
    const base = { ...kvConfig(), durationMs: 1000, storage: undefined };
    const withTimer = simulate({ ...base, protocol: resetting });
    const without = simulate({ ...base, protocol: silent });
    expect(withTimer.history.length).to.be.greaterThan(1000);
    // Without cancellation the first run would handle one stale timer event per request.
    expect(withTimer.events).to.equal(without.events);
  });

  it("client timeouts of answered requests are not events: about 3 events per read and 4 per write", () => {
    const run = simulate(kvConfig({ durationMs: 2000 }));
    const invokes = run.history.filter((op) => op.type === "invoke");
    const writes = invokes.filter((op) => op.f === "write").length;
    expect(run.history.some((op) => op.error === "timeout")).to.equal(false);
    // issue + request + reply per op, + at most one disk completion per write (group commit
    // shares some); a timeout each would add invokes.length more.
    expect(run.events).to.be.within(3 * invokes.length, 3 * invokes.length + writes);
  });
});
