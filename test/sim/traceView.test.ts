/**
 * `run.trace` is a lazy, read-only view over the engine's trace columns (lib/sim/lazyArray.ts
 * over lib/sim/traceLog.ts). These tests hold it to being a drop-in array: the columns decode
 * to the events recorded, the view equals an array built from it element by element, every
 * array method gives what it gives on that array, and writes throw.
 */
import { expect } from "chai";
import assert from "node:assert/strict";
import util from "node:util";
import { simulate } from "../../lib/sim/engine.js";
import { lazyArray } from "../../lib/sim/lazyArray.js";
import { TraceLog } from "../../lib/sim/traceLog.js";
import type { Fault } from "../../lib/sim/faults.js";
import type { HistoryOp } from "../../lib/history/types.js";
import type { Trace, TraceEvent } from "../../lib/sim/trace.js";
import { toSvg } from "../../lib/charts/render.js";
import type { TopLevelSpec } from "vega-lite";
import { GOLDEN_RUNS } from "../golden/runs.js";
import { configErrorOf } from "../configErrors.js";

/** Golden runs that between them hold every kind of event (checked below). */
const RUNS = [
  "primaryBackup.ackMajority.partition.loseDisk", // drops of all three reasons
  "singleLeader.async.mostUpToDate.slowApply", // applied, timers
  "quorum.lww.corrupt.noChecksums", // notes with a key only, with an index only
  "loadBalancer.powerOf2.healthCheck.hedge", // deliveries with queuedMs
] as const;

/** The ES2023 array methods, which the project's ES2022 lib does not declare. */
interface Es2023 {
  findLast(f: (e: TraceEvent) => boolean): TraceEvent | undefined;
  findLastIndex(f: (e: TraceEvent) => boolean): number;
  toSorted(compare: (x: TraceEvent, y: TraceEvent) => number): TraceEvent[];
  toReversed(): TraceEvent[];
  with(index: number, e: TraceEvent): TraceEvent[];
}
const es2023 = (a: readonly TraceEvent[]): Es2023 => a as unknown as Es2023;

/** The array a view stands for, built the eager way: one indexed read per element. */
function eager<T>(view: readonly T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < view.length; i++) out.push(view[i]);
  return out;
}

/** A tag per shape of event: type plus the optional fields it carries. */
function shape(e: TraceEvent): string {
  if (e.type === "deliver") return e.queuedMs === undefined ? "deliver" : "deliver+queued";
  if (e.type === "drop") return `drop:${e.reason}`;
  if (e.type !== "note") return e.type;
  if (e.data !== undefined) return "note+data";
  return ["note", "key" in e && "key", "value" in e && "value", "index" in e && "index"].filter(Boolean).join("+");
}

