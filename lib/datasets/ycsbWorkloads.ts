/**
 * The YCSB core workloads A-F as operation mixes (Cooper et al., SoCC 2010; the
 * property files `workloads/workloada` ... `workloadf` of brianfrankcooper/YCSB).
 * Clients in the simulator draw each operation from one of these mixes.
 *
 * Introduced in notebooks/01.00-Durability.ipynb (drive failure rates, Azure latencies) and notebooks/05.00-Leaderless-Replication.ipynb (PBS latencies).
 */
import { requireOneOf } from "../errors.js";
import { integerCell, isEmptyCell, numberCell, oneOfCell, requireUniqueRows, textCell } from "./cells.js";
import { readCsvTable } from "./csv.js";
import { DatasetError } from "./datasetError.js";

/** The columns of `ycsb-workloads.csv`; the numeric ones carry YCSB's own property names. */
export const YCSB_WORKLOAD_COLUMNS = [
  "workload",
  "name",
  "description",
  "readproportion",
  "updateproportion",
  "insertproportion",
  "scanproportion",
  "readmodifywriteproportion",
  "requestdistribution",
  "maxscanlength",
  "scanlengthdistribution",
] as const;

/** How YCSB picks the key of a request. */
export type YcsbRequestDistribution = "zipfian" | "latest" | "uniform";
/** How YCSB picks the length of a scan. */
export type YcsbScanLengthDistribution = "uniform" | "zipfian";

const REQUEST_DISTRIBUTIONS: readonly YcsbRequestDistribution[] = ["zipfian", "latest", "uniform"];
const SCAN_LENGTH_DISTRIBUTIONS: readonly YcsbScanLengthDistribution[] = ["uniform", "zipfian"];

/** One YCSB workload mix. The five proportions sum to 1. */
export interface YcsbMix {
  /** Workload letter, e.g. "A". */
  readonly workload: string;
  /** Short name, e.g. "Update heavy". */
  readonly name: string;
  /** The application the workload models. */
  readonly description: string;
  readonly read: number;
  readonly update: number;
  readonly insert: number;
  readonly scan: number;
  /** Read a record, modify it, write it back: one operation. */
  readonly readModifyWrite: number;
  readonly requestDistribution: YcsbRequestDistribution;
  /** Longest scan in records; null when the workload has no scans. */
  readonly maxScanLength: number | null;
  /** Null when the workload has no scans. */
  readonly scanLengthDistribution: YcsbScanLengthDistribution | null;
  /** The YCSB property file this mix comes from, e.g. "workloads/workloada". */
  readonly sourceFile: string;
}

/**
 * Parses and validates the text of `ycsb-workloads.csv`. Pure; throws DatasetError naming
 * file, line and column for a bad value, proportions not summing to 1 (±1e-9), scan
 * settings on a workload without scans (or missing on one with scans), or a repeated
 * workload.
 */
export function parseYcsbWorkloads(text: string, fileName = "ycsb-workloads.csv"): YcsbMix[] {
  const rows = readCsvTable(text, fileName, YCSB_WORKLOAD_COLUMNS);
  const mixes = rows.map((row): YcsbMix => {
    const workload = textCell(fileName, row, "workload", /^[A-Za-z0-9_-]+$/, "a letter or short name without spaces");
    const p = (column: string) => numberCell(fileName, row, column, { min: 0, max: 1 });
    const read = p("readproportion");
    const update = p("updateproportion");
    const insert = p("insertproportion");
    const scan = p("scanproportion");
    const readModifyWrite = p("readmodifywriteproportion");
    const total = read + update + insert + scan + readModifyWrite;
    if (Math.abs(total - 1) > 1e-9) {
      throw new DatasetError(fileName, row.line, "readproportion", `the five proportions must sum to 1, they sum to ${total}`, "adjust readproportion ... readmodifywriteproportion so they add up to 1");
    }
    let maxScanLength: number | null = null;
    let scanLengthDistribution: YcsbScanLengthDistribution | null = null;
    if (scan > 0) {
      maxScanLength = integerCell(fileName, row, "maxscanlength", { min: 1 });
      scanLengthDistribution = oneOfCell(fileName, row, "scanlengthdistribution", SCAN_LENGTH_DISTRIBUTIONS);
    } else {
      for (const column of ["maxscanlength", "scanlengthdistribution"]) {
        if (!isEmptyCell(row, column)) {
          throw new DatasetError(fileName, row.line, column, `must be empty when scanproportion is 0, got ${JSON.stringify(row.cells[column])}`, "leave it empty, or give the workload scans");
        }
      }
    }
    return Object.freeze({
      workload,
      name: textCell(fileName, row, "name"),
      description: textCell(fileName, row, "description"),
      read,
      update,
      insert,
      scan,
      readModifyWrite,
      requestDistribution: oneOfCell(fileName, row, "requestdistribution", REQUEST_DISTRIBUTIONS),
      maxScanLength,
      scanLengthDistribution,
      sourceFile: `workloads/workload${workload.toLowerCase()}`,
    });
  });
  requireUniqueRows(fileName, rows, "workload", (row) => `workload ${JSON.stringify(row.cells.workload)}`, "keep one row per workload");
  return mixes;
}

/**
 * The mix of workload `name` among `mixes`; throws ConfigError
 * `workload.mix: unknown value "G". Fix: use one of "A", ..., "F"`. Pure.
 */
export function findYcsbMix(mixes: readonly YcsbMix[], name: string): YcsbMix {
  const known = requireOneOf("workload.mix", name, mixes.map((m) => m.workload));
  return mixes.find((m) => m.workload === known) as YcsbMix;
}
