/**
 * Orders names the way people read them: `n2` before `n10`, `c1` before `n1`. Vega-Lite
 * sorts strings character by character, which puts `n10` between `n1` and `n2`, so builders
 * pass an explicit order computed here.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */

/**
 * The collation behind the order: numeric runs compared by value. The locale is fixed ("en")
 * so the order does not depend on the machine's language settings.
 */
const collator = new Intl.Collator("en", { numeric: true });

/**
 * Compares two values, numbers inside strings by value (`Intl.Collator` with numeric
 * collation); strings the collator finds equal ("n01", "n1") fall back to code-unit order,
 * so the order is total and deterministic. Pure.
 */
export function naturalCompare(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const sa = String(a);
  const sb = String(b);
  return collator.compare(sa, sb) || (sa < sb ? -1 : sa > sb ? 1 : 0);
}

/** The distinct values of `field` in `rows`, in natural order. Pure. */
export function naturalDistinct(rows: readonly Readonly<Record<string, unknown>>[], field: string): unknown[] {
  const seen = new Set<unknown>();
  for (const r of rows) seen.add(r[field]);
  return [...seen].sort(naturalCompare);
}
