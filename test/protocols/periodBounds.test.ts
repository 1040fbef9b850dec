/**
 * Protocol periods are bounded below (lib/sim/limits.ts, MIN_PERIOD_MS): a heartbeat of 1e-9 ms
 * or a timeout of 5e-324 ms would stop virtual time, so validation refuses it, naming the field.
 */
import { expect } from "chai";
import { ConfigError } from "../../lib/errors.js";
import { primaryBackup } from "../../lib/protocols/primaryBackup.js";
import { leaderlessQuorum } from "../../lib/protocols/leaderless/index.js";
import { singleLeader } from "../../lib/protocols/singleLeader/index.js";
import { simulate } from "../../lib/sim/engine.js";
import type { Protocol } from "../../lib/sim/protocol.js";

function run(protocol: Protocol<unknown, unknown>, config: unknown): void {
  simulate({ seed: 1, nodes: 3, protocol, config, network: { latency: { kind: "constant", value: 1 } }, durationMs: 10 });
}

describe("protocol periods have a lower bound", () => {
  const cases: [string, Protocol<unknown, unknown>, Record<string, unknown>, string][] = [
    ["single-leader heartbeat", singleLeader as Protocol<unknown, unknown>, { mode: "async", heartbeatMs: 1e-9 }, "config.heartbeatMs"],
    ["single-leader failure timeout", singleLeader as Protocol<unknown, unknown>, { mode: "async", failureTimeoutMs: 5e-324 }, "config.failureTimeoutMs"],
    ["single-leader lease", singleLeader as Protocol<unknown, unknown>, { mode: "async", epochs: true, leases: true, leaseMs: 1e-6 }, "config.leaseMs"],
    ["single-leader shipping batch", singleLeader as Protocol<unknown, unknown>, { mode: "async", shipEveryMs: 1e-7 }, "config.shipEveryMs"],
    ["primary-backup shipping batch", primaryBackup as Protocol<unknown, unknown>, { copies: 3, ack: "one", shipEveryMs: 1e-7 }, "config.shipEveryMs"],
    ["quorum coordinator timeout", leaderlessQuorum as Protocol<unknown, unknown>, { n: 3, r: 2, w: 2, timeoutMs: 1e-6 }, "config.timeoutMs"],
    ["quorum anti-entropy period", leaderlessQuorum as Protocol<unknown, unknown>, { n: 3, r: 2, w: 2, antiEntropyEveryMs: 1e-6 }, "config.antiEntropyEveryMs"],
  ];
  for (const [what, protocol, config, field] of cases) {
    it(`refuses a ${what} below 0.001 ms, naming ${field}`, () => {
      let error: unknown;
      try {
        run(protocol, config);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as ConfigError).field).to.equal(field);
    });
  }

  it("still accepts 0 for a batching period that 0 switches off", () => {
    expect(() => run(singleLeader as Protocol<unknown, unknown>, { mode: "async", shipEveryMs: 0 })).not.to.throw();
  });
});
