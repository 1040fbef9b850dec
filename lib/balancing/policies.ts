/**
 * The balancing policies as pure functions from what the balancer knows (a `ServerView`)
 * to the server it picks. The balancer protocol calls `chooseServer`; the notebook's
 * exercises write their own policy in the same shape (`custom`).
 *
 * Introduced in notebooks/01.01-Many-Servers.ipynb.
 */
import { firstAccepted, type HashRing, makeRing } from "../protocols/leaderless/ring.js";
import type { NodeId } from "../sim/trace.js";
import type { BalancerPolicy, ServerView } from "./config.js";

/** A policy ready to run: hash policies carry their ring over every server. */
export interface CompiledPolicy {
  readonly policy: BalancerPolicy;
  readonly ring: HashRing | null;
  /** The servers it was compiled for, and each one's index (hash policies look servers up by id). */
  readonly servers: readonly NodeId[];
  readonly index: ReadonlyMap<NodeId, number>;
}

/** Tokens per server on the ring of the hash policies (default). */
export const DEFAULT_BALANCER_VNODES = 64;

/** Builds the ring a hash policy needs over `servers` (the same servers give the same ring). Pure. */
export function compilePolicy(policy: BalancerPolicy, servers: readonly NodeId[]): CompiledPolicy {
  const hashed = policy.kind === "consistent-hash" || policy.kind === "bounded-load";
  return {
    policy,
    ring: hashed ? makeRing(servers, policy.vnodes ?? DEFAULT_BALANCER_VNODES) : null,
    servers,
    index: new Map(servers.map((s, i) => [s, i])),
  };
}

/** Index of the fewest outstanding among `candidates` (indices into the view); the first such wins. */
function fewestOutstanding(view: ServerView, candidates: readonly number[]): number {
  let best = candidates[0];
  for (const i of candidates) if (view.outstanding[i] < view.outstanding[best]) best = i;
  return best;
}

/**
 * The bounded-load capacity ⌈c·m/n⌉: how many of the `m` outstanding requests (the new one
 * counted) one of `n` servers may hold, for balance factor `c` > 1 (Mirrokni, Thorup and
 * Zadimoghaddam, SODA 2018). Pure.
 */
export function boundedLoadCapacity(balanceFactor: number, m: number, n: number): number {
  return Math.ceil((balanceFactor * m) / n);
}

/**
 * The index in `view.servers` of the server `compiled`'s policy sends this request to
 * (`view.servers` is never empty). `turn` counts the balancer's earlier picks (round robin
 * uses it). Pure but for `view.random`, the seeded draw of the balancer's own stream.
 */
export function chooseServer(compiled: CompiledPolicy, view: ServerView, turn: number): number {
  const n = view.servers.length;
  const p = compiled.policy;
  switch (p.kind) {
    case "round-robin":
      return turn % n;
    case "random":
      return Math.floor(view.random() * n);
    case "least-outstanding": {
      // Scan from a random start so that ties go to a random server, not always the first.
      const start = Math.floor(view.random() * n);
      let best = start;
      for (let k = 1; k < n; k++) {
        const i = (start + k) % n;
        if (view.outstanding[i] < view.outstanding[best]) best = i;
      }
      return best;
    }
    case "power-of-d": {
      const picks = Array.from({ length: p.d }, () => Math.floor(view.random() * n));
      return fewestOutstanding(view, picks);
    }
    case "consistent-hash":
    case "bounded-load": {
      // The balancer passes its own server list when every server is up: no map to build then.
      const index = view.servers === compiled.servers ? compiled.index : new Map(view.servers.map((s, i) => [s, i]));
      let accept = (s: NodeId): boolean => index.has(s);
      if (p.kind === "bounded-load") {
        const m = view.outstanding.reduce((a, b) => a + b, 0) + 1;
        const cap = boundedLoadCapacity(p.balanceFactor, m, n);
        accept = (s) => index.has(s) && view.outstanding[index.get(s)!] < cap;
      }
      // Some server is below the cap: the others hold m − 1 requests, and n·⌈c·m/n⌉ ≥ c·m > m
      // when c > 1. Every server of the view is on the ring, so the walk finds one.
      const s = firstAccepted(compiled.ring!, view.key, accept);
      return index.get(s!)!;
    }
    case "custom":
      return p.choose(view);
  }
}
