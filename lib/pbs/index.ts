/**
 * Probabilistically Bounded Staleness (Bailis et al., VLDB 2012): the WARS Monte Carlo,
 * its run in the full simulator, and the closed forms for quorum availability and
 * k-staleness. Introduced in notebooks/05.00-Leaderless-Replication.ipynb.
 */
export { warsMonteCarlo, warsTVisibility, waitForConsistency, warsLatencyQuantile, validateNrw, validateWarsLatencies } from "./wars.js";
export type { WarsLatencies, WarsOptions, WarsSamples, TVisibilityPoint } from "./wars.js";
export { quorumAvailability, kStalenessMissProbability, kStalenessMonteCarlo } from "./closedForms.js";
export { warsSimulationConfig, measuredTVisibility, shiftedDistribution } from "./simulated.js";
export type { WarsSimOptions } from "./simulated.js";
