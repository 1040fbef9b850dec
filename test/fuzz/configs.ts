/**
 * Random simulation configurations for the fuzz test: mostly plausible ones that run, and
 * on purpose many that are wrong in the ways issue 12 found (a null link, a rate of
 * Number.MIN_VALUE, node ids like "constructor", periods near 0, too many clients, typo'd
 * options). A config is plain JSON plus a protocol *name*, so a child process can rebuild
 * the exact same run from it.
 */
import fc from "fast-check";
import { leaderlessQuorum, primaryBackup, singleLeader, type Protocol, type SimConfig } from "../../lib/index.js";

/** The protocols under test, by the name a fuzz config carries. */
export const PROTOCOLS: Readonly<Record<string, Protocol<unknown, unknown>>> = {
  primaryBackup: primaryBackup as Protocol<unknown, unknown>,
  singleLeader: singleLeader as Protocol<unknown, unknown>,
  leaderlessQuorum: leaderlessQuorum as Protocol<unknown, unknown>,
};

/** A config as data: the SimConfig fields with `protocol` replaced by its name. */
export type FuzzConfig = Record<string, unknown> & { readonly protocolName: string };

/** The SimConfig a fuzz config stands for. Pure. */
export function toSimConfig(f: FuzzConfig): SimConfig<unknown, unknown> {
  const { protocolName, ...rest } = f;
  return { ...rest, protocol: PROTOCOLS[protocolName] } as unknown as SimConfig<unknown, unknown>;
}

/** Mostly good values, sometimes one of the awkward ones. */
const sometimes = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>, badWeight = 1, goodWeight = 40): fc.Arbitrary<T | U> =>
  fc.oneof({ arbitrary: good, weight: goodWeight }, { arbitrary: bad, weight: badWeight });

/** Tiny, zero, negative, non-finite and wrong-typed numbers. */
const nastyNumber = fc.constantFrom<unknown>(0, -1, 1e-9, 5e-324, Number.MIN_VALUE, 1e-6, NaN, Infinity, -Infinity, 1e308, "5", null, undefined);

/**
 * A number in [min, max] in steps of 0.001: plausible settings. (fc.double favours extremes
 * such as 5e-324; those come from `nastyNumber`, on purpose and less often.)
 */
const num = (min: number, max: number): fc.Arbitrary<number> => fc.integer({ min: Math.ceil(min * 1000), max: Math.floor(max * 1000) }).map((x) => x / 1000);

const period = (lo: number, hi: number) => sometimes(num(lo, hi), nastyNumber);

const distribution = (scale: number): fc.Arbitrary<unknown> =>
  sometimes(
    fc.oneof(
      fc.record({ kind: fc.constant("constant"), value: num(0, scale) }),
      num(0, scale).chain((min) =>
        fc.record({ kind: fc.constant("uniform"), min: fc.constant(min), max: num(min, min + scale) }),
      ),
      fc.record({ kind: fc.constant("exponential"), rate: num(1 / (10 * scale + 1), 10) }),
      fc.record({ kind: fc.constant("normal"), mean: num(0, scale), sd: num(0, scale) }),
      fc.record({ kind: fc.constant("pareto"), scale: num(0.01, scale + 0.01), shape: num(0.5, 5) }),
      fc.record({ kind: fc.constant("empirical"), values: fc.array(num(0, scale), { minLength: 1, maxLength: 5 }) }),
      fc.record({
        kind: fc.constant("mixture"),
        components: fc.constant([{ weight: 0.9, dist: { kind: "constant", value: scale / 2 } }, { weight: 0.1, dist: { kind: "constant", value: scale } }]),
      }),
    ),
    fc.constantFrom<unknown>(
      { kind: "constant", value: 0 },
      { kind: "constant", value: -1 },
      { kind: "constant", value: 5e-324 },
      { kind: "uniform", min: 3, max: 1 },
      { kind: "exponential", rate: 0 },
      { kind: "exponential", rate: Number.MIN_VALUE },
      { kind: "pareto", scale: 1, shape: 1e-300 },
      { kind: "mixture", components: [] },
      { kind: "mixture", components: [null] },
      { kind: "empirical", values: [] },
      { kind: "gamma", k: 2 },
      { kind: "constant", valu: 1 },
      null,
      [],
      5,
    ),
  );

