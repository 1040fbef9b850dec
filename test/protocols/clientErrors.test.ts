import { expect } from "chai";
import { simulate } from "../../lib/sim/engine.js";
import type { Protocol } from "../../lib/sim/protocol.js";
import { ERROR } from "../../lib/protocols/shared/errorCodes.js";

/** A node that answers every request with the error `code`. */
const refuser: Protocol<null, { code: number }> = {
  name: "refuser",
  init: () => null,
  onMessage(s, msg, out) {
    out.reply(msg, { type: "error", code: out.config.code, text: "refused" });
    return s;
  },
};

function outcomes(code: number): string[] {
  const run = simulate({
    seed: 1, nodes: 1, protocol: refuser, config: { code }, network: { latency: { kind: "constant", value: 1 } },
    workload: { clients: 1, loop: "closed", mix: { read: 0.5, update: 0.5 }, keys: { count: 3, distribution: "uniform" }, timeoutMs: 50, stopMs: 100 },
    durationMs: 200,
  });
  return [...new Set(run.history.filter((op) => op.type !== "invoke").map((op) => op.type))];
}

describe("clients read Maelstrom's error codes from the shared table (doc/protocol.md)", () => {
  for (const [name, code] of Object.entries(ERROR)) {
    const definite = code !== ERROR.timeout && code !== ERROR.crash;
    it(`records error ${code} (${name}) as ${definite ? "fail: it certainly did not happen" : "info: it may have happened"}`, () => {
      expect(outcomes(code)).to.deep.equal([definite ? "fail" : "info"]);
    });
  }
});
