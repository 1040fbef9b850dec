import { inspect } from "node:util";
import { expect } from "chai";
import fc from "fast-check";
import { Map as ImmutableMap } from "immutable";
import { diffValues, summarize } from "../../lib/sim/diff.js";
import { VersionedMap } from "../../lib/sim/versionedMap.js";

/** One step on a random earlier version: write a key, read a key, or list every entry. */
type Step = { kind: "set"; from: number; key: number; value: number } | { kind: "get"; from: number; key: number } | { kind: "list"; from: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), from: fc.nat(), key: fc.nat(12), value: fc.nat(3) }),
  fc.record({ kind: fc.constant("get" as const), from: fc.nat(), key: fc.nat(12) }),
  fc.record({ kind: fc.constant("list" as const), from: fc.nat() }),
);

describe("VersionedMap: a persistent map whose newest version is a JavaScript Map", () => {
  it("every version keeps its entries, in first-set order, however versions are written and read (model: a copied Map per version)", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), fc.array(fc.nat(), { minLength: 1, maxLength: 20 }), (steps, finalChecks) => {
        const versions = [VersionedMap.empty<string, number>()];
        const model = [new Map<string, number>()];
        for (const s of steps) {
          const i = s.from % versions.length;
          if (s.kind === "set") {
            versions.push(versions[i].set(`k${s.key}`, s.value));
            model.push(new Map(model[i]).set(`k${s.key}`, s.value));
          } else if (s.kind === "get") {
            expect(versions[i].get(`k${s.key}`)).to.equal(model[i].get(`k${s.key}`));
            expect(versions[i].has(`k${s.key}`)).to.equal(model[i].has(`k${s.key}`));
          } else {
            expect([...versions[i]]).to.deep.equal([...model[i]]);
            expect(versions[i].size).to.equal(model[i].size);
          }
        }
        for (const c of finalChecks) {
          const i = c % versions.length;
          expect([...versions[i].entries()]).to.deep.equal([...model[i]]);
        }
        // And every version, oldest first (each read materialises it).
        versions.forEach((v, i) => expect([...v], `version ${i}`).to.deep.equal([...model[i]]));
      }),
      { numRuns: 300, seed: 20261202 },
    );
  });

  it("keeps every version of a long line of writes across many segments (a segment ends after as many writes as keys, at least 64)", () => {
    const versions = [VersionedMap.empty<string, number>()];
    const model = [new Map<string, number>()];
    for (let i = 0; i < 2_000; i++) {
      const key = `k${(i * 7919) % 37}`;
      versions.push(versions[versions.length - 1].set(key, i));
      model.push(new Map(model[model.length - 1]).set(key, i));
    }
    // Read every 97th version from newest to oldest: each materialisation crosses segment ends.
    for (let i = versions.length - 1; i >= 0; i -= 97) expect([...versions[i]], `version ${i}`).to.deep.equal([...model[i]]);
    versions.forEach((v, i) => expect(v.size, `version ${i}`).to.equal(model[i].size));
    expect([...versions[2_000]]).to.deep.equal([...model[2_000]]);
  });

  it("setting a key to the value it already has returns the same map, as immutable.js does", () => {
    const a = VersionedMap.empty<string, number>().set("x", 1);
    expect(a.set("x", 1)).to.equal(a);
    expect(a.set("x", 2)).to.not.equal(a);
    expect(ImmutableMap<string, number>().set("x", 1).set("x", 1).size).to.equal(a.size);
    const m = ImmutableMap<string, number>().set("x", 1);
    expect(m.set("x", 1)).to.equal(m);
  });

  it("an older version read after 10,000 later writes still equals a map built with its entries alone", () => {
    let v = VersionedMap.empty<string, number>();
    const old = v.set("a", 1);
    v = old;
    for (let i = 0; i < 10_000; i++) v = v.set(`k${i % 100}`, i);
    const twin = VersionedMap.of<string, number>([["a", 1]]);
    expect(old.equals(twin)).to.equal(true);
    expect(old.equals(v)).to.equal(false);
    expect(old.size).to.equal(1);
    expect(v.size).to.equal(101);
    expect(v.get("k99")).to.equal(9_999);
  });

  it("equals compares keys and values, not history, and tells an undefined value from a missing key", () => {
    const a = VersionedMap.of<string, number | undefined>([["x", 1], ["y", undefined]]);
    const b = VersionedMap.of<string, number | undefined>([["x", 1], ["z", undefined]]);
    const c = VersionedMap.empty<string, number | undefined>().set("y", undefined).set("x", 1);
    expect(a.equals(b)).to.equal(false);
    expect(a.equals(c)).to.equal(true);
  });

  it("serialises as immutable.js's Map does, prints as its entries, and shows in state diffs key by key", () => {
    const before = VersionedMap.of([["k1", 1], ["k2", 2]]);
    const after = before.set("k2", 3).set("k3", 4);
    expect(JSON.stringify({ kv: before })).to.equal('{"kv":{"k1":1,"k2":2}}');
    expect(JSON.stringify({ kv: before })).to.equal(JSON.stringify({ kv: ImmutableMap([["k1", 1], ["k2", 2]]) }));
    expect(summarize(after)).to.equal("map(3)");
    expect(inspect(before)).to.equal("Map(2) { 'k1' => 1, 'k2' => 2 }");
    expect(diffValues({ kv: before }, { kv: after })).to.deep.equal([
      { path: 'kv["k2"]', before: 2, after: 3 },
      { path: 'kv["k3"]', before: "(absent)", after: 4 },
    ]);
  });
});
