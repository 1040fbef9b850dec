import { expect } from "chai";
import fc from "fast-check";
import { checkLinearizability, checkRegisterLinearizability } from "../../lib/checkers/linearizability.js";
import { historyBuilder } from "../../lib/checkers/historyBuilder.js";
import { singleCopyHistory } from "../../lib/checkers/singleCopyHistory.js";
import { ConfigError } from "../../lib/errors.js";
import type { History } from "../../lib/history/types.js";
import { illegalLinearization, stepsArbitrary, withReadValue } from "./arbitraries.js";

/** Every key's linearization must pass the independent replay. */
function expectLegalOrders(history: History, result: ReturnType<typeof checkLinearizability>): void {
  for (const k of result.keys) expect(illegalLinearization(history, k.key, k.linearization!), `key ${k.key}`).to.equal(null);
}

describe("linearizability (Wing & Gong search with Lowe's memo, per key)", () => {
  describe("textbook histories", () => {
    it("a read that returns an overwritten value after the overwrite completed is not linearizable", () => {
      const h = historyBuilder().write("c1", "x", 1, 0, 10).write("c2", "x", 2, 11, 15).read("c3", "x", 1, 20, 25).build();
      const r = checkLinearizability(h);
      expect(r.valid).to.equal(false);
      expect(r.witness!.key).to.equal("x");
      expect(r.witness!.op).to.equal(4);
      expect(r.witness!.ops).to.deep.equal([0, 2, 4]);
      expect(r.witness).to.deep.include({ prefixLength: 2, prefix: [0, 2], state: 2 }); // deepest attempt: both writes, then stuck
      expect(r.witness!.message).to.include("read of x returned 1 at [20, 25]").and.include("write x=2 (op 2) completed at 15").and.include("write x=1 (op 0) completed at 10");
    });

    it("concurrent writes may take effect in either order, so a later read may return either", () => {
      for (const seen of [1, 2]) {
        const h = historyBuilder().write("c1", "x", 1, 0, 10).write("c2", "x", 2, 5, 15).read("c3", "x", seen, 20, 25).build();
        const r = checkLinearizability(h);
        expect(r.valid, `read ${seen}`).to.equal(true);
        expectLegalOrders(h, r);
        expect(r.keys[0].linearization!.at(-2)).to.equal(seen === 1 ? 0 : 1); // the write that was read is placed last
      }
    });

    it("two reads after both concurrent writes completed must agree on the winner", () => {
      const h = historyBuilder().write("c1", "x", 1, 0, 10).write("c2", "x", 2, 5, 15)
        .read("c3", "x", 1, 20, 25).read("c4", "x", 2, 20, 25).build();
      expect(checkLinearizability(h).valid).to.equal(false);
    });

    it("an info write must be assumed to have happened when a later read returns its value", () => {
      const h = historyBuilder().write("c1", "x", 1, 0, 10).write("c2", "x", 2, 12, 15, "info").read("c3", "x", 2, 20, 25).build();
      const r = checkLinearizability(h);
      expect(r.valid).to.equal(true);
      expect(r.keys[0].linearization).to.deep.equal([0, 2, 4]);
    });

    it("an info write may take effect after its info completion was recorded", () => {
      // Jepsen: an indeterminate op may take effect at any time after invocation.
      const h = historyBuilder().write("c1", "x", 1, 0, 5, "info").read("c2", "x", null, 10, 12).read("c2", "x", 1, 20, 22).build();
      expect(checkLinearizability(h).valid).to.equal(true);
    });

    it("an info write whose value is never read may not have happened at all", () => {
      const h = historyBuilder().write("c1", "x", 1, 0, 10).write("c2", "x", 2, 12, 15, "info").read("c3", "x", 1, 20, 25).build();
      const r = checkLinearizability(h);
      expect(r.valid).to.equal(true);
      expect(r.keys[0].linearization).to.deep.equal([0, 4]);
    });

    it("a failed write did not happen, so reading its value is a violation", () => {
      const h = historyBuilder().write("c1", "x", 1, 0, 10).write("c2", "x", 2, 12, 15, "fail").read("c3", "x", 2, 20, 25).build();
      const r = checkLinearizability(h);
      expect(r.valid).to.equal(false);
      expect(r.witness!.message).to.include("no operation that could have happened wrote 2").and.include("failed");
    });

    it("a read of a value nobody wrote is named as such", () => {
      const h = historyBuilder().write("c1", "x", 1, 0, 10).read("c2", "x", 7, 20, 25).build();
      expect(checkLinearizability(h).witness!.message).to.include("no operation that could have happened wrote 7 to x");
    });

    it("a read of the initial value after a completed write is a violation", () => {
      const h = historyBuilder().write("c1", "x", 1, 0, 10).read("c2", "x", null, 20, 25).build();
      const r = checkLinearizability(h);
      expect(r.valid).to.equal(false);
      expect(r.witness!.ops).to.deep.equal([0, 2]);
    });

    it("a read concurrent with a write may return the old or the new value", () => {
      for (const seen of [null, 1]) {
        const h = historyBuilder().write("c1", "x", 1, 0, 10).read("c2", "x", seen, 5, 8).build();
        expect(checkLinearizability(h).valid, `read ${seen}`).to.equal(true);
      }
    });

    it("a read that completed before the write began cannot see it", () => {
      const h = historyBuilder().read("c2", "x", 1, 0, 4).write("c1", "x", 1, 5, 10).build();
      const r = checkLinearizability(h);
      expect(r.valid).to.equal(false);
      expect(r.witness!.message).to.include("was invoked only at 5, after the read completed");
    });

    it("reads that did not complete ok tell nothing", () => {
      const h = historyBuilder().write("c1", "x", 1, 0, 10).read("c2", "x", 99, 20, 25, "info").read("c3", "x", 99, 20, 25, "fail").build();
      expect(checkLinearizability(h).valid).to.equal(true);
    });
  });

  describe("the witness names only operations the violation rests on", () => {
    it("of three reads of 1 after two concurrent writes, one is enough to contradict a later read of 2", () => {
      const h = historyBuilder().write("c1", "x", 1, 0, 10).write("c2", "x", 2, 0, 10)
        .read("c3", "x", 1, 11, 12).read("c4", "x", 1, 11, 12).read("c6", "x", 1, 11, 12)
        .write("c7", "y", 5, 0, 20)
        .read("c5", "x", 2, 13, 14).build();
      const r = checkLinearizability(h);
      expect(r.valid).to.equal(false);
      const w = r.witness!;
      expect(w.ops.at(-1)).to.equal(w.op);
      const f = (i: number) => h.find((e) => e.index === i)!;
      const doneOf = (i: number) => h.find((e) => e.index > i && e.process === f(i).process && e.type !== "invoke")!;
      const named = w.ops.slice(0, -1).map((i) => `${f(i).f} ${f(i).f === "read" ? doneOf(i).value : f(i).value}`);
      expect(named.filter((x) => x === "read 1"), "one read of 1").to.have.length(1);
      expect(named).to.include.members(["write 1", "write 2"]).and.have.length(3);
      expect(w.message).to.include("no order of it with write 1 (op 0), write 2 (op 1), read 1 (op");
      // The named ops alone are not linearizable: they are a proof by themselves.
      const keep = new Set(w.ops);
      const sub = historyBuilder();
      for (const i of w.ops) {
        const inv = f(i);
        const done = doneOf(i);
        if (inv.f === "read") sub.read(inv.process, "x", done.value as number, inv.time, done.time);
        else sub.write(inv.process, "x", inv.value as number, inv.time, done.time);
      }
      expect(checkLinearizability(sub.build()).valid).to.equal(false);
      expect(keep.size).to.equal(4);
    });
  });

  describe("compare-and-set", () => {
    it("a cas succeeds only from its expected value", () => {
      const ok = historyBuilder().write("c1", "x", 1, 0, 10).cas("c2", "x", 1, 2, 12, 15).read("c3", "x", 2, 20, 25).build();
      expect(checkLinearizability(ok).valid).to.equal(true);
      const wrong = historyBuilder().write("c1", "x", 1, 0, 10).cas("c2", "x", 3, 2, 12, 15).build();
      const r = checkLinearizability(wrong);
      expect(r.valid).to.equal(false);
      expect(r.witness!.message).to.include("cas of x from 3 to 2 succeeded");
    });

    it("an info write is kept when only a cas needs its value, even an info cas", () => {
      const h = historyBuilder().write("c1", "x", 1, 0, 5, "info").cas("c2", "x", 1, 2, 10, 15).read("c3", "x", 2, 20, 25).build();
      expect(checkLinearizability(h).valid).to.equal(true);
      const chain = historyBuilder().write("c1", "x", 1, 0, 5, "info").cas("c2", "x", 1, 2, 10, 15, "info").read("c3", "x", 2, 20, 25).build();
      const r = checkLinearizability(chain);
      expect(r.valid).to.equal(true);
      expect(r.keys[0].linearization).to.deep.equal([0, 2, 4]);
    });

    it("a failed cas did not happen", () => {
      const h = historyBuilder().write("c1", "x", 1, 0, 10).cas("c2", "x", 1, 2, 12, 15, "fail").read("c3", "x", 1, 20, 25).build();
      expect(checkLinearizability(h).valid).to.equal(true);
    });

    it("two concurrent cas from the same value cannot both succeed", () => {
      const h = historyBuilder().write("c1", "x", 1, 0, 10).cas("c2", "x", 1, 2, 12, 20).cas("c3", "x", 1, 3, 12, 20).build();
      expect(checkLinearizability(h).valid).to.equal(false);
    });

    it("cas from null succeeds on an empty key, and initialValue changes that", () => {
      const h = historyBuilder().cas("c1", "x", null, 1, 0, 5).read("c1", "x", 1, 6, 8).build();
      expect(checkLinearizability(h).valid).to.equal(true);
      expect(checkLinearizability(h, { initialValue: 0 }).valid).to.equal(false);
    });
  });

  describe("per-key composition (Herlihy & Wing 1990)", () => {
    it("finds and names the one bad key among many good ones", () => {
      const b = historyBuilder();
      for (let k = 0; k < 10; k++) {
        b.write("c1", `k${k}`, 100 + k, 10 * k, 10 * k + 5).read("c2", `k${k}`, 100 + k, 10 * k + 6, 10 * k + 8);
      }
      b.write("c3", "k7", 500, 200, 205).read("c4", "k7", 107, 210, 215);
      const r = checkLinearizability(b.build());
      expect(r.valid).to.equal(false);
      expect(r.witness!.key).to.equal("k7");
      expect(r.keys.filter((k) => k.valid === false).map((k) => k.key)).to.deep.equal(["k7"]);
      expect(r.keys.filter((k) => k.valid === true)).to.have.length(9);
      expect(r.message).to.include("key k7");
    });

    it("checkRegisterLinearizability looks at one key only", () => {
      const h = historyBuilder().write("c1", "x", 1, 0, 10).read("c2", "y", 5, 20, 25).read("c3", "x", 1, 20, 25).build();
      expect(checkRegisterLinearizability(h, "x").valid).to.equal(true);
      expect(checkRegisterLinearizability(h, "y").valid).to.equal(false);
    });
  });

  describe("generated histories (fast-check, fixed seed)", () => {
    it("a history executed one op at a time on a single copy is always linearizable", () => {
      fc.assert(fc.property(stepsArbitrary(), (steps) => {
        const run = singleCopyHistory(steps);
        const r = checkLinearizability(run.history);
        expect(r.valid, r.message).to.equal(true);
        expectLegalOrders(run.history, r);
      }), { seed: 42, numRuns: 200 });
    });

    it("replacing one read's value with one that no order explains makes it non-linearizable", () => {
      let overwritten = 0;
      fc.assert(fc.property(stepsArbitrary(), fc.nat(), fc.boolean(), (steps, pick, preferOverwritten) => {
        const { history } = singleCopyHistory(steps);
        const reads = history.filter((e) => e.type === "ok" && e.f === "read");
        if (reads.length === 0) return;
        const done = reads[pick % reads.length];
        const inv = [...history.slice(0, done.index)].reverse().find((e) => e.process === done.process)!;
        let bad = -999; // never written: generated values are positive
        if (preferOverwritten) {
          // A value certainly overwritten before the read began: its write w1 completed ok
          // before an ok write w2 began, and w2 completed before the read began.
          const okWrites = history.filter((e) => e.type === "ok" && e.f !== "read" && e.key === inv.key);
          const invokeOf = (c: typeof okWrites[number]) => [...history.slice(0, c.index)].reverse().find((e) => e.process === c.process)!.index;
          const w1 = okWrites.find((a) => okWrites.some((b) => b !== a && a.index < invokeOf(b) && b.index < inv.index));
          if (w1 !== undefined) { bad = w1.value as number; overwritten++; }
        }
        if (bad === done.value) return;
        const r = checkLinearizability(withReadValue(history, inv.index, bad));
        expect(r.valid).to.equal(false);
        expect(r.witness!.key).to.equal(inv.key);
      }), { seed: 42, numRuns: 200 });
      expect(overwritten, "overwritten-value cases exercised").to.be.greaterThan(20);
    });
  });

  describe("budget", () => {
    /** Many writes and reads all overlapping, ending in a read no order explains. */
    function adversarial(key: string, n: number): ReturnType<ReturnType<typeof historyBuilder>["build"]> {
      const b = historyBuilder();
      for (let i = 0; i < n; i++) b.write(`w${i}`, key, i + 1, 0, 100);
      for (let i = 0; i < n; i++) b.read(`r${i}`, key, n - i, 1, 100);
      b.read("late", key, 999, 200, 210);
      return b.build();
    }

    it("gives up with \"unknown\" and reports how far it got instead of running on", () => {
      const r = checkLinearizability(adversarial("x", 14), { maxSteps: 2000 });
      expect(r.valid).to.equal("unknown");
      expect(r.steps).to.equal(2000);
      expect(r.keys[0].deepest).to.be.greaterThan(0).and.at.most(r.keys[0].ops);
      expect(r.message).to.include("ran out").and.include("placed at most");
    });

    it("with enough budget the same kind of history gets a definite answer", () => {
      const r = checkLinearizability(adversarial("x", 4), { maxSteps: 1_000_000 });
      expect(r.valid).to.equal(false);
    });

    it("keys are checked smallest first, so a small bad key is found even if a big one exhausts the budget", () => {
      const big = adversarial("big", 14);
      const small = historyBuilder().write("s1", "small", 1, 300, 310).write("s2", "small", 2, 311, 315).read("s3", "small", 1, 320, 325).build();
      const merged = [...big, ...small].map((e, index) => ({ ...e, index }));
      const r = checkLinearizability(merged, { maxSteps: 500 });
      expect(r.valid).to.equal(false);
      expect(r.witness!.key).to.equal("small");
      expect(r.keys.find((k) => k.key === "big")!.valid).to.equal("unknown");
    });

    it("the memo never holds more than maxMemoBytes, counted over its arrays, and forgetting it keeps the verdict", () => {
      const h = adversarial("x", 8);
      const free = checkLinearizability(h, { maxSteps: 3_000_000 });
      expect(free.valid).to.equal(false);
      for (const maxMemoBytes of [64 * 1024, 1 << 20]) {
        const r = checkLinearizability(h, { maxSteps: 3_000_000, maxMemoBytes });
        const memo = r.keys[0].memo!;
        expect(memo.peakBytes, `peak at ${maxMemoBytes}`).to.be.at.most(maxMemoBytes);
        expect(memo.resets, "the budget was reached").to.be.greaterThan(0);
        // Entries counted, not process memory: each costs at least its 25 bytes of bookkeeping.
        expect(memo.peakEntries * 25).to.be.at.most(maxMemoBytes);
        if (r.valid !== "unknown") expect(r.valid).to.equal(free.valid);
      }
      const r = checkLinearizability(h, { maxSteps: 3_000_000, maxMemoBytes: 1 << 20 });
      expect(r.valid, "1 MiB is enough to finish").to.equal(false);
      expect(free.keys[0].memo!.peakEntries).to.be.greaterThan(r.keys[0].memo!.peakEntries);
    });

    it("rejects a memo budget below 64 KiB", () => {
      const h = historyBuilder().write("c1", "x", 1, 0, 10).build();
      expect(() => checkLinearizability(h, { maxMemoBytes: 1000 })).to.throw(ConfigError, "options.maxMemoBytes");
    });

    it("rejects a budget that is not a positive whole number", () => {
      const h = historyBuilder().write("c1", "x", 1, 0, 10).build();
      expect(() => checkLinearizability(h, { maxSteps: 0 })).to.throw(ConfigError, "options.maxSteps");
      expect(() => checkLinearizability(h, { maxSteps: 1.5 })).to.throw(ConfigError, "whole number");
    });
  });
});
