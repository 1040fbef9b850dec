/**
 * Telling client requests from node messages, and passing a client's request on to another
 * member (the member answers the client directly).
 * TODO(shared): replace with the shared request-forwarding module
 * (lib/protocols/shared/forwarding) once it lands.
 * Introduced in notebooks/06.00-Replica-Sets.ipynb.
 */
import type { Body, Effects, Message } from "../../sim/protocol.js";
import type { NodeId } from "../../sim/trace.js";

/** Whether `id` names a client (`c1`, `c2`, ...) rather than a node. Pure. */
export function isClient(id: NodeId): boolean {
  return id.charCodeAt(0) === 99 /* c */ && id.length > 1 && id.charCodeAt(1) >= 48 && id.charCodeAt(1) <= 57;
}

/** Records sending `req` on to `to`, wrapped so that `to` can answer the client itself. Pure (records effects). */
export function forwardRequest(out: Effects<unknown>, to: NodeId, req: Message, extra: Record<string, unknown> = {}): void {
  out.send(to, { type: "forward", client: req.src, request: req.body, ...extra });
}

/** The client request a `forward` message carries, as if the client had sent it here. Pure. */
export function unwrapForward(self: NodeId, body: Body): Message {
  return { src: body.client as NodeId, dest: self, body: body.request as Body };
}
