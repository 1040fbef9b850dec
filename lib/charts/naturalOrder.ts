/**
 * Orders names the way people read them: `n2` before `n10`, `c1` before `n1`. Vega-Lite
 * sorts strings character by character, which puts `n10` between `n1` and `n2`, so builders
 * pass an explicit order computed here.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */

/** Compares two values, numbers inside strings by value. Pure. */
export function naturalCompare(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const sa = String(a);
  const sb = String(b);
  const pa = sa.match(/\d+|\D+/g) ?? [];
  const pb = sb.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
    }
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length || (sa < sb ? -1 : sa > sb ? 1 : 0);
}

/** The distinct values of `field` in `rows`, in natural order. Pure. */
export function naturalDistinct(rows: readonly Readonly<Record<string, unknown>>[], field: string): unknown[] {
  const seen = new Set<unknown>();
  for (const r of rows) seen.add(r[field]);
  return [...seen].sort(naturalCompare);
}
