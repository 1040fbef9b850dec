/**
 * Jump consistent hash (Lamping & Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm",
 * 2014): a key's 64-bit hash and a bucket count give a bucket in [0, buckets), with no table
 * at all. When the count grows from n to n + 1, each key moves with probability 1/(n + 1),
 * and only to the new bucket.
 *
 * Its one limit, which the paper states: buckets are numbered 0 … n − 1 and can only be
 * added or removed at the end. Removing a node from the middle renumbers the ones after it
 * and moves far more than 1/n of the keys; a system that needs arbitrary removals keeps a
 * level of indirection (bucket → node) or uses a ring or rendezvous hashing instead.
 *
 * Introduced in notebooks/01.01-Many-Servers.ipynb.
 */
import { ConfigError, describe, requireInteger } from "../errors.js";
import { hash32 } from "../sim/hash.js";

const MASK64 = (1n << 64n) - 1n;
/** The 64-bit linear congruential generator's multiplier from the paper's code. */
const LCG_MULTIPLIER = 2862933555777941757n;

/** The 64-bit hash of `key` that feeds jump hash: two independent 32-bit hashes side by side. Pure. */
export function hash64(key: string): bigint {
  return (BigInt(hash32(key, 0x9e3779b9)) << 32n) | BigInt(hash32(key));
}

/**
 * Lamping and Veach's algorithm, exactly: a pseudo-random walk seeded by the key that jumps
 * forward from bucket to bucket; the last bucket it lands on below `buckets` is the answer.
 * Expected O(ln buckets) steps. Pure.
 */
export function jumpConsistentHash(key64: bigint, buckets: number): number {
  requireInteger("jump.buckets", buckets, 1, 2 ** 31 - 1);
  if (typeof key64 !== "bigint") throw new ConfigError("jump.key", `must be a 64-bit bigint, got ${describe(key64)}`, "hash the key first with hash64(key)");
  let key = key64 & MASK64;
  let b = -1;
  let j = 0;
  while (j < buckets) {
    b = j;
    key = (key * LCG_MULTIPLIER + 1n) & MASK64;
    // (b + 1) · 2^31 / ((key >> 33) + 1), in floating point as in the paper.
    j = Math.floor((b + 1) * (2 ** 31 / (Number(key >> 33n) + 1)));
  }
  return b;
}
