/**
 * Exercise checks: run a list of named checks against a student's code and give a verdict in
 * words, with partial credit. Used in the notebooks' check cells (tagged `exercise-check`):
 *
 * ```ts
 * const verdict = await checkExercise("Exercise 1.2 — Choose the fsync policy", [
 *   { name: "loses nothing acknowledged", points: 2, run: () => { ... } },
 *   { name: "stays under 5 ms p99", points: 1, hint: "batch the fsyncs", run: () => { ... } },
 * ]);
 * ```
 *
 * A check passes when its `run` returns (or its promise resolves) without throwing. Anything
 * thrown fails it, including the "Not implemented yet" error of a student stub, and its message
 * becomes the reason in the verdict. The last printed line, `score: a/b`, is what the notebook
 * test harness (scripts/run_notebooks.py --expect-checks) reads. The convention follows
 * rustlings and nbgrader: a stub must fail every exercise, the reference solution must pass.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb (its Exercises).
 */
import { ConfigError, requireInteger } from "../errors.js";

/** One named check of an exercise. Data; `run` is the student-facing test. */
export interface ExerciseCheck {
  /** What the check verifies, in words ("loses no acknowledged write"). */
  name: string;
  /** Whole points the check is worth; 1 when left out. */
  points?: number;
  /** Shown when the check fails: a nudge, not the answer. */
  hint?: string;
  /** Throws (or rejects) when the check fails. */
  run: () => void | Promise<void>;
}

/** The outcome of one check. Plain data. */
export interface CheckResult {
  name: string;
  passed: boolean;
  /** Points the check is worth (earned only if `passed`). */
  points: number;
  /** Why it failed (the thrown error's message), or "" when it passed. */
  message: string;
  /** The check's hint, if it has one. */
  hint?: string;
}

/** The verdict on an exercise: points earned of points possible, and every check's outcome. Plain data. */
export interface ExerciseVerdict {
  title: string;
  earned: number;
  possible: number;
  results: CheckResult[];
}

// tslab prints the value of a cell's last expression with util.inspect. This (non-enumerable)
// hook keeps `await checkExercise(...)` as the last line from dumping the whole verdict object
// under the verdict that checkExercise has just printed in words.
const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * Runs every check in order (awaiting async ones) and returns the verdict, without printing.
 * Pure apart from what the checks themselves do. Throws ConfigError for a malformed check list.
 */
export async function gradeExercise(title: string, checks: readonly ExerciseCheck[]): Promise<ExerciseVerdict> {
  validate(title, checks);
  const results: CheckResult[] = [];
  for (const check of checks) {
    const points = check.points ?? 1;
    let message = "";
    try {
      await check.run();
    } catch (error) {
      message = reasonOf(error);
    }
    const passed = message === "";
    results.push(check.hint === undefined ? { name: check.name, passed, points, message } : { name: check.name, passed, points, message, hint: check.hint });
  }
  const possible = results.reduce((sum, r) => sum + r.points, 0);
  const earned = results.reduce((sum, r) => sum + (r.passed ? r.points : 0), 0);
  const verdict: ExerciseVerdict = { title, earned, possible, results };
  Object.defineProperty(verdict, INSPECT, { value: () => `[verdict ${earned}/${possible}]`, enumerable: false });
  return verdict;
}

/**
 * Grades an exercise and prints the verdict in words (see formatVerdict); returns the verdict.
 * Impure only in that it prints. Use it in a notebook's check cell: `await checkExercise(...)`.
 */
export async function checkExercise(title: string, checks: readonly ExerciseCheck[]): Promise<ExerciseVerdict> {
  const verdict = await gradeExercise(title, checks);
  console.log(formatVerdict(verdict));
  return verdict;
}

/**
 * The verdict as text: a headline, one ✓/✗ line per check with the reason and hint of each
 * failure, and a last line `score: a/b` for the notebook test harness. Pure.
 *
 * Exercise 1.2 — Choose the fsync policy: 2 of 3 checks passed (4/6 points, partial credit).
 *   ✓ loses nothing acknowledged (2 points)
 *   ✗ stays under 5 ms p99 (2 points): p99 was 7.1 ms
 *       hint: batch the fsyncs
 * score: 4/6
 */
export function formatVerdict(verdict: ExerciseVerdict): string {
  const passedCount = verdict.results.filter((r) => r.passed).length;
  const credit = verdict.possible > 0 && verdict.earned === verdict.possible ? "full credit" : verdict.earned === 0 ? "no credit" : "partial credit";
  const lines = [
    `${verdict.title}: ${passedCount} of ${plural(verdict.results.length, "check")} passed ` +
      `(${verdict.earned}/${plural(verdict.possible, "point")}, ${credit}).`,
  ];
  for (const r of verdict.results) {
    const head = `  ${r.passed ? "✓" : "✗"} ${r.name} (${plural(r.points, "point")})`;
    if (r.passed) {
      lines.push(head);
      continue;
    }
    const [first, ...rest] = r.message.split("\n");
    lines.push(`${head}: ${first}`);
    for (const line of rest) lines.push(`      ${line}`);
    if (r.hint) lines.push(`      hint: ${r.hint}`);
  }
  lines.push(`score: ${verdict.earned}/${verdict.possible}`);
  return lines.join("\n");
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The reason a check failed, from whatever it threw. */
function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const message = error.message.trim() || "(no message)";
    // "AssertionError: expected 3 to equal 4" says more than the message alone; plain Error adds nothing.
    return error.name && error.name !== "Error" ? `${error.name}: ${message}` : message;
  }
  const text = String(error).trim();
  return text === "" ? "(threw an empty value)" : `threw ${text}`;
}

function validate(title: string, checks: readonly ExerciseCheck[]): void {
  if (typeof title !== "string" || title.trim() === "") {
    throw new ConfigError("title", "must be a non-empty string", 'name the exercise, e.g. "Exercise 1.2 — Choose the fsync policy"');
  }
  if (!Array.isArray(checks) || checks.length === 0) {
    throw new ConfigError("checks", "must be a non-empty array of checks", "give at least one { name, run } check");
  }
  const seen = new Set<string>();
  checks.forEach((check, i) => {
    const field = `checks[${i}]`;
    if (typeof check !== "object" || check === null) {
      throw new ConfigError(field, "must be an object { name, points?, hint?, run }", "give each check a name and a run function");
    }
    if (typeof check.name !== "string" || check.name.trim() === "") {
      throw new ConfigError(`${field}.name`, "must be a non-empty string", "say in words what the check verifies");
    }
    if (seen.has(check.name)) {
      throw new ConfigError(`${field}.name`, `repeats the name ${JSON.stringify(check.name)}`, "give every check of an exercise its own name");
    }
    seen.add(check.name);
    if (check.points !== undefined) requireInteger(`${field}.points`, check.points, 0);
    if (typeof check.run !== "function") {
      throw new ConfigError(`${field}.run`, "must be a function", "pass a function that throws when the check fails, e.g. run: () => assert(...)");
    }
    if (check.hint !== undefined && typeof check.hint !== "string") {
      throw new ConfigError(`${field}.hint`, "must be a string", "write the hint as text, or leave it out");
    }
  });
}
