/**
 * The checks of notebook 05's Exercise 5.1 (comparing two version vectors), which need a
 * reference the student must not see. The reference here is not a vector comparison but the
 * happened-before relation itself, read off random message-passing histories by following
 * causal links, so the check says whether the student's comparison means what it should.
 *
 * Introduced in notebooks/05.00-Leaderless-Replication.ipynb (its Exercises).
 */
import { makeRng } from "../sim/rng.js";
import type { ExerciseCheck } from "./check.js";

/** A version vector as the exercise sees it: node → counter (a missing node counts 0). */
export type VersionCounts = Readonly<Record<string, number>>;

/** How a relates to b: "before" means a happened before b. */
export type VersionComparison = "before" | "after" | "equal" | "concurrent";

/** A student's comparison of two version vectors. */
export type CompareVersions = (a: VersionCounts, b: VersionCounts) => VersionComparison;

interface Event {
  vv: Record<string, number>;
  /** Indices of the events this one directly follows (the previous event of its node, a received message). */
  parents: number[];
}

/** A random history of writes at three nodes that now and then receive each other's versions. */
function randomHistory(seed: number): Event[] {
  const rng = makeRng(seed);
  const nodes = ["n1", "n2", "n3"];
  const last = new Map<string, number>();
  const events: Event[] = [];
  for (let i = 0; i < 12; i++) {
    const node = nodes[rng.int(nodes.length)];
    const parents: number[] = [];
    const vv: Record<string, number> = {};
    const mine = last.get(node);
    if (mine !== undefined) {
      parents.push(mine);
      Object.assign(vv, events[mine].vv);
    }
    if (events.length > 0 && rng.uniform() < 0.4) {
      const from = rng.int(events.length); // this node received (and merged) an earlier version
      parents.push(from);
      for (const [n, c] of Object.entries(events[from].vv)) vv[n] = Math.max(vv[n] ?? 0, c);
    }
    vv[node] = (vv[node] ?? 0) + 1;
    events.push({ vv: vv, parents: parents });
    last.set(node, events.length - 1);
  }
  return events;
}

/** Whether event a happened before event b: b is reachable from a along causal links. */
function happenedBefore(events: Event[], a: number, b: number): boolean {
  const stack = [...events[b].parents];
  const seen = new Set<number>();
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (e === a) return true;
    if (seen.has(e)) continue;
    seen.add(e);
    stack.push(...events[e].parents);
  }
  return false;
}

/** Checks of Exercise 5.1 for the student's `compareVersions`. Pure apart from calling it. */
export function checksForExercise51(compareVersions: CompareVersions): ExerciseCheck[] {
  const expect = (a: VersionCounts, b: VersionCounts, want: VersionComparison): void => {
    const got = compareVersions(a, b);
    if (got !== want) throw new Error(`compareVersions(${JSON.stringify(a)}, ${JSON.stringify(b)}) gave ${got}, expected ${want}`);
  };
  return [
    {
      name: "Dynamo's Figure 3: D3 and D4 are concurrent, D5 descends from both", points: 1,
      run: () => {
        const d3 = { Sx: 2, Sy: 1 }, d4 = { Sx: 2, Sz: 1 }, d5 = { Sx: 3, Sy: 1, Sz: 1 };
        expect(d3, d4, "concurrent");
        expect(d3, d5, "before");
        expect(d5, d4, "after");
      },
    },
    {
      name: "a missing entry counts as 0", points: 1,
      hint: "{ n1: 1 } and { n1: 1, n2: 0 } are the same version",
      run: () => {
        expect({ n1: 1 }, { n1: 1, n2: 0 }, "equal");
        expect({}, { n2: 1 }, "before");
        expect({ n1: 2, n2: 0 }, { n1: 1 }, "after");
      },
    },
    {
      name: "says 'before' exactly when one write happened before the other, in 200 random histories", points: 2,
      hint: "concurrent means neither vector is ≤ the other in every entry",
      run: () => {
        for (let seed = 1; seed <= 200; seed++) {
          const events = randomHistory(seed);
          for (let a = 0; a < events.length; a++) for (let b = 0; b < events.length; b++) {
            const want: VersionComparison = a === b ? "equal" : happenedBefore(events, a, b) ? "before" : happenedBefore(events, b, a) ? "after" : "concurrent";
            const got = compareVersions(events[a].vv, events[b].vv);
            if (got !== want) {
              throw new Error(`write ${a} ${JSON.stringify(events[a].vv)} and write ${b} ${JSON.stringify(events[b].vv)}: you said ${got}, but ${want === "concurrent" ? "neither saw the other" : `write ${want === "before" ? a : b} happened before write ${want === "before" ? b : a}`}`);
            }
          }
        }
      },
    },
  ];
}
