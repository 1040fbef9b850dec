import { expect } from "chai";
import { historyBuilder } from "../../lib/checkers/index.js";
import { historyWindow } from "../../lib/course/historyWindow.js";
import { ConfigError } from "../../lib/errors.js";

describe("course: historyWindow, a slice of a history for display", () => {
  // c1: write [0, 10], read [20, 60]; c2: read [15, 18], write [30, 35] info; c3: read [50, …) never completes.
  const h = historyBuilder()
    .write("c1", "x", 1, 0, 10)
    .read("c1", "x", 1, 20, 60)
    .read("c2", "x", 1, 15, 18)
    .write("c2", "x", 2, 30, 35, "info")
    .read("c3", "x", null, 50, 0, "pending")
    .build();

  it("keeps the operations invoked in [from, to] with their completions, even ones that complete after `to`", () => {
    const w = historyWindow(h, 15, 30);
    const pairs = w.map((op) => `${op.process} ${op.type} ${op.f} @${op.time}`);
    expect(pairs).to.deep.equal(["c2 invoke read @15", "c2 ok read @18", "c1 invoke read @20", "c2 invoke write @30", "c2 info write @35", "c1 ok read @60"]);
  });

  it("keeps the original history indices, so a checker's op numbers still name the entries", () => {
    const w = historyWindow(h, 15, 30);
    for (const op of w) expect(h[op.index]).to.equal(op);
  });

  it("drops completions whose invocation is outside the window, and keeps an invocation that never completes", () => {
    const w = historyWindow(h, 40, 100);
    expect(w.map((op) => `${op.process} ${op.type}`)).to.deep.equal(["c3 invoke"]);
  });

  it("can keep only some processes", () => {
    expect(historyWindow(h, 0, 100, ["c1"]).every((op) => op.process === "c1")).to.equal(true);
    expect(historyWindow(h, 0, 100, ["c1"])).to.have.length(4);
  });

  it("refuses a window that ends before it starts", () => {
    expect(() => historyWindow(h, 10, 5)).to.throw(ConfigError, "to");
  });
});
