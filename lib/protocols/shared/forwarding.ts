/**
 * Request forwarding: a node that cannot serve a client's request itself passes it on to a
 * node that can (the leader; one of a key's replicas), which answers the client directly.
 * A forwarded request is never forwarded again, so two nodes with stale views cannot bounce
 * it back and forth.
 *
 * Use: `out.send(to, forwardBody(msg, { epoch }))` on the way out; on a `forward` message,
 * `const req = unwrapForward(msg, s.self)` and handle `req` as if the client had sent it
 * (with the protocol's "already forwarded" flag set).
 *
 * Introduced in notebooks/03.00-Single-Leader-Replication.ipynb.
 */
import type { Body, Message } from "../../sim/protocol.js";
import type { NodeId } from "../../sim/trace.js";

/** The `forward` body passing client request `req` on; `extra` adds protocol fields (e.g. an epoch). Pure. */
export function forwardBody(req: Message, extra?: Readonly<Record<string, unknown>>): Body {
  return extra === undefined ? { type: "forward", client: req.src, request: req.body } : { type: "forward", ...extra, client: req.src, request: req.body };
}

/** The client request a `forward` message carries, as if the client had sent it to `self`. Pure. */
export function unwrapForward(msg: Message, self: NodeId): Message {
  return { src: msg.body.client as NodeId, dest: self, body: msg.body.request as Body };
}
