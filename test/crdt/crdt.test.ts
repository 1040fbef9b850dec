/**
 * CRDT laws and query semantics (Shapiro, Preguiça, Baquero, Zawirski, INRIA RR-7506, 2011:
 * § 2.2 for the semilattice laws; §§ 3.1.2, 3.1.3, 3.2.1, 3.2.2, 3.3.5 for each type).
 * Property-based with fast-check and a fixed seed, so a failure reproduces.
 *
 * States under test come from random programs: three replicas apply random updates and now
 * and then merge another replica's state (gossip). Every state a program produces is one
 * "update" to deliver; the laws are checked on states drawn from one program (states of
 * unrelated histories are not states of one object), and convergence by delivering all of a
 * program's states to a fresh replica in a random order.
 */
import { expect } from "chai";
import fc from "fast-check";
import { isDeepStrictEqual } from "node:util";
import { ConfigError } from "../../lib/errors.js";
import {
  crdtValue, gCounter, gIncrement, gValue, lwwAssign, lwwRegister, lwwValue, mergeCrdt, mergeGCounter, mergeLwwRegister,
  mergeMvRegister, mergeOrSet, mergePNCounter, mvAssign, mvRegister, mvValues, orAdd, orElements, orHas, orRemove, orSet,
  pnCounter, pnDecrement, pnIncrement, pnValue, type Crdt, type GCounter, type LwwRegister, type MvRegister, type OrSet, type PNCounter,
} from "../../lib/crdt/index.js";

const RUNS = { seed: 42, numRuns: 200 };
const REPLICAS = ["n1", "n2", "n3"];

/** A CRDT under test: how to start, apply one random update, and merge. */
interface Model<S, Op> {
  readonly name: string;
  readonly init: () => S;
  readonly op: fc.Arbitrary<Op>;
  readonly apply: (s: S, op: Op, replica: string) => S;
  readonly merge: (a: S, b: S) => S;
}

type Step<Op> = { readonly r: number } & ({ readonly kind: "op"; readonly op: Op } | { readonly kind: "sync"; readonly from: number });

function program<Op>(op: fc.Arbitrary<Op>): fc.Arbitrary<Step<Op>[]> {
  const step = fc.oneof(
    { weight: 3, arbitrary: fc.record({ r: fc.nat(2), kind: fc.constant("op" as const), op }) },
    { weight: 1, arbitrary: fc.record({ r: fc.nat(2), kind: fc.constant("sync" as const), from: fc.nat(2) }) },
  );
  return fc.array(step, { minLength: 1, maxLength: 25 });
}

/** Runs a program; returns every state produced and each replica's last. */
function run<S, Op>(m: Model<S, Op>, steps: Step<Op>[], onStep?: (before: S, step: Step<Op>, replica: string) => void) {
  const replicas = REPLICAS.map(() => m.init());
  const produced: S[] = [];
  for (const s of steps) {
    onStep?.(replicas[s.r], s, REPLICAS[s.r]);
    replicas[s.r] = s.kind === "op" ? m.apply(replicas[s.r], s.op, REPLICAS[s.r]) : m.merge(replicas[s.r], replicas[s.from]);
    produced.push(replicas[s.r]);
  }
  return { produced, replicas };
}

const same = (a: unknown, b: unknown) => isDeepStrictEqual(a, b);
const fold = <S>(m: Model<S, unknown>, states: readonly S[]) => states.reduce((acc, s) => m.merge(acc, s), m.init());

/** The semilattice laws and convergence for one model. */
function laws<S, Op>(m: Model<S, Op>): void {
  describe(`${m.name}: merge is a join (RR-7506 § 2.2)`, () => {
    // Three states of one program, picked by index.
    const triple = fc.tuple(program(m.op), fc.nat(), fc.nat(), fc.nat());
    const pick = (steps: Step<Op>[], i: number, j: number, k: number) => {
      const { produced } = run(m, steps);
      return [produced[i % produced.length], produced[j % produced.length], produced[k % produced.length]];
    };
    it("commutative: merge(a, b) = merge(b, a)", () => {
      fc.assert(fc.property(triple, ([p, i, j]) => {
        const [a, b] = pick(p, i, j, 0);
        return same(m.merge(a, b), m.merge(b, a));
      }), RUNS);
    });
    it("associative: merge(merge(a, b), c) = merge(a, merge(b, c))", () => {
      fc.assert(fc.property(triple, ([p, i, j, k]) => {
        const [a, b, c] = pick(p, i, j, k);
        return same(m.merge(m.merge(a, b), c), m.merge(a, m.merge(b, c)));
      }), RUNS);
    });
    it("idempotent: merge(a, a) = a", () => {
      fc.assert(fc.property(triple, ([p, i]) => {
        const [a] = pick(p, i, 0, 0);
        return same(m.merge(a, a), a);
      }), RUNS);
    });
    it("converges: every delivery order of the same updates gives the same state", () => {
      fc.assert(fc.property(program(m.op), fc.array(fc.double({ noNaN: true }), { minLength: 25, maxLength: 25 }), (p, keys) => {
        const { produced, replicas } = run(m, p);
        const order = produced.map((s, i) => [keys[i], i, s] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1]).map((x) => x[2]);
        const reference = fold(m as Model<S, unknown>, produced);
        // Replicas that then exchange all their states agree as well.
        const gossiped = fold(m as Model<S, unknown>, replicas);
        return same(fold(m as Model<S, unknown>, order), reference) && same(fold(m as Model<S, unknown>, [...replicas].reverse()), gossiped);
      }), RUNS);
    });
  });
}

