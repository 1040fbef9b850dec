/**
 * A change-data-capture pipeline in the simulator: a single-leader database on every node
 * but the last (the protocol of notebook 03, unchanged), and a CDC consumer on the last node
 * that follows the leader's log (lib/cdc/consumer.ts). The leader serves the consumer's two
 * requests from its own state, as a database serves a log reader: `cdc_snapshot` (its
 * key-value state and the log position it is at) and `cdc_poll` (one partition's changes
 * from a position).
 *
 * The source nodes run `singleLeader`'s handlers with a view of the cluster that leaves the
 * consumer out, so the source replicates among its own nodes only. Clients write to `n1`
 * (the leader; failover is not this pipeline's topic). Crashes of the consumer are ordinary
 * faults of the schedule.
 *
 * Introduced in notebooks/01.01-Many-Servers.ipynb.
 */
import { hash32 } from "../sim/hash.js";
import type { BootContext, Body, Effects, Message, Protocol } from "../sim/protocol.js";
import type { NodeId } from "../sim/trace.js";
import { singleLeader } from "../protocols/singleLeader/protocol.js";
import type { SingleLeaderConfig } from "../protocols/singleLeader/config.js";
import { entryOf, singleLeaderContents, singleLeaderLogLength, type SingleLeaderState } from "../protocols/singleLeader/state.js";
import { messageSize } from "../protocols/shared/messageSize.js";
import { replyType } from "../protocols/shared/messages.js";
import { CDC_SOURCE_DEFAULT, cdcRoles, consumerSettings, validateCdc, type CdcConfig } from "./config.js";
import { bootConsumer, changesFrom, consumerOnMessage, consumerOnTimer, partitionOf, type ConsumerState } from "./consumer.js";

/** A source node: its single-leader state. */
export interface SourceState {
  readonly role: "source";
  readonly inner: SingleLeaderState;
}

/** One node of a CDC pipeline: a source node or the consumer. */
export type CdcNodeState = SourceState | ConsumerState;

/** The effects a source node's single-leader handlers see: the cluster without the consumer, and the source's own settings. */
function sourceView(out: Effects<CdcConfig>): Effects<SingleLeaderConfig> {
  const nodes = cdcRoles(out.nodes).source;
  return {
    config: out.config.source ?? CDC_SOURCE_DEFAULT,
    self: out.self,
    nodes,
    get now() {
      return out.now;
    },
    send: (dest: NodeId, body: Body) => out.send(dest, body),
    reply: (request: Message, body: Body) => out.reply(request, body),
    setTimer: (name: string, delayMs: number) => out.setTimer(name, delayMs),
    cancelTimer: (name: string) => out.cancelTimer(name),
    persist: (entry: unknown) => out.persist(entry),
    note: (kind, fields) => out.note(kind, fields),
    random: () => out.random(),
  };
}

/** The leader answers the consumer from its state: the snapshot, or one partition's changes. */
function serveConsumer(s: SourceState, msg: Message, out: Effects<CdcConfig>): void {
  const inner = s.inner;
  const length = singleLeaderLogLength(inner);
  if (msg.body.type === "cdc_snapshot") {
    out.reply(msg, { type: replyType("cdc_snapshot"), kv: [...inner.kv.entries()], offset: length });
    return;
  }
  const partitions = consumerSettings(out.config).partitions;
  const { entries, next } = changesFrom(
    length, (i) => entryOf(inner, i), msg.body.partition as number, (k) => partitionOf(k, partitions, hash32), msg.body.from as number, msg.body.max as number,
  );
  out.reply(msg, { type: replyType("cdc_poll"), partition: msg.body.partition, from: msg.body.from, next, entries });
}

/** A CDC pipeline: a single-leader source and a consumer rebuilding a copy (see the module comment). */
export const cdcPipeline: Protocol<CdcNodeState, CdcConfig> = {
  name: "cdc",

  validate: validateCdc,

  init(ctx: BootContext<CdcConfig>, out: Effects<CdcConfig>): CdcNodeState {
    const { source, consumer } = cdcRoles(ctx.nodes);
    if (ctx.self === consumer) return bootConsumer(ctx.self, source[0], consumerSettings(ctx.config), ctx.durable, ctx.restarted, out);
    const view = sourceView(out);
    const inner = singleLeader.init({ self: ctx.self, nodes: source, config: view.config, durable: ctx.durable, restarted: ctx.restarted }, view);
    return { role: "source", inner };
  },

  onMessage(s: CdcNodeState, msg: Message, out: Effects<CdcConfig>): CdcNodeState {
    if (s.role === "consumer") return consumerOnMessage(s, msg, out);
    if (msg.body.type === "cdc_snapshot" || msg.body.type === "cdc_poll") {
      // Only the leader holds the log the consumer follows; a follower does not answer.
      if (s.inner.role === "leader") serveConsumer(s, msg, out);
      return s;
    }
    return { role: "source", inner: singleLeader.onMessage(s.inner, msg, sourceView(out)) };
  },

  onTimer(s: CdcNodeState, name: string, out: Effects<CdcConfig>): CdcNodeState {
    if (s.role === "consumer") return consumerOnTimer(s, name, out);
    return { role: "source", inner: singleLeader.onTimer!(s.inner, name, sourceView(out)) };
  },

  onPersisted(s: CdcNodeState, written: number, out: Effects<CdcConfig>, last: unknown): CdcNodeState {
    if (s.role === "consumer") return s;
    return { role: "source", inner: singleLeader.onPersisted!(s.inner, written, sourceView(out), last) };
  },

  // The source's followers apply what they wrote when the engine says so (at once, or after
  // an apply stage in SimConfig.capacity): forward it, or they would never apply anything.
  onApplied(s: CdcNodeState, applied: number, out: Effects<CdcConfig>): CdcNodeState {
    if (s.role === "consumer") return s;
    return { role: "source", inner: singleLeader.onApplied!(s.inner, applied, sourceView(out)) };
  },

  workOf: (body) => singleLeader.workOf!(body),
  recordWorkOf: (record) => singleLeader.recordWorkOf!(record),

  contents(s: CdcNodeState): ReadonlyMap<string, readonly number[]> {
    if (s.role === "source") return singleLeaderContents(s.inner);
    return new Map([...s.copy.entries()].map(([k, v]) => [k, [v]]));
  },

  sizeOf: messageSize,
};
