/**
 * Exercise checks (lib/exercises/check.ts): verdict math, partial credit, async checks, and the
 * verdict in words whose last line `score: a/b` the notebook harness parses
 * (scripts/run_notebooks.py, SCORE pattern).
 */
import { expect } from "chai";
import { inspect } from "node:util";
import { ConfigError } from "../lib/errors.js";
import { checkExercise, formatVerdict, gradeExercise, type ExerciseCheck } from "../lib/exercises/index.js";

const pass = (): void => {};
const failWith = (message: string) => (): void => {
  throw new Error(message);
};
/** What a student stub does (see lib/exercises/studentCopy.ts). */
const stub = (): never => {
  throw new Error("Not implemented yet: majority");
};
/** The pattern scripts/run_notebooks.py uses to read a check cell's score. */
const HARNESS_SCORE = /^score: (\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)\s*$/m;

describe("gradeExercise: verdict math", () => {
  it("awards every check's points when all pass (full credit)", async () => {
    const v = await gradeExercise("Exercise 0.1 — Warm-up", [
      { name: "a", points: 2, run: pass },
      { name: "b", points: 3, run: pass },
    ]);
    expect(v.earned).to.equal(5);
    expect(v.possible).to.equal(5);
    expect(v.results.map((r) => r.passed)).to.deep.equal([true, true]);
  });

  it("gives partial credit: only the points of passing checks count", async () => {
    const v = await gradeExercise("Exercise 1.2 — Choose the fsync policy", [
      { name: "loses nothing acknowledged", points: 2, run: pass },
      { name: "survives a power cut", points: 2, run: pass },
      { name: "stays under 5 ms p99", points: 2, run: failWith("p99 was 7.1 ms") },
    ]);
    expect(v.earned).to.equal(4);
    expect(v.possible).to.equal(6);
    expect(v.results[2]).to.deep.include({ name: "stays under 5 ms p99", passed: false, points: 2, message: "p99 was 7.1 ms" });
  });

  it("counts a check without points as worth 1", async () => {
    const v = await gradeExercise("Exercise", [
      { name: "a", run: pass },
      { name: "b", run: failWith("no") },
    ]);
    expect([v.earned, v.possible]).to.deep.equal([1, 2]);
    expect(v.results.map((r) => r.points)).to.deep.equal([1, 1]);
  });

  it("fails every check of a student stub, with the stub's message as the reason", async () => {
    const v = await gradeExercise("Exercise F.1 — Majority size", [
      { name: "3 need 2", run: () => void stub() },
      { name: "4 need 3", points: 2, run: () => void stub() },
    ]);
    expect(v.earned).to.equal(0);
    expect(v.results.every((r) => !r.passed && r.message === "Not implemented yet: majority")).to.equal(true);
  });

  it("names the error type when it says more than 'Error' (a chai AssertionError)", async () => {
    const v = await gradeExercise("Exercise", [{ name: "equal", run: () => { expect(3).to.equal(4); } }]);
    expect(v.results[0].message).to.equal("AssertionError: expected 3 to equal 4");
  });

  it("fails a check that throws a non-Error value and says what was thrown", async () => {
    const v = await gradeExercise("Exercise", [
      {
        name: "throws a string",
        run: () => {
          throw "quorum lost";
        },
      },
    ]);
    expect(v.results[0]).to.deep.include({ passed: false, message: "threw quorum lost" });
  });

  it("is plain data: survives a JSON round trip unchanged", async () => {
    const v = await gradeExercise("Exercise", [{ name: "a", hint: "h", run: failWith("x") }]);
    expect(JSON.parse(JSON.stringify(v))).to.deep.equal({
      title: "Exercise",
      earned: 0,
      possible: 1,
      results: [{ name: "a", passed: false, points: 1, message: "x", hint: "h" }],
    });
  });

  it("shows as one short line when a notebook echoes it (tslab prints a cell's last value with util.inspect)", async () => {
    const v = await gradeExercise("Exercise", [{ name: "a", points: 3, run: pass }]);
    expect(inspect(v)).to.equal("[verdict 3/3]");
  });
});

