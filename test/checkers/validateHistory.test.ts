import { expect } from "chai";
import { validateHistory } from "../../lib/checkers/validateHistory.js";
import { pairOperations } from "../../lib/checkers/operations.js";
import { HistoryError } from "../../lib/checkers/historyError.js";
import { checkLinearizability } from "../../lib/checkers/linearizability.js";
import { ConfigError } from "../../lib/errors.js";
import type { HistoryOp } from "../../lib/history/types.js";

/** Numbers raw entries 0, 1, 2, ... so each test states only what matters. */
function entries(...ops: Omit<HistoryOp, "index">[]): HistoryOp[] {
  return ops.map((o, index) => ({ index, ...o }));
}
const inv = (process: string, f: HistoryOp["f"], value: number | null, time: number, key = "x"): Omit<HistoryOp, "index"> => ({ type: "invoke", process, f, key, value, time });
const done = (type: HistoryOp["type"], process: string, f: HistoryOp["f"], value: number | null, time: number, key = "x"): Omit<HistoryOp, "index"> => ({ type, process, f, key, value, time });

/** Expects a HistoryError naming entry `index` of `process`, with `text` in the message. */
function expectBad(history: unknown, index: number, process: string | undefined, text: string): void {
  let caught: unknown;
  try { validateHistory(history as HistoryOp[]); } catch (e) { caught = e; }
  expect(caught, "should throw").to.be.instanceOf(HistoryError);
  const err = caught as HistoryError;
  expect(err).to.be.instanceOf(ConfigError); // callers that catch ConfigError catch this too
  expect(err.index).to.equal(index);
  expect(err.process).to.equal(process);
  expect(err.message).to.include(process === undefined ? `history[${index}]` : `history[${index}] (process ${process})`).and.include(text);
  expect(err.fix).to.be.a("string").and.not.equal("");
}

describe("validateHistory: malformed histories get an error naming the entry", () => {
  it("accepts a well-formed history, including an invocation still open at the end", () => {
    const h = entries(inv("c1", "write", 1, 0), done("ok", "c1", "write", 1, 5), inv("c2", "read", null, 6));
    expect(() => validateHistory(h)).not.to.throw();
    expect(pairOperations(h).map((o) => o.outcome)).to.deep.equal(["ok", "pending"]);
  });

  it("a completion without an invocation", () => {
    expectBad(entries(inv("c1", "write", 1, 0), done("ok", "c2", "write", 1, 5)), 1, "c2", "without an open invocation");
  });

  it("two open invocations on one process", () => {
    expectBad(entries(inv("c1", "write", 1, 0), inv("c1", "read", null, 2)), 1, "c1", "while its write invoked at history[0] is still open");
  });

  it("an unknown op type or f", () => {
    expectBad(entries({ ...inv("c1", "write", 1, 0), type: "start" as never }), 0, "c1", "unknown op type \"start\"");
    expectBad(entries(inv("c1", "append" as never, 1, 0)), 0, "c1", "unknown op f \"append\"");
  });

  it("a completion whose f or key differ from its invocation", () => {
    expectBad(entries(inv("c1", "write", 1, 0), done("ok", "c1", "read", 1, 5)), 1, "c1", "completion is read on \"x\" but the open invocation at history[0] is write on \"x\"");
    expectBad(entries(inv("c1", "write", 1, 0), done("ok", "c1", "write", 1, 5, "y")), 1, "c1", "on \"y\"");
  });

  it("a write completion carrying another value than its invocation", () => {
    expectBad(entries(inv("c1", "write", 1, 0), done("ok", "c1", "write", 2, 5)), 1, "c1", "completes with value 2 but was invoked");
  });

  it("time that goes backwards", () => {
    expectBad(entries(inv("c1", "write", 1, 10), inv("c2", "read", null, 5)), 1, "c2", "time 5 is earlier than the previous entry's 10");
  });

  it("indices that are not the entries' positions", () => {
    const h = entries(inv("c1", "write", 1, 0), done("ok", "c1", "write", 1, 5));
    expectBad([h[0], { ...h[1], index: 7 }], 1, "c1", "index is 7 but the entry is at position 1");
  });

  it("missing or ill-typed fields: process, key, time, write value, cas expected, siblings", () => {
    expectBad(entries({ ...inv("c1", "write", 1, 0), process: "" }), 0, undefined, "process must be a non-empty string");
    expectBad(entries({ ...inv("c1", "write", 1, 0), key: 3 as never }), 0, "c1", "key must be a string");
    expectBad(entries({ ...inv("c1", "write", 1, 0), time: NaN }), 0, "c1", "time must be a finite number");
    expectBad(entries(inv("c1", "write", null, 0)), 0, "c1", "write must carry the number it writes");
    expectBad(entries(inv("c1", "cas", 2, 0)), 0, "c1", "cas needs expected");
    expectBad(entries(inv("c1", "read", null, 0), { ...done("ok", "c1", "read", 1, 2), siblings: ["a"] as never }), 1, "c1", "siblings must be an array of numbers");
  });

  it("something that is not an array at all", () => {
    expect(() => validateHistory({} as never)).to.throw(ConfigError, "history: must be an array");
  });

  it("every checker validates first, so a bad history never yields a verdict", () => {
    expect(() => checkLinearizability(entries(done("ok", "c1", "read", 1, 0)))).to.throw(HistoryError, "history[0] (process c1)");
  });
});
