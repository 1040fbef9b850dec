/**
 * Claims: the numbers a notebook's prose cites, recorded by the cells that compute them.
 *
 * A cell records a value under a name, and the markdown that cites it puts a marker right
 * after the number:
 *
 * ```ts
 * claim("naive.lost", naiveLost.lostCount);          // in a code cell
 * ```
 * ```md
 * all 68<!--claim:naive.lost--> writes are gone        <!-- in the markdown -->
 * ```
 *
 * `npm test` executes every notebook, collects what its cells recorded, and fails when a cited
 * number no longer matches the value its cell computes, or when that value moved away from the
 * committed golden file (`test/golden/claims/`); `npm run claims -- --update` rewrites the
 * golden files and prints the diff for review (etcd's testdata pattern). See
 * `scripts/claims.ts` for the rules a cited number follows.
 *
 * Not pure: it writes to a registry kept on `globalThis`, so the notebook runner can read it
 * whichever copy of the library a cell loaded. The simulation core never calls it.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import { ConfigError, describe } from "../errors.js";

const REGISTRY = Symbol.for("replication-lab.claims");
const NAME = /^[a-z][a-zA-Z0-9]*(?:[.-][a-zA-Z0-9]+)*$/;

type Registry = Map<string, number>;

function registry(): Registry {
  const g = globalThis as unknown as Record<symbol, Registry | undefined>;
  let r = g[REGISTRY];
  if (r === undefined) {
    r = new Map();
    g[REGISTRY] = r;
  }
  return r;
}

/**
 * Records `value` as the claim `name` (a dotted name such as `"naive.lost"`), for the prose to
 * cite with `<!--claim:naive.lost-->` after the number. Returns `value`, so a cell can print it.
 * Recording the same name again replaces the value (re-running a cell). Throws a ConfigError for
 * a malformed name or a value that is not a finite number.
 */
export function claim(name: string, value: number): number {
  if (typeof name !== "string" || !NAME.test(name)) {
    throw new ConfigError("claim name", `must be a dotted name like "naive.lost", got ${describe(name)}`, "use letters and digits separated by dots or dashes, starting with a lower-case letter");
  }
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new ConfigError(`claim ${name}`, `must be a finite number, got ${describe(value)}`, "record the number the prose cites (a count, ms, a percentage, a ratio)");
  }
  registry().set(name, value);
  return value;
}

/** Every claim recorded so far in this process, sorted by name. For the notebook runner and tests. */
export function recordedClaims(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of [...registry().keys()].sort()) out[name] = registry().get(name)!;
  return out;
}

/** Forgets every recorded claim. For tests. */
export function clearClaims(): void {
  registry().clear();
}
