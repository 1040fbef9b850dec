import { expect } from "chai";
import { configErrorOf } from "../configErrors.js";
import { makeRing, ownershipShares } from "../../lib/protocols/leaderless/ring.js";
import {
  boundedCapacity, idealMovedFraction, jumpConsistentHash, keyNames, loadImbalance, loadSpread, makePlacement, movedFraction,
  nodeLoads, replicaLoads, ringSpreadTheory, type PlacementKind,
} from "../../lib/partitioning/index.js";

const nodes = (count: number, prefix = "n"): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
const KEYS = keyNames(20_000);

function expectConfigError(fn: () => unknown, field: string): void {
  expect(configErrorOf(fn).field).to.equal(field);
}

describe("jump consistent hash (Lamping & Veach 2014)", () => {
  it("gives the buckets other implementations of the paper's algorithm give (ClickHouse's jumpConsistentHash test, Microsoft's test vectors)", () => {
    // ClickHouse tests/queries/0_stateless/00580_consistent_hashing_functions: 0 43 520 0 361 237.
    const cases: [bigint, number, number][] = [[1n, 1, 0], [42n, 57, 43], [256n, 1024, 520], [3735883980n, 1, 0], [3735883980n, 666, 361], [16045690984833335023n, 255, 237], [2016238256797177309n, 11, 3], [10863919174838991n, 11, 6]];
    for (const [key, buckets, want] of cases) expect(jumpConsistentHash(key, buckets), `${key} in ${buckets}`).to.equal(want);
  });

  it("a key only ever moves to the new bucket when buckets grow by one", () => {
    const before = makePlacement({ kind: "jump", nodes: nodes(7) }).assign(KEYS);
    const after = makePlacement({ kind: "jump", nodes: nodes(8) }).assign(KEYS);
    for (const k of KEYS) if (before.get(k) !== after.get(k)) expect(after.get(k)).to.equal("n8");
  });

  it("removing a node from the middle renumbers the buckets after it and moves far more than the ideal (the paper's stated limit)", () => {
    const all = nodes(10);
    const before = makePlacement({ kind: "jump", nodes: all }).assign(KEYS);
    const middleGone = makePlacement({ kind: "jump", nodes: all.filter((n) => n !== "n3") }).assign(KEYS);
    // Keys of n3 must move (0.1); the renumbering moves most keys of n4…n10 as well.
    expect(movedFraction(before, middleGone)).to.be.greaterThan(3 * idealMovedFraction(10, 9));
  });
});

