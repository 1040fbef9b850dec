/**
 * Checks for the exercises of notebook 03 whose verdict needs a reference: the follower's
 * append rule (Exercise 3.1) and the vote rule (Exercise 3.4). The references are the
 * protocol's own rules, imported here from inside the library; lib/index.ts exports these
 * check lists but not the references, so a student copy cannot pass by calling them.
 *
 * Introduced in notebooks/03.00-Single-Leader-Replication.ipynb (its Exercises).
 */
import { makeRng, type Rng } from "../sim/rng.js";
import { mergeEntries } from "../protocols/singleLeader/rules.js";
import type { SingleLeaderEntry } from "../protocols/singleLeader/state.js";
import type { ExerciseCheck } from "./check.js";

/** A student's follower append step: the follower's log after an `append` brings `entries`. */
export type ApplyEntriesFn = (log: SingleLeaderEntry[], entries: SingleLeaderEntry[]) => SingleLeaderEntry[];

const values = (log: readonly SingleLeaderEntry[]): string => JSON.stringify(log.map((x) => x.value));
const same = (a: readonly SingleLeaderEntry[], b: readonly SingleLeaderEntry[]): boolean => JSON.stringify(a) === JSON.stringify(b);

function randomLog(rng: Rng, length: number, epoch: number): SingleLeaderEntry[] {
  return Array.from({ length }, (_, k) => ({ index: k, key: `k${rng.int(3)}`, value: rng.int(4), epoch }));
}

/**
 * The checks of Exercise 3.1 (the follower's append step), for `checkExercise`. Each check
 * states a property of the log (Raft §5.3: a conflicting suffix goes, a gap accepts nothing,
 * an append is idempotent), then a comparison on random logs with the protocol's own rule.
 * Pure apart from calling the student's function.
 */
export function checksForExercise31(applyEntries: ApplyEntriesFn): ExerciseCheck[] {
  const e = (index: number, value: number, epoch = 1): SingleLeaderEntry => ({ index, key: `k${index % 3}`, value, epoch });
  return [
    {
      name: "appends new entries, skips ones it already has, and leaves its inputs alone", points: 1,
      run: () => {
        const log = [e(0, 10), e(1, 11)];
        const entries = [e(1, 11), e(2, 12)];
        const got = applyEntries(log, entries);
        if (values(got) !== "[10,11,12]") throw new Error(`log [10,11] + append [11 at 1, 12 at 2] gave ${values(got)}, expected [10,11,12]`);
        if (log.length !== 2 || entries.length !== 2) throw new Error("changed an input array; return a new log instead");
      },
    },
    {
      name: "drops a conflicting suffix from a deposed leader", points: 1,
      hint: "a different entry at the same index means that entry and everything after it came from another leader",
      run: () => {
        const log = [e(0, 1), e(1, 2), e(2, 3), e(3, 4)];
        const got = applyEntries(log, [e(2, 7, 2)]);
        if (values(got) !== "[1,2,7]") throw new Error(`log [1,2,3,4] + append [7 at index 2, epoch 2] gave ${values(got)}, expected [1,2,7]: entries 3 and 4 came after the conflict`);
      },
    },
    {
      name: "accepts nothing past a gap, and the same append twice changes nothing", points: 1,
      hint: "an append that starts beyond the end of the log means a message was lost: the leader will resend from the follower's end",
      run: () => {
        const log = [e(0, 1), e(1, 2)];
        const gap = applyEntries(log, [e(3, 9), e(4, 9)]);
        if (values(gap) !== "[1,2]") throw new Error(`log [1,2] + append starting at index 3 gave ${values(gap)}; index 2 is missing, so nothing can be accepted`);
        const once = applyEntries(log, [e(1, 2), e(2, 3)]);
        const twice = applyEntries(once, [e(1, 2), e(2, 3)]);
        if (!same(once, twice)) throw new Error(`a duplicated append changed the log: ${values(once)} then ${values(twice)}`);
      },
    },
    {
      name: "agrees with the protocol's rule on 500 random logs and appends (gaps included)", points: 2,
      run: () => {
        const rng = makeRng(31);
        for (let i = 0; i < 500; i++) {
          const log = randomLog(rng, rng.int(6), 1);
          const start = rng.int(log.length + 2);
          const entries = randomLog(rng, rng.int(4), 2).map((x, k) => ({ ...x, index: start + k }));
          const got = applyEntries(log.slice(), entries.slice());
          const want = mergeEntries(log, entries);
          if (!same(got, want)) throw new Error(`log ${values(log)} + entries from index ${start} ${values(entries)}: gave ${values(got)}, expected ${values(want)}`);
        }
      },
    },
  ];
}

/** What a voter knows when a vote request arrives. Plain data. */
export interface Voter {
  /** The highest epoch this node has seen. */
  readonly epoch: number;
  /** Whom it voted for in that epoch, or null. */
  readonly votedFor: string | null;
  /** Its log: the number of entries, and the epoch of the last one (0 for an empty log). */
  readonly length: number;
  readonly lastEpoch: number;
}

/** A candidate's vote request. Plain data. */
export interface VoteRequest {
  readonly candidate: string;
  readonly epoch: number;
  readonly length: number;
  readonly lastEpoch: number;
}

/** A student's vote rule: whether `voter` grants its vote to `request`. */
export type GrantVoteFn = (voter: Voter, request: VoteRequest) => boolean;

