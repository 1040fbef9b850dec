/**
 * The Maelstrom error codes the replica set answers clients with, by name.
 * TODO(shared): replace with the shared error-code table (lib/protocols/shared/errorCodes)
 * once it lands; the codes and their definite/indefinite meaning are Maelstrom's.
 * Introduced in notebooks/06.00-Replica-Sets.ipynb.
 */

/** Maelstrom error codes (https://github.com/jepsen-io/maelstrom/blob/main/doc/protocol.md#errors). */
export const ErrorCode = {
  /** Indefinite: the request timed out; it may or may not have happened (a wtimeout). */
  timeout: 0,
  /** Definite: this node does not support the operation. */
  notSupported: 10,
  /** Definite: the operation did not happen (not primary, no majority for a linearizable read). */
  temporarilyUnavailable: 11,
  /** Indefinite: the node lost its role while the operation waited (it may survive). */
  crash: 13,
} as const;
