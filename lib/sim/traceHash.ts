/**
 * A fingerprint of a run: SHA-256 over its trace and history, so "same seed, same run"
 * can be checked (and shown in a notebook) in one line.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import { createHash } from "node:crypto";
import type { History } from "../history/types.js";
import type { Trace } from "./trace.js";

/** Hex SHA-256 of a trace and history. Pure. */
export function traceHash(run: { readonly trace: Trace; readonly history: History }): string {
  const h = createHash("sha256");
  for (const e of run.trace) h.update(JSON.stringify(e) + "\n");
  for (const op of run.history) h.update(JSON.stringify(op) + "\n");
  return h.digest("hex");
}