const nodeIdList = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 7 }).map((n) => Array.from({ length: n }, (_, i) => `n${i + 1}`)), weight: 6 },
  { arbitrary: fc.constantFrom(["constructor", "n2", "n3"], ["__proto__", "n2", "n3"], ["toString", "valueOf", "hasOwnProperty"]), weight: 3 },
  { arbitrary: fc.constantFrom(["n1", "n1"], ["n1", "c1"], [], [""]), weight: 1 },
);

const nodesArb: fc.Arbitrary<unknown> = sometimes(
  fc.oneof(fc.integer({ min: 1, max: 7 }), nodeIdList),
  fc.constantFrom<unknown>(0, -3, 2.5, 20_000, "3", null),
  1,
  20,
);

const protocolConfig = (name: string, n: number): fc.Arbitrary<unknown> => {
  switch (name) {
    case "primaryBackup":
      return fc.record(
        {
          copies: sometimes(fc.integer({ min: 1, max: Math.max(1, n) }), fc.constantFrom<unknown>(0, n + 1, 1.5)),
          ack: sometimes(fc.constantFrom("one", "majority", "all"), fc.constant("quorum")),
          rebuild: fc.constantFrom("log", "snapshot"),
          snapshotEvery: fc.integer({ min: 1, max: 50 }),
          batchSize: fc.integer({ min: 1, max: 20 }),
          recoveryTimeoutMs: period(0.5, 100),
          shipEveryMs: sometimes(fc.constantFrom(0, 1, 5, 20), nastyNumber),
        },
        { requiredKeys: ["copies", "ack"] },
      );
    case "singleLeader":
      return fc.record(
        {
          mode: sometimes(fc.constantFrom("sync", "semi-sync", "async"), fc.constant("eventual")),
          followers: fc.integer({ min: 0, max: Math.max(0, n - 1) }),
          readFrom: fc.constantFrom("leader", "any"),
          heartbeatMs: period(1, 30),
          failureTimeoutMs: period(40, 200),
          jitterMs: fc.constantFrom(0, 5, 20),
          failover: fc.constantFrom("none", "naive", "most-up-to-date"),
          epochs: fc.boolean(),
          leases: fc.boolean(),
          fencing: fc.boolean(),
          batchSize: fc.integer({ min: 1, max: 20 }),
          shipEveryMs: sometimes(fc.constantFrom(0, 1, 5), nastyNumber),
          // Moved to SimConfig.capacity: now a ConfigError that says what to write instead.
          applyMs: sometimes(fc.constant(undefined), fc.constantFrom<unknown>(0.1, { n1: 1 }), 1, 60),
          joinFrom: fc.constantFrom("snapshot", "log"),
        },
        { requiredKeys: ["mode"] },
      );
    default:
      return fc.integer({ min: 1, max: Math.max(1, n) }).chain((nn) =>
        fc.record(
          {
            n: sometimes(fc.constant(nn), fc.constantFrom<unknown>(0, n + 1)),
            r: fc.integer({ min: 1, max: nn }),
            w: fc.integer({ min: 1, max: nn }),
            timeoutMs: period(5, 100),
            versioning: fc.constantFrom("lww", "vv"),
            sloppy: fc.boolean(),
            fallbackAfterMs: period(5, 50),
            handoffEveryMs: period(5, 50),
            readRepair: fc.boolean(),
            antiEntropyEveryMs: sometimes(fc.constantFrom(0, 20, 100), nastyNumber),
            merkleDepth: fc.integer({ min: 0, max: 6 }),
            vnodes: fc.integer({ min: 1, max: 16 }),
            contact: fc.constantFrom("all", "quorum"),
          },
          { requiredKeys: ["n", "r", "w"] },
        ),
      );
  }
};

