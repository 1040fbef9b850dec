/**
 * Cloud prices: on-demand instance-hours and per-GB data transfer by link class (same
 * zone, between zones, between regions, out to the internet), read from
 * `datasets/cloud-prices.csv`. The cost model (`lib/costs/`) turns a run's traffic and a
 * placement of its nodes into money with these numbers.
 *
 * Introduced in notebooks/07.00-Pros-and-Cons.ipynb.
 */
import { isEmptyCell, numberCell, oneOfCell, requireUniqueRows, textCell } from "./cells.js";
import { readCsvTable } from "./csv.js";
import { DatasetError } from "./datasetError.js";

/** The columns of `cloud-prices.csv`, in file order. */
export const CLOUD_PRICE_COLUMNS = ["kind", "item", "usd", "unit", "charged_on", "source"] as const;

/** Where a byte travels: the classes a cloud bills data transfer by. */
export type LinkClass = "intra-az" | "inter-az" | "inter-region" | "internet";

/** Every link class, in order from cheapest to dearest. */
export const LINK_CLASSES: readonly LinkClass[] = ["intra-az", "inter-az", "inter-region", "internet"];

/** Who pays for a byte: its sender only, or sender and receiver (inter-AZ: "each direction"). */
export type ChargedOn = "sender" | "both";

/** The price of one link class. */
export interface TransferPrice {
  /** US dollars per GB (10^9 bytes) at each charged end. */
  readonly usdPerGb: number;
  readonly chargedOn: ChargedOn;
  /** Short id of the source; datasets/README.md gives the page and date. */
  readonly source: string;
}

/** The price of one instance type. */
export interface InstancePrice {
  readonly usdPerHour: number;
  readonly source: string;
}

/** The whole price table of the dataset. */
export interface CloudPrices {
  readonly instances: Readonly<Record<string, InstancePrice>>;
  readonly transfer: Readonly<Record<LinkClass, TransferPrice>>;
}

/**
 * Parses and validates the text of `cloud-prices.csv`. Pure; throws DatasetError naming
 * file, line and column for a negative or malformed price, an unknown link class, a
 * repeated row, or (line null, field `item`) a link class with no row.
 */
export function parseCloudPrices(text: string, fileName = "cloud-prices.csv"): CloudPrices {
  const rows = readCsvTable(text, fileName, CLOUD_PRICE_COLUMNS);
  const instances: Record<string, InstancePrice> = {};
  const transfer: Partial<Record<LinkClass, TransferPrice>> = {};
  for (const row of rows) {
    const kind = oneOfCell(fileName, row, "kind", ["instance", "transfer"] as const);
    const usd = numberCell(fileName, row, "usd", { min: 0 });
    const source = textCell(fileName, row, "source");
    if (kind === "instance") {
      const item = textCell(fileName, row, "item");
      oneOfCell(fileName, row, "unit", ["instance-hour"] as const);
      if (!isEmptyCell(row, "charged_on")) {
        throw new DatasetError(fileName, row.line, "charged_on", "must be empty for an instance", "leave charged_on empty on instance rows");
      }
      instances[item] = Object.freeze({ usdPerHour: usd, source });
    } else {
      const item = oneOfCell(fileName, row, "item", LINK_CLASSES);
      oneOfCell(fileName, row, "unit", ["GB"] as const);
      const chargedOn = oneOfCell(fileName, row, "charged_on", ["sender", "both"] as const);
      transfer[item] = Object.freeze({ usdPerGb: usd, chargedOn, source });
    }
  }
  requireUniqueRows(fileName, rows, "item", (row) => `${row.cells.kind} ${JSON.stringify(row.cells.item)}`, "keep one row per instance type and per link class");
  for (const link of LINK_CLASSES) {
    if (transfer[link] === undefined) {
      throw new DatasetError(fileName, null, "item", `no transfer row for link class "${link}"`, `add a row: transfer,${link},<usd per GB>,GB,sender,<source>`);
    }
  }
  if (Object.keys(instances).length === 0) {
    throw new DatasetError(fileName, null, "kind", "no instance row", "add a row: instance,<type>,<usd per hour>,instance-hour,,<source>");
  }
  return Object.freeze({ instances: Object.freeze(instances), transfer: Object.freeze(transfer as Record<LinkClass, TransferPrice>) });
}