// ---- the models ---------------------------------------------------------------------

type CounterOp = { readonly inc: boolean; readonly by: number };
const gModel: Model<GCounter, number> = { name: "G-Counter", init: gCounter, op: fc.nat(5), apply: (s, by, r) => gIncrement(s, r, by), merge: mergeGCounter };
const pnModel: Model<PNCounter, CounterOp> = {
  name: "PN-Counter",
  init: pnCounter,
  op: fc.record({ inc: fc.boolean(), by: fc.nat(5) }),
  apply: (s, o, r) => (o.inc ? pnIncrement(s, r, o.by) : pnDecrement(s, r, o.by)),
  merge: mergePNCounter,
};
type SetOp = { readonly add: boolean; readonly e: string };
const orModel: Model<OrSet<string>, SetOp> = {
  name: "OR-Set",
  init: () => orSet<string>(),
  op: fc.record({ add: fc.boolean(), e: fc.constantFrom("x", "y", "z") }),
  apply: (s, o, r) => (o.add ? orAdd(s, o.e, r) : orRemove(s, o.e)),
  merge: mergeOrSet,
};
type LwwOp = { readonly v: number; readonly ts: number };
const lwwModel: Model<LwwRegister<number>, LwwOp> = {
  name: "LWW-Register",
  init: () => lwwRegister<number>(),
  // Few timestamps, so ties between replicas are common.
  op: fc.record({ v: fc.nat(100), ts: fc.nat(6) }),
  apply: (s, o, r) => lwwAssign(s, o.v, o.ts, r),
  merge: mergeLwwRegister,
};
const mvModel: Model<MvRegister<number>, number> = { name: "MV-Register", init: () => mvRegister<number>(), op: fc.nat(100), apply: (s, v, r) => mvAssign(s, v, r), merge: mergeMvRegister };

laws(gModel);
laws(pnModel);
laws(orModel);
laws(lwwModel);
laws(mvModel);

// ---- what each type's read returns ---------------------------------------------------

