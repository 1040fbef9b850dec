/**
 * Load balancing: a balancer in front of many servers (round robin, random, least
 * outstanding, power of d choices, consistent hashing, bounded loads), health checks,
 * fan-out and hedged requests, and the supermarket model's closed form to check it against.
 *
 * Introduced in notebooks/01.01-Many-Servers.ipynb.
 */
export { loadBalancer, BALANCER_MESSAGE_TYPES, type BalancerState } from "./protocol.js";
export { resolveBalancer, validatePolicy, POLICY_KINDS, HEALTH_CHECK_DEFAULTS } from "./config.js";
export type { BalancerConfig, BalancerPolicy, BalancerSettings, ChooseServer, HealthCheckConfig, ServerView } from "./config.js";
export { chooseServer, compilePolicy, boundedLoadCapacity, DEFAULT_BALANCER_VNODES, type CompiledPolicy } from "./policies.js";
export { supermarketTimeInSystem, supermarketTailFraction } from "./supermarket.js";
export { servedCopies, timeInSystem, failuresOverTime, clientLatencies } from "./metrics.js";
export type { ServedCopy, TimeInSystemStats, FailureRow } from "./metrics.js";
export { balancedClusterConfig, runBalancedCluster, loadSweep, policyLabel, choicesOf } from "./experiments.js";
export type { BalancedClusterOptions, LoadSweepRow } from "./experiments.js";
