/**
 * Workloads as data: how many clients, how they issue operations (open or closed loop),
 * which operations (a YCSB-style mix) on which keys, and how they wait and retry.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import { ConfigError, describe, requireBoolean, requireInteger, requireKnownKeys, requireNumber, requireOneOf } from "../errors.js";
import { type Distribution, validateDistribution } from "../sim/distributions.js";
import { MAX_ENDPOINTS, MAX_RATE_PER_SEC, MIN_PERIOD_MS, MIN_RATE_PER_SEC } from "../sim/limits.js";
import type { NodeId } from "../sim/trace.js";
import { type KeySpec, validateKeySpec } from "./keys.js";

/**
 * The proportions of each operation, YCSB style (they must sum to 1):
 * `read`, `update` (write an existing key), `insert` (write a new key), `scan` (read
 * `scanLength` consecutive keys, as single-key reads one after another — no snapshot),
 * `readModifyWrite` (a read, then a write of the same key).
 */
export interface OperationMix {
  readonly read: number;
  readonly update: number;
  readonly insert?: number;
  readonly scan?: number;
  readonly readModifyWrite?: number;
  /** Keys per scan (default 10). */
  readonly scanLength?: number;
}

/**
 * Where a client sends an operation:
 * - a node id: always that node;
 * - `random`: a uniformly random node per operation;
 * - `sticky`: client i always uses node i mod N (a session pinned to a replica);
 * - `leader`: the node the client believes leads — first `nodes[0]`, then whatever a
 *   `leader` hint in an error reply says.
 */
export type Target = NodeId | "random" | "sticky" | "leader";

/** The clients of a run. */
export interface WorkloadSpec {
  /** Number of clients (`c1`…`cN`). */
  readonly clients: number;
  /**
   * `closed`: each client waits for a reply (plus think time) before its next op.
   * `open`: each client issues ops as a Poisson process at `ratePerSec`, whatever happens
   * to earlier ones (overlapping ops get their own process ids, `c1`, `c1.1`, ...).
   */
  readonly loop: "open" | "closed";
  /** Open loop: ops per second per client. */
  readonly ratePerSec?: number;
  /** Closed loop: pause between a reply and the next op, in ms (default 0). */
  readonly thinkMs?: Distribution;
  readonly mix: OperationMix;
  readonly keys: KeySpec;
  /** How long a client waits for a reply before recording the op as `info`, in ms. */
  readonly timeoutMs: number;
  /** How many times a client re-issues an op that failed or timed out (default 0). */
  readonly retries?: number;
  /** Where reads and writes go (default: both to `leader`). */
  readonly route?: { readonly read?: Target; readonly write?: Target };
  /** When clients start and stop issuing new ops, in ms (default: 0 and the run's end). */
  readonly startMs?: number;
  readonly stopMs?: number;
  /**
   * Client sessions (default false): each client keeps the `session` field of the latest
   * reply that carried one and sends it with every later request. A protocol puts a token
   * there (single-leader: the log position the client has seen) to give read-your-writes
   * and monotonic reads across replicas.
   */
  readonly session?: boolean;
  /**
   * Read contexts (default false): a client keeps the `context` a read of a key returned
   * and sends it with its next write of that key (then forgets it), as a Dynamo client
   * does to supersede the siblings it read. A blind write carries no context.
   */
  readonly contexts?: boolean;
}

const LOOPS = ["open", "closed"] as const;
const WORKLOAD_KEYS = [
  "clients", "loop", "ratePerSec", "thinkMs", "mix", "keys", "timeoutMs", "retries", "route", "startMs", "stopMs", "session", "contexts",
] as const;
/** A mix's options, plus the descriptive fields of a YCSB mix (`ycsbMix("A")`), which may be passed as it is. */
const MIX_KEYS = [
  "read", "update", "insert", "scan", "readModifyWrite", "scanLength",
  "workload", "name", "description", "requestDistribution", "maxScanLength", "scanLengthDistribution", "sourceFile",
] as const;

