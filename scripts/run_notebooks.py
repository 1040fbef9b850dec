#!/usr/bin/env python3
"""Execute notebooks headlessly through the project's real TypeScript kernel and report failures.

    python scripts/run_notebooks.py [--out DIR] [--timeout S] [--jobs N] [--timings]
                                    [--expect-checks full|failing] NB.ipynb...

Each notebook runs cell by cell in a fresh kernel (the "replication-lab" kernelspec that
`npm install` registers in .venv). A notebook fails, and the run goes on to the next one, when:

* a cell fails: tslab answers with an error reply (type error, throw, rejected top-level await).
  tslab sends no `error` output, only text on the cell's stderr stream, so we report that text;
* an error escapes asynchronously: an exception thrown later in a `setTimeout` callback or an
  unhandled promise rejection. tslab only prints those (`UncaughtException: ...`,
  `UnhandledPromiseRejection: ...`), to the running cell's stderr stream when a cell is running,
  otherwise to a cell that has already finished, where Jupyter drops it. Our kernel launcher
  (scripts/kernel.cjs) copies them to the kernel's real stderr, which we redirect to a file and
  read after every cell, and once more 300 ms after the last cell. Such an error is attributed
  to the cell after which it appeared (it may come from a timer an earlier cell started);
* a cell runs longer than --timeout seconds, or the kernel dies;
* the kernel does not start three times in a row (a start that fails before the first cell is
  tried again with a fresh kernel, and said so on stderr: on a busy machine a start can fail);
* with --expect-checks, a cell tagged `exercise-check` does not print a `score: a/b` line, or
  the score is not full marks (`full`, for instructor copies) or not below full marks
  (`failing`, for student copies, whose stubs must fail every exercise);
* its metadata names another kernel than "replication-lab" (Run All would not work on first open).

Decision on other stderr output: a cell that merely writes to stderr (even text containing
"Error") does NOT fail. Notebooks legitimately print caught errors, e.g. to show the ConfigError
a bad setting produces; only tslab's markers for *uncaught* errors count.

Cells tagged `raises-exception` may fail on purpose (nbclient's convention); cells tagged
`skip-execution` are not run.

After the last cell, one extra cell reads what the cells recorded with `claim(name, value)`
(lib/claims/claim.ts) and the runner stores it in the executed notebook's metadata
(`replication_lab.claims`), where `npm run claims` checks it against the prose.

With --out DIR each executed notebook (outputs included, even for a failed run) is written to
DIR/<name>.ipynb; `npm run figures` reads display outputs from there.

Exit status: 0 when every notebook passed, 1 when any failed, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
KERNEL_NAME = "replication-lab"

# Jupyter's state stays inside the project (never ~), as in scripts/project-paths.mjs.
os.environ.setdefault("JUPYTER_CONFIG_DIR", str(ROOT / ".jupyter" / "config"))
os.environ.setdefault("JUPYTER_DATA_DIR", str(ROOT / ".jupyter" / "data"))
os.environ.setdefault("JUPYTER_RUNTIME_DIR", str(ROOT / ".jupyter" / "runtime"))
os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")

try:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
except ImportError:
    # Run by a Python without Jupyter (e.g. plain python3): hand over to the project's venv.
    if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), __file__, *sys.argv[1:]])
    sys.exit("run_notebooks.py: nbclient is not installed. Run npm install first (it creates .venv).")

# What tslab (and scripts/kernel.cjs, which prefixes "[replication-lab kernel] ") print for an
# error nobody caught. Matched at the start of a line.
UNCAUGHT = re.compile(r"^(?:\[replication-lab kernel\] )?(UncaughtException|UnhandledPromiseRejection): ", re.M)
ERROR_LINE = re.compile(r"^(?:Uncaught\w*: |UnhandledPromiseRejection: )?[A-Za-z]*(?:Error|Exception)\b[^\n]*:", re.M)
SCORE = re.compile(r"^score: (\d+(?:\.\d+)?)/(\d+(?:\.\d+)?)\s*$", re.M)
AFTER_LAST_CELL_WAIT_S = 0.3
# After a failed cell tslab aborts every request for 200 ms (TOOLCHAIN.md); wait it out before
# running the next cell after a cell that was allowed to fail.
TSLAB_ABORT_WINDOW_S = 0.25
SHOW_LINES = 6
# Prints the kernel's claim registry (lib/claims/claim.ts keeps it on globalThis under this symbol).
CLAIMS_CELL = (
    'console.log("@@claims " + JSON.stringify(Object.fromEntries('
    '((globalThis as any)[Symbol.for("replication-lab.claims")] ?? new Map()).entries())));'
)
CLAIMS_LINE = re.compile(r"^@@claims (.*)$", re.M)


class NotebookFailure(Exception):
    """The first problem found in a notebook, worded for the person who has to fix it."""


class KernelStartFailure(NotebookFailure):
    """The kernel did not start or answer before the first cell: the machine's fault, not the notebook's."""


# A kernel start can fail on a machine busy with other kernels (tslab once logged EBUSY, "Socket
# is blocked by a bind or unbind operation", and never answered). Such a failure happens before
# any cell runs, so trying a fresh kernel cannot hide a notebook's error.
KERNEL_START_ATTEMPTS = 3
# For the harness's own test: the first N kernel starts of this process ask for a kernelspec that
# does not exist, so they fail through nbclient's real start path.
BROKEN_STARTS_ENV = "REPLICATION_LAB_BROKEN_KERNEL_STARTS"
_broken_starts_left = int(os.environ.get(BROKEN_STARTS_ENV, "0") or "0")


def kernel_name_for_this_start() -> str:
    global _broken_starts_left
    if _broken_starts_left > 0:
        _broken_starts_left -= 1
        return KERNEL_NAME + "-missing-on-purpose"
    return KERNEL_NAME


def cell_failure(cell, index: int, total: int, problem: str, detail: str = "", label: str = "error") -> NotebookFailure:
    """A failure that names the cell by position and first source lines, then shows `detail`."""
    lines = [f"cell {index + 1} of {total} {problem}", block("source", first_lines(cell_source(cell), 3))]
    if detail:
        lines.append(block(label, detail))
    return NotebookFailure("\n".join(lines))


def block(label: str, text: str) -> str:
    """`text` under a label, as '  label | line' rows."""
    rows = text.splitlines() or [""]
    head = f"  {label:<6} | "
    pad = " " * (len(head) - 2) + "| "
    return "\n".join((head if i == 0 else pad) + row for i, row in enumerate(rows))


@dataclass
class Result:
    path: Path
    seconds: float = 0.0
    failure: str | None = None
    cells_run: int = 0
    code_cells: int = 0
    scores: list[str] = field(default_factory=list)
    cell_seconds: list[tuple[int, float]] = field(default_factory=list)


def first_lines(text: str, count: int = SHOW_LINES) -> str:
    """The first meaningful lines of a source or error text, stack frames left out."""
    lines = [line.rstrip() for line in text.splitlines()]
    lines = [line for line in lines if line.strip() and not line.lstrip().startswith("at ")]
    shown = lines[:count]
    if len(lines) > count:
        shown.append("...")
    return "\n".join(shown)


def error_lines(text: str, count: int = SHOW_LINES) -> str:
    """The first lines of an error report, from its `SomeError: message` line when there is one.

    For a throw, Node prints the code location and a caret before the error itself
    ("evalmachine.<anonymous>:2", the source line, "^"): skip to what the reader needs.
    """
    text = text.replace("[replication-lab kernel] ", "")
    match = ERROR_LINE.search(text)
    return first_lines(text[match.start():] if match else text, count)


def cell_source(cell) -> str:
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


def output_text(cell, stream: str | None = None) -> str:
    """What a cell printed: one stream's text, or (stream=None) all streams plus text/plain displays."""
    parts = []
    for output in cell.get("outputs", []):
        kind = output.get("output_type")
        if kind == "stream" and stream in (None, output.get("name")):
            text = output.get("text", "")
        elif stream is None and kind in ("display_data", "execute_result"):
            text = output.get("data", {}).get("text/plain", "")
        else:
            continue
        parts.append(text if isinstance(text, str) else "".join(text))
    return "".join(parts)


