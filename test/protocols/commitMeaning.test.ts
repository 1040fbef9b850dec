/**
 * One meaning of "commit" (lib/GLOSSARY.md) in every protocol: one `commit` note per write,
 * at its origin, before any copy applies it, so lag and propagation delays count from the
 * same moment everywhere (and are never negative). Protocols that hold no data (no `contents`,
 * like the load balancer) have nothing to commit and are left out; in runs that corrupt a disk,
 * the values read back were never committed, so applies and propagation delays are not
 * checked there.
 */
import { expect } from "chai";
import { simulate } from "../../lib/sim/engine.js";
import { propagationDelays } from "../../lib/metrics/index.js";
import { traceHash } from "../../lib/sim/traceHash.js";
import type { NoteEvent } from "../../lib/sim/trace.js";
import { GOLDEN_RUNS } from "../golden/runs.js";

describe('one meaning of "commit": ordered at the origin, before any copy applies it (GLOSSARY)', function () {
  this.timeout(120_000);
  // Only protocols that hold data commit writes; the load balancer forwards requests and stores nothing.
  for (const [name, config] of Object.entries(GOLDEN_RUNS).filter(([, c]) => c.protocol.contents !== undefined)) {
    it(`${name}: one commit per written value, every apply after it, no negative propagation delay`, () => {
      const run = simulate(config);
      const notes = run.trace.filter((e): e is NoteEvent => e.type === "note");
      const commits = new Map<number, NoteEvent>();
      for (const e of notes.filter((n) => n.kind === "commit")) {
        expect(commits.has(e.value as number), `value ${e.value} committed twice`).to.equal(false);
        commits.set(e.value as number, e);
      }
      const invoked = run.history.filter((op) => op.type === "invoke" && op.f === "write");
      expect(commits.size).to.be.greaterThan(0);
      expect(commits.size).to.be.at.most(invoked.length);
      // A corrupt disk (notebook 07) flips bits of stored values: what the node then applies was
      // never committed, and may even equal a value some client writes later. Applies are checked
      // only in runs without a `corrupt` fault; every other check holds in those too.
      const corrupting = (config.faults ?? []).some((f) => f.kind === "corrupt");
      for (const e of notes.filter((n) => n.kind === "apply" && !corrupting)) {
        const c = commits.get(e.value as number);
        expect(c, `apply of ${e.value} at ${e.node} without a commit`).to.not.equal(undefined);
        expect(e.t, `apply of ${e.value} at ${e.node} before its commit`).to.be.at.least(c!.t);
      }
      // Every acknowledged write was committed, at or before its acknowledgement.
      for (const op of run.history.filter((o) => o.type === "ok" && o.f === "write")) {
        expect(commits.get(op.value as number)?.t ?? Infinity, `acknowledged ${op.value} never committed`).to.be.at.most(op.time);
      }
      // Propagation delays pair commits with applies: not checked where a disk made values up.
      const negative = corrupting ? [] : propagationDelays(run.trace).filter((r) => r.delayMs < 0);
      expect(negative, "negative propagation delays").to.deep.equal([]);
      expect(traceHash(run)).to.be.a("string");
    });
  }
});
