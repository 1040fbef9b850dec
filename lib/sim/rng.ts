/**
 * Seeded randomness. Every random draw in a simulation comes from an `Rng` made from the
 * run's seed, never from an unseeded global source, so the same seed gives the same run, bit
 * for bit.
 *
 * The generator is the Mersenne Twister (MT19937) from the stdlib project
 * (`@stdlib/random-base-mt19937`, Apache-2.0): a well-tested generator whose state can be
 * copied, and whose exponential and Pareto samplers take it as their source.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import mt19937 from "@stdlib/random-base-mt19937";
import { hash32 } from "./hash.js";

/** A seeded uniform generator. Not pure (it advances its state), but deterministic. */
export interface Rng {
  /** A uniform draw in [0, 1). */
  uniform(): number;
  /** A uniform draw in (0, 1]: safe to take a log or a negative power of. */
  uniformOpen(): number;
  /** A uniform integer in [0, n). */
  int(n: number): number;
  /** An independent generator for one purpose (`network`, `client:c1`, ...), from this seed. */
  fork(purpose: string): Rng;
  /** The seed this generator was built from. */
  readonly seed: number;
  /** The raw [0, 1) source, for samplers that take a PRNG function (stdlib's). */
  readonly source: () => number;
}

/** A stable, non-zero 32-bit stream id for `purpose` under `seed` (MT19937 rejects 0). Pure. */
export function hashSeed(seed: number, purpose: string): number {
  return hash32(purpose, seed) || 1;
}

/**
 * Makes a seeded generator. The seed must be a whole number in [1, 2^32 - 1] (0 is mapped
 * away by hashing, so any integer works). Deterministic.
 */
export function makeRng(seed: number): Rng {
  if (!Number.isInteger(seed)) {
    throw new TypeError(`seed must be a whole number, got ${String(seed)}`);
  }
  const base = hashSeed(seed, "root");
  const gen = mt19937.factory({ seed: base });
  // The typings omit `normalized` (a [0, 1) draw with 53 random bits), which the factory's
  // generator has at run time.
  const normalized = (gen as unknown as { normalized: () => number }).normalized;
  return {
    seed,
    source: normalized,
    uniform: () => normalized(),
    uniformOpen: () => 1 - normalized(),
    int: (n: number) => Math.floor(normalized() * n),
    fork: (purpose: string) => makeRng(hashSeed(seed, purpose)),
  };
}
