import { expect } from "chai";
import fc from "fast-check";
import { prefixHeldBy, settleWaiting } from "../../lib/protocols/shared/ackedPrefix.js";
import { planCatchUp } from "../../lib/protocols/shared/catchUp.js";
import { DEFINITE_ERRORS, ERROR, errorBody, isDefiniteError } from "../../lib/protocols/shared/errorCodes.js";
import { forwardBody, unwrapForward } from "../../lib/protocols/shared/forwarding.js";
import { isFromClient, replyType } from "../../lib/protocols/shared/messages.js";
import { messageSize } from "../../lib/protocols/shared/messageSize.js";
import { withDefaults } from "../../lib/protocols/shared/settings.js";
import { holdings } from "../../lib/protocols/shared/snapshotLog.js";
import type { Message } from "../../lib/sim/protocol.js";

describe("shared replication mechanisms (lib/protocols/shared)", () => {
  it("prefixHeldBy is the longest prefix at least `needed` copies hold: the needed-th largest position (checked against counting holders, 500 random cases)", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(40), { minLength: 1, maxLength: 70 }), fc.nat(80), (positions, k) => {
        const needed = 1 + (k % positions.length);
        // The definition, directly: the largest p that `needed` copies reach.
        let expected = 0;
        for (const p of positions) if (positions.filter((q) => q >= p).length >= needed && p > expected) expected = p;
        const copy = positions.slice();
        expect(prefixHeldBy(positions, needed)).to.equal(expected);
        expect(positions, "input untouched").to.deep.equal(copy);
      }),
      { numRuns: 500, seed: 12 },
    );
  });

  it("prefixHeldBy asks for none or too many: 0", () => {
    expect(prefixHeldBy([3, 4], 0)).to.equal(0);
    expect(prefixHeldBy([3, 4], 3)).to.equal(0);
  });

  it("settleWaiting answers, oldest first, exactly the writes below the prefix", () => {
    const req = (i: number): Message => ({ src: "c1", dest: "n1", body: { type: "write", msg_id: i } });
    const waiting = [0, 1, 2, 3].map((index) => ({ index, request: req(index) }));
    const answered: number[] = [];
    const rest = settleWaiting(waiting, 2, (w) => answered.push(w.index));
    expect(answered).to.deep.equal([0, 1]);
    expect(rest.map((w) => w.index)).to.deep.equal([2, 3]);
    expect(settleWaiting(waiting, 0, () => expect.fail("none due"))).to.equal(waiting);
  });

  it("planCatchUp sends a snapshot when the entries are gone or a snapshot is preferred, else the next batch up to the end", () => {
    const at = { base: 10, snapshotIndex: 20, batchSize: 5, end: 32 };
    expect(planCatchUp({ ...at, from: 8, preferSnapshot: false }).kind).to.equal("snapshot");
    expect(planCatchUp({ ...at, from: 15, preferSnapshot: true }).kind).to.equal("snapshot");
    expect(planCatchUp({ ...at, from: 15, preferSnapshot: false })).to.deep.equal({ kind: "entries", from: 15, to: 20 });
    expect(planCatchUp({ ...at, from: 30, preferSnapshot: true })).to.deep.equal({ kind: "entries", from: 30, to: 32 });
    expect(planCatchUp({ ...at, from: 32, preferSnapshot: false })).to.deep.equal({ kind: "entries", from: 32, to: 32 });
  });

  it("names Maelstrom's error codes (doc/protocol.md) and calls all but timeout and crash definite", () => {
    expect(ERROR).to.deep.equal({
      timeout: 0, nodeNotFound: 1, notSupported: 10, temporarilyUnavailable: 11, malformedRequest: 12, crash: 13, abort: 14,
      keyDoesNotExist: 20, keyAlreadyExists: 21, preconditionFailed: 22, txnConflict: 30,
    });
    expect([...DEFINITE_ERRORS].sort((a, b) => a - b)).to.deep.equal([1, 10, 11, 12, 14, 20, 21, 22, 30]);
    expect(isDefiniteError(0) || isDefiniteError(13) || isDefiniteError(99)).to.equal(false);
    expect(errorBody(ERROR.abort, "no", { leader: "n2" })).to.deep.equal({ type: "error", code: 14, text: "no", leader: "n2" });
  });

  it("tells a client's message from a node's by its sender, whatever the sender is called", () => {
    const nodes = ["c1", "n2"]; // a node may be called c1: the sender's membership decides, not its name
    expect(isFromClient({ src: "c1", dest: "n2", body: { type: "read" } }, nodes)).to.equal(false);
    expect(isFromClient({ src: "c2", dest: "n2", body: { type: "read" } }, nodes)).to.equal(true);
    expect(replyType("append")).to.equal("append_ok");
  });

  it("a forwarded request unwraps to the client's own request", () => {
    const req: Message = { src: "c3", dest: "n2", body: { type: "write", key: "k", value: 1, msg_id: 7 } };
    const fwd: Message = { src: "n2", dest: "n1", body: forwardBody(req, { epoch: 4 }) };
    expect(fwd.body.epoch).to.equal(4);
    expect(unwrapForward(fwd, "n1")).to.deep.equal({ src: "c3", dest: "n1", body: req.body });
  });

  it("withDefaults takes every given setting and the default of every other", () => {
    expect(withDefaults({ a: 1, b: "x", c: false }, { b: "y", c: undefined })).to.deep.equal({ a: 1, b: "y", c: false });
  });

  it("holdings lists every value present per key once, the current one first", () => {
    const m = holdings([["k", 3]], [{ key: "k", value: 1 }, { key: "k", value: 3 }, { key: "j", value: 2 }]);
    expect([...m]).to.deep.equal([["k", [3, 1]], ["j", [2]]]);
  });

  it("messageSize counts the pairs a message carries", () => {
    expect(messageSize({ type: "x" })).to.equal(64);
    expect(messageSize({ type: "x", entries: [1, 2] })).to.equal(144);
    expect(messageSize({ type: "x", versions: [1] })).to.equal(104);
  });
});
