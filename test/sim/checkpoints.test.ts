/**
 * Time travel from checkpoints (lib/sim/engine.ts): a moment reached from the last
 * checkpoint before it must be exactly the moment a replay from the start reaches, and the
 * one a run recording every state looks up. Compared over every golden run and a run that
 * uses every part of the engine (normal latencies, node capacity, an apply stage, fsync
 * always, checksums, and every kind of fault), at moments on, just before and just after
 * checkpoint marks, at 0 and at the end.
 */
import { expect } from "chai";
import { is, isImmutable } from "immutable";
import { replayFromStart, simulate } from "../../lib/sim/engine.js";
import { VersionedMap } from "../../lib/sim/versionedMap.js";
import type { SimConfig } from "../../lib/sim/config.js";
import type { NodeSnapshot, SimulationRun } from "../../lib/sim/run.js";
import { singleLeader } from "../../lib/protocols/singleLeader/index.js";
import { GOLDEN_RUNS } from "../golden/runs.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyConfig = SimConfig<any, any>;

const EVERYTHING: AnyConfig = {
  seed: 11,
  nodes: 3,
  protocol: singleLeader,
  config: { mode: "semi-sync" },
  network: { latency: { kind: "normal", mean: 2, sd: 1 }, fifo: true },
  storage: { fsync: { kind: "always" }, fsyncLatency: { kind: "normal", mean: 0.5, sd: 0.2 }, checksums: true },
  capacity: { byNode: { n2: { serviceMs: { "*": { kind: "exponential", rate: 4 } }, applyMs: { kind: "normal", mean: 0.3, sd: 0.1 } } } },
  faults: [
    { kind: "pause", at: 150, node: "n3" },
    { kind: "resume", at: 260, node: "n3" },
    { kind: "clock", at: 300, node: "n2", skewMs: 5, drift: 0.001 },
    { kind: "partition", at: 400, groups: [["n3"]] },
    { kind: "heal", at: 520 },
    { kind: "corrupt", at: 600, node: "n2", fraction: 0.3 },
    { kind: "crash", at: 610, node: "n2" },
    { kind: "restart", at: 700, node: "n2" },
  ],
  workload: { clients: 4, loop: "closed", mix: { read: 0.4, update: 0.4, insert: 0.2 }, keys: { count: 50, distribution: "latest" }, timeoutMs: 60, thinkMs: { kind: "exponential", rate: 0.5 } },
  durationMs: 1000,
};

function sameSnapshot(a: NodeSnapshot<unknown>, b: NodeSnapshot<unknown>, where: string): void {
  expect(a.node, where).to.equal(b.node);
  expect(a.up, `${where}: up`).to.equal(b.up);
  expect(a.paused, `${where}: paused`).to.equal(b.paused);
  expect(a.written, `${where}: written`).to.equal(b.written);
  expect(a.synced, `${where}: synced`).to.equal(b.synced);
  expect(sameValue(a.state, b.state, "state"), `${where}: state`).to.equal("same");
}

/**
 * "same", or the path where two states differ: immutable.js values by content, a versioned
 * map (lib/sim/versionedMap.ts) by its entries in order, an append-only
 * log (lib/sim/appendLog.ts) by its entries (versions share a backing array that may hold
 * entries past their length), everything else field by field.
 */
function sameValue(a: unknown, b: unknown, path: string): string {
  if (Object.is(a, b)) return "same";
  // immutable.js collections: equal by `is`, else by their plain contents (values in them
  // may be plain objects, which `is` compares by reference).
  if (isImmutable(a) && isImmutable(b)) return is(a, b) ? "same" : sameValue(a.toJS(), b.toJS(), path);
  if (isImmutable(a) || isImmutable(b)) return path;
  // A versioned map by its entries, in order (how it is stored depends on what was read when).
  if (VersionedMap.isVersionedMap(a) && VersionedMap.isVersionedMap(b)) return sameValue([...a], [...b], `${path}.entries`);
  if (VersionedMap.isVersionedMap(a) || VersionedMap.isVersionedMap(b)) return path;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return path;
  if (isLog(a) && isLog(b)) return sameValue(a.items.slice(0, a.length), b.items.slice(0, b.length), `${path}.log`);
  if (Array.isArray(a) !== Array.isArray(b)) return path;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return `${path} (keys)`;
  for (const k of ka) {
    const d = sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    if (d !== "same") return d;
  }
  return "same";
}

function isLog(x: object): x is { items: unknown[]; length: number } {
  return "items" in x && "length" in x && Array.isArray((x as { items: unknown }).items) && !Array.isArray(x);
}

function momentsOf(run: SimulationRun<unknown>): number[] {
  const every = run.endTime / 32;
  const marks = [0, every, 3 * every, 7.5 * every, 16 * every, 31 * every, run.endTime];
  const near = marks.flatMap((m) => [m - 1e-6, m, m + 1e-6, m + 0.37 * every]);
  return [...new Set(near.filter((t) => t >= 0 && t <= run.endTime))];
}

describe("time travel from checkpoints", function () {
  this.timeout(120_000);
  const cases: [string, AnyConfig][] = [...Object.entries(GOLDEN_RUNS), ["every engine part", EVERYTHING]];
  for (const [name, config] of cases) {
    it(`${name}: equals a replay from the start and the recorded states`, () => {
      const run = simulate(config);
      expect(run.checkpointCount, "checkpoints taken").to.be.greaterThan(20);
      const recorded = simulate({ ...config, recordStates: true });
      const moments = momentsOf(run);
      const fromCheckpoints = run.momentsAt(moments);
      const fromStart = replayFromStart(run, moments);
      const lookedUp = recorded.momentsAt(moments);
      moments.forEach((t, i) => {
        run.nodes.forEach((_, k) => {
          sameSnapshot(fromCheckpoints[i][k], fromStart[i][k], `${name} at ${t} ms (checkpoint vs start)`);
          sameSnapshot(fromCheckpoints[i][k], lookedUp[i][k], `${name} at ${t} ms (checkpoint vs recorded)`);
        });
      });
    });
  }

  it("restores a checkpoint any number of times: asking twice gives the same moments", () => {
    const run = simulate(EVERYTHING);
    const t = [333.3, 640, 912];
    const first = run.momentsAt(t);
    const second = run.momentsAt(t);
    first.forEach((shot, i) => shot.forEach((s, k) => sameSnapshot(s, second[i][k], `moment ${t[i]}`)));
  });

  it("takes no checkpoints when every state is recorded", () => {
    expect(simulate({ ...EVERYTHING, recordStates: true }).checkpointCount).to.equal(0);
  });
});
