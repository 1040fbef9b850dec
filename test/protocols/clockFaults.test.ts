import { expect } from "chai";
import { simulate } from "../../lib/sim/engine.js";
import type { Protocol } from "../../lib/sim/protocol.js";
import type { Fault } from "../../lib/sim/faults.js";

/** A node that notes its local clock every 50 ms of that clock. */
const ticker: Protocol<null, Record<string, never>> = {
  name: "ticker",
  init(_ctx, out) {
    out.setTimer("tick", 50);
    return null;
  },
  onMessage: (s) => s,
  onTimer(s, _name, out) {
    out.note("tick", { value: out.now });
    out.setTimer("tick", 50);
    return s;
  },
};

function ticks(faults: Fault[]): { t: number; local: number }[] {
  const run = simulate({ seed: 1, nodes: 1, protocol: ticker, config: {}, network: { latency: { kind: "constant", value: 1 } }, faults, durationMs: 2000 });
  return run.trace.flatMap((e) => (e.type === "note" && e.kind === "tick" ? [{ t: e.t, local: e.value as number }] : []));
}

describe("clock faults (lib/sim/faults.ts): drift accumulates across faults", () => {
  it("a second clock fault keeps the drift gained so far: 1 % fast for 1 s, then a fault with no skew and no drift, reads 10 ms ahead from then on and never goes back", () => {
    const rows = ticks([{ kind: "clock", at: 0, node: "n1", skewMs: 0, drift: 0.01 }, { kind: "clock", at: 1000, node: "n1", skewMs: 0 }]);
    for (let i = 1; i < rows.length; i++) expect(rows[i].local, `tick ${i}`).to.be.greaterThan(rows[i - 1].local);
    const late = rows.filter((r) => r.t > 1000);
    expect(late.length).to.be.greaterThan(10);
    for (const r of late) expect(r.local - r.t).to.be.closeTo(10, 1e-9);
  });

  it("a second fault's skew adds to the drift so far (skew is the step the fault sets, drift what the clock gained)", () => {
    const rows = ticks([{ kind: "clock", at: 0, node: "n1", skewMs: 5, drift: -0.01 }, { kind: "clock", at: 1000, node: "n1", skewMs: 20 }]);
    for (const r of rows.filter((x) => x.t > 1000)) expect(r.local - r.t).to.be.closeTo(20 - 10, 1e-9);
  });
});