def uncaught_in(text: str) -> str | None:
    """The first uncaught-error report in `text`, from its marker on, or None."""
    match = UNCAUGHT.search(text)
    return text[match.start():] if match else None


def check_score(cell, index: int, total: int, expect: str) -> str:
    """Checks an `exercise-check` cell's score line against --expect-checks; returns 'a/b'."""
    text = output_text(cell)
    scores = SCORE.findall(text)
    if not scores:
        raise cell_failure(
            cell, index, total,
            "is tagged exercise-check but printed no 'score: a/b' line (call checkExercise from lib/exercises in it)",
        )
    earned, possible = (float(x) for x in scores[-1])
    score = "/".join(scores[-1])
    if expect == "full" and earned != possible:
        failed = "\n".join(line for line in text.splitlines() if line.lstrip().startswith(("✗", "hint:")))
        raise cell_failure(
            cell, index, total,
            f"scored {score}; with --expect-checks full (instructor copy) every check must pass",
            first_lines(failed, 10), "checks",
        )
    if expect == "failing" and not earned < possible:
        raise cell_failure(
            cell, index, total,
            f"scored {score}; with --expect-checks failing (student copy) the blank stubs must fail a check, "
            "else the checks cannot tell an unsolved exercise from a solved one",
        )
    return score


