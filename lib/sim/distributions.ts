/**
 * Probability distributions as data. A latency, a think time or an inter-arrival gap is
 * described by a `Distribution` value (plain JSON, so it can live in a dataset file or a
 * notebook cell) and turned into a sampler bound to a seeded `Rng`.
 *
 * The exponential, Pareto and normal samplers are stdlib's (`@stdlib/random-base-*`),
 * driven by our seeded source so every draw is reproducible. The normal sampler is built
 * here from stdlib's own ziggurat exactly as `@stdlib/random-base-normal` builds it (the
 * same draws, tested), except that its integer stream is a generator of the run's family,
 * whose state a checkpoint can save: stdlib's factory hides that stream and reports its
 * state as null when given an external source.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import exponentialFactory from "@stdlib/random-base-exponential";
import improvedZiggurat from "@stdlib/random-base-improved-ziggurat/lib/improved_ziggurat.js";
import paretoFactory from "@stdlib/random-base-pareto-type1";
import { ConfigError, describe, requireKnownKeys, requireNumber } from "../errors.js";
import type { Rng } from "./rng.js";

/** Always `value`. */
export interface ConstantDist { readonly kind: "constant"; readonly value: number }
/** Uniform on [min, max]. */
export interface UniformDist { readonly kind: "uniform"; readonly min: number; readonly max: number }
/** Exponential with `rate` λ (per ms when it is a latency): mean 1/λ. */
export interface ExponentialDist { readonly kind: "exponential"; readonly rate: number }
/** Normal with `mean` and standard deviation `sd`; as a latency, truncated at 0. */
export interface NormalDist { readonly kind: "normal"; readonly mean: number; readonly sd: number }
/** Pareto (type I) with `scale` xm and `shape` α: a draw is xm / U^(1/α), always ≥ xm. */
export interface ParetoDist { readonly kind: "pareto"; readonly scale: number; readonly shape: number }
/** A weighted mixture: pick a component by weight (weights sum to 1), then draw from it. */
export interface MixtureDist {
  readonly kind: "mixture";
  readonly components: readonly { readonly weight: number; readonly dist: Distribution }[];
}
/** Resampling from observed values, each equally likely. */
export interface EmpiricalDist { readonly kind: "empirical"; readonly values: readonly number[] }

/** A distribution, as data. Discriminated on `kind`. */
export type Distribution =
  | ConstantDist
  | UniformDist
  | ExponentialDist
  | NormalDist
  | ParetoDist
  | MixtureDist
  | EmpiricalDist;

/** A function drawing one value per call from a bound seeded source. */
export type Sampler = () => number;

/** Shorthand for a constant distribution. Pure. */
export const constant = (value: number): ConstantDist => ({ kind: "constant", value });
/** Shorthand for a uniform distribution on [min, max]. Pure. */
export const uniform = (min: number, max: number): UniformDist => ({ kind: "uniform", min, max });
/** Shorthand for an exponential distribution with the given mean (rate = 1/mean). Pure. */
export const exponentialMean = (mean: number): ExponentialDist => ({ kind: "exponential", rate: 1 / mean });

const KINDS = ["constant", "uniform", "exponential", "normal", "pareto", "mixture", "empirical"] as const;
/** The options of each distribution kind. */
const DIST_KEYS: Readonly<Record<string, readonly string[]>> = {
  constant: ["kind", "value"], uniform: ["kind", "min", "max"], exponential: ["kind", "rate"], normal: ["kind", "mean", "sd"],
  pareto: ["kind", "scale", "shape"], mixture: ["kind", "components"], empirical: ["kind", "values"],
};

/**
 * Checks a distribution and throws a ConfigError naming `field` if it is malformed.
 * `nonNegative` (for latencies and durations) rejects distributions that can only give
 * negative values. Pure.
 */
