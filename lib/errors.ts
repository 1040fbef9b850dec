/**
 * Errors for bad input. Every one names the field that is wrong, what it held, and how to
 * fix it, so a student sees "network.loss must be a probability in [0, 1], got 1.5"
 * instead of a NaN chart.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import { closest, distance } from "fastest-levenshtein";

/** A configuration or input value that is out of range or malformed. Pure data, no I/O. */
export class ConfigError extends Error {
  /** Dotted path of the offending field, e.g. `workload.keys.theta`. */
  readonly field: string;
  /** What to do instead, in words. */
  readonly fix: string;

  constructor(field: string, problem: string, fix: string) {
    super(`${field}: ${problem}. Fix: ${fix}`);
    this.name = "ConfigError";
    this.field = field;
    this.fix = fix;
  }
}

/** Describes a value for an error message without dumping large objects. */
export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value == null) return String(value);
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? s.slice(0, 77) + "..." : s;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Throws unless `value` is a finite number in [min, max]. Returns it for chaining. */
export function requireNumber(field: string, value: unknown, min = -Infinity, max = Infinity): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new ConfigError(field, `must be a finite number, got ${describe(value)}`, `give a number${rangeText(min, max)}`);
  }
  if (value < min || value > max) {
    throw new ConfigError(field, `must be${rangeText(min, max)}, got ${value}`, `choose a value${rangeText(min, max)}`);
  }
  return value;
}

/** Throws unless `value` is an integer in [min, max]. */
export function requireInteger(field: string, value: unknown, min = -Infinity, max = Infinity): number {
  requireNumber(field, value, min, max);
  if (!Number.isInteger(value)) {
    throw new ConfigError(field, `must be a whole number, got ${describe(value)}`, `round it to an integer${rangeText(min, max)}`);
  }
  return value as number;
}

/** Throws unless `value` is a probability in [0, 1]. */
export function requireProbability(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new ConfigError(field, `must be a probability in [0, 1], got ${describe(value)}`, "give a number between 0 and 1 (0.01 means 1%)");
  }
  return value;
}

/** Throws unless `value` is one of `allowed`. */
export function requireOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(field, `unknown value ${describe(value)}`, `use one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`);
  }
  return value as T;
}

function rangeText(min: number, max: number): string {
  if (min === -Infinity && max === Infinity) return "";
  if (max === Infinity) return ` ≥ ${min}`;
  if (min === -Infinity) return ` ≤ ${max}`;
  return ` in [${min}, ${max}]`;
}

/** Throws unless `value` is `true` or `false`. */
export function requireBoolean(field: string, value: unknown, fix: string): boolean {
  if (typeof value !== "boolean") throw new ConfigError(field, `must be true or false, got ${describe(value)}`, fix);
  return value;
}

/**
 * Throws unless `value` is a plain object (an object literal, not an array, a class
 * instance, or an object whose prototype was replaced by a `__proto__` key). Returns it.
 */
export function requirePlainObject(field: string, value: unknown, fix: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ConfigError(field, `must be an object, got ${describe(value)}`, fix);
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new ConfigError(field, "must be a plain object (its prototype was replaced, e.g. by a `__proto__:` key)", `${fix}; to use "__proto__" as a key write it as a computed key, ["__proto__"]: ...`);
  }
  return value as Record<string, unknown>;
}

/**
 * Throws on the first own key of `value` not in `allowed`, suggesting the closest allowed
 * name (Levenshtein distance ≤ 2, or one that differs only in case or a trailing "s"), so a
 * typo such as `fault:` for `faults:` is an error instead of an option silently ignored.
 */
export function requireKnownKeys(field: string, value: object, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) continue;
    const at = field === "" ? key : `${field}.${key}`;
    const guess = didYouMean(key, allowed);
    const hint = guess !== undefined ? `did you mean ${JSON.stringify(guess)}? ` : "";
    const list = `options${field === "" ? "" : ` of ${field}`} are ${allowed.map((a) => JSON.stringify(a)).join(", ")}`;
    throw new ConfigError(at, `unknown option ${JSON.stringify(key)}`, hint === "" ? `the ${list}` : `${hint}The ${list}`);
  }
}

/** The allowed name closest to `key` by edit distance, when it is close enough to be a typo. Pure. */
export function didYouMean(key: string, allowed: readonly string[]): string | undefined {
  if (allowed.length === 0) return undefined;
  const lower = key.toLowerCase();
  const sameCase = allowed.find((a) => a.toLowerCase() === lower);
  if (sameCase !== undefined) return sameCase;
  const best = closest(key, allowed as string[]);
  const limit = Math.max(2, Math.floor(key.length / 3));
  return distance(key, best) <= limit ? best : undefined;
}