const workloadArb = (ids: readonly string[]): fc.Arbitrary<unknown> =>
  fc.record(
    {
      clients: sometimes(fc.integer({ min: 0, max: 6 }), fc.constantFrom<unknown>(5000, 240, 249, -1, 2.5)),
      loop: sometimes(fc.constantFrom("open", "closed"), fc.constant("half-open")),
      ratePerSec: sometimes(num(1, 500), fc.constantFrom<unknown>(Number.MIN_VALUE, 0, 1e9, Infinity)),
      thinkMs: distribution(5),
      mix: sometimes(
        fc.constantFrom({ read: 0.5, update: 0.5 }, { read: 0.95, update: 0.05 }, { read: 0.5, update: 0.3, insert: 0.1, scan: 0.05, readModifyWrite: 0.05, scanLength: 3 }),
        fc.constantFrom<unknown>({ read: 0.5, update: 0.6 }, { read: 1, updates: 0 }, null),
      ),
      keys: sometimes(
        fc.record({ count: fc.integer({ min: 1, max: 50 }), distribution: fc.constantFrom("uniform", "zipfian", "latest") }),
        fc.constantFrom<unknown>({ count: 0, distribution: "uniform" }, { count: 5, distribution: "hotspot" }, { count: 5, distribution: "zipfian", theta: 1 }),
      ),
      timeoutMs: period(5, 200),
      retries: fc.integer({ min: 0, max: 3 }),
      route: fc.record(
        { read: fc.constantFrom("leader", "random", "sticky", ...ids), write: fc.constantFrom("leader", "random", "sticky", ...ids) },
        { requiredKeys: [] },
      ),
      session: fc.boolean(),
      contexts: fc.boolean(),
    },
    { requiredKeys: ["clients", "loop", "mix", "keys", "timeoutMs"] },
  );

const faultArb = (ids: readonly string[], durationMs: number): fc.Arbitrary<unknown> => {
  const at = sometimes(num(0, durationMs), fc.constantFrom<unknown>(-5, durationMs * 2, NaN));
  const node = sometimes(fc.constantFrom(...ids), fc.constantFrom<unknown>("n99", null));
  return fc.oneof(
    { arbitrary: fc.record({ kind: fc.constantFrom("crash", "restart", "pause", "resume", "lose-disk"), at, node }), weight: 10 },
    { arbitrary: fc.record({ kind: fc.constant("clock"), at, node, skewMs: num(-100, 100), drift: num(-0.1, 0.1) }), weight: 5 },
    { arbitrary: fc.record({ kind: fc.constant("partition"), at, groups: fc.shuffledSubarray([...ids]).map((g) => [g]), oneWay: fc.boolean() }), weight: 5 },
    { arbitrary: fc.record({ kind: fc.constant("heal"), at }), weight: 5 },
    { arbitrary: fc.constantFrom<unknown>(null, { kind: "meteor", at: 1 }), weight: 1 },
  );
};

const networkArb = (ids: readonly string[]): fc.Arbitrary<unknown> =>
  fc.record(
    {
      latency: distribution(10),
      clientLatency: distribution(5),
      loss: sometimes(num(0, 0.3), fc.constantFrom<unknown>(1.5, -0.1)),
      duplicate: num(0, 0.2),
      fifo: sometimes(fc.boolean(), fc.constant<unknown>("yes")),
      links: sometimes(
        fc.array(
          fc.record(
            { from: fc.constantFrom("*", ...ids), to: fc.constantFrom("*", ...ids), latency: distribution(20), loss: num(0, 0.5) },
            { requiredKeys: ["from", "to"] },
          ),
          { maxLength: 3 },
        ),
        fc.constantFrom<unknown>({ from: "n1", to: "*" }, [null], "n1", [{ from: "n1", to: "n9" }]),
      ),
    },
    { requiredKeys: ["latency"] },
  );

