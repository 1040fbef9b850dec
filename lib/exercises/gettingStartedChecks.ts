/**
 * Checks for the exercises of the getting-started notebook whose grading needs a reference
 * answer. The reference lives here, behind the check, and is not exported from lib/index.ts,
 * so a student copy cannot call it (issue 8 § 3).
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb (its Exercises).
 */
import type { History } from "../history/types.js";
import type { Trace } from "../sim/trace.js";
import type { ExerciseCheck } from "./check.js";

/** What the student's function returns for one write that ended `info`. */
export interface UncertainWrite {
  readonly value: number;
  readonly committed: boolean;
}

/** The reference: every write that ended `info`, in invocation order, and whether its value was committed at a node. Pure. */
function referenceUncertainWrites(history: History, trace: Trace): UncertainWrite[] {
  const committed = new Set<number>();
  for (const e of trace) if (e.type === "note" && e.kind === "commit" && typeof e.value === "number") committed.add(e.value);
  const open = new Map<string, { f: string; value: unknown; index: number }>();
  const found: { index: number; value: number }[] = [];
  for (const op of history) {
    if (op.type === "invoke") {
      open.set(op.process, { f: op.f, value: op.value, index: op.index });
      continue;
    }
    const inv = open.get(op.process);
    open.delete(op.process);
    if (inv !== undefined && inv.f === "write" && op.type === "info" && typeof inv.value === "number") found.push({ index: inv.index, value: inv.value });
  }
  return found.map((w) => ({ value: w.value, committed: committed.has(w.value) }));
}

function describeList(ws: readonly UncertainWrite[]): string {
  return ws.length === 0 ? "none" : ws.map((w) => `${w.value}${w.committed ? " (committed)" : ""}`).join(", ");
}

/**
 * The checks of Exercise 0.2: `studentFn(history, trace)` must list every write that ended
 * `info` and say, from the trace, whether the primary committed it. One check per named run.
 */
export function checksForExercise02(
  studentFn: (history: History, trace: Trace) => readonly UncertainWrite[],
  runs: readonly { name: string; history: History; trace: Trace; points?: number }[],
): ExerciseCheck[] {
  return runs.flatMap((run) => {
    const want = referenceUncertainWrites(run.history, run.trace);
    const sorted = (ws: readonly UncertainWrite[]) => [...ws].sort((a, b) => a.value - b.value);
    return [
      {
        name: `${run.name}: finds every write that ended info, and only those`,
        points: run.points ?? 1,
        hint: "pair each completion with the open invocation of the same process; only writes whose completion is info count",
        run: () => {
          const got = studentFn(run.history, run.trace);
          const gotValues = sorted(got).map((w) => w.value).join(", ");
          const wantValues = sorted(want).map((w) => w.value).join(", ");
          if (gotValues !== wantValues) throw new Error(`you listed the values [${gotValues}]; the writes that ended info wrote [${wantValues}]`);
        },
      },
      {
        name: `${run.name}: tells from the trace which of them were committed`,
        points: run.points ?? 1,
        hint: "the primary leaves a note of kind \"commit\" with the value of every write it committed",
        run: () => {
          const got = sorted(studentFn(run.history, run.trace));
          const exp = sorted(want);
          const wrong = got.filter((w, i) => exp[i] === undefined || exp[i].value !== w.value || exp[i].committed !== w.committed);
          if (wrong.length > 0 || got.length !== exp.length) throw new Error(`you said ${describeList(got)}; the trace says ${describeList(exp)}`);
        },
      },
    ];
  });
}
