/**
 * Median round-trip times between Azure regions, per direction, from Microsoft's
 * "Azure network round-trip latency statistics". Geo-replication notebooks use them as
 * link latencies.
 *
 * Introduced in notebooks/01.00-Durability.ipynb (drive failure rates, Azure latencies) and notebooks/05.00-Leaderless-Replication.ipynb (PBS latencies).
 */
import { ConfigError } from "../errors.js";
import { numberCell, requireUniqueRows, textCell } from "./cells.js";
import { readCsvTable } from "./csv.js";
import { DatasetError } from "./datasetError.js";

/** The columns of `azure-inter-region-rtt.csv`. */
export const AZURE_RTT_COLUMNS = ["from", "to", "rtt_ms"] as const;

/** One measured direction: the median round trip starting at `from` to `to`, in ms. */
export interface AzureRtt {
  readonly from: string;
  readonly to: string;
  readonly rttMs: number;
}

/**
 * Parses and validates the text of `azure-inter-region-rtt.csv`. Pure; throws
 * DatasetError naming file, line and column for a bad value, a region paired with
 * itself, or a repeated (from, to) pair.
 */
export function parseAzureLatencies(text: string, fileName = "azure-inter-region-rtt.csv"): AzureRtt[] {
  const rows = readCsvTable(text, fileName, AZURE_RTT_COLUMNS);
  const parsed = rows.map((row): AzureRtt => {
    const from = textCell(fileName, row, "from");
    const to = textCell(fileName, row, "to");
    if (from === to) {
      throw new DatasetError(fileName, row.line, "to", `is the same region as from (${JSON.stringify(from)})`, "list only pairs of different regions");
    }
    return Object.freeze({ from, to, rttMs: numberCell(fileName, row, "rtt_ms", { min: 0, exclusiveMin: true }) });
  });
  requireUniqueRows(fileName, rows, "from/to", (row) => `pair ${JSON.stringify(row.cells.from)} → ${JSON.stringify(row.cells.to)}`, "keep one row per direction of a pair");
  return parsed;
}

/**
 * The median round trip in ms from `from` to `to` among `rows`. Pure. Throws ConfigError
 * (field `link`) naming the pair when it is not listed, saying whether the reverse
 * direction is, and which region names the rows know when one is unknown. `fileName`
 * is only used in messages.
 */
export function findAzureRtt(rows: readonly AzureRtt[], from: string, to: string, fileName = "azure-inter-region-rtt.csv"): number {
  const hit = rows.find((r) => r.from === from && r.to === to);
  if (hit) return hit.rttMs;
  const pair = `${JSON.stringify(from)} → ${JSON.stringify(to)}`;
  const regions = [...new Set(rows.flatMap((r) => [r.from, r.to]))].sort();
  const unknown = [from, to].filter((name) => !regions.includes(name));
  if (unknown.length > 0) {
    throw new ConfigError(
      "link",
      `no round trip for ${pair} in ${fileName}: no row mentions ${unknown.map((u) => JSON.stringify(u)).join(" or ")}`,
      `use region names as the file spells them: ${regions.map((r) => JSON.stringify(r)).join(", ")}`,
    );
  }
  const reverse = rows.find((r) => r.from === to && r.to === from);
  const reverseText = reverse
    ? `; the reverse direction ${JSON.stringify(to)} → ${JSON.stringify(from)} is listed (${reverse.rttMs} ms)`
    : `; the reverse direction ${JSON.stringify(to)} → ${JSON.stringify(from)} is not listed either`;
  throw new ConfigError(
    "link",
    `no round trip for ${pair} in ${fileName}${reverseText}`,
    reverse
      ? "round trips are measured per direction: use the listed direction if an approximation is fine, or add a sourced row for this one"
      : "pick a listed pair, or add a sourced row (and update the checksum in lib/datasets/registry.ts)",
  );
}
