/**
 * One typed loader per dataset: find the file, verify its checksum, parse and validate it.
 * They read the file system (synchronously: the files are a few kilobytes) and return
 * frozen values, so the same call always gives the same data.
 *
 * Introduced in notebooks/01.00-Durability.ipynb (drive failure rates, Azure latencies) and notebooks/05.00-Leaderless-Replication.ipynb (PBS latencies).
 */
import { findAzureRtt, parseAzureLatencies } from "./azureLatencies.js";
import { parseCloudPrices } from "./cloudPrices.js";
import type { CloudPrices } from "./cloudPrices.js";
import type { AzureRtt } from "./azureLatencies.js";
import { parseDriveFailureRates } from "./driveFailureRates.js";
import type { DriveFailureRate } from "./driveFailureRates.js";
import { readDatasetText } from "./files.js";
import type { DatasetOptions } from "./files.js";
import { findPbsProfile, parsePbsDistributions } from "./pbsDistributions.js";
import type { PbsProfile } from "./pbsDistributions.js";
import { findYcsbMix, parseYcsbWorkloads } from "./ycsbWorkloads.js";
import type { YcsbMix } from "./ycsbWorkloads.js";

/** Backblaze drive annualized failure rates (`datasets/drive-failure-rates.csv`). Reads the file system. */
export function loadDriveFailureRates(options: DatasetOptions = {}): readonly DriveFailureRate[] {
  const { info, text } = readDatasetText("drive-failure-rates", options);
  return Object.freeze(parseDriveFailureRates(text, info.file));
}

/** The YCSB core workload mixes A-F (`datasets/ycsb-workloads.csv`). Reads the file system. */
export function loadYcsbWorkloads(options: DatasetOptions = {}): readonly YcsbMix[] {
  const { info, text } = readDatasetText("ycsb-workloads", options);
  return Object.freeze(parseYcsbWorkloads(text, info.file));
}

/** Azure inter-region median round trips, per direction (`datasets/azure-inter-region-rtt.csv`). Reads the file system. */
export function loadAzureLatencies(options: DatasetOptions = {}): readonly AzureRtt[] {
  const { info, text } = readDatasetText("azure-inter-region-rtt", options);
  return Object.freeze(parseAzureLatencies(text, info.file));
}

/** The PBS WARS latency profiles keyed by name (`datasets/pbs-wars.json`). Reads the file system. */
export function loadPbsDistributions(options: DatasetOptions = {}): Readonly<Record<string, PbsProfile>> {
  const { info, text } = readDatasetText("pbs-wars", options);
  return parsePbsDistributions(text, info.file);
}

/**
 * The YCSB mix named `name` ("A" ... "F"). Reads the file system. Throws ConfigError
 * `workload.mix: unknown value "G". Fix: use one of "A", ..., "F"` for an unknown name.
 */
export function ycsbMix(name: string, options: DatasetOptions = {}): YcsbMix {
  return findYcsbMix(loadYcsbWorkloads(options), name);
}

/**
 * Median round trip in ms from Azure region `from` to `to` (e.g. "East US" → "West
 * Europe"). Reads the file system. Throws ConfigError (field `link`) naming the pair when
 * it is not listed, and saying whether the reverse direction is.
 */
export function azureRtt(from: string, to: string, options: DatasetOptions = {}): number {
  return findAzureRtt(loadAzureLatencies(options), from, to);
}

/** The PBS profile `name` ("LNKD-SSD", "LNKD-DISK", "YMMR", "WAN"). Reads the file system. */
export function pbsProfile(name: string, options: DatasetOptions = {}): PbsProfile {
  return findPbsProfile(loadPbsDistributions(options), name);
}

/** AWS instance-hour and per-GB transfer prices by link class (`datasets/cloud-prices.csv`). Reads the file system. */
export function loadCloudPrices(options: DatasetOptions = {}): CloudPrices {
  const { info, text } = readDatasetText("cloud-prices", options);
  return parseCloudPrices(text, info.file);
}
