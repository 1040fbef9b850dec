/**
 * The error a malformed dataset file raises: it names the file, the line (when the
 * problem sits on one), the field and the fix, e.g.
 * `drive-failure-rates.csv line 4, field afr_percent: must be a number in [0, 100], got "abc". Fix: ...`.
 *
 * Introduced in notebooks/01.00-Durability.ipynb (drive failure rates, Azure latencies) and notebooks/05.00-Leaderless-Replication.ipynb (PBS latencies).
 */
import { ConfigError } from "../errors.js";

/**
 * A dataset file that cannot be trusted: malformed content, a changed checksum, a missing
 * file. A `ConfigError`, so callers that catch bad input catch this too. Pure data.
 */
export class DatasetError extends ConfigError {
  /** The file, as named in messages (e.g. `drive-failure-rates.csv`). */
  readonly file: string;
  /** 1-based line of the problem in `file`, or null when it concerns the whole file. */
  readonly line: number | null;

  constructor(file: string, line: number | null, field: string, problem: string, fix: string) {
    super(field, problem, fix);
    this.name = "DatasetError";
    this.file = file;
    this.line = line;
    // Lead with the place so the message reads like a compiler error: file, line, field.
    this.message = `${file}${line === null ? "" : ` line ${line}`}, field ${field}: ${problem}. Fix: ${fix}`;
  }
}
