import { expect } from "chai";
import { simulate } from "../../lib/sim/engine.js";
import { ycsbMix, loadYcsbWorkloads } from "../../lib/datasets/index.js";
import { primaryBackup } from "../../lib/protocols/primaryBackup.js";
import { ConfigError } from "../../lib/errors.js";

describe("YCSB core workloads A–F drive the simulator's clients (Cooper et al., SoCC 2010)", () => {
  for (const mix of loadYcsbWorkloads()) {
    it(`workload ${mix.workload} (${mix.name}): its mix and request distribution run, and reads come out in proportion`, () => {
      const run = simulate({
        seed: 3,
        nodes: 3,
        protocol: primaryBackup,
        config: { copies: 3, ack: "majority" },
        network: { latency: { kind: "constant", value: 0.5 }, fifo: true },
        workload: {
          clients: 4,
          loop: "closed",
          // A scan is issued as single-key reads one after another (scanLength of them).
          mix: { ...mix, scanLength: 5 },
          keys: { count: 200, distribution: mix.requestDistribution },
          timeoutMs: 50,
        },
        durationMs: 2000,
      });
      const inv = run.history.filter((o) => o.type === "invoke");
      expect(inv.length).to.be.greaterThan(1000);
      // Each logical op expands to: read 1 read; update/insert 1 write; rmw 1 read + 1 write; scan 5 reads.
      const reads = mix.read + mix.readModifyWrite + 5 * mix.scan;
      const writes = mix.update + mix.insert + mix.readModifyWrite;
      const expected = reads / (reads + writes);
      const got = inv.filter((o) => o.f === "read").length / inv.length;
      expect(Math.abs(got - expected), `read fraction ${got} vs ${expected}`).to.be.lessThan(4 * Math.sqrt((expected * (1 - expected)) / inv.length) + 0.01);
    });
  }

  it("names the field and the choices for an unknown workload", () => {
    expect(() => ycsbMix("G")).to.throw(ConfigError, /workload\.mix: unknown value "G".*"A", "B", "C", "D", "E", "F"/);
  });
});
