import { expect } from "chai";
import { historyBuilder } from "../../lib/checkers/historyBuilder.js";
import { HistoryError } from "../../lib/checkers/historyError.js";
import { ConfigError } from "../../lib/errors.js";

describe("historyBuilder: short hand-written histories", () => {
  it("the invoke/ok form records Jepsen entries, completions copying f, key and value", () => {
    const h = historyBuilder().invoke("c1", "write", "x", 1, 0).ok("c1", 10).invoke("c2", "read", "x", null, 20).ok("c2", 25, 1).build();
    expect(h).to.deep.equal([
      { index: 0, type: "invoke", process: "c1", f: "write", key: "x", value: 1, time: 0 },
      { index: 1, type: "ok", process: "c1", f: "write", key: "x", value: 1, time: 10 },
      { index: 2, type: "invoke", process: "c2", f: "read", key: "x", value: null, time: 20 },
      { index: 3, type: "ok", process: "c2", f: "read", key: "x", value: 1, time: 25 },
    ]);
  });

  it("whole-operation shorthands may be added in any order; build sorts by time, ties in the order added", () => {
    const h = historyBuilder().read("c2", "x", 1, 5, 12).write("c1", "x", 1, 0, 10).build();
    expect(h.map((e) => `${e.index} ${e.type} ${e.process} ${e.time}`)).to.deep.equal(["0 invoke c1 0", "1 invoke c2 5", "2 ok c1 10", "3 ok c2 12"]);
  });

  it("fail, info and pending outcomes; cas carries expected; a non-ok read records no value", () => {
    const h = historyBuilder().cas("c1", "x", null, 1, 0, 5, "fail").write("c2", "x", 2, 0, 5, "info").read("c3", "x", 7, 0, 5, "info").write("c4", "x", 3, 1, 0, "pending").build();
    expect(h.map((e) => [e.type, e.process, e.value])).to.deep.include.members([["fail", "c1", 1], ["info", "c2", 2], ["info", "c3", null], ["invoke", "c4", 3]]);
    expect(h.filter((e) => e.process === "c1").every((e) => e.expected === null)).to.equal(true);
    expect(h.filter((e) => e.process === "c4")).to.have.length(1);
    expect(Object.isFrozen(h) && Object.isFrozen(h[0])).to.equal(true);
  });

  it("fail and info take an error reason", () => {
    const h = historyBuilder().invoke("c1", "write", "x", 1, 0).info("c1", 100, "timeout").build();
    expect(h[1]).to.include({ type: "info", error: "timeout" });
  });

  it("refuses completions that have no open invocation or come before it", () => {
    expect(() => historyBuilder().ok("c1", 5)).to.throw(ConfigError, "process c1 has no open invocation");
    expect(() => historyBuilder().invoke("c1", "write", "x", 1, 10).ok("c1", 5)).to.throw(ConfigError, "before its invocation");
    expect(() => historyBuilder().write("c1", "x", 1, 10, 5)).to.throw(ConfigError, "ends at 5, before it starts at 10");
  });

  it("refuses a second invocation on a process with one open, and a value on a write's completion", () => {
    expect(() => historyBuilder().invoke("c1", "write", "x", 1, 0).invoke("c1", "read", "x", null, 1)).to.throw(ConfigError, "still has an open write");
    expect(() => historyBuilder().invoke("c1", "write", "x", 1, 0).ok("c1", 5, 2)).to.throw(ConfigError, "only a read's completion takes a value");
  });

  it("build validates: overlapping operations of one process are caught with the entry named", () => {
    const b = historyBuilder().write("c1", "x", 1, 0, 10).write("c1", "x", 2, 5, 15);
    expect(() => b.build()).to.throw(HistoryError, "history[1] (process c1)");
  });
});
