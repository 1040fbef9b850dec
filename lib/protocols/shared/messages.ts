/**
 * Maelstrom's message vocabulary between nodes, and telling a client's message from a node's.
 *
 * Every node-to-node request carries `msg_id` (a per-node counter kept in the node's state);
 * a reply carries `in_reply_to` (filled in by `out.reply`) and its type is the request's plus
 * `_ok` (`replyType`). A message comes from a client exactly when its sender is not one of
 * the cluster's nodes (`isFromClient`): one test, by sender, for every protocol.
 *
 * Use: `const [body, nextId] = request("catchup", s.msgId, { from })`, then
 * `out.send(peer, body)` and store `nextId`; answer with `out.reply(msg, { type: replyType(msg.body.type), ... })`.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import type { Body, Message } from "../../sim/protocol.js";
import type { NodeId } from "../../sim/trace.js";

/** The type of the reply to a request of type `type`: Maelstrom's `type + "_ok"`. Pure. */
export function replyType(type: string): string {
  return `${type}_ok`;
}

/** Whether `msg` comes from a client rather than from one of `nodes`. Pure. */
export function isFromClient(msg: Message, nodes: readonly NodeId[]): boolean {
  return !nodes.includes(msg.src);
}

/** A request body `{ type, msg_id, ...fields }` and the next message id to use. Pure. */
export function request(type: string, msgId: number, fields: Readonly<Record<string, unknown>>): [Body, number] {
  return [{ type, msg_id: msgId, ...fields }, msgId + 1];
}