/** Checks a workload against the cluster; throws a ConfigError naming the field. Pure. */
export function validateWorkload(w: WorkloadSpec, nodes: readonly NodeId[], durationMs: number): WorkloadSpec {
  if (w == null || typeof w !== "object" || Array.isArray(w)) {
    throw new ConfigError("workload", w == null ? "is missing" : `must be an object, got ${describe(w)}`, "give a workload (see WorkloadSpec)");
  }
  requireKnownKeys("workload", w, WORKLOAD_KEYS);
  // The network keeps a link per pair of endpoints: validateConfig bounds nodes + clients.
  requireInteger("workload.clients", w.clients, 0);
  if (w.clients > MAX_ENDPOINTS) {
    throw new ConfigError("workload.clients", `is ${w.clients}, more than the ${MAX_ENDPOINTS} endpoints a run can hold (the network keeps a link per pair of nodes and clients)`, `use at most ${MAX_ENDPOINTS} nodes plus clients; for more load, give fewer open-loop clients a higher ratePerSec`);
  }
  requireOneOf("workload.loop", w.loop, LOOPS);
  if (w.loop === "open") {
    if (typeof w.ratePerSec !== "number" || !Number.isFinite(w.ratePerSec) || w.ratePerSec < MIN_RATE_PER_SEC || w.ratePerSec > MAX_RATE_PER_SEC) {
      throw new ConfigError("workload.ratePerSec", `must be a rate in [${MIN_RATE_PER_SEC}, ${MAX_RATE_PER_SEC}] operations per second per client, got ${describe(w.ratePerSec)}`, "give each client's rate, e.g. ratePerSec: 100");
    }
  } else if (w.ratePerSec !== undefined) {
    requireNumber("workload.ratePerSec", w.ratePerSec, MIN_RATE_PER_SEC, MAX_RATE_PER_SEC);
  }
  if (w.thinkMs !== undefined) validateDistribution("workload.thinkMs", w.thinkMs);
  validateMix(w.mix);
  validateKeySpec("workload.keys", w.keys);
  // A timeout below MIN_PERIOD_MS stops virtual time (every retry times out at once).
  requireNumber("workload.timeoutMs", w.timeoutMs, MIN_PERIOD_MS);
  if (w.retries !== undefined) requireInteger("workload.retries", w.retries, 0, 100);
  if (w.route !== undefined) {
    if (w.route === null || typeof w.route !== "object" || Array.isArray(w.route)) {
      throw new ConfigError("workload.route", `must be { read?, write? }, got ${describe(w.route)}`, 'write route: { read: "random", write: "leader" }');
    }
    requireKnownKeys("workload.route", w.route, ["read", "write"]);
  }
  for (const kind of ["read", "write"] as const) {
    const t = w.route?.[kind];
    if (t !== undefined && t !== "random" && t !== "sticky" && t !== "leader" && !nodes.includes(t)) {
      throw new ConfigError(`workload.route.${kind}`, `unknown node ${describe(t)}`, `use "leader", "random", "sticky" or one of ${nodes.join(", ")}`);
    }
  }
  if (w.contexts !== undefined) requireBoolean("workload.contexts", w.contexts, "write contexts: true to send read contexts with writes");
  if (w.session !== undefined) requireBoolean("workload.session", w.session, "write session: true to echo session tokens");
  const start = w.startMs ?? 0;
  requireNumber("workload.startMs", start, 0, durationMs);
  requireNumber("workload.stopMs", w.stopMs ?? durationMs, start, durationMs);
  return w;
}

function validateMix(m: OperationMix): void {
  if (m == null || typeof m !== "object" || Array.isArray(m)) {
    throw new ConfigError("workload.mix", m == null ? "is missing" : `must be an object, got ${describe(m)}`, "give { read: 0.5, update: 0.5 } or a YCSB mix such as ycsbMix(\"A\")");
  }
  requireKnownKeys("workload.mix", m, MIX_KEYS);
  let total = 0;
  for (const f of ["read", "update", "insert", "scan", "readModifyWrite"] as const) {
    const v = m[f] ?? 0;
    total += requireNumber(`workload.mix.${f}`, v, 0, 1);
  }
  if (Math.abs(total - 1) > 1e-9) {
    throw new ConfigError("workload.mix", `proportions must sum to 1, they sum to ${total}`, "rescale read/update/insert/scan/readModifyWrite");
  }
  if (m.scanLength !== undefined) requireInteger("workload.mix.scanLength", m.scanLength, 1, 1000);
}
