import { expect } from "chai";
import fc from "fast-check";
import { readStaleness, summarizeStaleness, tVisibility } from "../../lib/checkers/staleness.js";
import { historyBuilder } from "../../lib/checkers/historyBuilder.js";
import { singleCopyHistory } from "../../lib/checkers/singleCopyHistory.js";
import { corruptReads, stepsArbitrary } from "./arbitraries.js";

// DESIGN.md: staleness is the fraction of reads that miss the latest write acknowledged
// before the read began; k-staleness and t-visibility as in PBS (Bailis et al., VLDB 2012).
describe("staleness per read", () => {
  const twoWrites = () => historyBuilder().write("c1", "x", 1, 0, 10).write("c1", "x", 2, 20, 30);

  it("a read of the latest acknowledged write is fresh; t is the time since that ack", () => {
    const [row] = readStaleness(twoWrites().read("c2", "x", 2, 40, 45).build());
    expect(row).to.deep.include({ stale: false, versionsBehind: 0, msBehind: 0, sinceLatestWriteMs: 10 });
  });

  it("a read one version behind: stale, 1 version and (invoke - ack of the missed write) ms behind", () => {
    const [row] = readStaleness(twoWrites().read("c2", "x", 1, 40, 45).build());
    expect(row).to.deep.include({ op: 4, key: "x", value: 1, stale: true, versionsBehind: 1, msBehind: 10, sinceLatestWriteMs: 10 });
  });

  it("a read of no value after two acknowledged writes: 2 versions behind, measured from the oldest missed ack", () => {
    const [row] = readStaleness(twoWrites().read("c2", "x", null, 40, 45).build());
    expect(row).to.deep.include({ stale: true, versionsBehind: 2, msBehind: 30 });
  });

  it("a read before any acknowledged write is fresh and has no t", () => {
    const [row] = readStaleness(historyBuilder().read("c2", "x", null, 0, 5).write("c1", "x", 1, 2, 10).build());
    expect(row).to.deep.include({ stale: false, versionsBehind: 0, sinceLatestWriteMs: null });
  });

  it("a write acknowledged after the read began does not make the read stale", () => {
    const [row] = readStaleness(historyBuilder().write("c1", "x", 1, 0, 10).write("c1", "x", 2, 20, 50).read("c2", "x", 1, 40, 45).build());
    expect(row.stale).to.equal(false);
  });

  it("a read returning either of two concurrent writes is not stale; a finalOrder can order them", () => {
    for (const seen of [1, 2]) {
      const h = historyBuilder().write("c1", "x", 1, 0, 10).write("c2", "x", 2, 5, 15).read("c3", "x", seen, 20, 25).build();
      expect(readStaleness(h)[0].stale, `read ${seen}`).to.equal(false);
      expect(readStaleness(h, { finalOrder: new Map([["x", [1, 2]]]) })[0].stale, `read ${seen} with 1 < 2`).to.equal(seen === 1);
    }
  });

  it("an info write may have taken effect after a later acknowledged write, so reading it is not stale", () => {
    const h = historyBuilder().write("c1", "x", 1, 0, 5, "info").write("c2", "x", 2, 20, 30).read("c3", "x", 1, 40, 45).build();
    expect(readStaleness(h)[0]).to.deep.include({ stale: false, versionsBehind: 0, sinceLatestWriteMs: 10 });
  });

  it("reads that did not complete ok are not measured", () => {
    expect(readStaleness(twoWrites().read("c2", "x", null, 40, 45, "info").build())).to.deep.equal([]);
  });

  it("reads of a linearizable history are never stale (fast-check, fixed seed)", () => {
    // A read linearized after every write acknowledged before it began returns one of them or newer.
    fc.assert(fc.property(stepsArbitrary(), (steps) => {
      const rows = readStaleness(singleCopyHistory(steps).history);
      expect(rows.filter((r) => r.stale)).to.deep.equal([]);
    }), { seed: 42, numRuns: 200 });
  });

  it("the fast real-time path and the general comparator agree, stale reads included (fast-check, fixed seed)", () => {
    // A finalOrder that lists no written value forces the general path without changing the order.
    const general = { finalOrder: new Map([["unused-key", [] as number[]]]) };
    let stale = 0;
    fc.assert(fc.property(stepsArbitrary(), fc.array(fc.nat(), { minLength: 1 }), (steps, choices) => {
      const h = corruptReads(singleCopyHistory(steps).history, choices);
      const fast = readStaleness(h);
      expect(fast).to.deep.equal(readStaleness(h, general));
      stale += fast.filter((r) => r.stale).length;
    }), { seed: 42, numRuns: 200 });
    expect(stale, "stale reads exercised").to.be.greaterThan(100);
  });

  describe("summaries", () => {
    const h = historyBuilder().write("c1", "x", 1, 0, 10).write("c1", "x", 2, 20, 30)
      .read("c2", "x", 2, 40, 45).read("c2", "x", 1, 50, 55).read("c3", "x", null, 60, 65).read("c3", "x", 2, 70, 75).build();
    const rows = readStaleness(h);

    it("fraction stale and the k-staleness distribution (PBS k = versions behind + 1)", () => {
      const s = summarizeStaleness(rows);
      expect(s).to.deep.include({ reads: 4, staleReads: 2, fractionStale: 0.5, maxMsBehind: 50, meanMsBehindStale: 35 });
      expect(s.kStaleness).to.deep.equal([
        { versionsBehind: 0, k: 1, reads: 2, fraction: 0.5, cumulativeFraction: 0.5 },
        { versionsBehind: 1, k: 2, reads: 1, fraction: 0.25, cumulativeFraction: 0.75 },
        { versionsBehind: 2, k: 3, reads: 1, fraction: 0.25, cumulativeFraction: 1 },
      ]);
      expect(s.message).to.include("2 of 4 reads stale (50.0%)");
    });

    it("an empty run has fraction 0", () => {
      expect(summarizeStaleness([])).to.deep.include({ reads: 0, fractionStale: 0 });
    });

    it("t-visibility buckets reads by time since the latest acknowledged write", () => {
      // t = 10, 20, 30, 40 for the four reads; only the first and last are fresh.
      expect(tVisibility(rows, 20)).to.deep.equal([
        { t: 0, reads: 1, probabilityFresh: 1 },
        { t: 20, reads: 2, probabilityFresh: 0 },
        { t: 40, reads: 1, probabilityFresh: 1 },
      ]);
    });
  });
});
