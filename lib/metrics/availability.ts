/**
 * Availability, as DESIGN.md defines it: among the operations invoked in a window, the
 * fraction that completed `ok` within the client's timeout. Computed from the history.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import { requireNumber } from "../errors.js";
import type { History, HistoryOp, OpFunction } from "../history/types.js";

/** One window of one operation kind. */
export type AvailabilityRow = {
  /** Window start, ms. */
  readonly t: number;
  /** `read`, `write`, `cas`, or `all`. */
  readonly f: OpFunction | "all";
  /** Ops invoked in the window. */
  readonly invoked: number;
  /** Of those, ops that completed `ok`. */
  readonly ok: number;
  /** ok / invoked; null when nothing was invoked (no data is not 100 %). */
  readonly availability: number | null;
};

/** Pairs each invocation with its completion (same process, next entry). Pure. */
export function completions(history: History): Map<HistoryOp, HistoryOp | undefined> {
  const open = new Map<string, HistoryOp>();
  const pairs = new Map<HistoryOp, HistoryOp | undefined>();
  for (const op of history) {
    if (op.type === "invoke") {
      open.set(op.process, op);
      pairs.set(op, undefined);
    } else {
      const inv = open.get(op.process);
      if (inv) {
        pairs.set(inv, op);
        open.delete(op.process);
      }
    }
  }
  return pairs;
}

/**
 * Availability per window and per operation kind (plus `all`). `timeoutMs` (default: no
 * limit) counts an `ok` that took longer as unavailable. Pure.
 */
export function availability(history: History, opts: { windowMs: number; endMs?: number; timeoutMs?: number }): AvailabilityRow[] {
  requireNumber("windowMs", opts.windowMs, Number.MIN_VALUE);
  const timeout = opts.timeoutMs ?? Infinity;
  const cells = new Map<string, { t: number; f: OpFunction | "all"; invoked: number; ok: number }>();
  let end = opts.endMs ?? 0;
  const pairs = completions(history);
  for (const [inv, done] of pairs) {
    end = Math.max(end, inv.time);
    const w = Math.floor(inv.time / opts.windowMs) * opts.windowMs;
    const good = done !== undefined && done.type === "ok" && done.time - inv.time <= timeout;
    for (const f of [inv.f, "all"] as const) {
      const k = `${f}@${w}`;
      let c = cells.get(k);
      if (!c) cells.set(k, (c = { t: w, f, invoked: 0, ok: 0 }));
      c.invoked++;
      if (good) c.ok++;
    }
  }
  // Empty windows appear with availability null, so a chart shows a gap, not a fake 100 %.
  const kinds = [...new Set([...cells.values()].map((c) => c.f))];
  const rows: AvailabilityRow[] = [];
  for (let w = 0; w <= end; w += opts.windowMs) {
    for (const f of kinds) {
      const c = cells.get(`${f}@${w}`);
      rows.push({ t: w, f, invoked: c?.invoked ?? 0, ok: c?.ok ?? 0, availability: c ? c.ok / c.invoked : null });
    }
  }
  return rows;
}

/** Availability over a whole run per operation kind, with its "nines". */
export type AvailabilitySummary = {
  readonly f: OpFunction | "all";
  readonly invoked: number;
  readonly ok: number;
  readonly availability: number;
  /** −log10(1 − availability): 0.999 is 3 nines; Infinity when nothing failed. */
  readonly nines: number;
};

/** Availability per kind over the whole run. Pure. */
export function availabilitySummary(history: History, timeoutMs = Infinity): AvailabilitySummary[] {
  const by = new Map<OpFunction | "all", { invoked: number; ok: number }>();
  for (const [inv, done] of completions(history)) {
    const good = done !== undefined && done.type === "ok" && done.time - inv.time <= timeoutMs;
    for (const f of [inv.f, "all"] as const) {
      const c = by.get(f) ?? { invoked: 0, ok: 0 };
      c.invoked++;
      if (good) c.ok++;
      by.set(f, c);
    }
  }
  return [...by.entries()].map(([f, c]) => {
    const a = c.invoked === 0 ? 0 : c.ok / c.invoked;
    return { f, invoked: c.invoked, ok: c.ok, availability: a, nines: a === 1 ? Infinity : -Math.log10(1 - a) };
  });
}
