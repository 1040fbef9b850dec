/**
 * The conflict policies as pure functions (lib/protocols/multiLeader/policies.ts): whatever
 * order a leader receives the same writes in, it ends in the same state, the state the
 * simulated leaders converged to. Property-based with fast-check and a fixed seed.
 * Also: the zipfian key probabilities against the sampler they describe.
 */
import { expect } from "chai";
import fc from "fast-check";
import { absorb, EMPTY_KEY, valuesOf, type KeyState, type Write } from "../../lib/protocols/multiLeader/policies.js";
import { keyProbabilities, multiLeader, type MultiLeaderConfig, type MultiLeaderState } from "../../lib/protocols/multiLeader/index.js";
import { simulate } from "../../lib/sim/engine.js";
import type { Protocol } from "../../lib/sim/protocol.js";
import { makeRng } from "../../lib/sim/rng.js";
import { zipfianSampler } from "../../lib/workload/keys.js";

const RUNS = { seed: 42, numRuns: 40 };

/** Runs the protocol and collects every write that crossed the network (each write is replicated, so all of them). */
function writesOf(config: MultiLeaderConfig, seed: number): { writes: Write[]; finals: ReadonlyMap<string, readonly number[]> } {
  const seen = new Map<string, Write>();
  const spy: Protocol<MultiLeaderState, MultiLeaderConfig> = {
    ...multiLeader,
    onMessage(s, msg, out) {
      if (msg.body.type === "replicate") seen.set((msg.body.w as Write).id, msg.body.w as Write);
      return multiLeader.onMessage(s, msg, out);
    },
  };
  const run = simulate({
    seed, nodes: 3, protocol: spy, config: { retryMs: 100, ...config },
    network: { latency: { kind: "exponential", rate: 1 / 30 }, clientLatency: { kind: "constant", value: 1 } },
    workload: { clients: 3, loop: "open", ratePerSec: 30, mix: { read: 0.3, update: 0.7 }, keys: { distribution: "zipfian", count: 4 }, timeoutMs: 2000, route: { read: "sticky", write: "sticky" }, stopMs: 1500, contexts: true },
    durationMs: 4000, recordStates: false,
  });
  return { writes: [...seen.values()].sort((a, b) => (a.id < b.id ? -1 : 1)), finals: run.finalContents("n1") };
}

const sorted = (xs: readonly number[]) => [...xs].sort((a, b) => a - b);

describe("multi-leader conflict policies are order-independent", () => {
  const policies: MultiLeaderConfig[] = [
    { policy: "lww" },
    { policy: "siblings" },
    { policy: "custom", merge: (_k, a, b) => [...new Set([...a, ...b])] },
    // Not commutative: the policy still converges, because it folds merge over the siblings in value order.
    { policy: "custom", merge: (_k, a, b) => [a[0] - b[0]] },
    { policy: "crdt", crdt: { type: "pn-counter" } },
    { policy: "crdt", crdt: { type: "or-set" } },
    { policy: "crdt", crdt: { type: "mv-register" } },
  ];
  for (const c of policies) {
    it(`${c.policy}${c.crdt ? ` (${c.crdt.type})` : ""}: any delivery order of the same writes gives the state the leaders converged to`, () => {
      const { writes, finals } = writesOf(c, 7);
      expect(writes.length).to.be.greaterThan(40);
      const keys = [...new Set(writes.map((w) => w.key))];
      fc.assert(
        fc.property(fc.shuffledSubarray(writes, { minLength: writes.length, maxLength: writes.length }), (order) => {
          for (const key of keys) {
            let k: KeyState = EMPTY_KEY;
            for (const w of order) if (w.key === key) k = absorb(k, w, c.policy!, c.merge, c.crdt?.type).next;
            expect(sorted(valuesOf(k, c.policy!)), key).to.deep.equal(sorted(finals.get(key) ?? []));
          }
        }),
        RUNS,
      );
    });
  }

  it("a duplicate write changes nothing (absorbing is idempotent)", () => {
    const { writes } = writesOf({ policy: "siblings" }, 8);
    let k: KeyState = EMPTY_KEY;
    const key = writes[0].key;
    for (const w of writes.filter((x) => x.key === key)) k = absorb(k, w, "siblings").next;
    let again = k;
    for (const w of writes.filter((x) => x.key === key)) again = absorb(again, w, "siblings").next;
    expect(sorted(valuesOf(again, "siblings"))).to.deep.equal(sorted(valuesOf(k, "siblings")));
  });
});

describe("key probabilities of the zipfian sampler", () => {
  it("match 400,000 draws of the sampler on every key within 4 standard errors (binomial per key; 4, not 3, because 50 keys are tested at once: P(any false alarm) ≈ 50 × 6e-5)", () => {
    const n = 50, draws = 400_000;
    const z = zipfianSampler(makeRng(11), n, 0.99);
    const counts = new Array<number>(n).fill(0);
    for (let i = 0; i < draws; i++) counts[z.draw(n)]++;
    const p = keyProbabilities({ distribution: "zipfian", count: n });
    p.forEach((pk, k) => {
      const se = Math.sqrt((pk * (1 - pk)) / draws);
      expect(Math.abs(counts[k] / draws - pk), `key ${k}: ${counts[k] / draws} vs ${pk}`).to.be.lessThan(4 * se + 1e-9);
    });
  });
});