describe("gradeExercise: async checks", () => {
  it("awaits async checks: a resolved promise passes, a rejected one fails with its reason", async () => {
    const v = await gradeExercise("Exercise", [
      { name: "resolves", run: async () => {} },
      {
        name: "rejects",
        run: async () => {
          await Promise.resolve();
          throw new Error("replica n3 never caught up");
        },
      },
    ]);
    expect(v.results.map((r) => [r.passed, r.message])).to.deep.equal([
      [true, ""],
      [false, "replica n3 never caught up"],
    ]);
  });

  it("runs checks one after another in the given order, each finishing before the next starts", async () => {
    const log: string[] = [];
    const slow = (name: string, ms: number): ExerciseCheck => ({
      name,
      run: async () => {
        log.push(`start ${name}`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        log.push(`end ${name}`);
      },
    });
    await gradeExercise("Exercise", [slow("first", 20), slow("second", 1)]);
    expect(log).to.deep.equal(["start first", "end first", "start second", "end second"]);
  });

  it("keeps grading after a failing check (one failure does not hide the others' results)", async () => {
    const v = await gradeExercise("Exercise", [
      { name: "a", run: failWith("first fails") },
      { name: "b", run: pass },
    ]);
    expect(v.results.map((r) => r.passed)).to.deep.equal([false, true]);
  });
});

describe("gradeExercise: bad check lists throw ConfigError naming the field", () => {
  const cases: Array<[string, () => Promise<unknown>, string]> = [
    ["an empty title", () => gradeExercise("  ", [{ name: "a", run: pass }]), "title"],
    ["no checks", () => gradeExercise("Exercise", []), "checks"],
    ["a check without a name", () => gradeExercise("Exercise", [{ name: "", run: pass }]), "checks[0].name"],
    ["two checks with one name", () => gradeExercise("Exercise", [{ name: "a", run: pass }, { name: "a", run: pass }]), "checks[1].name"],
    ["fractional points", () => gradeExercise("Exercise", [{ name: "a", points: 1.5, run: pass }]), "checks[0].points"],
    ["negative points", () => gradeExercise("Exercise", [{ name: "a", points: -1, run: pass }]), "checks[0].points"],
    ["a run that is not a function", () => gradeExercise("Exercise", [{ name: "a", run: 42 as unknown as () => void }]), "checks[0].run"],
  ];
  for (const [what, call, field] of cases) {
    it(`rejects ${what}`, async () => {
      let caught: unknown;
      try {
        await call();
      } catch (error) {
        caught = error;
      }
      expect(caught).to.be.instanceOf(ConfigError);
      expect((caught as ConfigError).field).to.equal(field);
    });
  }
});

describe("formatVerdict: the verdict in words", () => {
  it("writes the headline, one ✓/✗ line per check with reason and hint, and the score line", async () => {
    const v = await gradeExercise("Exercise 1.2 — Choose the fsync policy", [
      { name: "loses nothing acknowledged", points: 2, run: pass },
      { name: "survives a power cut", points: 2, hint: "fsync before acknowledging", run: pass },
      { name: "stays under 5 ms p99", points: 2, hint: "batch the fsyncs (group commit)", run: failWith("p99 was 7.1 ms") },
    ]);
    // The headline is the one given in the project brief for this case.
    expect(formatVerdict(v)).to.equal(
      [
        "Exercise 1.2 — Choose the fsync policy: 2 of 3 checks passed (4/6 points, partial credit).",
        "  ✓ loses nothing acknowledged (2 points)",
        "  ✓ survives a power cut (2 points)",
        "  ✗ stays under 5 ms p99 (2 points): p99 was 7.1 ms",
        "      hint: batch the fsyncs (group commit)",
        "score: 4/6",
      ].join("\n"),
    );
  });

  it("says full credit and no credit, and uses the singular for one check and one point", async () => {
    const full = await gradeExercise("E", [{ name: "a", run: pass }]);
    const none = await gradeExercise("E", [{ name: "a", run: failWith("x") }, { name: "b", run: failWith("y") }]);
    expect(formatVerdict(full).split("\n")[0]).to.equal("E: 1 of 1 check passed (1/1 point, full credit).");
    expect(formatVerdict(none).split("\n")[0]).to.equal("E: 0 of 2 checks passed (0/2 points, no credit).");
  });

  it("indents the further lines of a multi-line failure message under its check", async () => {
    const v = await gradeExercise("E", [{ name: "a", run: failWith("line one\nline two") }]);
    expect(formatVerdict(v).split("\n").slice(1, 3)).to.deep.equal(["  ✗ a (1 point): line one", "      line two"]);
  });

  it("ends with a score line the notebook harness can parse", async () => {
    const v = await gradeExercise("E", [{ name: "a", points: 3, run: pass }, { name: "b", points: 4, run: failWith("x") }]);
    const lines = formatVerdict(v).split("\n");
    const match = HARNESS_SCORE.exec(lines[lines.length - 1]);
    expect(match?.slice(1)).to.deep.equal(["3", "7"]);
  });
});

describe("checkExercise: grades and prints", () => {
  it("prints exactly formatVerdict's text and returns the verdict", async () => {
    const printed: unknown[][] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => void printed.push(args);
    let verdict;
    try {
      verdict = await checkExercise("E", [{ name: "a", run: pass }, { name: "b", run: failWith("x") }]);
    } finally {
      console.log = original;
    }
    expect(printed).to.deep.equal([[formatVerdict(verdict)]]);
    expect([verdict.earned, verdict.possible]).to.deep.equal([1, 2]);
  });
});
