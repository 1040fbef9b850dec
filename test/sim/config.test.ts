import { expect } from "chai";
import { simulate } from "../../lib/sim/engine.js";
import { ConfigError } from "../../lib/errors.js";
import { primaryBackup } from "../../lib/protocols/primaryBackup.js";
import type { Protocol } from "../../lib/sim/protocol.js";
import { kvConfig } from "./helpers.js";

describe("bad configurations get an error that names the field and the fix", () => {
  const w = kvConfig().workload!;
  const cases: [string, () => unknown, RegExp][] = [
    ["a loss probability above 1", () => simulate(kvConfig({ network: { latency: { kind: "constant", value: 1 }, loss: 1.5 } })), /network\.loss: must be a probability in \[0, 1\], got 1\.5/],
    ["a negative latency", () => simulate(kvConfig({ network: { latency: { kind: "constant", value: -3 } } })), /network\.latency\.value: must be ≥ 0/],
    ["a NaN latency", () => simulate(kvConfig({ network: { latency: { kind: "uniform", min: NaN, max: 2 } } })), /network\.latency\.min: must be a finite number/],
    ["an unknown node in a fault", () => simulate(kvConfig({ faults: [{ kind: "crash", at: 10, node: "n9" }] })), /faults\[0\]\.node: unknown node "n9"/],
    ["an unknown node in a partition", () => simulate(kvConfig({ faults: [{ kind: "partition", at: 10, groups: [["n1", "n7"]] }] })), /faults\[0\]\.groups\[0\]\[1\]: unknown node or client "n7"/],
    ["a fault time in the past", () => simulate(kvConfig({ faults: [{ kind: "heal", at: -5 }] })), /faults\[0\]\.at: must be a time ≥ 0 ms \(a fault cannot be in the past\)/],
    ["a fault after the end of the run", () => simulate(kvConfig({ faults: [{ kind: "heal", at: 9000 }] })), /faults\[0\]\.at: is 9000 ms, after the run ends/],
    ["an unknown fault kind", () => simulate(kvConfig({ faults: [{ kind: "meteor", at: 1 } as never] })), /faults\[0\]\.kind: unknown fault "meteor"/],
    ["k copies larger than the cluster", () => simulate({ ...kvConfig(), protocol: primaryBackup, config: { copies: 5, ack: "all" }, nodes: 3 } as never), /config\.copies: is 5 but the cluster has 3 nodes/],
    ["an unknown ack policy", () => simulate({ ...kvConfig(), protocol: primaryBackup, config: { copies: 1, ack: "quorum" } } as never), /config\.ack: unknown value "quorum"/],
    ["an unknown key distribution (workload)", () => simulate(kvConfig({ workload: { ...w, keys: { count: 10, distribution: "hotspot" as never } } })), /workload\.keys\.distribution: unknown value "hotspot"/],
    ["an unknown loop kind", () => simulate(kvConfig({ workload: { ...w, loop: "half-open" as never } })), /workload\.loop: unknown value "half-open"/],
    ["a mix that does not sum to 1", () => simulate(kvConfig({ workload: { ...w, mix: { read: 0.5, update: 0.6 } } })), /workload\.mix: proportions must sum to 1/],
    ["an open loop without a rate", () => simulate(kvConfig({ workload: { ...w, loop: "open" } })), /workload\.ratePerSec: must be a rate in \[0\.000001, 1000000\] operations per second per client/],
    ["network.links that is not a list", () => simulate(kvConfig({ network: { latency: { kind: "constant", value: 1 }, links: { from: "n1" } as never } })), /network\.links: must be a list of link overrides/],
    ["a null entry in network.links", () => simulate(kvConfig({ network: { latency: { kind: "constant", value: 1 }, links: [null as never] } })), /network\.links\[0\]: must be a link override object, got null/],
    ["an open-loop rate of Number.MIN_VALUE", () => simulate(kvConfig({ workload: { ...w, loop: "open", ratePerSec: Number.MIN_VALUE } })), /workload\.ratePerSec: must be a rate in/],
    ["an open-loop rate of a billion per second", () => simulate(kvConfig({ workload: { ...w, loop: "open", ratePerSec: 1e9 } })), /workload\.ratePerSec: must be a rate in/],
    ["an fsync interval of 5e-324 ms", () => simulate(kvConfig({ storage: { fsync: { kind: "interval", everyMs: 5e-324 } } })), /storage\.fsync\.everyMs: must be ≥ 0\.001/],
    ["an OS flush interval of 1e-9 ms", () => simulate(kvConfig({ storage: { fsync: { kind: "never", osFlushMs: 1e-9 } } })), /storage\.fsync\.osFlushMs: must be ≥ 0\.001/],
    ["a client timeout of 1e-6 ms", () => simulate(kvConfig({ workload: { ...w, timeoutMs: 1e-6 } })), /workload\.timeoutMs: must be ≥ 0\.001/],
    ["3 nodes with 5,000 clients", () => simulate(kvConfig({ nodes: 3, workload: { ...w, clients: 5000 } })), /workload\.clients: is 5000, more than the 250 endpoints a run can hold.*Fix: use at most 250 nodes plus clients/],
    ["3 nodes with 249 clients (over 250 endpoints)", () => simulate(kvConfig({ nodes: 3, workload: { ...w, clients: 249 } })), /workload\.clients: 3 nodes and 249 clients make 252 endpoints.*Fix: use at most 247 clients/],
    ["a normal client latency with 250 endpoints", () => simulate(kvConfig({ nodes: 1, network: { latency: { kind: "constant", value: 1 }, clientLatency: { kind: "normal", mean: 3, sd: 1 } }, workload: { ...w, clients: 249 } })), /network\.clientLatency: is \(or mixes in\) a normal distribution.*250 endpoints make 62500.*Fix: use a normal latency with at most 100/],
    ["20,000 nodes", () => simulate(kvConfig({ nodes: 20_000 })), /nodes: must be in \[1, 250\]/],
    ["recordStates that is not a boolean", () => simulate(kvConfig({ recordStates: "yes" as never })), /recordStates: must be true or false, got "yes"/],
    ["a typo'd top-level option, with a did-you-mean", () => simulate({ ...kvConfig(), fault: [] } as never), /^fault: unknown option "fault"\. Fix: did you mean "faults"\?/],
    ["a top-level option in the wrong case", () => simulate({ ...kvConfig(), DurationMS: 5 } as never), /DurationMS: unknown option.*did you mean "durationMs"/],
    ["an unknown network option", () => simulate(kvConfig({ network: { latency: { kind: "constant", value: 1 }, los: 0.1 } as never })), /network\.los: unknown option "los"\. Fix: did you mean "loss"\?/],
    ["an unknown link override option", () => simulate(kvConfig({ network: { latency: { kind: "constant", value: 1 }, links: [{ from: "n1", to: "*", latncy: { kind: "constant", value: 2 } } as never] } })), /network\.links\[0\]\.latncy: unknown option.*did you mean "latency"/],
    ["an unknown distribution option", () => simulate(kvConfig({ network: { latency: { kind: "uniform", min: 1, max: 2, median: 3 } as never } })), /network\.latency\.median: unknown option "median"\. Fix: the options of network\.latency are "kind", "min", "max"/],
    ["an unknown storage option", () => simulate(kvConfig({ storage: { fsync: { kind: "always" }, fsynclatency: { kind: "constant", value: 1 } } as never })), /storage\.fsynclatency: unknown option.*did you mean "fsyncLatency"/],
    ["an unknown fsync option", () => simulate(kvConfig({ storage: { fsync: { kind: "interval", every: 5 } as never } })), /storage\.fsync\.every: unknown option.*did you mean "everyMs"/],
    ["an unknown workload option", () => simulate(kvConfig({ workload: { ...w, client: 3 } as never })), /workload\.client: unknown option.*did you mean "clients"/],
    ["an unknown mix option", () => simulate(kvConfig({ workload: { ...w, mix: { read: 0.5, updates: 0.5 } as never } })), /workload\.mix\.updates: unknown option.*did you mean "update"/],
    ["an unknown key-spec option", () => simulate(kvConfig({ workload: { ...w, keys: { count: 10, distribution: "zipfian", teta: 0.9 } as never } })), /workload\.keys\.teta: unknown option.*did you mean "theta"/],
    ["an unknown route option", () => simulate(kvConfig({ workload: { ...w, route: { reads: "random" } as never } })), /workload\.route\.reads: unknown option.*did you mean "read"/],
    ["an unknown fault option", () => simulate(kvConfig({ faults: [{ kind: "crash", at: 10, node: "n1", nod: "n1" } as never] })), /faults\[0\]\.nod: unknown option.*did you mean "node"/],
    ["a fault option of another kind", () => simulate(kvConfig({ faults: [{ kind: "crash", at: 10, node: "n1", skewMs: 5 } as never] })), /faults\[0\]\.skewMs: unknown option "skewMs"\. Fix: the options of faults\[0\] are "kind", "at", "node"/],
    ["a oneWay that is not a boolean", () => simulate(kvConfig({ faults: [{ kind: "partition", at: 10, groups: [["n1"]], oneWay: 1 } as never] })), /faults\[0\]\.oneWay: must be true or false/],
    ["storageByNode with a replaced prototype (a __proto__: key)", () => simulate(kvConfig({ nodes: ["__proto__", "n2"], storageByNode: { __proto__: { fsync: { kind: "never" } } } as never })), /storageByNode: must be a plain object/],
    ["an unknown route target", () => simulate(kvConfig({ workload: { ...w, route: { read: "n4" } } })), /workload\.route\.read: unknown node "n4"/],
    ["a zero timeout", () => simulate(kvConfig({ workload: { ...w, timeoutMs: 0 } })), /workload\.timeoutMs: must be ≥/],
    ["an unknown fsync policy", () => simulate(kvConfig({ storage: { fsync: { kind: "sometimes" } as never } })), /storage\.fsync\.kind: unknown fsync policy "sometimes"/],
    ["a non-integer seed", () => simulate(kvConfig({ seed: 1.5 })), /seed: must be a whole number/],
    ["a negative duration", () => simulate(kvConfig({ durationMs: -1 })), /durationMs: must be ≥/],
    ["a node id that looks like a client", () => simulate(kvConfig({ nodes: ["n1", "c1"] })), /nodes\[1\]: "c1" looks like a client id/],
    ["a per-link override naming an unknown node", () => simulate(kvConfig({ network: { latency: { kind: "constant", value: 1 }, links: [{ from: "n1", to: "n8" }] } })), /network\.links\[0\]\.to: unknown node or client "n8"/],
  ];
  it("a typo far from every option gets the list of options, not a guess", () => {
    expect(() => simulate({ ...kvConfig(), zzzzzz: 1 } as never)).to.throw(ConfigError, /^zzzzzz: unknown option "zzzzzz"\. Fix: the options are "seed", "nodes"/);
  });

  for (const [name, run, re] of cases) {
    it(name, () => {
      expect(run).to.throw(ConfigError, re);
      try {
        run();
      } catch (e) {
        expect((e as ConfigError).message).to.match(/Fix: /);
      }
    });
  }
});

