/**
 * Acknowledging a prefix of a log once enough copies hold it: the k-th highest position
 * among the copies is the longest prefix that at least k of them hold.
 * TODO(shared): replace with the shared "acknowledged prefix" mechanism
 * (lib/protocols/shared/ackedPrefix) once it lands.
 * Introduced in notebooks/06.00-Replica-Sets.ipynb.
 */

/** The longest prefix (a position) held by at least `k` of `positions`; 0 if fewer than k copies exist. Pure. */
export function prefixHeldBy(positions: readonly number[], k: number): number {
  if (k <= 0) return Infinity;
  if (positions.length < k) return 0;
  const sorted = positions.slice().sort((a, b) => b - a);
  return sorted[k - 1];
}

/** A strict majority of `n` voters. Pure. */
export function majorityOf(n: number): number {
  return Math.floor(n / 2) + 1;
}
