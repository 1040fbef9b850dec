/**
 * The checks of notebook 02's exercises that need a reference the student must not see: the
 * fencing rule of a storage layer (Exercise 2.1) and Raft's vote rule (Exercise 2.3). Each
 * function takes the student's function and returns the ExerciseCheck list for `checkExercise`.
 * The checks test properties and behaviour (a stream of writes from deposed leaders, elections
 * in which no epoch may have two winners), not agreement with a library function.
 *
 * Introduced in notebooks/02.00-Split-Brain.ipynb (its Exercises).
 */
import { makeRng } from "../sim/rng.js";
import type { ExerciseCheck } from "./check.js";

/** What a storage layer answers to a write stamped with a fencing token. */
export interface FenceVerdict {
  accept: boolean;
  highest: number;
}

/** A student's fencing check: `highest` is the highest token accepted so far. */
export type StorageAccepts = (highest: number, token: number) => FenceVerdict;

/**
 * Checks of Exercise 2.1 (a storage layer that refuses stale fencing tokens), for the student's
 * `storageAccepts`. Pure apart from calling it.
 */
export function checksForExercise21(storageAccepts: StorageAccepts): ExerciseCheck[] {
  return [
    {
      name: "accepts the current leader's token and newer ones, refuses older ones", points: 1,
      hint: "a token equal to the highest one is the current leader's own: it must go through",
      run: () => {
        for (let highest = 0; highest <= 5; highest++) for (let token = 0; token <= 5; token++) {
          const got = storageAccepts(highest, token);
          const want = token >= highest;
          if (got.accept !== want) throw new Error(`storageAccepts(${highest}, ${token}) ${got.accept ? "accepted" : "refused"} the write; a token ${token < highest ? "older than" : "at least"} ${highest} must be ${want ? "accepted" : "refused"}`);
        }
      },
    },
    {
      name: "the remembered token never goes down", points: 1,
      hint: "after a refused write the storage must still remember the newer token it had",
      run: () => {
        for (let highest = 0; highest <= 5; highest++) for (let token = 0; token <= 5; token++) {
          const got = storageAccepts(highest, token);
          if (got.highest !== Math.max(highest, token)) throw new Error(`storageAccepts(${highest}, ${token}) remembers ${got.highest}; the highest token seen so far is ${Math.max(highest, token)}`);
        }
      },
    },
    {
      name: "deposed leaders that keep writing never land a write after their successor did", points: 2,
      hint: "walk through the stream yourself: the storage must carry its highest token from one write to the next",
      run: () => {
        const rng = makeRng(2);
        for (let stream = 0; stream < 200; stream++) {
          // Leaders 1, 2, 3 take over in turn; a deposed one goes on writing for a while (a pause, a partition).
          let highest = 0;
          let newest = 1;
          const landed: number[] = [];
          for (let i = 0; i < 30; i++) {
            if (newest < 3 && rng.uniform() < 0.15) newest += 1;
            const token = Math.max(1, newest - rng.int(3));
            const got = storageAccepts(highest, token);
            if (got.accept) landed.push(token);
            if (got.accept !== (token >= highest)) {
              throw new Error(`in a stream of writes, one stamped ${token} was ${got.accept ? "accepted" : "refused"} after the storage had accepted ${highest}`);
            }
            highest = got.highest;
          }
          for (let i = 1; i < landed.length; i++) {
            if (landed[i] < landed[i - 1]) throw new Error(`tokens landed out of order: ${landed.join(", ")}`);
          }
        }
      },
    },
  ];
}

/** A voter's state for one election decision (Raft Figure 2's currentTerm, votedFor, and its log's end). */
export interface VoterState {
  term: number;
  votedFor: string | null;
  lastLogEpoch: number;
  logLength: number;
}

/** A vote request: the candidate's epoch and the end of its log. */
export interface EpochVoteRequest {
  term: number;
  candidate: string;
  lastLogEpoch: number;
  logLength: number;
}

/** A student's vote rule: whether to grant, and the voter's state afterwards. */
export type GrantVote = (voter: VoterState, request: EpochVoteRequest) => { grant: boolean; voter: VoterState };

/**
 * Checks of Exercise 2.3 (one vote per node per epoch, and only for an up-to-date log), for the
 * student's `grantVote`. Pure apart from calling it.
 */