class KernelLog:
    """The kernel's real stdout/stderr, redirected to a file and read incrementally."""

    def __init__(self) -> None:
        fd, self.path = tempfile.mkstemp(prefix="replication-lab-kernel-", suffix=".log")
        os.close(fd)
        # The kernel gets its own append-mode handle; we read through another one, so our reads
        # never move the position the kernel writes at.
        self.file = open(self.path, "ab")
        self.reader = open(self.path, "rb")

    def new_text(self) -> str:
        return self.reader.read().decode("utf-8", errors="replace")

    def close(self) -> None:
        self.file.close()
        self.reader.close()
        os.unlink(self.path)


async def run_notebook(path: Path, out_dir: Path | None, timeout: int, expect: str | None) -> Result:
    result = Result(path=path)
    started = time.monotonic()
    nb = nbformat.read(path, as_version=4)
    try:
        for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
            try:
                await execute(nb, path, timeout, expect, result)
                break
            except KernelStartFailure as failure:
                if attempt == KERNEL_START_ATTEMPTS:
                    raise
                first = str(failure).splitlines()[0]
                print(f"{display_path(path)}: the kernel did not start (attempt {attempt} of {KERNEL_START_ATTEMPTS}): "
                      f"{first}; trying a fresh kernel", file=sys.stderr, flush=True)
                result = Result(path=path)
                await asyncio.sleep(attempt)  # let the machine settle before the next start
    except NotebookFailure as failure:
        result.failure = str(failure)
    finally:
        result.seconds = time.monotonic() - started
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, out_dir / path.name)
    return result


def runnable(cell) -> bool:
    return cell.cell_type == "code" and bool(cell_source(cell).strip()) and "skip-execution" not in cell.metadata.get("tags", [])


