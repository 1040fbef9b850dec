import { expect } from "chai";
import { simulate } from "../../lib/sim/engine.js";
import { makeRng } from "../../lib/sim/rng.js";
import { keyName, makeKeyChooser, zeta } from "../../lib/workload/keys.js";
import { validateHistory } from "../../lib/checkers/index.js";
import { kvConfig } from "./helpers.js";
import type { Protocol } from "../../lib/sim/protocol.js";

describe("workloads: clients, keys and mixes", () => {
  it("draws zipfian(0.99) ranks with P(rank 0) = 1/ζ(n, 0.99) (Gray et al. 1994), within 4 standard errors", () => {
    const n = 100;
    const draws = 200_000;
    const keys = makeKeyChooser({ count: n, distribution: "zipfian" }, makeRng(2));
    const counts = new Array(n).fill(0);
    for (let i = 0; i < draws; i++) counts[keys.next()]++;
    for (const rank of [0, 1, 9]) {
      const p = 1 / Math.pow(rank + 1, 0.99) / zeta(n, 0.99);
      expect(Math.abs(counts[rank] / draws - p), `rank ${rank}`).to.be.lessThan(4 * Math.sqrt((p * (1 - p)) / draws));
    }
  });

  it("makes `latest` favour the newest key, and inserts grow the key space", () => {
    const keys = makeKeyChooser({ count: 10, distribution: "latest" }, makeRng(3));
    const newest = keys.insert();
    expect(newest).to.equal(10);
    let hits = 0;
    for (let i = 0; i < 10_000; i++) if (keys.next() === newest) hits++;
    expect(hits / 10_000).to.be.greaterThan(0.2);
  });

  it("names keys so that they sort in index order", () => {
    expect([keyName(10), keyName(9), keyName(100)].sort()).to.deep.equal([keyName(9), keyName(10), keyName(100)]);
  });

  it("keeps one op in flight per closed-loop client: a well-formed Jepsen-style history", () => {
    const run = simulate(kvConfig({ durationMs: 300 }));
    expect(() => validateHistory(run.history)).to.not.throw();
    const open = new Set<string>();
    for (const op of run.history) {
      if (op.type === "invoke") {
        expect(open.has(op.process)).to.equal(false);
        open.add(op.process);
      } else open.delete(op.process);
    }
    expect(new Set(run.history.map((o) => o.process))).to.deep.equal(new Set(["c1", "c2", "c3"]));
  });

  it("issues open-loop ops as a Poisson process at `ratePerSec` (count within 4 standard deviations)", () => {
    const rate = 500;
    const seconds = 4;
    const run = simulate(kvConfig({ durationMs: seconds * 1000, workload: { ...kvConfig().workload!, clients: 2, loop: "open", ratePerSec: rate } }));
    const invoked = run.history.filter((o) => o.type === "invoke").length;
    const expected = 2 * rate * seconds;
    expect(Math.abs(invoked - expected)).to.be.lessThan(4 * Math.sqrt(expected));
    expect(() => validateHistory(run.history)).to.not.throw();
  });

  it("follows the mix: about half reads, half writes for YCSB A's proportions", () => {
    const run = simulate(kvConfig({ durationMs: 2000 }));
    const inv = run.history.filter((o) => o.type === "invoke");
    const reads = inv.filter((o) => o.f === "read").length;
    expect(Math.abs(reads / inv.length - 0.5)).to.be.lessThan(4 * Math.sqrt(0.25 / inv.length));
  });

  it("expands read-modify-write into a read then a write of the same key by the same process", () => {
    const run = simulate(kvConfig({ workload: { ...kvConfig().workload!, mix: { read: 0, update: 0, readModifyWrite: 1 } } }));
    const inv = run.history.filter((o) => o.type === "invoke" && o.process === "c1");
    for (let i = 0; i + 1 < inv.length; i += 2) {
      expect([inv[i].f, inv[i + 1].f]).to.deep.equal(["read", "write"]);
      expect(inv[i].key).to.equal(inv[i + 1].key);
    }
  });

  it("records a timed-out op as info and retries it up to `retries` times", () => {
    const run = simulate(kvConfig({ workload: { ...kvConfig().workload!, clients: 1, retries: 2, timeoutMs: 5 }, faults: [{ kind: "crash", at: 0, node: "n1" }], durationMs: 60 }));
    const done = run.history.filter((o) => o.type !== "invoke");
    expect(done.every((o) => o.type === "info" && (o.error === "timeout" || o.error === "run ended"))).to.equal(true);
    // Each logical op: 1 try + 2 retries back to back, then the next op.
    const inv = run.history.filter((o) => o.type === "invoke");
    expect(inv[0].f).to.equal(inv[1].f);
    expect(inv[1].f).to.equal(inv[2].f);
    expect(inv[0].key).to.equal(inv[2].key);
  });

  it("gives every write a value unique within the run", () => {
    const run = simulate(kvConfig({ durationMs: 1000 }));
    const values = run.history.filter((o) => o.type === "invoke" && o.f === "write").map((o) => o.value);
    expect(new Set(values).size).to.equal(values.length);
  });
});

