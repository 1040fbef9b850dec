import { expect } from "chai";
import { firstAccepted, makeRing, movedKeys, ownerOf, ownershipShares, preferenceList } from "../../lib/protocols/leaderless/ring.js";
import { ConfigError } from "../../lib/errors.js";

const keys = Array.from({ length: 5000 }, (_, i) => `key-${i}`);
const nodes = (count: number): string[] => Array.from({ length: count }, (_, i) => `n${i + 1}`);

describe("consistent-hashing ring (Dynamo, SOSP 2007, §4.2)", () => {
  it("balance: with 128 virtual nodes every node owns within ±35 % of its fair share of the hash space", () => {
    const shares = ownershipShares(makeRing(nodes(8), 128));
    const values = Object.values(shares);
    expect(values.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-9);
    for (const s of values) expect(s).to.be.within(0.65 / 8, 1.35 / 8);
  });

  it("balance improves with virtual nodes: the largest share with 1 token is further from fair than with 128", () => {
    const spread = (v: number): number => Math.max(...Object.values(ownershipShares(makeRing(nodes(8), v)))) * 8;
    expect(spread(1)).to.be.greaterThan(spread(128));
  });

  it("a preference list names N distinct nodes, and its first is the key's owner", () => {
    const ring = makeRing(nodes(6), 16);
    for (const k of keys.slice(0, 500)) {
      const list = preferenceList(ring, k, 3);
      expect(new Set(list).size).to.equal(3);
      expect(list[0]).to.equal(ownerOf(ring, k));
    }
    expect(preferenceList(ring, "x", 99)).to.have.length(6);
  });

  it("minimal movement on join: every key whose owner changes moves to the new node, and about 1/(M+1) of keys move", () => {
    const before = makeRing(nodes(5), 64);
    const after = makeRing(nodes(6), 64);
    const moved = movedKeys(before, after, keys, 1);
    for (const k of moved) expect(ownerOf(after, k)).to.equal("n6");
    expect(moved.length / keys.length).to.be.within(0.5 / 6, 1.5 / 6);
  });

  it("minimal movement on join for preference lists: the new list is the old one with the new node inserted and the last dropped", () => {
    const before = makeRing(nodes(5), 64);
    const after = makeRing(nodes(6), 64);
    for (const k of keys.slice(0, 1000)) {
      const old = preferenceList(before, k, 3);
      const now = preferenceList(after, k, 3);
      if (!now.includes("n6")) expect(now).to.deep.equal(old);
      else expect(now.filter((n) => n !== "n6")).to.deep.equal(old.slice(0, 2));
    }
  });

  it("minimal movement on leave: only the keys the removed node owned change owner", () => {
    const before = makeRing(nodes(6), 64);
    const after = makeRing(nodes(6).filter((n) => n !== "n3"), 64);
    for (const k of movedKeys(before, after, keys, 1)) expect(ownerOf(before, k)).to.equal("n3");
    for (const k of keys) if (ownerOf(before, k) === "n3") expect(ownerOf(after, k)).to.not.equal("n3");
  });

  it("a ring does not depend on the order nodes are listed in", () => {
    const a = makeRing(["n1", "n2", "n3"], 8);
    const b = makeRing(["n3", "n1", "n2"], 8);
    for (const k of keys.slice(0, 200)) expect(preferenceList(a, k, 2)).to.deep.equal(preferenceList(b, k, 2));
  });

  it("rejects bad rings with a ConfigError", () => {
    expect(() => makeRing([], 8)).to.throw(ConfigError, /ring.nodes/);
    expect(() => makeRing(["n1", "n1"], 8)).to.throw(ConfigError, /duplicate/);
    expect(() => makeRing(["n1"], 0)).to.throw(ConfigError, /ring.vnodes/);
  });
});

describe("firstAccepted: the lazy clockwise walk a balancer with key affinity uses", () => {
  const ring = makeRing(["n1", "n2", "n3", "n4", "n5"], 16);

  it("returns the key's owner when it is accepted, and the next node of its preference list when not", () => {
    for (let k = 0; k < 200; k++) {
      const key = `key${k}`;
      const order = preferenceList(ring, key, 5);
      expect(firstAccepted(ring, key, () => true)).to.equal(order[0]);
      expect(firstAccepted(ring, key, (n) => n !== order[0])).to.equal(order[1]);
      expect(firstAccepted(ring, key, (n) => n === order[4])).to.equal(order[4]);
    }
  });

  it("visits each node once and returns null when none is accepted", () => {
    const seen: string[] = [];
    expect(firstAccepted(ring, "k", (n) => (seen.push(n), false))).to.equal(null);
    expect([...seen].sort()).to.deep.equal(["n1", "n2", "n3", "n4", "n5"]);
  });
});