describe("the trace columns decode to the events recorded (lib/sim/traceLog.ts)", () => {
  const fault: Fault = { kind: "crash", at: 3, node: "n2" };
  const op = { index: 0, type: "invoke", process: "c1", f: "write", key: "k", value: 7, time: 1 } as unknown as HistoryOp;
  const data = { term: 2 };
  const log = new TraceLog(["n1", "n2", "c1"]);
  log.send(1, 10, 2, 0, "write", 48);
  log.deliver(1.5, 10, 2, 0, "write");
  log.deliverServed(2, 11, 0, 1, "replicate", 0.25, 0.5);
  log.drop(2, 12, 0, 1, "replicate", "loss");
  log.drop(2, 13, 0, 1, "replicate", "partition");
  log.drop(2, 14, 0, 1, "replicate", "crashed");
  log.timer(2.5, 1, "heartbeat");
  log.note(3, 0, "commit", "k", 7, 4);
  log.note(3, 0, "apply", "k", null);
  log.note(3, 1, "truncate", undefined, undefined, 2);
  log.note(3, 1, "elected");
  log.note(3, 1, "term", "k", 0, 0, data);
  log.fault(3, fault);
  log.op(4, op);
  log.other({ type: "disk", t: 4, node: "n1", written: 3, synced: 2 });
  log.other({ type: "applied", t: 5, node: "n2", record: 1, queuedMs: 0.5, serviceMs: 1 });
  const expected: TraceEvent[] = [
    { type: "send", t: 1, id: 10, src: "c1", dest: "n1", msg: "write", bytes: 48 },
    { type: "deliver", t: 1.5, id: 10, src: "c1", dest: "n1", msg: "write" },
    { type: "deliver", t: 2, id: 11, src: "n1", dest: "n2", msg: "replicate", queuedMs: 0.25, serviceMs: 0.5 },
    { type: "drop", t: 2, id: 12, src: "n1", dest: "n2", msg: "replicate", reason: "loss" },
    { type: "drop", t: 2, id: 13, src: "n1", dest: "n2", msg: "replicate", reason: "partition" },
    { type: "drop", t: 2, id: 14, src: "n1", dest: "n2", msg: "replicate", reason: "crashed" },
    { type: "timer", t: 2.5, node: "n2", name: "heartbeat" },
    { type: "note", t: 3, node: "n1", kind: "commit", key: "k", value: 7, index: 4 },
    { type: "note", t: 3, node: "n1", kind: "apply", key: "k", value: null },
    { type: "note", t: 3, node: "n2", kind: "truncate", index: 2 },
    { type: "note", t: 3, node: "n2", kind: "elected" },
    { type: "note", t: 3, node: "n2", kind: "term", key: "k", value: 0, index: 0, data },
    { type: "fault", t: 3, fault },
    { type: "op", t: 4, op },
    { type: "disk", t: 4, node: "n1", written: 3, synced: 2 },
    { type: "applied", t: 5, node: "n2", record: 1, queuedMs: 0.5, serviceMs: 1 },
  ];

  it("gives every kind of event back field for field, absent fields absent, fields in order", () => {
    assert.deepStrictEqual(eager(log.events()), expected);
    assert.deepStrictEqual(log.events(), expected);
    // Field order is part of a trace's hash (lib/sim/traceHash.ts hashes JSON).
    expect(JSON.stringify(log.events())).to.equal(JSON.stringify(expected));
  });

  it("keeps the objects it was given (fault, op, data) as the same objects", () => {
    const view = log.events();
    expect((view[11] as { data?: unknown }).data).to.equal(data);
    expect((view[12] as { fault: Fault }).fault).to.equal(fault);
    expect((view[13] as { op: HistoryOp }).op).to.equal(op);
  });

  it("makes a view of the events so far: later rows are not in it", () => {
    const small = new TraceLog(["n1"]);
    small.timer(1, 0, "tick");
    const before = small.events();
    small.timer(2, 0, "tick");
    expect(before.length).to.equal(1);
    expect(small.events().length).to.equal(2);
  });
});

describe("run.trace is a lazy view equal to the eagerly built array", function () {
  this.timeout(60_000);
  const runs = RUNS.map((name) => ({ name, run: simulate(GOLDEN_RUNS[name]) }));

  it("covers every kind of event over the runs chosen", () => {
    const seen = new Set(runs.flatMap(({ run }) => run.trace.map(shape)));
    for (const kind of ["send", "deliver", "deliver+queued", "drop:loss", "drop:partition", "drop:crashed", "timer", "note+data", "note+key", "note+index", "note+key+value", "note+key+value+index", "op", "fault", "applied", "disk"])
      expect(seen.has(kind), kind).to.equal(true);
  });

  for (const name of RUNS) {
    it(`${name}: deepStrictEqual to the array built from it, and to a second run's trace`, () => {
      const { run } = runs.find((r) => r.name === name)!;
      const array = eager(run.trace);
      expect(array.length).to.equal(run.trace.length).and.to.be.greaterThan(1000);
      assert.deepStrictEqual(run.trace, array);
      assert.deepStrictEqual(array, run.trace);
      assert.deepStrictEqual(run.trace, simulate(GOLDEN_RUNS[name]).trace);
    });
  }

  it("tells a different trace apart (deep equality can fail)", () => {
    const { run } = runs[0];
    const other = eager(run.trace);
    other[other.length - 1] = { ...other[other.length - 1], t: -1 };
    assert.throws(() => assert.deepStrictEqual(run.trace, other), assert.AssertionError);
    assert.throws(() => assert.deepStrictEqual(run.trace, other.slice(1)), assert.AssertionError);
  });

  it("is the same view on every read of run.trace, and an Array to every test", () => {
    const { run } = runs[0];
    expect(run.trace).to.equal(run.trace);
    expect(Array.isArray(run.trace)).to.equal(true);
    expect(Object.getPrototypeOf(run.trace)).to.equal(Array.prototype);
    expect(Object.prototype.toString.call(run.trace)).to.equal("[object Array]");
    expect(run.trace).to.be.an("array");
  });
});

