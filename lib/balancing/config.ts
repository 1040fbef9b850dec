/**
 * The settings of the load balancer, as data, and their validation: which node balances,
 * which nodes serve, the policy that picks a server, health checks, fan-out and hedging.
 *
 * Introduced in notebooks/01.01-Many-Servers.ipynb.
 */
import { ConfigError, describe, requireInteger, requireKnownKeys, requireNumber } from "../errors.js";
import { requirePeriod } from "../sim/limits.js";
import type { NodeId } from "../sim/trace.js";

/**
 * What the balancer knows when it picks a server: the servers that are up (in config
 * order), the requests outstanding at each of them (sent, not yet answered), the request's
 * key, and a seeded random draw in [0, 1).
 */
export interface ServerView {
  readonly servers: readonly NodeId[];
  /** `outstanding[i]` belongs to `servers[i]`. */
  readonly outstanding: readonly number[];
  readonly key: string;
  readonly random: () => number;
}

/** A policy written as a function (exercises): the index in `view.servers` to send to. Must be pure but for `view.random`. */
export type ChooseServer = (view: ServerView) => number;

/**
 * How the balancer picks a server for a request:
 * - `round-robin`: the next server in turn;
 * - `random`: a uniformly random server;
 * - `least-outstanding`: the server with the fewest requests outstanding (ties at random);
 * - `power-of-d`: d servers drawn at random (with replacement, as in Mitzenmacher's
 *   model), the one with the fewest outstanding;
 * - `consistent-hash`: key affinity, the key's owner on a hash ring (next one up if down);
 * - `bounded-load`: consistent hashing with bounded loads (Mirrokni, Thorup and
 *   Zadimoghaddam, SODA 2018): no server takes more than ⌈c·m/n⌉ of the m outstanding
 *   requests (this one counted) over the n servers up; a full server passes the request
 *   clockwise to the next one, as HAProxy's `hash-balance-factor` does;
 * - `custom`: `choose(view)` returns the index of the server.
 */
export type BalancerPolicy =
  | { readonly kind: "round-robin" }
  | { readonly kind: "random" }
  | { readonly kind: "least-outstanding" }
  | { readonly kind: "power-of-d"; readonly d: number }
  | { readonly kind: "consistent-hash"; readonly vnodes?: number }
  | { readonly kind: "bounded-load"; readonly balanceFactor: number; readonly vnodes?: number }
  | { readonly kind: "custom"; readonly name: string; readonly choose: ChooseServer };

/** The policy kinds. */
export const POLICY_KINDS = ["round-robin", "random", "least-outstanding", "power-of-d", "consistent-hash", "bounded-load", "custom"] as const;

/**
 * Health checks, HAProxy style (`inter`, `fall`, `rise`): every `intervalMs` the balancer
 * probes each server; a probe not answered by the next one is a failure. After `fall`
 * failures in a row a server is marked down (no new requests); after `rise` answers in a
 * row it is marked up again.
 */
export interface HealthCheckConfig {
  readonly intervalMs: number;
  /** Failures in a row before a server is marked down (HAProxy's default: 3). */
  readonly fall?: number;
  /** Answers in a row before a down server is marked up (HAProxy's default: 2). */
  readonly rise?: number;
}

/** Settings of the load balancer. */
export interface BalancerConfig {
  readonly policy: BalancerPolicy;
  /** The node that balances (default: the first node). */
  readonly balancer?: NodeId;
  /** The servers (default: every other node). At least one. */
  readonly servers?: readonly NodeId[];
  /** Health checks (default: none, every server is always believed up). */
  readonly healthCheck?: HealthCheckConfig;
  /**
   * Fan-out: each client request goes to this many distinct servers, and the client is
   * answered when the last of them answers (default 1). A search query over shards.
   */
  readonly fanOut?: number;
  /**
   * Hedged requests (Dean and Barroso, "The Tail at Scale"): a copy of a request still
   * unanswered after this many ms goes to one more server; the first answer wins (default
   * 0: off).
   */
  readonly hedgeAfterMs?: number;
}

/** Every setting of the balancer, defaults filled in. */
export interface BalancerSettings {
  readonly policy: BalancerPolicy;
  readonly balancer: NodeId;
  readonly servers: readonly NodeId[];
  readonly healthCheck: Required<HealthCheckConfig> | null;
  readonly fanOut: number;
  readonly hedgeAfterMs: number;
}

/** Defaults of the optional health-check settings (HAProxy's `fall 3`, `rise 2`). */
export const HEALTH_CHECK_DEFAULTS = { fall: 3, rise: 2 } as const;

const CONFIG_KEYS = ["policy", "balancer", "servers", "healthCheck", "fanOut", "hedgeAfterMs"];
const POLICY_KEYS: Readonly<Record<string, readonly string[]>> = {
  "round-robin": ["kind"], random: ["kind"], "least-outstanding": ["kind"], "power-of-d": ["kind", "d"],
  "consistent-hash": ["kind", "vnodes"], "bounded-load": ["kind", "balanceFactor", "vnodes"], custom: ["kind", "name", "choose"],
};

