/**
 * Drive annualized failure rates (AFR) from Backblaze's Drive Stats reports: what
 * fraction of drives fail per drive-year. The durability notebook turns these into
 * per-replica failure probabilities.
 *
 * Introduced in notebooks/01.00-Durability.ipynb (drive failure rates, Azure latencies) and notebooks/05.00-Leaderless-Replication.ipynb (PBS latencies).
 */
import { numberCell, requireUniqueRows, textCell } from "./cells.js";
import { readCsvTable } from "./csv.js";

/** The columns of `drive-failure-rates.csv`, in file order. */
export const DRIVE_FAILURE_RATE_COLUMNS = ["period", "afr_percent", "reported_in"] as const;

/** One reported AFR: a full year ("2024") or a quarter ("2024-Q2"). */
export interface DriveFailureRate {
  /** As written in the file: "2024" or "2024-Q2". */
  readonly period: string;
  readonly kind: "year" | "quarter";
  readonly year: number;
  /** 1-4 for a quarter, null for a full year. */
  readonly quarter: 1 | 2 | 3 | 4 | null;
  /** Annualized failure rate in percent (1.57 means 1.57% of drives fail per drive-year). */
  readonly afrPercent: number;
  /** Title of the Backblaze report that states the number. */
  readonly reportedIn: string;
}

const PERIOD = /^(\d{4})(?:-Q([1-4]))?$/;

/**
 * Parses and validates the text of `drive-failure-rates.csv`. Pure; throws DatasetError
 * naming file, line and column for a malformed header, a bad value or a repeated period.
 */
export function parseDriveFailureRates(text: string, fileName = "drive-failure-rates.csv"): DriveFailureRate[] {
  const rows = readCsvTable(text, fileName, DRIVE_FAILURE_RATE_COLUMNS);
  const parsed = rows.map((row): DriveFailureRate => {
    const period = textCell(fileName, row, "period", PERIOD, '"2024" for a year or "2024-Q2" for a quarter');
    const [, year, quarter] = PERIOD.exec(period) as RegExpExecArray;
    return Object.freeze({
      period,
      kind: quarter ? "quarter" : "year",
      year: Number(year),
      quarter: quarter ? (Number(quarter) as 1 | 2 | 3 | 4) : null,
      afrPercent: numberCell(fileName, row, "afr_percent", { min: 0, max: 100 }),
      reportedIn: textCell(fileName, row, "reported_in"),
    });
  });
  requireUniqueRows(fileName, rows, "period", (row) => `period ${JSON.stringify(row.cells.period)}`, "keep one row per period");
  return parsed;
}
