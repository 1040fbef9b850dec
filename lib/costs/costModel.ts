/**
 * What a replicated store costs per month: nodes × instance-hours × the hourly price,
 * plus every byte the run sent, classed by where it travelled (same zone, another zone,
 * another region, out to the internet) × that link class's price per GB. The run is short,
 * so its traffic is scaled up to a month at the same rate.
 *
 * Pure: a trace, a placement of nodes in zones and regions, and a price table in; rows
 * out. Prices come from `loadCloudPrices()` (datasets/cloud-prices.csv) or by hand.
 *
 * Introduced in notebooks/07.00-Pros-and-Cons.ipynb.
 */
import { ConfigError, describe, requireNumber } from "../errors.js";
import { LINK_CLASSES } from "../datasets/cloudPrices.js";
import type { ChargedOn, CloudPrices, LinkClass } from "../datasets/cloudPrices.js";
import type { NodeId, Trace } from "../sim/trace.js";

/** Hours in a month as cloud price pages count them (730 = 8,760 / 12). */
export const HOURS_PER_MONTH = 730;
/** Bytes in a billed GB (decimal, 10^9). */
export const BYTES_PER_GB = 1e9;
const MS_PER_MONTH = HOURS_PER_MONTH * 3_600_000;

/** Where one node runs. */
export interface Site {
  readonly region: string;
  readonly zone: string;
}

/** Where every node runs, and where the clients are: on the internet, or at a site. */
export interface CostPlacement {
  readonly nodes: Readonly<Record<NodeId, Site>>;
  readonly clients: "internet" | Site;
}

/** The prices the model needs: one instance-hour price and one price per link class. */
export interface PriceTable {
  readonly instanceUsdPerHour: number;
  readonly transfer: Readonly<Record<LinkClass, { readonly usdPerGb: number; readonly chargedOn: ChargedOn }>>;
}

/** One line of the bill. */
export interface CostRow {
  /** "instances" or a link class. */
  readonly item: "instances" | LinkClass;
  /** Instance-hours, or GB per month. */
  readonly quantity: number;
  readonly unit: "instance-hour" | "GB";
  readonly usdPerMonth: number;
}

/** The price table of the dataset for `instanceType`. Throws ConfigError for an unknown type. Pure. */
export function priceTableOf(prices: CloudPrices, instanceType: string): PriceTable {
  const inst = Object.hasOwn(prices.instances, instanceType) ? prices.instances[instanceType] : undefined;
  if (inst === undefined) {
    throw new ConfigError("instanceType", `unknown instance type ${describe(instanceType)}`, `use one of ${Object.keys(prices.instances).map((k) => JSON.stringify(k)).join(", ")}`);
  }
  return { instanceUsdPerHour: inst.usdPerHour, transfer: prices.transfer };
}

/**
 * Checks a price table: every link class present, every price a finite number ≥ 0.
 * Throws ConfigError naming the field (e.g. `prices.transfer.inter-az.usdPerGb`). Pure.
 */
export function validatePriceTable(prices: PriceTable): PriceTable {
  if (prices == null || typeof prices !== "object") throw new ConfigError("prices", `must be a price table, got ${describe(prices)}`, "pass priceTableOf(loadCloudPrices(), \"m7g.large\")");
  requireNumber("prices.instanceUsdPerHour", prices.instanceUsdPerHour, 0);
  if (prices.transfer == null || typeof prices.transfer !== "object") throw new ConfigError("prices.transfer", "is missing", `give a price for each of ${LINK_CLASSES.join(", ")}`);
  for (const link of LINK_CLASSES) {
    const p = Object.hasOwn(prices.transfer, link) ? prices.transfer[link] : undefined;
    if (p == null) throw new ConfigError(`prices.transfer.${link}`, "is missing", `give { usdPerGb, chargedOn } for ${link}`);
    if (p.usdPerGb === undefined) throw new ConfigError(`prices.transfer.${link}.usdPerGb`, "is missing", "give the price in US dollars per GB (0 if free)");
    requireNumber(`prices.transfer.${link}.usdPerGb`, p.usdPerGb, 0);
    if (p.chargedOn !== "sender" && p.chargedOn !== "both") throw new ConfigError(`prices.transfer.${link}.chargedOn`, `unknown value ${describe(p.chargedOn)}`, 'use "sender" or "both"');
  }
  return prices;
}

/**
 * The link class of a message from `src` to `dest`, or null for one that is free by every
 * price page: data coming in from the internet. Throws ConfigError for a node with no site.
 * Pure.
 */
export function linkClassOf(placement: CostPlacement, src: NodeId, dest: NodeId, isClient: (id: NodeId) => boolean = (id) => id.startsWith("c")): LinkClass | null {
  const siteOf = (id: NodeId): Site | "internet" => {
    if (isClient(id)) return placement.clients;
    const s = Object.hasOwn(placement.nodes, id) ? placement.nodes[id] : undefined;
    if (s === undefined) throw new ConfigError(`placement.nodes.${id}`, "is missing", `give every node a site, e.g. ${id}: { region: "us-east-1", zone: "a" }`);
    return s;
  };
  const a = siteOf(src);
  const b = siteOf(dest);
  if (a === "internet") return null; // inbound transfer is free
  if (b === "internet") return "internet";
  if (a.region !== b.region) return "inter-region";
  return a.zone === b.zone ? "intra-az" : "inter-az";
}

/** Bytes the run sent per link class (inbound internet bytes left out: they are free). Pure. */
export function bytesByLink(trace: Trace, placement: CostPlacement): Record<LinkClass, number> {
  const bytes: Record<LinkClass, number> = { "intra-az": 0, "inter-az": 0, "inter-region": 0, internet: 0 };
  for (const e of trace) {
    if (e.type !== "send") continue;
    const link = linkClassOf(placement, e.src, e.dest);
    if (link !== null) bytes[link] += e.bytes;
  }
  return bytes;
}

/**
 * The monthly bill: `nodes` instances running the whole month, and `bytes` (sent over
 * `durationMs` of the run) scaled to a month at the same rate, priced per link class (a
 * class charged on `both` ends is paid twice per byte). Pure; throws ConfigError for a bad
 * price table, a negative byte count or a non-positive duration.
 */
export function monthlyCost(nodes: number, bytes: Readonly<Record<LinkClass, number>>, durationMs: number, prices: PriceTable): CostRow[] {
  validatePriceTable(prices);
  requireNumber("nodes", nodes, 0);
  if (!(typeof durationMs === "number" && durationMs > 0 && Number.isFinite(durationMs))) {
    throw new ConfigError("durationMs", `must be a positive number of ms, got ${describe(durationMs)}`, "pass the run's duration, e.g. run.config.durationMs");
  }
  const scale = MS_PER_MONTH / durationMs;
  const rows: CostRow[] = [{ item: "instances", quantity: nodes * HOURS_PER_MONTH, unit: "instance-hour", usdPerMonth: nodes * HOURS_PER_MONTH * prices.instanceUsdPerHour }];
  for (const link of LINK_CLASSES) {
    const b = requireNumber(`bytes.${link}`, bytes[link], 0);
    const gb = (b * scale) / BYTES_PER_GB;
    const p = prices.transfer[link];
    rows.push({ item: link, quantity: gb, unit: "GB", usdPerMonth: gb * p.usdPerGb * (p.chargedOn === "both" ? 2 : 1) });
  }
  return rows;
}

/** The total of a bill's rows, in US dollars per month. Pure. */
export function totalUsd(rows: readonly CostRow[]): number {
  return rows.reduce((sum, r) => sum + r.usdPerMonth, 0);
}