/** Checks a balancing policy; throws a ConfigError naming the field (`field` is its path). Pure. */
export function validatePolicy(field: string, p: unknown, servers = Infinity): BalancerPolicy {
  if (p === null || typeof p !== "object" || Array.isArray(p)) {
    throw new ConfigError(field, `must be a policy object, got ${describe(p)}`, 'write e.g. policy: { kind: "power-of-d", d: 2 }');
  }
  const kind = (p as { kind?: unknown }).kind;
  if (typeof kind !== "string" || !Object.hasOwn(POLICY_KEYS, kind)) {
    throw new ConfigError(`${field}.kind`, `unknown policy ${describe(kind)}`, `use one of ${POLICY_KINDS.join(", ")}`);
  }
  requireKnownKeys(field, p, POLICY_KEYS[kind]);
  const q = p as BalancerPolicy;
  if (q.kind === "power-of-d") {
    requireInteger(`${field}.d`, q.d, 1);
    if (q.d > servers) throw new ConfigError(`${field}.d`, `is ${q.d}, more choices than the ${servers} servers`, `use d between 1 and ${servers}`);
  }
  if ((q.kind === "consistent-hash" || q.kind === "bounded-load") && q.vnodes !== undefined) requireInteger(`${field}.vnodes`, q.vnodes, 1, 4096);
  if (q.kind === "bounded-load" && (typeof q.balanceFactor !== "number" || !Number.isFinite(q.balanceFactor) || q.balanceFactor <= 1)) {
    throw new ConfigError(`${field}.balanceFactor`, `must be a number > 1 (c: no server takes more than ⌈c·m/n⌉ of m requests over n servers), got ${describe(q.balanceFactor)}`, "use e.g. 1.25 (HAProxy's hash-balance-factor 125); c ≤ 1 leaves no room for the average load");
  }
  if (q.kind === "custom") {
    if (typeof q.choose !== "function") throw new ConfigError(`${field}.choose`, `must be a function (view) => index, got ${describe(q.choose)}`, "write choose: (view) => 0, returning an index into view.servers");
    if (typeof q.name !== "string" || q.name.length === 0) throw new ConfigError(`${field}.name`, `must be a non-empty name, got ${describe(q.name)}`, 'write name: "my policy"');
  }
  return q;
}

/**
 * The balancer's settings with defaults filled in; throws a ConfigError naming the field
 * and the fix (`config.servers`, `config.policy.d`, ...). Pure.
 */
export function resolveBalancer(c: BalancerConfig, nodes: readonly NodeId[]): BalancerSettings {
  if (c == null || typeof c !== "object" || Array.isArray(c)) throw new ConfigError("config", `must be a balancer config, got ${describe(c)}`, 'write e.g. { policy: { kind: "round-robin" } }');
  requireKnownKeys("config", c, CONFIG_KEYS);
  const balancer = c.balancer ?? nodes[0];
  if (!nodes.includes(balancer)) throw new ConfigError("config.balancer", `unknown node ${describe(balancer)}`, `use one of ${nodes.join(", ")}`);
  const servers = c.servers ?? nodes.filter((n) => n !== balancer);
  if (!Array.isArray(servers)) throw new ConfigError("config.servers", `must be a list of node ids, got ${describe(servers)}`, 'write servers: ["n2", "n3"]');
  if (servers.length === 0) {
    throw new ConfigError("config.servers", "is empty: the balancer has no server to send requests to", "list at least one server, or give the run more than one node (the first balances, the others serve)");
  }
  servers.forEach((s, i) => {
    if (!nodes.includes(s)) throw new ConfigError(`config.servers[${i}]`, `unknown node ${describe(s)}`, `use one of ${nodes.join(", ")}`);
    if (s === balancer) throw new ConfigError(`config.servers[${i}]`, `${s} is the balancer`, "a node either balances or serves: leave the balancer out of servers");
    if (servers.indexOf(s) !== i) throw new ConfigError(`config.servers[${i}]`, `repeats ${s}`, "list each server once");
  });
  if (c.policy === undefined) throw new ConfigError("config.policy", "is missing", 'write e.g. policy: { kind: "round-robin" }');
  const policy = validatePolicy("config.policy", c.policy, servers.length);
  let healthCheck: Required<HealthCheckConfig> | null = null;
  if (c.healthCheck !== undefined) {
    const h = c.healthCheck;
    if (h === null || typeof h !== "object") throw new ConfigError("config.healthCheck", `must be { intervalMs, fall?, rise? }, got ${describe(h)}`, "write healthCheck: { intervalMs: 100, fall: 3, rise: 2 }");
    requireKnownKeys("config.healthCheck", h, ["intervalMs", "fall", "rise"]);
    healthCheck = {
      intervalMs: requirePeriod("config.healthCheck.intervalMs", h.intervalMs),
      fall: requireInteger("config.healthCheck.fall", h.fall ?? HEALTH_CHECK_DEFAULTS.fall, 1, 1000),
      rise: requireInteger("config.healthCheck.rise", h.rise ?? HEALTH_CHECK_DEFAULTS.rise, 1, 1000),
    };
  }
  const fanOut = requireInteger("config.fanOut", c.fanOut ?? 1, 1, servers.length);
  const hedgeAfterMs = c.hedgeAfterMs === undefined || c.hedgeAfterMs === 0 ? 0 : requirePeriod("config.hedgeAfterMs", c.hedgeAfterMs, true);
  if (hedgeAfterMs > 0 && servers.length < 2) throw new ConfigError("config.hedgeAfterMs", "needs at least two servers (a hedge goes to another one)", "add a server or set hedgeAfterMs: 0");
  requireNumber("config.hedgeAfterMs", hedgeAfterMs, 0);
  return { policy, balancer, servers: servers.slice(), healthCheck, fanOut, hedgeAfterMs };
}