describe("node ids that are also names on Object.prototype", () => {
  for (const id of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
    it(`a node called ${JSON.stringify(id)} runs, with and without storageByNode`, () => {
      const nodes = [id, "n2"];
      const w = kvConfig().workload!;
      const plain = simulate(kvConfig({ nodes, workload: { ...w, route: { read: id, write: id } } }));
      expect(plain.history.some((o) => o.type === "ok")).to.equal(true);
      // Its own entry is used; the other node falls back to `storage`, never to a prototype's field.
      const byNode = Object.fromEntries([[id, { fsync: { kind: "never" } }]]) as never;
      const run = simulate(kvConfig({ nodes, storageByNode: byNode, workload: { ...w, route: { read: "n2", write: "n2" } } }));
      expect(run.history.some((o) => o.type === "ok")).to.equal(true);
      const other = simulate(kvConfig({ nodes, storageByNode: { n2: { fsync: { kind: "never" } } }, workload: { ...w, route: { read: id, write: id } } }));
      expect(other.history.some((o) => o.type === "ok")).to.equal(true);
    });
  }
});

describe("runs that would stop virtual time end early with an error naming maxEvents", () => {
  /** A protocol that sets a timer of `periodMs` forever: a heartbeat with a tiny period. */
  const ticker = (periodMs: number): Protocol<null, unknown> => ({
    name: "ticker",
    init(_ctx, out) { out.setTimer("tick", periodMs); return null; },
    onMessage(s) { return s; },
    onTimer(s, _name, out) { out.setTimer("tick", periodMs); return s; },
  });
  const base = { seed: 1, nodes: 1, config: {}, network: { latency: { kind: "constant", value: 1 } }, durationMs: 1000 } as const;

  it("a 1e-9 ms heartbeat stops within seconds with the stalled-time error", () => {
    const t0 = performance.now();
    expect(() => simulate({ ...base, protocol: ticker(1e-9) })).to.throw(ConfigError, /^maxEvents: virtual time has almost stopped: 65536 events in a row.*Fix: make every period and timeout at least 0\.001 ms/);
    expect(performance.now() - t0).to.be.below(10_000);
  });

  it("a zero-delay timer loop stops the same way", () => {
    expect(() => simulate({ ...base, protocol: ticker(0) })).to.throw(ConfigError, /virtual time has almost stopped/);
  });

  it("a busy but moving run stops at maxEvents with a message naming it and the likely causes", () => {
    expect(() => simulate({ ...base, protocol: ticker(0.01), maxEvents: 5000 })).to.throw(ConfigError, /^maxEvents: the run passed 5000 events at [\d.]+ ms of its 1000 ms; likely a protocol loop, a period or timeout near 0.*Fix: raise maxEvents/);
  });

  it("the largest cluster accepted (250 endpoints) builds and runs in well under the fuzz guard", () => {
    const w = kvConfig().workload!;
    const t0 = performance.now();
    simulate(kvConfig({ nodes: 10, workload: { ...w, clients: 240 }, durationMs: 20 }));
    expect(performance.now() - t0).to.be.below(2000);
  });

  it("a period at the bound runs to the end", () => {
    const run = simulate({ ...base, protocol: ticker(0.01), durationMs: 50 });
    expect(run.events).to.be.greaterThan(4000);
  });
});
