/**
 * The dataset registry (after d2l's `DATA_HUB`): every dataset the course ships, by name,
 * with its file under `datasets/`, the SHA-256 of that file, what it holds, where it
 * comes from and under which licence. `datasets/README.md` gives the full provenance.
 *
 * Changing a data file on purpose? Put its new checksum here (the loader's error message
 * prints it) and record the change in `datasets/README.md`.
 *
 * Introduced in notebooks/01.00-Durability.ipynb (drive failure rates, Azure latencies) and notebooks/05.00-Leaderless-Replication.ipynb (PBS latencies) and notebooks/07.00-Pros-and-Cons.ipynb (cloud prices).
 */
import { requireOneOf } from "../errors.js";

/** One registered dataset. Pure data. */
export interface DatasetInfo {
  /** Registry name, used by the loaders and in messages. */
  readonly name: string;
  /** File name relative to the repository's `datasets/` folder. */
  readonly file: string;
  /** Lower-case hex SHA-256 of the file's bytes. */
  readonly sha256: string;
  /** What the dataset holds, in one sentence. */
  readonly description: string;
  /** Where the numbers come from. */
  readonly source: string;
  /** Terms the source publishes them under. */
  readonly licence: string;
}

const ENTRIES: readonly DatasetInfo[] = [
  {
    name: "drive-failure-rates",
    file: "drive-failure-rates.csv",
    sha256: "b9f1265df6f1043d27236a88d12db1a2946db0f544e7cac52664b0db95511aaa",
    description: "Annualized failure rates (percent) of Backblaze's data drives, per quarter and for the year 2024.",
    source: "Backblaze Drive Stats reports (backblaze.com/blog, Drive Stats series), 2023-2025",
    licence: "Backblaze Drive Stats data: free to use if you cite Backblaze as the source (see datasets/README.md)",
  },
  {
    name: "ycsb-workloads",
    file: "ycsb-workloads.csv",
    sha256: "adbeb0fc6bf55a70bc6848458c44f0a57aa7be5180fe3fe1951652e2ac34eeb6",
    description: "The YCSB core workload mixes A-F: operation proportions, request distribution, scan lengths.",
    source: "YCSB, github.com/brianfrankcooper/YCSB, files workloads/workloada ... workloads/workloadf",
    licence: "Apache-2.0",
  },
  {
    name: "azure-inter-region-rtt",
    file: "azure-inter-region-rtt.csv",
    sha256: "716ad59f1082ec7d4a3746841c04ec78b495610ec8f686f92a500f24db89e048",
    description: "Median (P50) round-trip latency in ms between pairs of Azure regions, per direction.",
    source: "Microsoft Learn, \"Azure network round-trip latency statistics\", dataset of June 30, 2025",
    licence: "CC BY 4.0",
  },
  {
    name: "pbs-wars",
    file: "pbs-wars.json",
    sha256: "d4b3a44fa547d9382d7f08d5e9a6b05f17a70fb40282f34eeef043e0076a0dc6",
    description: "Fitted WARS latency distributions (ms) for the PBS production profiles LNKD-SSD, LNKD-DISK, YMMR and WAN.",
    source: "Bailis, Venkataraman, Franklin, Hellerstein, Stoica: Probabilistically Bounded Staleness for Practical Partial Quorums, VLDB 2012",
    licence: "Facts (fitted parameters) reported in a research paper, cited",
  },
  {
    name: "cloud-prices",
    file: "cloud-prices.csv",
    sha256: "46c7ccdda59f79aa4942cba8aec1ed0087cf4a04ae745e2c175ba17a0e532660",
    description: "AWS on-demand instance-hour price of one instance type and per-GB data transfer by link class (intra-AZ, inter-AZ, inter-region, internet egress), us-east-1.",
    source: "AWS EC2 pricing as summarised by public pricing guides read in 2026 (datasets/README.md names each page and date)",
    licence: "Facts (list prices) published by AWS, cited through the pages named in datasets/README.md",
  },
];

/** Every registered dataset, in a fixed order. Pure. */
export function listDatasets(): readonly DatasetInfo[] {
  return ENTRIES;
}

/** The registry entry for `name`; throws ConfigError naming the known datasets. Pure. */
export function datasetInfo(name: string): DatasetInfo {
  const known = requireOneOf("dataset", name, ENTRIES.map((e) => e.name));
  return ENTRIES.find((e) => e.name === known) as DatasetInfo;
}
