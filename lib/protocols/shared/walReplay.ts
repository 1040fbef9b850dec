/**
 * Write-ahead-log recovery: a node's state after a restart is its boot state with every
 * durable WAL record replayed in order. Each protocol says what one record does; this module
 * is the fold, so every protocol recovers the same way.
 *
 * Use: `const s = replayWal(fresh, ctx.durable, applyRecord)` in `init`.
 *
 * Introduced in notebooks/01.00-Durability.ipynb.
 */

/** `initial` with every record of `wal` applied in order by `apply`. Pure when `apply` is. */
export function replayWal<S, R>(initial: S, wal: readonly unknown[], apply: (s: S, record: R) => S): S {
  let s = initial;
  for (const r of wal) s = apply(s, r as R);
  return s;
}
