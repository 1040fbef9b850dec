/**
 * Geo-distributed set-ups for multi-leader experiments: one leader per region, clients in
 * each region, and a network whose links carry the measured round trips between regions.
 *
 * Introduced in notebooks/04.00-Multi-Leader-Replication.ipynb.
 */
import { ConfigError, requireInteger, requireNumber } from "../../errors.js";
import type { LinkOverride, NetworkSpec } from "../../sim/network.js";
import type { NodeId } from "../../sim/trace.js";

/** Inputs of `regionNetwork`. */
export interface RegionNetworkOptions {
  /** One-way delay from region i to region j in ms (i ≠ j); e.g. half a measured round trip. */
  readonly oneWayMs: readonly (readonly number[])[];
  /** Clients per region (default 1). Client c(k+1) is in region k mod L, as sticky routing sends it to node n(k mod L + 1). */
  readonly clientsPerRegion?: number;
  /** One-way delay inside a region, client to its own region's nodes and between them (default 1 ms). */
  readonly localMs?: number;
  /** Local followers per leader (default 0): nodes n(L+1)…, follower f of region i is n(L + i·F + f + 1). */
  readonly followersPerRegion?: number;
}

/** A region network: the spec, node ids by region and the region of every endpoint. Plain data. */
export interface RegionNetwork {
  readonly network: NetworkSpec;
  /** Leader of region i: n(i+1). */
  readonly leaders: readonly NodeId[];
  /** leader → its local followers. */
  readonly followers: Readonly<Record<NodeId, readonly NodeId[]>>;
  /** Region index of every node and client. */
  readonly regionOf: Readonly<Record<NodeId, number>>;
  readonly nodes: readonly NodeId[];
  readonly clients: readonly NodeId[];
}

/**
 * A network for L regions (L = oneWayMs.length): constant delays, `localMs` within a region
 * and `oneWayMs[i][j]` from region i to region j, for nodes and clients alike. Pure.
 */
export function regionNetwork(o: RegionNetworkOptions): RegionNetwork {
  const L = o.oneWayMs.length;
  if (L < 2) throw new ConfigError("oneWayMs", `needs at least 2 regions, got ${L}`, "give an L × L matrix of one-way delays in ms");
  o.oneWayMs.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== L) throw new ConfigError(`oneWayMs[${i}]`, `must have ${L} entries`, "give a square matrix");
    row.forEach((d, j) => i !== j && requireNumber(`oneWayMs[${i}][${j}]`, d, 0));
  });
  const perRegion = o.clientsPerRegion ?? 1;
  const followersPer = o.followersPerRegion ?? 0;
  requireInteger("clientsPerRegion", perRegion, 1, 1000);
  requireInteger("followersPerRegion", followersPer, 0, 100);
  const local = o.localMs ?? 1;
  requireNumber("localMs", local, 0);
  const leaders = Array.from({ length: L }, (_, i) => `n${i + 1}`);
  const regionOf: Record<NodeId, number> = {};
  leaders.forEach((n, i) => (regionOf[n] = i));
  const followers: Record<NodeId, NodeId[]> = {};
  leaders.forEach((l, i) => {
    followers[l] = Array.from({ length: followersPer }, (_, f) => `n${L + i * followersPer + f + 1}`);
    for (const f of followers[l]) regionOf[f] = i;
  });
  const nodes = [...leaders, ...leaders.flatMap((l) => followers[l])];
  // Sticky routing sends client k (0-based) to node k mod N; with followers, clients still
  // map to their region's leader only if N = L, so clients are placed by the node they reach.
  const clients = Array.from({ length: L * perRegion }, (_, k) => `c${k + 1}`);
  clients.forEach((c, k) => (regionOf[c] = regionOf[nodes[k % nodes.length]]));
  const ends = [...nodes, ...clients];
  const links: LinkOverride[] = [];
  for (const a of ends) {
    for (const b of ends) {
      if (a === b || (a.startsWith("c") && b.startsWith("c"))) continue;
      const ra = regionOf[a], rb = regionOf[b];
      links.push({ from: a, to: b, latency: { kind: "constant", value: ra === rb ? local : o.oneWayMs[ra][rb] } });
    }
  }
  return { network: { latency: { kind: "constant", value: local }, links }, leaders, followers, regionOf, nodes, clients };
}