describe("every array method gives on the view what it gives on the eager array", function () {
  this.timeout(60_000);
  const run = simulate(GOLDEN_RUNS["singleLeader.async.mostUpToDate.slowApply"]);
  const view: Trace = run.trace;
  const array = eager(view);
  const n = array.length;
  const isSend = (e: TraceEvent): boolean => e.type === "send";
  const late = (e: TraceEvent): boolean => e.t > run.endTime / 2;
  /** The same call on both, results deep-equal. */
  const same = (call: (a: Trace) => unknown): void => assert.deepStrictEqual(call(view), call(array));

  it("length, indexing, `in`, at", () => {
    expect(view.length).to.equal(n);
    for (const i of [0, 1, n >> 1, n - 1]) assert.deepStrictEqual(view[i], array[i]);
    for (const i of [n, n + 1, -1]) expect(view[i]).to.equal(undefined);
    const keys = view as unknown as Record<string, unknown>;
    for (const k of ["01", "1.0", "1e3", "-0", "foo"]) expect(keys[k], k).to.equal(undefined);
    expect(0 in view).to.equal(true);
    expect(n - 1 in view).to.equal(true);
    expect(n in view).to.equal(false);
    expect("filter" in view).to.equal(true);
    for (const i of [0, 5, -1, -n, n, -n - 1, 2.7, NaN]) same((a) => a.at(i));
  });

  it("for-of, spread, entries, keys, values, Array.from", () => {
    const seen: TraceEvent[] = [];
    for (const e of view) seen.push(e);
    assert.deepStrictEqual(seen, array);
    assert.deepStrictEqual([...view], array);
    same((a) => [...a.entries()]);
    same((a) => [...a.keys()]);
    same((a) => [...a.values()]);
    same((a) => Array.from(a));
    same((a) => Array.from(a, (e) => e.t));
    const it = view.values();
    expect(it.next().value).to.deep.equal(array[0]);
    expect(it[Symbol.iterator]()).to.equal(it);
  });

  it("filter, map, forEach, some, every, find, findIndex, findLast, findLastIndex", () => {
    same((a) => a.filter(isSend).length);
    same((a) => a.filter(isSend));
    same((a) => a.map((e, i) => `${i}:${e.type}@${e.t}`));
    same((a) => {
      const out: unknown[] = [];
      a.forEach(function (this: { k: number }, e, i, whole) {
        out.push([e.type, i, whole.length, this.k]);
      }, { k: 3 });
      return out;
    });
    same((a) => [a.some(isSend), a.some(() => false), a.every((e) => e.t >= 0), a.every(isSend)]);
    same((a) => [a.find(late), a.findIndex(late), es2023(a).findLast(isSend), es2023(a).findLastIndex(isSend)]);
    same((a) => [a.find(() => false), a.findIndex(() => false), es2023(a).findLast(() => false), es2023(a).findLastIndex(() => false)]);
  });

  it("passes the view itself as a callback's third argument", () => {
    view.forEach((_e, i, whole) => {
      if (i === 0) expect(whole).to.equal(view);
    });
    expect(view.filter((_e, _i, whole) => whole !== view)).to.deep.equal([]);
  });

  it("reduce and reduceRight, with and without a start value", () => {
    same((a) => a.reduce((sum, e) => sum + e.t, 0));
    same((a) => a.reduce((last, e) => (e.t >= last.t ? e : last)));
    same((a) => a.reduceRight((s, e) => s + e.type.length, 0));
    same((a) => a.reduceRight((x) => x));
    expect(() => lazyArray({ length: 0, at: () => 0 }).reduce((x) => x)).to.throw(TypeError);
  });

  it("slice with every kind of bound", () => {
    for (const [s, e] of [[undefined, undefined], [0, 10], [-5, undefined], [10, 5], [n - 3, n + 10], [-n - 5, 3], [2.5, 7.9]] as const) same((a) => a.slice(s, e));
  });

  it("indexOf, lastIndexOf, includes: by value, over events of every kind", () => {
    for (const kind of new Set(array.map(shape))) {
      const k = array.findIndex((e) => shape(e) === kind);
      const value = { ...array[k] }; // a copy: the view finds it by value
      const first = array.findIndex((e) => util.isDeepStrictEqual(e, value));
      const last = es2023(array).findLastIndex((e) => util.isDeepStrictEqual(e, value));
      expect(view.indexOf(value), kind).to.equal(first);
      expect(view.indexOf(view[k]), kind).to.equal(first);
      expect(view.lastIndexOf(value), kind).to.equal(last);
      expect(view.includes(value), kind).to.equal(true);
      expect(view.indexOf(value, last + 1), kind).to.equal(-1);
      if (first > 0) expect(view.lastIndexOf(value, first - 1), kind).to.equal(-1);
      expect(view.includes({ ...value, t: -1 }), kind).to.equal(false);
    }
    // Search by identity finds the objects the trace keeps (faults, ops): the same answer.
    const fault = array.find((e) => e.type === "fault")!;
    same((a) => [a.indexOf(fault), a.lastIndexOf(fault), a.includes(fault), a.indexOf(fault, -3), a.lastIndexOf(fault, -n - 1)]);
    same((a) => [a.indexOf(undefined as never), a.includes(null as never), a.indexOf(3 as never), a.lastIndexOf("send" as never)]);
  });

  it("flat, flatMap, concat, join, toString, toSorted, toReversed, with", () => {
    same((a) => a.flat());
    same((a) => a.flatMap((e) => [e.type, e.t]));
    same((a) => a.concat(a.slice(0, 3)));
    same((a) => [].concat(a as never));
    same((a) => a.map((e) => e.type).join(","));
    same((a) => a.join("|").length);
    same((a) => a.toString().length);
    same((a) => es2023(a).toSorted((x, y) => y.t - x.t || x.type.localeCompare(y.type)).slice(0, 50));
    same((a) => es2023(a).toReversed().slice(0, 50));
    same((a) => es2023(a).with(0, array[1]).slice(0, 3));
  });

  it("JSON.stringify, Object.keys, property descriptors, util.inspect", () => {
    same((a) => JSON.stringify(a));
    same((a) => JSON.stringify(a.slice(0, 20), null, 2));
    same((a) => Object.keys(a));
    same((a) => Object.entries(a).slice(0, 5));
    same((a) => Object.getOwnPropertyNames(a).length);
    // The one deliberate difference: the view's length cannot be written.
    expect(Object.getOwnPropertyDescriptor(view, "length")).to.deep.equal({ value: n, writable: false, enumerable: false, configurable: false });
    expect(Object.getOwnPropertyDescriptor(view, "3")!.value).to.deep.equal(array[3]);
    expect(Object.getOwnPropertyDescriptor(view, String(n))).to.equal(undefined);
    expect(Object.prototype.hasOwnProperty.call(view, 0)).to.equal(true);
    expect(Object.prototype.hasOwnProperty.call(view, n)).to.equal(false);
    same((a) => util.inspect(a));
    same((a) => util.inspect(a, { depth: 0, maxArrayLength: 3 }));
    same((a) => util.inspect(a.slice(0, 5), { depth: 4 }));
    expect(util.inspect(lazyArray({ length: 2, at: (i) => i * 10 }))).to.equal(util.inspect([0, 10]));
  });

  it("draws the same Vega-Lite chart as the eager array when given as data values", async () => {
    const chart = (values: unknown) =>
      toSvg({ title: "Events by type", data: { values }, mark: "bar", encoding: { x: { field: "type", type: "nominal" }, y: { aggregate: "count", type: "quantitative" } } } as TopLevelSpec);
    const svg = await chart(view);
    expect(svg).to.equal(await chart(array));
    expect(svg).not.to.equal(await chart(array.slice(1000)));
  });

  it("Array.prototype methods called on the view directly, and the view's methods on other arrays", () => {
    expect(Array.prototype.filter.call(view, isSend)).to.deep.equal(array.filter(isSend));
    // Native search goes through the Proxy by identity: it finds kept objects, not copies.
    const fault = array.findIndex((e) => e.type === "fault");
    expect(Array.prototype.indexOf.call(view, array[fault])).to.equal(fault);
    expect(Array.prototype.indexOf.call(view, { ...array[fault] })).to.equal(-1);
    expect(view.map.call([1, 2], (x: unknown) => x)).to.deep.equal([1, 2]);
    expect(view.filter).to.equal(view.filter);
  });

  it("keeps only its last few indexed reads: a read long ago is built afresh", () => {
    const fresh = run.trace;
    const i = fresh.findIndex((e) => e.type === "send");
    const first = fresh[i];
    expect(fresh[i]).to.equal(first); // just read: the same object
    for (let j = 0; j < 1024; j++) void fresh[(i + 1 + j) % n];
    expect(fresh[i]).not.to.equal(first);
    expect(fresh[i]).to.deep.equal(first);
  });

  it("refuses a bad length with a ConfigError naming it", () => {
    for (const length of [-1, 1.5, NaN]) expect(configErrorOf(() => lazyArray({ length, at: () => 0 })).field).to.equal("length");
  });
});

