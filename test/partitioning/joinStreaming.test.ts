import { expect } from "chai";
import { ConfigError } from "../../lib/errors.js";
import { simulate } from "../../lib/sim/engine.js";
import { makeRing, ownershipShares } from "../../lib/protocols/leaderless/ring.js";
import { joinReading, partitionJoin, type JoinConfig, type JoinStrategy } from "../../lib/partitioning/index.js";

function joinRun(strategy: JoinStrategy, seed = 3, over: Partial<JoinConfig> = {}) {
  return simulate({
    seed, nodes: 6, protocol: partitionJoin, config: { keys: 4000, joinAtMs: 500, strategy, ...over },
    network: { latency: { kind: "exponential", rate: 1 }, fifo: true },
    workload: { clients: 8, loop: "open", ratePerSec: 200, mix: { read: 0.5, update: 0.5 }, keys: { distribution: "uniform", count: 4000 }, timeoutMs: 100, route: { read: "random", write: "random" }, stopMs: 1800 },
    durationMs: 2000, recordStates: false,
  });
}

describe("a node join in the simulator: what it streams, how long, and availability meanwhile", () => {
  it("streams exactly the keys the new ring gives the joiner, each once, with the modelled bytes", () => {
    const run = joinRun("copy-then-switch");
    const r = joinReading(run);
    const nodes = ["n1", "n2", "n3", "n4", "n5", "n6"];
    // The joiner's share of the hash space on the new ring, against the fraction of keys it received (binomial noise, 3 SE).
    const share = ownershipShares(makeRing(nodes, 16)).n6;
    expect(Math.abs(r.movedFraction - share)).to.be.lessThan(3 * Math.sqrt((share * (1 - share)) / 4000));
    // Every moved key crosses once in a batch (16 key bytes + 1000 value bytes); dual writes and headers add the rest.
    expect(r.streamedBytes).to.be.at.least(r.movedKeys * 1016);
    // Contents at the end: every key held by exactly one node.
    const holders = new Map<string, number>();
    for (const n of nodes) for (const k of run.finalContents(n).keys()) holders.set(k, (holders.get(k) ?? 0) + 1);
    expect(holders.size).to.equal(4000);
    expect([...holders.values()].every((c) => c === 1)).to.equal(true);
  });

  it("the move takes about (keys per old owner ÷ batch size) × batch period; halving the period halves it (within 20 %)", () => {
    const slow = joinReading(joinRun("copy-then-switch", 3, { batchEveryMs: 20 })).moveMs;
    const fast = joinReading(joinRun("copy-then-switch", 3, { batchEveryMs: 10 })).moveMs;
    expect(fast / slow).to.be.within(0.4, 0.6);
  });

  it("stop-and-copy makes moved keys unavailable during the move; copy-then-switch keeps them available; other keys are untouched either way", () => {
    const stop = joinReading(joinRun("stop-and-copy"));
    const copy = joinReading(joinRun("copy-then-switch"));
    expect(stop.movedOps).to.be.greaterThan(20);
    expect(stop.movedAvailability).to.be.lessThan(0.9);
    expect(copy.movedAvailability).to.equal(1);
    expect(stop.otherAvailability).to.equal(1);
    expect(copy.otherAvailability).to.equal(1);
  });

  it("copy-then-switch loses no write made during the move: the joiner ends with every moved key's last write", () => {
    const run = joinRun("copy-then-switch");
    const last = new Map<string, number>();
    for (const h of run.history) if (h.type === "ok" && h.f === "write") last.set(h.key, h.value as number);
    const where = new Map<string, number>();
    for (const n of run.nodes) for (const [k, v] of run.finalContents(n)) where.set(k, v[0]);
    for (const [k, v] of last) expect(where.get(k), k).to.equal(v);
  });

  it("bad input is a ConfigError naming the field", () => {
    const bad: [string, Record<string, unknown>][] = [
      ["config.keys", { keys: 0 }], ["config.strategy", { strategy: "teleport" }], ["config.joinAtMs", { joinAtMs: -1 }],
      ["config.batchEveryMs", { batchEveryMs: 0 }], ["config.batchKeys", { batchKeys: 0 }], ["config.vnode", { vnode: 3 }],
    ];
    for (const [field, over] of bad) {
      try {
        simulate({ seed: 1, nodes: 3, protocol: partitionJoin, config: { keys: 10, joinAtMs: 5, strategy: "stop-and-copy", ...over } as JoinConfig, network: { latency: { kind: "constant", value: 1 } }, durationMs: 10 });
        expect.fail(`no error for ${field}`);
      } catch (e) {
        expect(e, field).to.be.instanceOf(ConfigError);
        expect((e as ConfigError).field).to.equal(field);
      }
    }
  });
});
