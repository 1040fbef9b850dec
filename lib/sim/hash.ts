/**
 * A fast, stable 32-bit string hash: FNV-1a, then MurmurHash3's fmix32 avalanche so that
 * nearby strings ("n1#1", "n1#2") land far apart. Used to derive seeded random streams and
 * to place keys on a consistent-hashing ring.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */

/** 32-bit hash of `text`, optionally mixed with a `seed`. Pure. */
export function hash32(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}