describe("CRDT queries", () => {
  it("G-Counter (§ 3.1.2): once everything is merged, the value is the sum of all increments", () => {
    fc.assert(fc.property(program(gModel.op), (p) => {
      const total = p.reduce((s, st) => s + (st.kind === "op" ? st.op : 0), 0);
      return gValue(fold(gModel as Model<GCounter, unknown>, run(gModel, p).produced)) === total;
    }), RUNS);
  });

  it("PN-Counter (§ 3.1.3): value = increments − decrements, once everything is merged", () => {
    fc.assert(fc.property(program(pnModel.op), (p) => {
      const total = p.reduce((s, st) => s + (st.kind === "op" ? (st.op.inc ? st.op.by : -st.op.by) : 0), 0);
      return pnValue(fold(pnModel as Model<PNCounter, unknown>, run(pnModel, p).produced)) === total;
    }), RUNS);
  });

  it("OR-Set (§ 3.3.5): an element is in the merged set iff some add of it was observed by no remove (add wins)", () => {
    fc.assert(fc.property(program(orModel.op), (p) => {
      const addTags = new Map<string, string>(); // tag → element
      const removedTags = new Set<string>();
      const { produced } = run(orModel, p, (before, st) => {
        if (st.kind !== "op") return;
        if (!st.op.add) for (const [tag, e] of Object.entries(before.entries)) if (e === st.op.e) removedTags.add(tag);
      });
      for (const s of produced) for (const [tag, e] of Object.entries(s.entries)) addTags.set(tag, e);
      // Tags of every add, including those later removed: read them from the adds' own states.
      const expected = [...new Set([...addTags].filter(([tag]) => !removedTags.has(tag)).map(([, e]) => e))].sort();
      return same(orElements(fold(orModel as Model<OrSet<string>, unknown>, produced)), expected);
    }), RUNS);
  });

  it("OR-Set: a remove concurrent with an add keeps the element; a remove that saw the add deletes it", () => {
    const base = orAdd(orSet<string>(), "x", "n1");
    const a = orRemove(base, "x"); // n1 removes what it saw
    const b = orAdd(base, "x", "n2"); // n2 adds x again, concurrently
    expect(orHas(mergeOrSet(a, b), "x")).to.equal(true);
    expect(orHas(mergeOrSet(a, base), "x")).to.equal(false);
    expect(orHas(orRemove(mergeOrSet(a, b), "x"), "x")).to.equal(false);
    // Tags are deterministic: replica and counter.
    expect(Object.keys(b.entries).sort()).to.deep.equal(["n1#1", "n2#1"]);
  });

  it("LWW-Register (§ 3.2.1): the merged value is the assignment with the largest (timestamp, replica id)", () => {
    fc.assert(fc.property(program(lwwModel.op), (p) => {
      let best: { ts: number; r: string; v: number } | null = null;
      run(lwwModel, p, (_s, st, r) => {
        if (st.kind !== "op") return;
        const c = { ts: st.op.ts, r, v: st.op.v };
        if (best === null || c.ts > best.ts || (c.ts === best.ts && (c.r > best.r || (c.r === best.r && String(c.v) > String(best.v))))) best = c;
      });
      const merged = lwwValue(fold(lwwModel as Model<LwwRegister<number>, unknown>, run(lwwModel, p).produced));
      return merged === ((best as { v: number } | null)?.v ?? null);
    }), RUNS);
    // A tie on the timestamp goes to the larger replica id, whichever side merges.
    const a = lwwAssign(lwwRegister<string>(), "from n1", 5, "n1");
    const b = lwwAssign(lwwRegister<string>(), "from n2", 5, "n2");
    expect(lwwValue(mergeLwwRegister(a, b))).to.equal("from n2");
    expect(lwwValue(mergeLwwRegister(b, a))).to.equal("from n2");
  });

  it("MV-Register (§ 3.2.2): concurrent assignments are all kept; one that saw them replaces them", () => {
    const a = mvAssign(mvRegister<string>(), "a", "n1");
    const b = mvAssign(mvRegister<string>(), "b", "n2");
    const both = mergeMvRegister(a, b);
    expect(mvValues(both).sort()).to.deep.equal(["a", "b"]);
    const c = mvAssign(both, "c", "n3");
    expect(mvValues(mergeMvRegister(both, c))).to.deep.equal(["c"]);
    expect(mvValues(mergeMvRegister(c, a))).to.deep.equal(["c"]);
  });

  it("MV-Register: the merged values are exactly the assignments no other assignment saw", () => {
    fc.assert(fc.property(program(mvModel.op), (p) => {
      const { produced } = run(mvModel, p);
      // Each assignment's entry, from the state right after it (a one-entry register).
      const assigned = p.flatMap((st, i) => (st.kind === "op" ? [produced[i].entries[0]] : []));
      const merged = fold(mvModel as Model<MvRegister<number>, unknown>, produced);
      const dominated = (x: (typeof assigned)[number]) => assigned.some((y) => y !== x && Object.keys(x.vv).every((k) => (y.vv[k] ?? 0) >= x.vv[k]) && !same(x.vv, y.vv));
      const expected = assigned.filter((x) => !dominated(x)).map((x) => x.value).sort();
      return same([...mvValues(merged)].sort(), expected);
    }), RUNS);
  });

  it("crdtValue reads any type", () => {
    expect(crdtValue(gIncrement(gCounter(), "n1", 3))).to.equal(3);
    expect(crdtValue(pnDecrement(pnCounter(), "n1"))).to.equal(-1);
    expect(crdtValue(orAdd(orSet(), 2, "n1"))).to.deep.equal([2]);
  });
});

describe("CRDTs: bad input", () => {
  it("merging two different CRDT types throws a ConfigError naming both", () => {
    const g = gCounter();
    const p = pnCounter();
    expect(() => mergeCrdt<Crdt>(g, p)).to.throw(ConfigError, /g-counter.*pn-counter/);
    expect(() => mergeCrdt<Crdt>(orSet(), lwwRegister())).to.throw(ConfigError, /or-set.*lww-register/);
    expect(() => mergePNCounter(p, g as unknown as PNCounter)).to.throw(ConfigError, /pn-counter.*g-counter/);
    expect(() => mergeMvRegister(mvRegister(), orSet() as unknown as MvRegister<unknown>)).to.throw(ConfigError, /mv-register.*or-set/);
  });
  it("a G-Counter cannot go down; replica ids must be usable keys", () => {
    expect(() => gIncrement(gCounter(), "n1", -1)).to.throw(ConfigError).with.property("field", "by");
    expect(() => gIncrement(gCounter(), "", 1)).to.throw(ConfigError).with.property("field", "replica");
    expect(() => orAdd(orSet(), "x", "__proto__")).to.throw(ConfigError).with.property("field", "replica");
    expect(() => lwwAssign(lwwRegister(), 1, NaN, "n1")).to.throw(ConfigError).with.property("field", "timestamp");
  });
  it("merges two replicas of one type through mergeCrdt like the type's own merge", () => {
    const a = pnIncrement(pnCounter(), "n1", 2);
    const b = pnDecrement(pnCounter(), "n2", 5);
    expect(mergeCrdt(a, b)).to.deep.equal(mergePNCounter(a, b));
  });
});