/** The reference (Raft Figure 2, RequestVote receiver; up to date as in §5.4.1). Pure; not exported from lib/index.ts. */
function referenceGrant(voter: Voter, r: VoteRequest): boolean {
  if (r.epoch < voter.epoch) return false;
  const votedFor = r.epoch > voter.epoch ? null : voter.votedFor;
  if (votedFor !== null && votedFor !== r.candidate) return false;
  return r.lastEpoch > voter.lastEpoch || (r.lastEpoch === voter.lastEpoch && r.length >= voter.length);
}

/** A node's log as the epochs of its entries, and what it would ask or answer with. */
const lastOf = (log: readonly number[]): number => (log.length ? log[log.length - 1]! : 0);
const voterOf = (log: readonly number[], epoch: number, votedFor: string | null): Voter => ({ epoch, votedFor, length: log.length, lastEpoch: lastOf(log) });
const requestOf = (candidate: string, log: readonly number[], epoch: number): VoteRequest => ({ candidate, epoch, length: log.length, lastEpoch: lastOf(log) });

/**
 * The checks of Exercise 3.4 (the vote rule), for `checkExercise`: one vote per epoch
 * (Raft's Election Safety), a winner that holds every committed entry (Leader Completeness,
 * §5.4), including the case where a longer log from a deposed leader must lose, then a
 * comparison with the reference on random requests. Pure apart from calling the student's function.
 */
export function checksForExercise34(grantVote: GrantVoteFn): ExerciseCheck[] {
  return [
    {
      name: "refuses a request from an older epoch; grants a fresh voter an up-to-date candidate", points: 1,
      run: () => {
        if (grantVote(voterOf([1, 1], 3, null), requestOf("n2", [1, 1, 1], 2))) throw new Error("granted a vote in epoch 2 to a voter already in epoch 3");
        if (!grantVote(voterOf([1, 1], 1, null), requestOf("n2", [1, 1], 2))) throw new Error("refused a candidate of a newer epoch with the same log as the voter's");
      },
    },
    {
      name: "votes at most once per epoch (no two leaders in one epoch)", points: 1,
      hint: "remember whom you voted for in this epoch; a newer epoch frees the vote",
      run: () => {
        const rng = makeRng(43);
        for (let i = 0; i < 300; i++) {
          let voter = voterOf([1], 1, null);
          const granted = new Map<number, string>();
          for (let k = 0; k < 6; k++) {
            const r = requestOf(`n${2 + rng.int(3)}`, [1], 2 + rng.int(3));
            if (!grantVote(voter, r)) {
              if (r.epoch > voter.epoch) voter = { ...voter, epoch: r.epoch, votedFor: null };
              continue;
            }
            const before = granted.get(r.epoch);
            if (before !== undefined && before !== r.candidate) throw new Error(`granted epoch ${r.epoch} to both ${before} and ${r.candidate}`);
            granted.set(r.epoch, r.candidate);
            voter = { ...voter, epoch: r.epoch, votedFor: r.candidate };
          }
        }
      },
    },
    {
      name: "a longer log from a deposed leader loses to a shorter one holding a newer epoch's committed entry", points: 1,
      hint: "compare the epochs of the last entries first; the length decides only when they are equal",
      run: () => {
        // n1 led epoch 1 and appended three entries nobody else got; n2 then led epoch 2 and
        // committed one entry on n2 and n3 (a majority). n1 must not win epoch 3: it lacks that entry.
        const n1 = [1, 1, 1, 1];
        const n3 = [1, 2];
        if (grantVote(voterOf(n3, 2, null), requestOf("n1", n1, 3))) throw new Error("n3 voted for n1, whose longer log lacks the committed epoch-2 entry: that write would be lost");
        if (!grantVote(voterOf(n1, 2, null), requestOf("n3", n3, 3))) throw new Error("n1 refused n3, whose log ends in a newer epoch: it is more up to date");
      },
    },
    {
      name: "in 300 random elections among three nodes, every winner holds every committed entry", points: 1,
      run: () => {
        const rng = makeRng(34);
        for (let i = 0; i < 300; i++) {
          // Logs are prefixes of one leader's log (epochs non-decreasing); committed = held by a majority.
          const full = Array.from({ length: 8 }, () => 1 + rng.int(3)).sort((a, b) => a - b);
          const logs = [0, 1, 2].map(() => full.slice(0, rng.int(9)));
          const committed = [...logs].map((l) => l.length).sort((a, b) => b - a)[1]!;
          const c = rng.int(3);
          const votes = 1 + [0, 1, 2].filter((v) => v !== c && grantVote(voterOf(logs[v]!, 3, null), requestOf(`n${c + 1}`, logs[c]!, 4))).length;
          if (votes >= 2 && logs[c]!.length < committed) throw new Error(`candidate with ${logs[c]!.length} entries won although ${committed} were committed (logs ${JSON.stringify(logs)})`);
        }
      },
    },
    {
      name: "agrees with Raft's rule on 1000 random requests", points: 1,
      run: () => {
        const rng = makeRng(304);
        for (let i = 0; i < 1000; i++) {
          const epoch = 1 + rng.int(4);
          const voter: Voter = { epoch, votedFor: rng.int(3) === 0 ? null : `n${1 + rng.int(3)}`, length: rng.int(5), lastEpoch: rng.int(epoch + 1) };
          const r: VoteRequest = { candidate: `n${1 + rng.int(3)}`, epoch: 1 + rng.int(4), length: rng.int(5), lastEpoch: rng.int(4) };
          const got = grantVote(voter, r);
          const want = referenceGrant(voter, r);
          if (got !== want) throw new Error(`voter ${JSON.stringify(voter)}, request ${JSON.stringify(r)}: gave ${got}, expected ${want}`);
        }
      },
    },
  ];
}
