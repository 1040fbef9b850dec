/**
 * The modelled size of a message, for the network-cost metrics: a fixed header plus a fixed
 * amount per key-value pair it carries, so catch-up and anti-entropy traffic shows in bytes.
 *
 * Use as a protocol's `sizeOf`: `sizeOf: messageSize` (counts `entries`, `kv`, `versions`).
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import type { Body } from "../../sim/protocol.js";

/** Bytes of a message header (addresses, type, ids). */
export const HEADER_BYTES = 64;
/** Bytes per key-value pair carried. */
export const PAIR_BYTES = 40;

/** Modelled bytes of `body`: a header plus PAIR_BYTES per element of its `entries`, `kv` or `versions` list. Pure. */
export function messageSize(body: Body): number {
  const list = Array.isArray(body.entries) ? body.entries : Array.isArray(body.kv) ? body.kv : Array.isArray(body.versions) ? body.versions : null;
  return HEADER_BYTES + PAIR_BYTES * (list === null ? 0 : list.length);
}
