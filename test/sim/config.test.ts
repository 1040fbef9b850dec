import { expect } from "chai";
import { simulate } from "../../lib/sim/engine.js";
import { ConfigError } from "../../lib/errors.js";
import { primaryBackup } from "../../lib/protocols/primaryBackup.js";
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
    ["an open loop without a rate", () => simulate(kvConfig({ workload: { ...w, loop: "open" } })), /workload\.ratePerSec: must be a finite number/],
    ["an unknown route target", () => simulate(kvConfig({ workload: { ...w, route: { read: "n4" } } })), /workload\.route\.read: unknown node "n4"/],
    ["a zero timeout", () => simulate(kvConfig({ workload: { ...w, timeoutMs: 0 } })), /workload\.timeoutMs: must be ≥/],
    ["an unknown fsync policy", () => simulate(kvConfig({ storage: { fsync: { kind: "sometimes" } as never } })), /storage\.fsync\.kind: unknown fsync policy "sometimes"/],
    ["a non-integer seed", () => simulate(kvConfig({ seed: 1.5 })), /seed: must be a whole number/],
    ["a negative duration", () => simulate(kvConfig({ durationMs: -1 })), /durationMs: must be ≥/],
    ["a node id that looks like a client", () => simulate(kvConfig({ nodes: ["n1", "c1"] })), /nodes\[1\]: "c1" looks like a client id/],
    ["a per-link override naming an unknown node", () => simulate(kvConfig({ network: { latency: { kind: "constant", value: 1 }, links: [{ from: "n1", to: "n8" }] } })), /network\.links\[0\]\.to: unknown node or client "n8"/],
  ];
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
