/**
 * Maelstrom's error codes, by name, and which of them are definite (the operation certainly
 * did not happen) — the one table every protocol replies with and every client reads.
 * Codes and meanings as in Maelstrom's protocol documentation (doc/protocol.md, "Errors").
 *
 * Use: `out.reply(req, errorBody(ERROR.temporarilyUnavailable, "not the leader", { leader }))`
 * in a protocol; `isDefiniteError(code)` in a client to record `fail` (definite) or `info`.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import type { Body } from "../../sim/protocol.js";

/** Maelstrom's error codes by name. */
export const ERROR = {
  /** The request timed out; it may or may not have happened (indefinite). */
  timeout: 0,
  /** The node a request was sent to does not exist (definite). */
  nodeNotFound: 1,
  /** The operation is not supported by this protocol (definite). */
  notSupported: 10,
  /** The node cannot serve now, e.g. it is not the leader; try again or elsewhere (definite). */
  temporarilyUnavailable: 11,
  /** The request is malformed (definite). */
  malformedRequest: 12,
  /** The node crashed or gave up while handling it; the outcome is unknown (indefinite). */
  crash: 13,
  /** The operation was aborted and did not happen (definite). */
  abort: 14,
  /** The key does not exist (definite). */
  keyDoesNotExist: 20,
  /** The key already exists (definite). */
  keyAlreadyExists: 21,
  /** A precondition (e.g. a compare-and-set's expected value) did not hold (definite). */
  preconditionFailed: 22,
  /** A transaction conflicted and was not applied (definite). */
  txnConflict: 30,
} as const;

/** One of Maelstrom's error codes. */
export type ErrorCode = (typeof ERROR)[keyof typeof ERROR];

/** The codes Maelstrom calls definite: the operation certainly did not take place. */
export const DEFINITE_ERRORS: ReadonlySet<number> = new Set<number>([
  ERROR.nodeNotFound, ERROR.notSupported, ERROR.temporarilyUnavailable, ERROR.malformedRequest,
  ERROR.abort, ERROR.keyDoesNotExist, ERROR.keyAlreadyExists, ERROR.preconditionFailed, ERROR.txnConflict,
]);

/** Whether an error with `code` means the operation certainly did not happen (unknown codes: no). Pure. */
export function isDefiniteError(code: number): boolean {
  return DEFINITE_ERRORS.has(code);
}

/** A Maelstrom error body `{ type: "error", code, text, ...extra }`. Pure. */
export function errorBody(code: ErrorCode, text: string, extra?: Readonly<Record<string, unknown>>): Body {
  return extra === undefined ? { type: "error", code, text } : { type: "error", code, text, ...extra };
}