async def execute(nb, path: Path, timeout: int, expect: str | None, result: Result) -> None:
    kernelspec = nb.metadata.get("kernelspec", {}).get("name")
    if kernelspec != KERNEL_NAME:
        raise NotebookFailure(
            f"metadata.kernelspec.name is {kernelspec!r}, expected {KERNEL_NAME!r} (else Run All asks for a kernel "
            f"on first open); in `npm run lab` pick the kernel \"TypeScript (Replication Lab)\" and save."
        )
    # Outputs of a previous run must not be mistaken for this run's (score lines, errors).
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    result.code_cells = sum(1 for cell in nb.cells if runnable(cell))

    client = NotebookClient(
        nb,
        kernel_name=kernel_name_for_this_start(),
        timeout=timeout,
        record_timing=False,  # keeps executed notebooks free of wall-clock timestamps
        coalesce_streams=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    log = KernelLog()
    total = len(nb.cells)
    try:
        async with client.async_setup_kernel(stdout=log.file, stderr=log.file):
            last = None
            for index, cell in enumerate(nb.cells):
                if not runnable(cell):
                    continue
                tags = cell.metadata.get("tags", [])
                result.cells_run += 1
                last = (cell, index)
                cell_started = time.monotonic()
                try:
                    await client.async_execute_cell(cell, index, execution_count=result.cells_run)
                except CellTimeoutError:
                    raise cell_failure(cell, index, total, f"timed out after {timeout} s (raise --timeout?)")
                except DeadKernelError:
                    raise cell_failure(cell, index, total, "killed the kernel", first_lines(log.new_text(), 12), "kernel")
                except CellExecutionError:
                    message = error_lines(output_text(cell, "stderr")) or "(tslab printed no message)"
                    raise cell_failure(cell, index, total, "raised an error", message)
                finally:
                    result.cell_seconds.append((index, time.monotonic() - cell_started))
                if "raises-exception" in tags:
                    await asyncio.sleep(TSLAB_ABORT_WINDOW_S)
                else:
                    # While a cell runs, tslab prints an async error to that cell's stderr stream.
                    in_cell = uncaught_in(output_text(cell, "stderr"))
                    if in_cell:
                        raise cell_failure(cell, index, total, "let an error escape (a timer or a promise nobody awaited)",
                                           error_lines(in_cell))
                late = uncaught_in(log.new_text())
                if late:
                    raise cell_failure(cell, index, total, "was followed by an uncaught error from a timer or promise "
                                       "(started by this cell or an earlier one)", error_lines(late))
                if expect and "exercise-check" in tags:
                    result.scores.append(check_score(cell, index, total, expect))
            if last is not None:
                await collect_claims(client, nb)
            # Give timers and promises that outlive the last cell a moment to fail.
            await asyncio.sleep(AFTER_LAST_CELL_WAIT_S)
            late = uncaught_in(log.new_text())
            if late and last is not None:
                raise cell_failure(last[0], last[1], total, f"(the last one) was followed within {AFTER_LAST_CELL_WAIT_S * 1000:.0f} ms "
                                   "by an uncaught error from a timer or promise", error_lines(late))
    except NotebookFailure:
        raise
    except Exception as error:  # kernel failed to start, connection lost, ...
        failure = KernelStartFailure if result.cells_run == 0 else NotebookFailure
        raise failure(
            f"could not run the notebook: {type(error).__name__}: {error}\n{block('kernel', first_lines(log.new_text(), 12))}"
        )
    finally:
        log.close()


async def collect_claims(client, nb) -> None:
    """Stores what the cells recorded with `claim(name, value)` in the executed notebook's metadata.

    One extra cell, run after the notebook's last cell and removed again, prints the kernel's
    claim registry (lib/claims/claim.ts); `npm run claims` reads it from the executed copy.
    """
    cell = nbformat.v4.new_code_cell(CLAIMS_CELL)
    nb.cells.append(cell)
    try:
        await client.async_execute_cell(cell, len(nb.cells) - 1, store_history=False)
        match = CLAIMS_LINE.search(output_text(cell, "stdout"))
        if match is None:
            raise NotebookFailure("could not read the claims the notebook recorded (the kernel printed no claims line)")
        claims = json.loads(match.group(1))
    finally:
        nb.cells.pop()
    nb.metadata.setdefault("replication_lab", {})["claims"] = {name: claims[name] for name in sorted(claims)}


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def timing_lines(result: Result) -> str:
    """Per-cell wall times (kernel start excluded), slowest first after the first cell."""
    if not result.cell_seconds:
        return ""
    total = sum(s for _, s in result.cell_seconds)
    first_index, first = result.cell_seconds[0]
    rows = [f"  timings: first code cell (cell {first_index + 1}) {first:.2f} s; all cells {total:.2f} s; "
            f"kernel start and set-up {result.seconds - total:.2f} s"]
    slowest = sorted(result.cell_seconds[1:], key=lambda c: -c[1])[:5]
    rows += [f"    cell {i + 1}: {s:.2f} s" for i, s in slowest]
    return "\n".join(rows)


async def run_all(paths: list[Path], out_dir: Path | None, timeout: int, expect: str | None, jobs: int,
                  timings: bool = False) -> list[Result]:
    gate = asyncio.Semaphore(jobs)

    async def one(path: Path) -> Result:
        async with gate:
            result = await run_notebook(path, out_dir, timeout, expect)
        name = display_path(path)
        scores = f", scores {' '.join(result.scores)}" if result.scores else ""
        if result.failure is None:
            print(f"PASS {name} ({result.seconds:.1f} s, {result.cells_run} code cells{scores})", flush=True)
        else:
            cells = f"{result.cells_run} of {result.code_cells} code cells run"
            detail = "\n".join("    " + line for line in result.failure.splitlines())
            # The notebook is named again on the detail's first line, so it reads alone in a log.
            print(f"FAIL {name} ({result.seconds:.1f} s, {cells})\n  {name}: {detail.lstrip()}", flush=True)
        if timings:
            print(timing_lines(result), flush=True)
        return result

    return list(await asyncio.gather(*(one(p) for p in paths)))


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path, metavar="NB", help="notebooks to execute")
    parser.add_argument("--out", type=Path, help="write each executed notebook to DIR/<name>.ipynb")
    parser.add_argument("--timeout", type=int, default=600, help="seconds one cell may run (default 600)")
    parser.add_argument("--jobs", type=int, default=1, help="notebooks run at the same time (default 1)")
    parser.add_argument(
        "--expect-checks",
        choices=["full", "failing"],
        help="require every exercise-check cell to score full marks (instructor copy) or below (student copy)",
    )
    parser.add_argument("--timings", action="store_true",
                        help="print each notebook's first-cell time, total cell time and its five slowest cells")
    args = parser.parse_args(argv)
    missing = [str(p) for p in args.notebooks if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    names = [p.name for p in args.notebooks]
    clashes = sorted({n for n in names if names.count(n) > 1})
    if args.out and clashes:
        parser.error(f"--out would write these names twice: {', '.join(clashes)}")
    if args.jobs < 1 or args.timeout < 1:
        parser.error("--jobs and --timeout must be at least 1")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    results = asyncio.run(run_all(args.notebooks, args.out, args.timeout, args.expect_checks, args.jobs, args.timings))
    failed = sum(1 for r in results if r.failure is not None)
    print(f"notebooks: {len(results) - failed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
