/**
 * Maelstrom's vocabulary between nodes (jepsen-io/maelstrom, doc/protocol.md): a request
 * carries `msg_id`, a reply carries `in_reply_to` and its type is the request's plus `_ok`.
 * Checked over every golden run: each node-to-node `X_ok` answers an `X` with that msg_id sent
 * the other way, and every node-to-node request carries a msg_id no other request of its
 * sender used. The trace keeps message types only, so the bodies are recorded by wrapping
 * each protocol's effects (the engine fills `in_reply_to` from the request's msg_id).
 */
import { expect } from "chai";
import type { Body, Effects, Message, Protocol } from "../../lib/sim/protocol.js";
import { simulate } from "../../lib/sim/engine.js";
import { GOLDEN_RUNS } from "../golden/runs.js";

interface Sent {
  readonly src: string;
  readonly dest: string;
  readonly body: Body;
  /** How many times the sender had booted when it sent this (its msg_id counter is volatile, as a real process's). */
  readonly boot: number;
}

/** `protocol` with every message its nodes send recorded in `log`, bodies as sent. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function recording(protocol: Protocol<any, any>, log: Sent[]): Protocol<any, any> {
  const boots = new Map<string, number>();
  const wrap = (out: Effects, self: string): Effects =>
    new Proxy(out, {
      get(target, prop) {
        const boot = boots.get(self) ?? 0;
        if (prop === "send") return (to: string, body: Body) => (log.push({ src: self, dest: to, body: { ...body }, boot }), target.send(to, body));
        if (prop === "reply") return (req: Message, body: Body) => (log.push({ src: self, dest: req.src, body: { ...body, in_reply_to: req.body.msg_id }, boot }), target.reply(req, body));
        const v = Reflect.get(target, prop, target);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
  return {
    ...protocol,
    init: (ctx, out) => (boots.set(ctx.self, (boots.get(ctx.self) ?? 0) + 1), protocol.init(ctx, wrap(out, ctx.self))),
    onMessage: (s, msg, out) => protocol.onMessage(s, msg, wrap(out, msg.dest)),
    // The sender is `out.self`: a state need not carry its node's id (the CDC pipeline's does not).
    onTimer: protocol.onTimer && ((s, name, out) => protocol.onTimer!(s, name, wrap(out, out.self))),
    onPersisted: protocol.onPersisted && ((s, written, out, last) => protocol.onPersisted!(s, written, wrap(out, out.self), last)),
    onApplied: protocol.onApplied && ((s, applied, out) => protocol.onApplied!(s, applied, wrap(out, out.self))),
  };
}

/**
 * Every way the node-to-node messages of `log` (in send order) break Maelstrom's pairing, as
 * sentences: a request without msg_id, a msg_id used twice in one boot of its sender, an
 * `X_ok` without in_reply_to or whose in_reply_to names no earlier `X` sent the other way.
 */
function pairingProblems(log: readonly Sent[], nodes: readonly string[]): string[] {
  const between = log.filter((m) => nodes.includes(m.src) && nodes.includes(m.dest));
  const used = new Set<string>(); // `${src}|${boot}|${msg_id}`
  const asked = new Set<string>(); // `${src}|${msg_id}|${type}|${dest}`: requests sent so far, any boot
  const problems: string[] = [];
  for (const m of between) {
    if (m.body.msg_id !== undefined) {
      const key = `${m.src}|${m.boot}|${m.body.msg_id}`;
      if (used.has(key)) problems.push(`${m.src} used msg_id ${m.body.msg_id} twice in one boot`);
      used.add(key);
      asked.add(`${m.src}|${m.body.msg_id}|${m.body.type}|${m.dest}`);
    }
    const isOk = m.body.type.endsWith("_ok");
    if (!isOk && m.body.msg_id === undefined && m.body.in_reply_to === undefined) problems.push(`${m.src}→${m.dest} ${m.body.type} has no msg_id`);
    if (!isOk) continue;
    if (m.body.in_reply_to === undefined) {
      problems.push(`${m.src}→${m.dest} ${m.body.type} has no in_reply_to`);
      continue;
    }
    const request = `${m.dest}|${m.body.in_reply_to}|${m.body.type.slice(0, -"_ok".length)}|${m.src}`;
    if (!asked.has(request)) problems.push(`${m.src}→${m.dest} ${m.body.type} in_reply_to ${m.body.in_reply_to} answers no ${m.body.type.slice(0, -"_ok".length)} from ${m.dest}`);
  }
  return problems;
}

describe("node-to-node messages speak Maelstrom: X_ok answers an X with its msg_id (every golden run)", function () {
  this.timeout(60_000);
  for (const [name, config] of Object.entries(GOLDEN_RUNS)) {
    it(`${name}: every reply pairs with a request sent the other way`, () => {
      const log: Sent[] = [];
      const run = simulate({ ...config, protocol: recording(config.protocol, log) });
      const replies = log.filter((m) => run.nodes.includes(m.src) && run.nodes.includes(m.dest) && m.body.type.endsWith("_ok"));
      expect(replies.length, "the run has node-to-node replies to check").to.be.greaterThan(20);
      expect(pairingProblems(log, run.nodes).slice(0, 5)).to.deep.equal([]);
    });
  }

  it("finds an unpaired reply (the check can fail)", () => {
    const log: Sent[] = [
      { src: "n1", dest: "n2", body: { type: "replicate", msg_id: 0 }, boot: 1 },
      { src: "n2", dest: "n1", body: { type: "replicate_ok", in_reply_to: 0 }, boot: 1 },
      { src: "n2", dest: "n1", body: { type: "replicate_ok" }, boot: 1 },
      { src: "n2", dest: "n1", body: { type: "put_ok", in_reply_to: 0 }, boot: 1 },
      { src: "n1", dest: "n2", body: { type: "probe" }, boot: 1 },
      { src: "n1", dest: "n2", body: { type: "probe", msg_id: 0 }, boot: 1 },
      { src: "n1", dest: "n2", body: { type: "probe", msg_id: 0 }, boot: 2 },
    ];
    expect(pairingProblems(log, ["n1", "n2"])).to.deep.equal([
      "n2→n1 replicate_ok has no in_reply_to",
      "n2→n1 put_ok in_reply_to 0 answers no put from n1",
      "n1→n2 probe has no msg_id",
      "n1 used msg_id 0 twice in one boot",
    ]);
  });
});