describe("placement schemes: balance and keys moved on a join or a leave, against theory", () => {
  const kinds: PlacementKind[] = ["ring", "jump", "rendezvous"];
  for (const kind of kinds) {
    it(`${kind}: a join from 10 to 11 nodes moves 1/11 of the keys, within 3 standard errors, and only to the newcomer`, () => {
      const before = makePlacement({ kind, nodes: nodes(10) }).assign(KEYS);
      const after = makePlacement({ kind, nodes: nodes(11) }).assign(KEYS);
      const p = idealMovedFraction(10, 11);
      // Jump and rendezvous: each key moves independently with probability 1/11, so the
      // fraction is binomial. Ring: the newcomer's share is itself random, with standard
      // deviation ≈ share/√vnodes (64 tokens), on top of the binomial noise.
      const binomialSe = Math.sqrt((p * (1 - p)) / KEYS.length);
      const se = kind === "ring" ? Math.sqrt(binomialSe ** 2 + (p * ringSpreadTheory(11, 64)) ** 2) : binomialSe;
      expect(Math.abs(movedFraction(before, after) - p)).to.be.lessThan(3 * se);
      for (const k of KEYS) if (before.get(k) !== after.get(k)) expect(after.get(k)).to.equal("n11");
    });

    it(`${kind}: a leave from 11 to 10 nodes moves exactly the leaver's keys`, () => {
      const before = makePlacement({ kind, nodes: nodes(11) }).assign(KEYS);
      const after = makePlacement({ kind, nodes: nodes(10) }).assign(KEYS);
      const leaverShare = [...before.values()].filter((n) => n === "n11").length / KEYS.length;
      expect(movedFraction(before, after)).to.equal(leaverShare);
    });
  }

  it("jump and rendezvous: per-node load is multinomial, spread within 30 % of √(n/m) and imbalance below 1 + 4√(n/m)", () => {
    for (const kind of ["jump", "rendezvous"] as const) {
      const ns = nodes(10);
      const loads = nodeLoads(makePlacement({ kind, nodes: ns }).assign(KEYS), ns);
      // Load of one node ~ Binomial(m, 1/n): std/mean = √((n − 1)/m). Ten nodes estimate it to ±~25 %.
      const theory = Math.sqrt((ns.length - 1) / KEYS.length);
      expect(loadSpread(loads), kind).to.be.within(0.7 * theory, 1.3 * theory);
      expect(loadImbalance(loads), kind).to.be.lessThan(1 + 4 * theory);
    }
  });

  it("ring: the spread of ownership shares follows √((N − v)/(v(N + 1))) ≈ 1/√vnodes, mean of 30 clusters within 3 standard errors", () => {
    for (const v of [1, 8, 64, 256]) {
      const spreads = Array.from({ length: 30 }, (_, r) => loadSpread(ownershipShares(makeRing(nodes(10, `c${r}-n`), v))));
      const mean = spreads.reduce((a, b) => a + b, 0) / spreads.length;
      const se = Math.sqrt(spreads.reduce((a, b) => a + (b - mean) ** 2, 0) / (spreads.length - 1) / spreads.length);
      // The population std of 10 shares is a biased estimate of σ (E[s] < σ, by ≈ 1 − 1/(4·9)
      // for the n − 1 form and a further √(9/10) for the population form): compare with that.
      const expected = ringSpreadTheory(10, v) * Math.sqrt(9 / 10) * (1 - 1 / 36);
      expect(Math.abs(mean - expected), `vnodes ${v}: mean ${mean}, expected ${expected} ± ${se}`).to.be.lessThan(3 * se + 0.02 * expected);
    }
  });

  it("bounded loads: no node holds more than ⌈c·m/n⌉ keys, whatever c; with c near 1 balance is near perfect", () => {
    for (const c of [1.05, 1.25, 2]) {
      const ns = nodes(10);
      const a = makePlacement({ kind: "bounded", nodes: ns, c }).assign(KEYS);
      expect(a.size).to.equal(KEYS.length);
      const loads = nodeLoads(a, ns);
      expect(Math.max(...Object.values(loads))).to.be.at.most(boundedCapacity(c, KEYS.length, 10));
      expect(loadImbalance(loads)).to.be.at.most(c + 1e-9);
    }
  });

  it("bounded loads: a join moves more than the ideal 1/(n + 1) (the cap pushes keys on), and less with a larger c", () => {
    const moved = (c: number) => movedFraction(
      makePlacement({ kind: "bounded", nodes: nodes(10), c, vnodes: 16 }).assign(KEYS),
      makePlacement({ kind: "bounded", nodes: nodes(11), c, vnodes: 16 }).assign(KEYS),
    );
    expect(moved(1.1)).to.be.greaterThan(idealMovedFraction(10, 11));
    expect(moved(1.1)).to.be.greaterThan(moved(2));
  });

  it("replicas: a ring's and rendezvous' preference lists name N distinct nodes, and a leave changes each key's replica set by at most one node", () => {
    for (const kind of ["ring", "rendezvous"] as const) {
      const p5 = makePlacement({ kind, nodes: nodes(5) });
      const p4 = makePlacement({ kind, nodes: nodes(4) });
      for (const k of KEYS.slice(0, 2000)) {
        const before = p5.replicas!(k, 3);
        const after = p4.replicas!(k, 3);
        expect(new Set(before).size).to.equal(3);
        expect(before[0]).to.equal(p5.assign([k]).get(k));
        expect(after.filter((n) => !before.includes(n)).length).to.be.at.most(1);
      }
      // With 3 replicas of every key, the nodes together hold 3 m replicas.
      const loads = replicaLoads(KEYS, p5.nodes, (k) => p5.replicas!(k, 3));
      expect(Object.values(loads).reduce((a, b) => a + b, 0)).to.equal(3 * KEYS.length);
    }
  });

  it("the ideal moved fraction is 1/(n + 1) for a join and a leave", () => {
    expect(idealMovedFraction(4, 5)).to.equal(1 / 5);
    expect(idealMovedFraction(5, 4)).to.equal(1 / 5);
  });
});

describe("placement: bad input is a ConfigError naming the field", () => {
  it("names the field and the fix", () => {
    expectConfigError(() => makePlacement({ kind: "hash" as PlacementKind, nodes: nodes(3) }), "placement.kind");
    expectConfigError(() => makePlacement({ kind: "ring", nodes: [] }), "placement.nodes");
    expectConfigError(() => makePlacement({ kind: "ring", nodes: ["n1", "n1"] }), "placement.nodes");
    expectConfigError(() => makePlacement({ kind: "ring", nodes: ["n1", ""] }), "placement.nodes[1]");
    expectConfigError(() => makePlacement({ kind: "ring", nodes: nodes(3), vnodes: 0 }), "placement.vnodes");
    expectConfigError(() => makePlacement({ kind: "jump", nodes: nodes(3), vnodes: 8 }), "placement.vnodes");
    expectConfigError(() => makePlacement({ kind: "bounded", nodes: nodes(3), c: 1 }), "placement.c");
    expectConfigError(() => makePlacement({ kind: "ring", nodes: nodes(3), c: 1.5 }), "placement.c");
    expectConfigError(() => makePlacement({ kind: "ring", nodes: nodes(3), vnode: 8 } as never), "placement.vnode");
    expectConfigError(() => jumpConsistentHash(1n, 0), "jump.buckets");
    expectConfigError(() => jumpConsistentHash(1 as never, 3), "jump.key");
    expectConfigError(() => movedFraction(new Map(), new Map()), "before");
    expectConfigError(() => movedFraction(new Map([["a", "n1"]]), new Map([["b", "n1"]])), "after");
    expectConfigError(() => nodeLoads(new Map([["a", "n9"]]), ["n1"]), "assignment");
    expectConfigError(() => loadImbalance({}), "loads");
    expectConfigError(() => boundedCapacity(0.9, 10, 2), "placement.c");
    expectConfigError(() => ringSpreadTheory(0, 4), "nodes");
    expectConfigError(() => keyNames(0), "keys");
  });
});
