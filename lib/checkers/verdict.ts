/**
 * The shape every checker's answer shares: a verdict and the reason in words, in the
 * spirit of Jepsen's `{:valid? true|false|:unknown}`.
 *
 * Introduced in notebooks/00.01-Consistency-Checkers.ipynb.
 */

/**
 * A checker's verdict: `true` (the property holds), `false` (a violation was found) or
 * `"unknown"` (the checker ran out of budget or lacked an input it needs).
 */
export type Validity = true | false | "unknown";

/** The minimal verdict: whether the property holds, and why, in one or two sentences. */
export interface Verdict {
  readonly valid: Validity;
  readonly message: string;
}

/**
 * Combines verdicts: `false` if any is false, else `"unknown"` if any is unknown, else
 * `true`. Pure.
 */
export function combineValidity(all: readonly Validity[]): Validity {
  if (all.some((v) => v === false)) return false;
  if (all.some((v) => v === "unknown")) return "unknown";
  return true;
}