export function validateDistribution(field: string, d: unknown, nonNegative = true): Distribution {
  if (d === null || typeof d !== "object" || Array.isArray(d)) {
    throw new ConfigError(field, `must be a distribution object, got ${describe(d)}`, 'write e.g. { kind: "constant", value: 5 }');
  }
  const dist = d as Distribution;
  if (typeof dist.kind === "string" && Object.hasOwn(DIST_KEYS, dist.kind)) requireKnownKeys(field, dist, DIST_KEYS[dist.kind]);
  const lo = nonNegative ? 0 : -Infinity;
  switch (dist.kind) {
    case "constant":
      requireNumber(`${field}.value`, dist.value, lo);
      break;
    case "uniform":
      requireNumber(`${field}.min`, dist.min, lo);
      requireNumber(`${field}.max`, dist.max, dist.min);
      break;
    case "exponential":
      requireNumber(`${field}.rate`, dist.rate, Number.MIN_VALUE);
      break;
    case "normal":
      requireNumber(`${field}.mean`, dist.mean, lo);
      requireNumber(`${field}.sd`, dist.sd, 0);
      break;
    case "pareto":
      requireNumber(`${field}.scale`, dist.scale, Number.MIN_VALUE);
      requireNumber(`${field}.shape`, dist.shape, Number.MIN_VALUE);
      break;
    case "mixture": {
      if (!Array.isArray(dist.components) || dist.components.length === 0) {
        throw new ConfigError(`${field}.components`, "must be a non-empty list of { weight, dist }", "add at least one component");
      }
      let total = 0;
      dist.components.forEach((c, i) => {
        if (c == null || typeof c !== "object") {
          throw new ConfigError(`${field}.components[${i}]`, `must be { weight, dist }, got ${describe(c)}`, 'write { weight: 0.9, dist: { kind: "constant", value: 1 } }');
        }
        requireKnownKeys(`${field}.components[${i}]`, c, ["weight", "dist"]);
        total += requireNumber(`${field}.components[${i}].weight`, c.weight, 0, 1);
        validateDistribution(`${field}.components[${i}].dist`, c.dist, nonNegative);
      });
      if (Math.abs(total - 1) > 1e-9) {
        throw new ConfigError(`${field}.components`, `weights must sum to 1, they sum to ${total}`, "rescale the weights so they add up to 1");
      }
      break;
    }
    case "empirical":
      if (!Array.isArray(dist.values) || dist.values.length === 0) {
        throw new ConfigError(`${field}.values`, "must be a non-empty list of numbers", "give the observed values");
      }
      dist.values.forEach((v, i) => requireNumber(`${field}.values[${i}]`, v, lo));
      break;
    default:
      throw new ConfigError(`${field}.kind`, `unknown distribution ${describe((dist as { kind?: unknown }).kind)}`, `use one of ${KINDS.join(", ")}`);
  }
  return dist;
}

/**
 * Binds a (validated) distribution to a seeded generator. Deterministic: the same
 * distribution and generator state give the same draws. Normal draws are truncated at 0
 * when `nonNegative` (latencies cannot be negative).
 */
export function makeSampler(d: Distribution, rng: Rng, nonNegative = true): Sampler {
  switch (d.kind) {
    case "constant": {
      const v = d.value;
      return () => v;
    }
    case "uniform": {
      const { min } = d;
      const width = d.max - d.min;
      return () => min + width * rng.uniform();
    }
    case "exponential": {
      const draw = exponentialFactory.factory(d.rate, { prng: rng.source });
      return () => draw();
    }
    case "normal": {
      // sd = 0 is a valid (degenerate) normal that stdlib's factory refuses: it is the constant mean.
      if (d.sd === 0) {
        const v = nonNegative ? Math.max(0, d.mean) : d.mean;
        return () => v;
      }
      const draw = normalDraws(d.mean, d.sd, rng);
      return nonNegative ? () => Math.max(0, draw()) : () => draw();
    }
    case "pareto": {
      // stdlib's Pareto type I takes (alpha, beta) = (shape, scale).
      const draw = paretoFactory.factory(d.shape, d.scale, { prng: rng.source });
      return () => draw();
    }
    case "mixture": {
      const cumulative: number[] = [];
      let acc = 0;
      for (const c of d.components) cumulative.push((acc += c.weight));
      const parts = d.components.map((c) => makeSampler(c.dist, rng, nonNegative));
      const last = parts.length - 1;
      return () => {
        const u = rng.uniform();
        for (let i = 0; i < last; i++) if (u < cumulative[i]) return parts[i]();
        return parts[last]();
      };
    }
    case "empirical": {
      const values = d.values;
      return () => values[rng.int(values.length)];
    }
  }
}

/** 2^32 - 1, as stdlib writes UINT32_MAX. */
const UINT32_MAX = 4294967295;

/**
 * Normal draws with `mean` and `sd` from `rng`: what `@stdlib/random-base-normal`'s
 * `factory(mean, sd, { prng: rng.source })` gives, draw for draw. Like stdlib's, the
 * ziggurat's integer stream is an MT19937 seeded from one uniform draw of `rng`; here it is
 * made in `rng`'s family, so its state is saved with every other stream's.
 */
export function normalDraws(mean: number, sd: number, rng: Rng): () => number {
  const randi = rng.generator(Math.floor(1.0 + UINT32_MAX * rng.source()));
  const standard = improvedZiggurat(rng.source, randi);
  return () => mean + sd * standard();
}

/**
 * The mean of a distribution (Infinity for a Pareto with shape ≤ 1). Pure: used by
 * closed forms in the notebooks.
 */
export function meanOf(d: Distribution): number {
  switch (d.kind) {
    case "constant":
      return d.value;
    case "uniform":
      return (d.min + d.max) / 2;
    case "exponential":
      return 1 / d.rate;
    case "normal":
      return d.mean;
    case "pareto":
      return d.shape <= 1 ? Infinity : (d.shape * d.scale) / (d.shape - 1);
    case "mixture":
      return d.components.reduce((s, c) => s + c.weight * meanOf(c.dist), 0);
    case "empirical":
      return d.values.reduce((s, v) => s + v, 0) / d.values.length;
  }
}
