/**
 * Why a lying replica costs more than a crashed one, by counting. A system that must go on
 * with f nodes silent can only wait for n − f replies, so any two operations it completes
 * heard from quorums of n − f nodes. Against crashes the two quorums must share a node (that
 * node saw the first operation): 2(n − f) > n, so n ≥ 2f + 1. Against f nodes that lie
 * (Byzantine faults) a shared node could be a liar, so they must share f + 1 nodes, at least
 * one honest: 2(n − f) − n ≥ f + 1, so n ≥ 3f + 1 (Lamport, Shostak and Pease, "The Byzantine
 * Generals Problem", 1982; Castro and Liskov, "Practical Byzantine Fault Tolerance", OSDI 1999).
 *
 * Pure. Introduced in notebooks/07.00-Pros-and-Cons.ipynb.
 */
import { requireInteger, requireOneOf } from "../errors.js";

/** Every subset of {0, …, n−1} of size k, in lexicographic order. Pure. */
function subsets(n: number, k: number): number[][] {
  const out: number[][] = [];
  const pick = (start: number, acc: number[]): void => {
    if (acc.length === k) {
      out.push(acc.slice());
      return;
    }
    for (let i = start; i < n; i++) {
      acc.push(i);
      pick(i + 1, acc);
      acc.pop();
    }
  };
  pick(0, []);
  return out;
}

/** The result of checking every pair of quorums against every choice of faulty nodes. */
export interface QuorumSafety {
  readonly n: number;
  readonly f: number;
  readonly faults: "crash" | "byzantine";
  /** Quorum size: n − f (all a system can wait for when f may be silent). */
  readonly quorum: number;
  /** True when every two quorums share a node (crash) or an honest node whatever f nodes lie (byzantine). */
  readonly safe: boolean;
  /** A pair of quorums and a set of liars that breaks it, when not safe (node indices from 0). */
  readonly counterexample: { readonly a: readonly number[]; readonly b: readonly number[]; readonly liars: readonly number[] } | null;
}

/**
 * Checks, by trying every pair of quorums of size n − f (and every set of f liars), whether
 * two completed operations always have a witness in common. Pure; n ≤ 12 (the enumeration
 * grows fast); throws ConfigError otherwise.
 */
export function quorumSafety(n: number, f: number, faults: "crash" | "byzantine"): QuorumSafety {
  requireInteger("n", n, 1, 12);
  requireInteger("f", f, 0, n - 1);
  requireOneOf("faults", faults, ["crash", "byzantine"] as const);
  const q = n - f;
  const quorums = subsets(n, q);
  const liarSets = faults === "byzantine" ? subsets(n, f) : [[]];
  for (const a of quorums) {
    for (const b of quorums) {
      const shared = a.filter((x) => b.includes(x));
      for (const liars of liarSets) {
        const honestShared = shared.filter((x) => !liars.includes(x));
        if (honestShared.length === 0) return { n, f, faults, quorum: q, safe: false, counterexample: { a, b, liars } };
      }
    }
  }
  return { n, f, faults, quorum: q, safe: true, counterexample: null };
}
