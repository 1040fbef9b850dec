/**
 * Network cost: messages and bytes per client operation, from the trace.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import type { History } from "../history/types.js";
import type { Trace } from "../sim/trace.js";

/** Traffic of a run. */
export type TrafficSummary = {
  /** Messages sent (node↔node and client↔node). */
  readonly messages: number;
  readonly bytes: number;
  /** Messages between nodes only: the price of replication. */
  readonly replicationMessages: number;
  readonly replicationBytes: number;
  /** Client operations invoked. */
  readonly ops: number;
  readonly messagesPerOp: number;
  readonly bytesPerOp: number;
  readonly replicationMessagesPerOp: number;
  /** Messages lost to the network, partitions and crashed nodes. */
  readonly dropped: number;
};

/** Counts messages and bytes, overall and per client op. Pure. */
export function traffic(trace: Trace, history: History, isClient: (id: string) => boolean = (id) => id.startsWith("c")): TrafficSummary {
  let messages = 0;
  let bytes = 0;
  let rm = 0;
  let rb = 0;
  let dropped = 0;
  for (const e of trace) {
    if (e.type === "send") {
      messages++;
      bytes += e.bytes;
      if (!isClient(e.src) && !isClient(e.dest)) {
        rm++;
        rb += e.bytes;
      }
    } else if (e.type === "drop") dropped++;
  }
  const ops = history.filter((o) => o.type === "invoke").length;
  const per = (x: number): number => (ops === 0 ? 0 : x / ops);
  return { messages, bytes, replicationMessages: rm, replicationBytes: rb, ops, messagesPerOp: per(messages), bytesPerOp: per(bytes), replicationMessagesPerOp: per(rm), dropped };
}
