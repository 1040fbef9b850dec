/**
 * Checks for the exercises of notebook 04 whose reference answer must stay out of the
 * student's namespace: the reference lives here and is not exported from lib/index.ts.
 *
 * Introduced in notebooks/04.00-Multi-Leader-Replication.ipynb (its Exercises).
 */
import type { CommitNote } from "../protocols/multiLeader/analysis.js";
import { lwwNewer } from "../protocols/leaderless/quorum.js";
import { compareVv } from "../protocols/shared/versionVector.js";
import type { ExerciseCheck } from "./check.js";

/**
 * The reference of Exercise 4.3: the writes last-writer-wins silently discards, i.e. those
 * concurrent (by version vector) with a write of the same key that LWW ranks higher
 * (greater origin timestamp, then node id, then the origin's sequence number). Sorted. Pure.
 */
function referenceDiscarded(commits: readonly CommitNote[]): number[] {
  const out: number[] = [];
  for (const w of commits) {
    const beaten = commits.some((o) => o !== w && o.key === w.key && compareVv(o.vv, w.vv) === "concurrent" && lwwNewer(o, w));
    if (beaten) out.push(w.value);
  }
  return out.sort((a, b) => a - b);
}

/**
 * Checks of Exercise 4.3 (which writes does LWW discard?): for each run, the student's list must
 * equal the reference, and must hold no write that no other write was concurrent with. Pure
 * apart from calling `studentFn`.
 */
export function checksForExercise43(
  studentFn: (commits: readonly CommitNote[]) => readonly number[],
  runs: readonly { name: string; commits: readonly CommitNote[]; points?: number }[],
): ExerciseCheck[] {
  return runs.flatMap((run) => {
    const want = referenceDiscarded(run.commits);
    const got = () => [...studentFn(run.commits)].sort((a, b) => a - b);
    return [
      {
        name: `${run.name}: lists only writes that some other write was concurrent with`,
        points: 1,
        hint: "a write that every other write of its key happened before or after is never discarded: LWW only decides between concurrent writes",
        run: () => {
          const solo = got().filter((v) => {
            const w = run.commits.find((c) => c.value === v);
            return w === undefined || !run.commits.some((o) => o !== w && o.key === w.key && compareVv(o.vv, w.vv) === "concurrent");
          });
          if (solo.length > 0) throw new Error(`you listed ${solo.slice(0, 5).join(", ")}${solo.length > 5 ? ", ..." : ""}, which no write was concurrent with (or which are not writes of this run)`);
        },
      },
      {
        name: `${run.name}: finds exactly the ${want.length} writes LWW discards`,
        points: run.points ?? 2,
        hint: "of two concurrent writes, the one with the greater (ts, origin, seq) wins; compare ts first, then the node id, then seq",
        run: () => {
          const g = got();
          const missing = want.filter((v) => !g.includes(v));
          const extra = g.filter((v) => !want.includes(v));
          if (missing.length + extra.length > 0) {
            throw new Error(`you found ${g.length}; ${missing.length} discarded write(s) missing (e.g. ${missing.slice(0, 3).join(", ") || "none"}) and ${extra.length} that win (e.g. ${extra.slice(0, 3).join(", ") || "none"})`);
          }
        },
      },
    ];
  });
}
