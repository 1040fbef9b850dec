/**
 * Datasets: the registry, one typed loader per dataset, and the pure parsers behind
 * them. Loaders find `datasets/` from the working directory (or `{ root }`), verify each
 * file's SHA-256 against the registry, and fail with a DatasetError naming file, line,
 * field and fix when the content is malformed. Provenance: `datasets/README.md`.
 *
 * @example
 *   const mix = ycsbMix("A");                  // { read: 0.5, update: 0.5, ... }
 *   const ms = azureRtt("East US", "West Europe"); // 83
 *   const { W } = pbsProfile("LNKD-DISK");     // a mixture distribution, in ms
 *
 * Introduced in notebooks/01.00-Durability.ipynb (drive failure rates, Azure latencies) and notebooks/05.00-Leaderless-Replication.ipynb (PBS latencies).
 */
export { DatasetError } from "./datasetError.js";
export { listDatasets, datasetInfo } from "./registry.js";
export type { DatasetInfo } from "./registry.js";
export { findRepositoryRoot, readDatasetText, sha256Hex } from "./files.js";
export type { DatasetOptions } from "./files.js";
export {
  loadDriveFailureRates,
  loadYcsbWorkloads,
  loadAzureLatencies,
  loadPbsDistributions,
  ycsbMix,
  azureRtt,
  pbsProfile,
  loadCloudPrices,
} from "./loaders.js";
export { parseDriveFailureRates, DRIVE_FAILURE_RATE_COLUMNS } from "./driveFailureRates.js";
export type { DriveFailureRate } from "./driveFailureRates.js";
export { parseYcsbWorkloads, findYcsbMix, YCSB_WORKLOAD_COLUMNS } from "./ycsbWorkloads.js";
export type { YcsbMix, YcsbRequestDistribution, YcsbScanLengthDistribution } from "./ycsbWorkloads.js";
export { parseAzureLatencies, findAzureRtt, AZURE_RTT_COLUMNS } from "./azureLatencies.js";
export type { AzureRtt } from "./azureLatencies.js";
export { parsePbsDistributions, findPbsProfile, PBS_SCHEMA } from "./pbsDistributions.js";
export type { PbsDistribution, PbsProfile, PbsWanDelay } from "./pbsDistributions.js";
export { parseCloudPrices, CLOUD_PRICE_COLUMNS, LINK_CLASSES } from "./cloudPrices.js";
export type { CloudPrices, LinkClass, ChargedOn, TransferPrice, InstancePrice } from "./cloudPrices.js";
export { readCsvTable, splitCsvRecords } from "./csv.js";
export type { CsvRow, CsvRecord } from "./csv.js";
