/**
 * The checks of notebook 06's exercises whose reference answers must stay out of the
 * student's namespace: the vote rule and the rollback common point. The reference functions
 * (decideVote, findCommonPoint) are used here and are not exported from lib/index.ts.
 * Introduced in notebooks/06.00-Replica-Sets.ipynb.
 */
import { decideVote, type ReplicaSetVoteRequest, type ReplicaSetVoterView } from "../protocols/replicaSet/elections.js";
import { findCommonPoint } from "../protocols/replicaSet/rollback.js";
import { makeRng } from "../sim/rng.js";
import type { ExerciseCheck } from "./check.js";

/** A student's vote rule: grant the vote or not. */
export type GrantVote = (voter: ReplicaSetVoterView, request: ReplicaSetVoteRequest) => boolean;

function randomCase(r: ReturnType<typeof makeRng>): [ReplicaSetVoterView, ReplicaSetVoteRequest] {
  const term = 1 + r.int(4);
  const voted = r.int(3);
  const voter: ReplicaSetVoterView = {
    term,
    lastVote: voted === 0 ? { term: 0, candidate: null } : { term: term - r.int(2), candidate: voted === 1 ? "n2" : "n3" },
    lastOpTime: { term: Math.max(1, term - r.int(2)), index: r.int(20) },
  };
  const req: ReplicaSetVoteRequest = {
    candidate: r.int(2) === 0 ? "n2" : "n3",
    term: term - 1 + r.int(3),
    lastOpTime: { term: Math.max(1, term - r.int(3)), index: r.int(20) },
    dryRun: r.int(3) === 0,
  };
  return [voter, req];
}

/** Checks for Exercise 6.1 (the PV1 vote rule), against the rule the simulator itself uses. Pure apart from calling `grant`. */
export function checksForExercise61(grant: GrantVote): ExerciseCheck[] {
  const agree = (cases: [ReplicaSetVoterView, ReplicaSetVoteRequest][], what: string): void => {
    for (const [voter, req] of cases) {
      const want = decideVote(voter, req);
      const got = grant(voter, req);
      if (got !== want.granted) {
        throw new Error(`${what}: voter ${JSON.stringify(voter)}, request ${JSON.stringify(req)}: gave ${got}, but the vote should be ${want.granted ? "granted" : `refused (${want.reason})`}`);
      }
    }
  };
  const v = (term: number, voteTerm: number, cand: string | null, t: number, i: number): ReplicaSetVoterView => ({ term, lastVote: { term: voteTerm, candidate: cand }, lastOpTime: { term: t, index: i } });
  const q = (cand: string, term: number, t: number, i: number, dryRun = false): ReplicaSetVoteRequest => ({ candidate: cand, term, lastOpTime: { term: t, index: i }, dryRun });
  return [
    {
      name: "refuses an older term, grants a newer one to a fresh candidate", points: 1,
      run: () => agree([[v(3, 2, "n2", 3, 5), q("n3", 2, 3, 9)], [v(3, 2, "n2", 3, 5), q("n3", 4, 3, 9)]], "terms"),
    },
    {
      name: "one vote per term: refuses a second candidate in a term it already voted in", points: 1,
      hint: "the voter's lastVote says which term it voted in, and for whom",
      run: () => agree([[v(4, 4, "n2", 3, 5), q("n3", 4, 3, 9)], [v(4, 4, "n2", 3, 5), q("n2", 4, 3, 9)]], "one vote per term"),
    },
    {
      name: "freshness: refuses a candidate whose last optime is older (term first, then index)", points: 1,
      hint: "compare optimes by term first: (2, 50) is older than (3, 1)",
      run: () => agree([[v(3, 0, null, 3, 10), q("n2", 4, 3, 9)], [v(3, 0, null, 3, 1), q("n2", 4, 2, 50)], [v(3, 0, null, 2, 50), q("n2", 4, 3, 1)]], "freshness"),
    },
    {
      name: "a dry run neither needs nor records a vote, and agrees with the simulator's rule on 500 random cases", points: 2,
      run: () => {
        agree([[v(4, 4, "n2", 3, 5), q("n3", 4, 3, 9, true)]], "dry run");
        const r = makeRng(61);
        agree(Array.from({ length: 500 }, () => randomCase(r)), "random case");
      },
    },
  ];
}

/** A student's common-point search: the terms of two oplogs' entries from `from` on. */
export type CommonPoint = (from: number, mine: readonly number[], theirs: readonly number[]) => number;

/**
 * Checks for Exercise 6.2 (the rollback common point): hand-made oplogs, random ones, and a
 * rollback recorded in a simulated run (`recorded`: the old primary's oplog terms before its
 * rollback, the winner's, and the common point the simulator found).
 */
export function checksForExercise62(commonPoint: CommonPoint, recorded: { from: number; mine: readonly number[]; theirs: readonly number[]; commonPoint: number }): ExerciseCheck[] {
  return [
    {
      name: "finds the last index where both oplogs have the same term", points: 1,
      run: () => {
        const got = commonPoint(1, [1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 2, 2]);
        if (got !== 4) throw new Error(`gave ${got}; indexes 1-4 are term 1 in both, index 5 differs`);
      },
    },
    {
      name: "handles oplogs that differ at once, or where one is a prefix of the other", points: 1,
      hint: "when they differ at the first index compared, the common point is the one before it",
      run: () => {
        for (const [from, a, b] of [[10, [3, 3], [4]], [1, [1, 1], [1, 1, 1]], [5, [2, 2, 2], [2, 2]]] as [number, number[], number[]][]) {
          const want = findCommonPoint(from, a, b);
          const got = commonPoint(from, a, b);
          if (got !== want) throw new Error(`commonPoint(${from}, ${JSON.stringify(a)}, ${JSON.stringify(b)}) gave ${got}, expected ${want}`);
        }
        const r = makeRng(62);
        for (let k = 0; k < 300; k++) {
          const shared = Array.from({ length: r.int(6) }, () => 1);
          const a = [...shared, ...Array.from({ length: r.int(4) }, () => 2)];
          const b = [...shared, ...Array.from({ length: r.int(4) }, () => 3)];
          const from = 1 + r.int(50);
          if (commonPoint(from, a, b) !== findCommonPoint(from, a, b)) throw new Error(`wrong on ${JSON.stringify(a)} vs ${JSON.stringify(b)} from ${from}`);
        }
      },
    },
    {
      name: "finds the common point the simulator found in the isolated-primary run", points: 1,
      run: () => {
        const got = commonPoint(recorded.from, recorded.mine, recorded.theirs);
        if (got !== recorded.commonPoint) throw new Error(`gave ${got}; the rollback in the run kept everything up to index ${recorded.commonPoint}`);
      },
    },
  ];
}

