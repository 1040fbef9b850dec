/**
 * A progress bar for long cells, so a student sees work advance instead of a silent `[*]`:
 *
 *     const bar = progress(seeds.length, "runs over 200 seeds");
 *     for (const seed of seeds) {
 *       results.push(simulate({ ...config, seed }));
 *       bar.tick();
 *     }
 *
 * The bar is one output under the cell, replaced in place (a display with a display_id, sent
 * again with update=true), redrawn only when its whole percentage changes: at most 101
 * messages, however many steps. The kernel sends each update at once, even from a loop that
 * never yields (measured: updates arrive while a synchronous loop runs). No clock: what it
 * shows depends on the counts alone.
 * Outside a tslab kernel (plain Node, tests, scripts) it shows nothing.
 *
 * Part of the display helpers (lib/charts/display.ts, introduced in
 * notebooks/00.00-Getting-Started.ipynb).
 */
import { ConfigError, describe, requireInteger } from "../errors.js";
import { kernelWriter, type DisplayWriter } from "./display.js";
import { requireText } from "./validate.js";

/** A running progress bar (see `progress`). */
export interface Progress {
  /** Counts `steps` more steps done (default 1); redraws the bar when its percentage changes. */
  tick(steps?: number): void;
  /**
   * Shows the bar as finished and stops redrawing. Reaching `total` finishes it by itself; call
   * this after a loop that ends early.
   */
  done(): void;
  /** Steps counted so far. */
  readonly count: number;
}

/** Characters of the bar itself. */
const BAR_WIDTH = 24;

/**
 * The bar's text for `count` of `total` steps: `label  ███████░░░░░  60 % (6/10)`, and
 * `✓ label ... (10/10)` once finished. Pure.
 */
export function progressText(label: string, count: number, total: number, finished = false): string {
  const shown = Math.min(Math.max(count, 0), total);
  const fraction = total === 0 ? 1 : shown / total;
  const full = Math.floor(fraction * BAR_WIDTH);
  const bar = "█".repeat(full) + "░".repeat(BAR_WIDTH - full);
  const percent = String(Math.floor(fraction * 100)).padStart(3);
  return `${finished ? "✓" : "…"} ${label}  ${bar} ${percent} % (${shown}/${total})`;
}

let bars = 0;

/**
 * Starts a progress bar of `total` steps named `label`, shown under the cell that calls it.
 * Outside a kernel the returned bar counts but shows nothing. Throws `ConfigError` for a
 * `total` that is not a whole number ≥ 0 or an empty label. Reads process state (the kernel).
 */
export function progress(total: number, label: string): Progress {
  requireInteger("progress.total", total, 0);
  const name = requireText("progress.label", label, 'say what is being counted, e.g. "runs over 200 seeds"');
  // Taken now: the bar belongs to the cell that started it, even if ticked from a timer later.
  const write: DisplayWriter | undefined = kernelWriter();
  // Unique within the kernel process; the pid keeps ids apart across kernel restarts.
  const displayId = `replication-lab-progress-${process.pid}-${++bars}`;
  let count = 0;
  let finished = total === 0;
  let drawnPercent = -1;

  const draw = (update: boolean): void => {
    if (write === undefined) return;
    const text = progressText(name, count, total, finished);
    write({ data: { "text/plain": text }, metadata: {}, transient: { display_id: displayId } }, update);
  };
  const percentNow = (): number => (total === 0 ? 100 : Math.floor((Math.min(count, total) / total) * 100));

  draw(false);
  drawnPercent = percentNow();

  return {
    get count() {
      return count;
    },
    tick(steps = 1): void {
      if (typeof steps !== "number" || !Number.isFinite(steps) || steps < 0) {
        throw new ConfigError("progress.tick(steps)", `must be a finite number ≥ 0, got ${describe(steps)}`, "count the steps just done, e.g. tick() or tick(10)");
      }
      if (finished) return;
      count += steps;
      const percent = percentNow();
      finished = count >= total;
      if (percent === drawnPercent && !finished) return;
      drawnPercent = percent;
      draw(true);
    },
    done(): void {
      if (finished) return;
      finished = true;
      draw(true);
    },
  };
}
