/**
 * The error a malformed history raises. It names the entry (position and process) so a
 * student can find it in a printed history.
 *
 * Introduced in notebooks/00.01-Consistency-Checkers.ipynb.
 */
import { ConfigError } from "../errors.js";

/**
 * A history that breaks the invoke → ok/fail/info rules (a completion without an
 * invocation, non-monotonic time, ...). A `ConfigError` whose field is `history[i]`. Pure data.
 */
export class HistoryError extends ConfigError {
  /** Position of the offending entry in the history. */
  readonly index: number;
  /** Process of the offending entry, when it has one. */
  readonly process: string | undefined;

  constructor(index: number, process: string | undefined, problem: string, fix: string) {
    const where = process === undefined ? `history[${index}]` : `history[${index}] (process ${process})`;
    super(where, problem, fix);
    this.name = "HistoryError";
    this.index = index;
    this.process = process;
  }
}