describe("run.trace is read-only: every write throws a TypeError", () => {
  const run = simulate(GOLDEN_RUNS["primaryBackup.ackOne.crash"]);
  const view = run.trace as unknown as TraceEvent[];
  const before = JSON.stringify(view.slice(0, 5));
  const n = view.length;
  const writes: Record<string, () => unknown> = {
    "trace[0] = x": () => (view[0] = view[1]),
    "trace[n] = x": () => (view[n] = view[1]),
    "trace.length = 0": () => (view.length = 0),
    "trace.extra = 1": () => ((view as unknown as Record<string, unknown>).extra = 1),
    "delete trace[0]": () => delete view[0],
    push: () => view.push(view[0]),
    pop: () => view.pop(),
    shift: () => view.shift(),
    unshift: () => view.unshift(view[0]),
    splice: () => view.splice(0, 1),
    sort: () => view.sort(),
    reverse: () => view.reverse(),
    fill: () => view.fill(view[0]),
    copyWithin: () => view.copyWithin(0, 1),
    "Array.prototype.push.call": () => Array.prototype.push.call(view, view[0]),
    "Object.defineProperty": () => Object.defineProperty(view, "0", { value: 1 }),
    "Object.freeze": () => Object.freeze(view),
    "Object.setPrototypeOf": () => Object.setPrototypeOf(view, null),
    "Object.assign": () => Object.assign(view, [1]),
  };
  for (const [name, write] of Object.entries(writes)) {
    it(`${name} throws a TypeError that says the trace is read-only`, () => {
      expect(write).to.throw(TypeError, /read-only/);
    });
  }

  it("is unchanged after the attempts", () => {
    for (const write of Object.values(writes)) expect(write).to.throw();
    expect(view.length).to.equal(n);
    expect(JSON.stringify(view.slice(0, 5))).to.equal(before);
  });

  it("leaves copies writable", () => {
    const copy = [...view];
    copy.push(copy[0]);
    copy.sort((a, b) => a.t - b.t);
    expect(copy.length).to.equal(n + 1);
  });
});
