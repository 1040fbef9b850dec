/**
 * Which key an operation touches. Three YCSB request distributions (Cooper et al.,
 * "Benchmarking Cloud Serving Systems with YCSB", SoCC 2010):
 * - `uniform`: every key equally likely;
 * - `zipfian`: key rank i with probability ∝ 1/i^θ (θ = 0.99 in YCSB), hot keys first,
 *   drawn with the constant-time method of Gray et al., "Quickly Generating
 *   Billion-Record Synthetic Databases" (SIGMOD 1994), as YCSB's ZipfianGenerator does;
 * - `latest`: zipfian over recency, the most recently inserted key hottest.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import { ConfigError, describe, requireInteger, requireKnownKeys, requireNumber, requireOneOf } from "../errors.js";
import type { Rng } from "../sim/rng.js";

/** How keys are chosen. `theta` defaults to 0.99 (YCSB's constant). */
export interface KeySpec {
  /** Number of keys loaded before the run (YCSB's recordcount). */
  readonly count: number;
  readonly distribution: "uniform" | "zipfian" | "latest";
  readonly theta?: number;
}

/** Draws key indices; `inserted()` tells it a new key was added (for `latest`). */
export interface KeyChooser {
  /** A key index in [0, current key count). */
  next(): number;
  /** Index of a new key, and the key count grows by one. */
  insert(): number;
  /** Current number of keys. */
  count(): number;
  /** Everything it has changed since it was made (key count, ζ), for a checkpoint. */
  save(): readonly number[];
  /** Puts back what `save` returned, on a chooser made the same way. */
  restore(saved: readonly number[]): void;
}

const keyNames: string[] = [];

/**
 * The name of key `i`: zero-padded so that names sort in index order. Pure (memoized: the
 * same string object every time, so maps and the trace hash it once).
 */
export function keyName(i: number): string {
  return keyNames[i] ?? (keyNames[i] = "k" + String(i).padStart(4, "0"));
}

/** Checks a key spec; throws a ConfigError naming the field. Pure. */
export function validateKeySpec(field: string, spec: KeySpec): KeySpec {
  if (spec == null || typeof spec !== "object" || Array.isArray(spec)) {
    throw new ConfigError(field, spec == null ? "is missing" : `must be an object, got ${describe(spec)}`, 'give { count: 100, distribution: "zipfian" }');
  }
  requireKnownKeys(field, spec, ["count", "distribution", "theta"]);
  requireInteger(`${field}.count`, spec.count, 1, 10_000_000);
  requireOneOf(`${field}.distribution`, spec.distribution, ["uniform", "zipfian", "latest"] as const);
  if (spec.theta !== undefined) requireNumber(`${field}.theta`, spec.theta, 0, 0.999999);
  return spec;
}

/** ζ(n, θ) = Σ_{i=1..n} 1/i^θ. Pure. */
export function zeta(n: number, theta: number): number {
  let sum = 0;
  for (let i = 1; i <= n; i++) sum += 1 / Math.pow(i, theta);
  return sum;
}

/**
 * A zipfian rank sampler over [0, n) (rank 0 hottest), Gray et al.'s method. Deterministic
 * given the generator. The sum ζ is extended incrementally when `n` grows.
 */
export function zipfianSampler(rng: Rng, n0: number, theta = 0.99): { draw(n: number): number; save(): number[]; restore(saved: readonly number[]): void } {
  const zeta2 = zeta(2, theta);
  const alpha = 1 / (1 - theta);
  let n = n0;
  let zetan = zeta(n0, theta);
  let eta = (1 - Math.pow(2 / n, 1 - theta)) / (1 - zeta2 / zetan);
  return {
    draw(items: number): number {
      if (items !== n) {
        // Grow (or recompute) ζ for the new item count: YCSB does the same incrementally.
        zetan = items > n ? zetan + sumRange(n + 1, items, theta) : zeta(items, theta);
        n = items;
        eta = (1 - Math.pow(2 / n, 1 - theta)) / (1 - zeta2 / zetan);
      }
      const u = rng.uniform();
      const uz = u * zetan;
      if (uz < 1) return 0;
      if (uz < 1 + Math.pow(0.5, theta)) return Math.min(1, n - 1);
      return Math.min(n - 1, Math.floor(n * Math.pow(eta * u - eta + 1, alpha)));
    },
    // ζ grown incrementally differs in its last bits from ζ summed at once: keep it exactly.
    save: () => [n, zetan, eta],
    restore: (saved) => ([n, zetan, eta] = saved),
  };
}

function sumRange(from: number, to: number, theta: number): number {
  let s = 0;
  for (let i = from; i <= to; i++) s += 1 / Math.pow(i, theta);
  return s;
}

/** Makes the key chooser for a spec. Deterministic given the generator. */
export function makeKeyChooser(spec: KeySpec, rng: Rng): KeyChooser {
  let count = spec.count;
  const theta = spec.theta ?? 0.99;
  const savingCountAnd = (z: { save(): number[]; restore(saved: readonly number[]): void }) => ({
    save: () => [count, ...z.save()],
    restore: (saved: readonly number[]) => {
      count = saved[0];
      z.restore(saved.slice(1));
    },
  });
  switch (spec.distribution) {
    case "uniform":
      return { next: () => rng.int(count), insert: () => count++, count: () => count, save: () => [count], restore: (saved) => ([count] = saved) };
    case "zipfian": {
      const z = zipfianSampler(rng, count, theta);
      // Insertions add cold keys at the end; hot ranks stay the first keys.
      return { next: () => z.draw(count), insert: () => count++, count: () => count, ...savingCountAnd(z) };
    }
    case "latest": {
      const z = zipfianSampler(rng, count, theta);
      return { next: () => count - 1 - z.draw(count), insert: () => count++, count: () => count, ...savingCountAnd(z) };
    }
  }
}
