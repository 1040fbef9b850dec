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
  /**
   * A raw MT19937 generator seeded with `seed` (a 32-bit integer, used as given), in this
   * generator's family, for samplers that need a second stream of their own (the normal
   * sampler's integer stream). Deterministic.
   */
  generator(seed: number): Mt19937;
  /** Every generator made from the same `makeRng` call (this one, its forks, theirs...), in creation order. */
  readonly family: RngFamily;
}

/** A raw MT19937 generator: uint32 draws, [0, 1) draws, and a state that can be copied. */
export interface Mt19937 {
  (): number;
  normalized(): number;
  /** A copy of the generator's state; assigning copies it in. */
  state: Uint32Array;
}

/**
 * The generators of one simulation, in creation order, so a checkpoint can save all their
 * states and a replay restore them (lib/sim/checkpoint.ts). Creation order is part of the
 * run's determinism: the same config builds the same family in the same order.
 */
export class RngFamily {
  private readonly members: Mt19937[] = [];

  /** Adds a generator; internal to makeRng. */
  add(gen: Mt19937): void {
    this.members.push(gen);
  }

  /** How many generators the family has. */
  get size(): number {
    return this.members.length;
  }

  /** A copy of every member's state, in creation order. */
  save(): Uint32Array[] {
    return this.members.map((g) => g.state);
  }

  /** Sets every member's state from `save()` of a family built the same way. */
  restore(states: readonly Uint32Array[]): void {
    if (states.length !== this.members.length) {
      throw new Error(`a checkpoint of ${states.length} generators cannot restore a family of ${this.members.length}: the run was built differently`);
    }
    states.forEach((st, i) => (this.members[i].state = st));
  }
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
  return makeInFamily(seed, new RngFamily());
}

function rawGenerator(seed: number, family: RngFamily): Mt19937 {
  // The typings omit `normalized` (a [0, 1) draw with 53 random bits) and the state
  // accessor, which the factory's generator has at run time.
  const gen = mt19937.factory({ seed }) as unknown as Mt19937;
  family.add(gen);
  return gen;
}

function makeInFamily(seed: number, family: RngFamily): Rng {
  if (!Number.isInteger(seed)) {
    throw new TypeError(`seed must be a whole number, got ${String(seed)}`);
  }
  const normalized = rawGenerator(hashSeed(seed, "root"), family).normalized;
  return {
    seed,
    family,
    source: normalized,
    uniform: () => normalized(),
    uniformOpen: () => 1 - normalized(),
    int: (n: number) => Math.floor(normalized() * n),
    fork: (purpose: string) => makeInFamily(hashSeed(seed, purpose), family),
    generator: (s: number) => rawGenerator(s, family),
  };
}
