/**
 * Costs: money per month from a run's traffic, a placement of its nodes, and a price table.
 *
 * Introduced in notebooks/07.00-Pros-and-Cons.ipynb.
 */
export { HOURS_PER_MONTH, BYTES_PER_GB, priceTableOf, validatePriceTable, linkClassOf, bytesByLink, monthlyCost, totalUsd } from "./costModel.js";
export type { Site, CostPlacement, PriceTable, CostRow } from "./costModel.js";
