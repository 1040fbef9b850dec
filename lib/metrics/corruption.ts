/**
 * Silent corruption, read from a run: which nodes came to hold a value no client ever
 * wrote (a value a corrupting disk made up), when, and whether checksums caught the
 * corrupted records. Pairs with the `corrupt` fault and `storage.checksums`.
 *
 * Introduced in notebooks/07.00-Pros-and-Cons.ipynb.
 */
import type { History } from "../history/types.js";
import type { NodeId, Trace } from "../sim/trace.js";

/** One node's account of corruption in a run. */
export interface CorruptionRow {
  readonly node: NodeId;
  /** Records of its log the `corrupt` fault flipped a bit in. */
  readonly injected: number;
  /** Records its checksums rejected when it read its log back at a restart. */
  readonly detected: number;
  /** Times it took in a value no client wrote from a peer (read repair, anti-entropy, a write). */
  readonly badApplies: number;
  /** Keys it holds a value no client wrote for, at the end of the run. */
  readonly badKeysAtEnd: number;
}

/** Every value a client asked to write in `history` (invocations). Pure. */
export function writtenValues(history: History): Set<number> {
  const values = new Set<number>();
  for (const op of history) if (op.type === "invoke" && (op.f === "write" || op.f === "cas") && typeof op.value === "number") values.add(op.value);
  return values;
}

/**
 * Per node: corruptions injected and detected, applies of values no client wrote, and keys
 * holding such a value at the end (`contents`: a run's `finalContents(node)`). Pure.
 */
export function corruptionSummary(
  trace: Trace,
  history: History,
  nodes: readonly NodeId[],
  contents: (node: NodeId) => ReadonlyMap<string, readonly number[]>,
): CorruptionRow[] {
  const written = writtenValues(history);
  const count = (node: NodeId, kind: string): number => {
    let n = 0;
    for (const e of trace) if (e.type === "note" && e.node === node && e.kind === kind) n++;
    return n;
  };
  return nodes.map((node) => {
    let badApplies = 0;
    for (const e of trace) {
      if (e.type === "note" && e.node === node && e.kind === "apply" && typeof e.value === "number" && !written.has(e.value)) badApplies++;
    }
    let badKeysAtEnd = 0;
    for (const values of contents(node).values()) if (values.some((v) => !written.has(v))) badKeysAtEnd++;
    return { node, injected: count(node, "disk-corrupt"), detected: count(node, "checksum-mismatch"), badApplies, badKeysAtEnd };
  });
}