const storageArb: fc.Arbitrary<unknown> = fc.record(
  {
    fsync: sometimes(
      fc.oneof(
        fc.constant({ kind: "always" }),
        period(1, 50).map((everyMs) => ({ kind: "interval", everyMs })),
        fc.constantFrom(50, 1000).map((osFlushMs) => ({ kind: "never", osFlushMs })),
      ),
      fc.constantFrom<unknown>({ kind: "sometimes" }, { kind: "interval", everyMs: 5e-324 }, { kind: "never", osFlushMs: 1e-9 }, null),
    ),
    fsyncLatency: distribution(3),
  },
  { requiredKeys: ["fsync"] },
);

/**
 * Node capacity: message service times (per message and per unit of work), cores, and an
 * apply stage, for every node or one; sometimes malformed.
 */
const capacityArb = (ids: readonly string[]): fc.Arbitrary<unknown> => {
  const dist = fc.oneof(
    num(0, 0.5).map((value) => ({ kind: "constant", value })),
    num(2, 20).map((rate) => ({ kind: "exponential", rate })),
  );
  const node = fc.record(
    {
      cores: fc.integer({ min: 1, max: 3 }),
      serviceMs: fc.record({ read: dist, write: dist, "*": dist }, { requiredKeys: [] }),
      perUnitMs: fc.record({ append: dist, "*": dist }, { requiredKeys: [] }),
      applyMs: dist,
    },
    { requiredKeys: [] },
  );
  // Mostly absent: most runs stay free, and an apply stage on a protocol without one is a ConfigError.
  return sometimes(
    fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: node, weight: 1 }, { arbitrary: fc.constantFrom(...ids).chain((id) => node.map((c) => ({ byNode: { [id]: c } }))), weight: 1 }),
    fc.constantFrom<unknown>(null, { applyMs: -1 }, { serviceMs: { read: 5 } }, { byNode: { zz: {} } }, { perUnitMs: [] }),
    1,
    10,
  );
};

/** Adds a misspelt or unknown option somewhere, as a student's typo would. */
const typo = (c: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> =>
  fc.constantFrom("fault", "durationMS", "seeds", "recordState", "wrkload").map((k) => ({ ...c, [k]: c[k.slice(0, -1)] ?? 1 }));

/** One random fuzz configuration. */
export const fuzzConfig: fc.Arbitrary<FuzzConfig> = fc
  .record({ protocolName: fc.constantFrom(...Object.keys(PROTOCOLS)), nodes: nodesArb, durationMs: sometimes(fc.integer({ min: 20, max: 300 }), nastyNumber, 1, 30) })
  .chain(({ protocolName, nodes, durationMs }) => {
    const ids = typeof nodes === "number" && Number.isInteger(nodes) && nodes > 0 && nodes < 50
      ? Array.from({ length: nodes }, (_, i) => `n${i + 1}`)
      : Array.isArray(nodes) && nodes.length > 0 ? (nodes as string[]) : ["n1"];
    const d = typeof durationMs === "number" && Number.isFinite(durationMs) && durationMs > 0 ? Math.min(durationMs, 1e6) : 100;
    const base = fc.record(
      {
        seed: sometimes(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.constantFrom<unknown>(-1, 1.5, 2 ** 40)),
        config: protocolConfig(protocolName, ids.length),
        network: sometimes(networkArb(ids), fc.constantFrom<unknown>(null, [], "fast"), 1, 40),
        storage: storageArb,
        storageByNode: fc.constantFrom(...ids).chain((id) => storageArb.map((s) => Object.fromEntries([[id, s]]))),
        faults: fc.array(faultArb(ids, d), { maxLength: 4 }),
        workload: workloadArb(ids),
        capacity: capacityArb(ids),
        recordStates: sometimes(fc.boolean(), fc.constantFrom<unknown>("yes", 1)),
      },
      { requiredKeys: ["seed", "config", "network"] },
    ).map((r) => ({ ...r, protocolName, nodes, durationMs, maxEvents: 10_000 }) as Record<string, unknown>);
    return fc.oneof({ arbitrary: base, weight: 20 }, { arbitrary: base.chain(typo), weight: 1 });
  }) as fc.Arbitrary<FuzzConfig>;