export function checksForExercise23(grantVote: GrantVote): ExerciseCheck[] {
  const fresh = (name: string, logLength: number, lastLogEpoch: number): VoterState => ({ term: 1, votedFor: null, lastLogEpoch: lastLogEpoch, logLength: logLength });
  return [
    {
      name: "a lone candidate in a newer epoch, with the longest log, wins every vote", points: 1,
      hint: "a request from a newer epoch first moves the voter to that epoch, where it has not voted yet",
      run: () => {
        for (const v of [fresh("n1", 5, 1), fresh("n2", 7, 1), { term: 1, votedFor: "n1", lastLogEpoch: 1, logLength: 7 }]) {
          const got = grantVote(v, { term: 2, candidate: "n3", lastLogEpoch: 1, logLength: 7 });
          if (!got.grant) throw new Error(`a voter ${JSON.stringify(v)} refused n3 in epoch 2 with a log of 7 entries (last epoch 1)`);
          if (got.voter.term !== 2 || got.voter.votedFor !== "n3") throw new Error(`after granting, the voter should be in epoch 2 and remember its vote for n3, got ${JSON.stringify(got.voter)}`);
        }
      },
    },
    {
      name: "refuses requests from an older epoch, and a second candidate in the same epoch", points: 1,
      hint: "one vote per node per epoch: remember whom you voted for, and refuse anyone else in that epoch",
      run: () => {
        const v: VoterState = { term: 3, votedFor: null, lastLogEpoch: 1, logLength: 4 };
        if (grantVote(v, { term: 2, candidate: "n2", lastLogEpoch: 1, logLength: 9 }).grant) throw new Error("granted a vote to a candidate of epoch 2 while in epoch 3");
        const first = grantVote(v, { term: 3, candidate: "n2", lastLogEpoch: 1, logLength: 9 });
        if (!first.grant) throw new Error("refused the first up-to-date candidate of the voter's own epoch");
        if (grantVote(first.voter, { term: 3, candidate: "n3", lastLogEpoch: 1, logLength: 9 }).grant) throw new Error("voted twice in epoch 3 (for n2, then n3)");
        if (!grantVote(first.voter, { term: 3, candidate: "n2", lastLogEpoch: 1, logLength: 9 }).grant) throw new Error("refused n2's repeated request in epoch 3; the vote it already has still stands (the first reply may have been lost)");
      },
    },
    {
      name: "refuses a candidate whose log is behind the voter's (Raft §5.4.1)", points: 1,
      hint: "compare the epoch of the last entries first; only when they are equal does the longer log win",
      run: () => {
        const v: VoterState = { term: 4, votedFor: null, lastLogEpoch: 3, logLength: 10 };
        const cases: [number, number, boolean][] = [[2, 50, false], [3, 9, false], [3, 10, true], [4, 1, true]];
        for (const [lastLogEpoch, logLength, want] of cases) {
          const got = grantVote(v, { term: 5, candidate: "n2", lastLogEpoch: lastLogEpoch, logLength: logLength });
          if (got.grant !== want) throw new Error(`a voter whose log ends at epoch 3 with 10 entries ${got.grant ? "granted" : "refused"} a candidate whose log ends at epoch ${lastLogEpoch} with ${logLength}`);
          if (got.voter.term !== 5) throw new Error(`after a request from epoch 5 the voter should be in epoch 5 (granted or not), got ${got.voter.term}`);
        }
      },
    },
    {
      name: "in 300 random election storms, no epoch ever has two winners", points: 2,
      hint: "if two candidates can both collect 3 of 5 votes in one epoch, some voter voted twice in it",
      run: () => {
        const rng = makeRng(7);
        const nodes = ["n1", "n2", "n3", "n4", "n5"];
        for (let storm = 0; storm < 300; storm++) {
          const voters = new Map<string, VoterState>();
          for (const n of nodes) voters.set(n, { term: 1, votedFor: null, lastLogEpoch: 1, logLength: rng.int(4) });
          // Several candidates start elections in overlapping epochs; their requests arrive in any order.
          const requests: { to: string; req: EpochVoteRequest }[] = [];
          for (let c = 0; c < 3; c++) {
            const candidate = nodes[rng.int(nodes.length)];
            const me = voters.get(candidate)!;
            const req: EpochVoteRequest = { term: 2 + rng.int(2), candidate: candidate, lastLogEpoch: me.lastLogEpoch, logLength: me.logLength };
            for (const to of nodes) requests.push({ to: to, req: req });
          }
          for (let i = requests.length - 1; i > 0; i--) {
            const j = rng.int(i + 1);
            [requests[i], requests[j]] = [requests[j], requests[i]];
          }
          const votes = new Map<string, Set<string>>();
          for (const { to, req } of requests) {
            const got = grantVote(voters.get(to)!, req);
            voters.set(to, got.voter);
            if (got.grant) {
              const key = `${req.term}/${req.candidate}`;
              if (!votes.has(key)) votes.set(key, new Set());
              votes.get(key)!.add(to);
            }
          }
          const winners = new Map<number, string[]>();
          for (const [key, by] of votes) {
            if (by.size < 3) continue;
            const [term, candidate] = key.split("/");
            winners.set(Number(term), [...(winners.get(Number(term)) ?? []), candidate]);
          }
          for (const [term, who] of winners) {
            if (who.length > 1) throw new Error(`epoch ${term} has two leaders: ${who.join(" and ")} each collected a majority`);
          }
        }
      },
    },
  ];
}
