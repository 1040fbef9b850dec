/** Small protocols and configs shared by the simulator's tests. */
import type { Protocol } from "../../lib/sim/protocol.js";
import type { SimConfig } from "../../lib/sim/config.js";

/**
 * A single-copy key-value store: every node answers reads and writes from its own map,
 * persists each write and replies once it is on disk. Enough to test the engine alone.
 */
export interface KvState {
  readonly kv: Readonly<Record<string, number>>;
  readonly waiting: readonly { readonly wal: number; readonly src: string; readonly msgId: number }[];
  readonly wal: number;
  readonly booted: number;
}

export const localKv: Protocol<KvState, { replyBeforeDisk?: boolean }> = {
  name: "local-kv",
  init(ctx) {
    const kv: Record<string, number> = {};
    for (const e of ctx.durable as { key: string; value: number }[]) kv[e.key] = e.value;
    return { kv, waiting: [], wal: ctx.durable.length, booted: ctx.restarted ? 1 : 0 };
  },
  onMessage(s, msg, out) {
    const b = msg.body;
    if (b.type === "read") {
      out.reply(msg, { type: "read_ok", value: s.kv[b.key as string] ?? null });
      return s;
    }
    if (b.type === "write") {
      out.persist({ key: b.key, value: b.value });
      out.note("commit", { key: b.key as string, value: b.value as number });
      const kv = { ...s.kv, [b.key as string]: b.value as number };
      if (out.config.replyBeforeDisk) {
        out.reply(msg, { type: "write_ok" });
        return { ...s, kv, wal: s.wal + 1 };
      }
      return { ...s, kv, wal: s.wal + 1, waiting: [...s.waiting, { wal: s.wal + 1, src: msg.src, msgId: b.msg_id! }] };
    }
    if (b.type === "ping") {
      out.reply(msg, { type: "pong", at: out.now });
      return s;
    }
    return s;
  },
  onPersisted(s, written, out) {
    const done = s.waiting.filter((w) => w.wal <= written);
    for (const w of done) out.send(w.src, { type: "write_ok", in_reply_to: w.msgId });
    return done.length ? { ...s, waiting: s.waiting.filter((w) => w.wal > written) } : s;
  },
  onTimer(s, name, out) {
    out.note("tick", { data: { name, now: out.now } });
    return s;
  },
  contents(s) {
    return new Map(Object.entries(s.kv).map(([k, v]) => [k, [v]]));
  },
};

/** A small, busy config of the local store; override any field. */
export function kvConfig(over: Partial<SimConfig<KvState, { replyBeforeDisk?: boolean }>> = {}): SimConfig<KvState, { replyBeforeDisk?: boolean }> {
  return {
    seed: 1,
    nodes: 1,
    protocol: localKv,
    config: {},
    network: { latency: { kind: "uniform", min: 0.5, max: 1.5 } },
    storage: { fsync: { kind: "always" }, fsyncLatency: { kind: "constant", value: 1 } },
    workload: { clients: 3, loop: "closed", mix: { read: 0.5, update: 0.5 }, keys: { count: 10, distribution: "uniform" }, timeoutMs: 50 },
    durationMs: 500,
    ...over,
  };
}