describe("workloads: read contexts (Dynamo-style clients)", () => {
  // A store that hands out a fresh context with every read and records what writes bring.
  interface S { readonly n: number }
  const contextual: Protocol<S, unknown> = {
    name: "contexts",
    init: () => ({ n: 0 }),
    onMessage: (s, msg, out) => {
      const b = msg.body;
      if (b.type === "read") {
        out.reply(msg, { type: "read_ok", value: null, context: { read: b.msg_id, key: b.key } });
        return { n: s.n + 1 };
      }
      if (b.type === "write") {
        out.note("write-context", { key: b.key as string, data: { context: b.context ?? null } });
        out.reply(msg, { type: "write_ok" });
      }
      return s;
    },
  };
  const run = (contexts: boolean) =>
    simulate({
      ...kvConfig(),
      protocol: contextual,
      config: {},
      workload: { ...kvConfig().workload!, clients: 1, mix: { read: 0, update: 0.5, readModifyWrite: 0.5 }, contexts },
    });

  it("sends with a write the context its client's last read of that key returned, once", () => {
    const r = run(true);
    const notes = r.trace.filter((e) => e.type === "note" && e.kind === "write-context");
    const contexts = notes.map((e) => (e.type === "note" ? (e.data as { context: { read: number; key: string } | null }).context : null));
    const writes = r.history.filter((o) => o.type === "invoke" && o.f === "write");
    // Every write reached the store, but perhaps the last one, still in flight at the end.
    expect(contexts.length).to.be.within(writes.length - 1, writes.length);
    // A context always belongs to the key being written.
    notes.forEach((e, i) => {
      if (e.type === "note" && contexts[i] !== null) expect(contexts[i]!.key).to.equal(e.key);
    });
    // One client, one op at a time: the i-th note is the i-th write. A write carries a
    // context exactly when it is the write half of a read-modify-write (the op just before
    // it read the same key); a blind update carries none, even after an earlier read.
    const invokes = r.history.filter((o) => o.type === "invoke");
    let checked = 0;
    invokes.forEach((op, i) => {
      if (op.f !== "write" || checked >= contexts.length) return;
      const prev = invokes[i - 1];
      const fromRead = prev !== undefined && prev.f === "read" && prev.key === op.key;
      expect(contexts[checked] !== null, `write ${i} (${op.key})`).to.equal(fromRead);
      checked++;
    });
    expect(contexts.filter((c) => c !== null).length).to.be.greaterThan(10);
    expect(contexts.filter((c) => c === null).length).to.be.greaterThan(10);
  });

  it("sends no context unless the workload asks for it", () => {
    const r = run(false);
    const contexts = r.trace.filter((e) => e.type === "note" && e.kind === "write-context").map((e) => (e.type === "note" ? (e.data as { context: unknown }).context : 1));
    expect(contexts.length).to.be.greaterThan(10);
    expect(contexts.every((c) => c === null)).to.equal(true);
  });
});
