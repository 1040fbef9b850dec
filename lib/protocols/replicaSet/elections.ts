/**
 * The election rules of replica set protocol version 1, as pure functions.
 *
 * MongoDB manual, "Replica Set Elections" (https://www.mongodb.com/docs/manual/core/replica-set-elections/)
 * and "Replica Set Protocol Version": a secondary that has not heard from a primary for
 * `electionTimeoutMillis` (plus a random offset, up to 15 % of it, MongoDB's
 * electionTimeoutOffsetLimitFraction) calls an election; it first runs a *dry run* (asks
 * for votes without raising the term) so a member that cannot win does not depose a
 * working primary; then it raises its term and asks again. Each member casts one vote per
 * term, and only for a candidate whose last optime is at least as recent as its own. A
 * candidate needs a majority of the voting members. A primary that no longer sees a
 * majority of the voting members steps down. A higher-priority member that is caught up
 * calls an election after a delay that grows with the number of members ranked above it
 * ("priority takeover").
 * Introduced in notebooks/06.00-Replica-Sets.ipynb.
 */
import type { NodeId } from "../../sim/trace.js";
import type { Member } from "./config.js";
import { compareOpTime, type OpTime } from "./oplog.js";

/** A strict majority of `n` voters. Pure. */
export function majorityOf(n: number): number {
  return Math.floor(n / 2) + 1;
}

/** The election timeout drawn for one wait: the timeout plus `u` (a draw in [0, 1)) times 15 % of it. Pure. */
export function electionTimeoutWithOffset(electionTimeoutMs: number, u: number): number {
  return electionTimeoutMs + u * 0.15 * electionTimeoutMs;
}

/** What a voter knows when it is asked for a vote. */
export interface ReplicaSetVoterView {
  readonly term: number;
  /** The term of this voter's last vote, and for whom (null: none). */
  readonly lastVote: { readonly term: number; readonly candidate: NodeId | null };
  readonly lastOpTime: OpTime;
}

/** A vote request (replSetRequestVotes). */
export interface ReplicaSetVoteRequest {
  readonly candidate: NodeId;
  /** The term the candidate would run in (its term + 1 for a dry run). */
  readonly term: number;
  readonly lastOpTime: OpTime;
  readonly dryRun: boolean;
}

/** A voter's answer, with the reason in words. */
export interface ReplicaSetVoteDecision {
  readonly granted: boolean;
  readonly reason: string;
}

/**
 * Whether a voter grants `req`: the term is not older than the voter's, the voter has not
 * voted for someone else in that term (a dry run neither checks nor records a vote), and the candidate's last optime is at least as recent as the voter's. Pure.
 */
export function decideVote(voter: ReplicaSetVoterView, req: ReplicaSetVoteRequest): ReplicaSetVoteDecision {
  if (req.term < voter.term) return { granted: false, reason: `term ${req.term} is older than the voter's term ${voter.term}` };
  if (!req.dryRun && voter.lastVote.term === req.term && voter.lastVote.candidate !== req.candidate) {
    return { granted: false, reason: `already voted for ${voter.lastVote.candidate} in term ${req.term}` };
  }
  if (compareOpTime(req.lastOpTime, voter.lastOpTime) < 0) return { granted: false, reason: "candidate's oplog is behind the voter's" };
  return { granted: true, reason: "granted" };
}

/** Whether `votes` (voter ids, the candidate's own included) are a majority of `voters`. Pure. */
export function isMajority(votes: readonly NodeId[], voters: readonly NodeId[]): boolean {
  return votes.filter((v) => voters.includes(v)).length >= majorityOf(voters.length);
}

/** Whether a member may ever stand for election: data-bearing, voting, priority above 0. Pure. */
export function electable(m: Member): boolean {
  return m.priority > 0 && m.votes === 1 && !m.arbiter;
}

/**
 * How long a higher-priority member waits before a priority takeover: one election timeout
 * per electable member whose priority is above its own, plus one (MongoDB's
 * priority-takeover delay), plus the random offset `u` in [0, 1) of 15 %. Pure.
 */
export function priorityTakeoverDelay(self: Member, members: readonly Member[], electionTimeoutMs: number, u: number): number {
  const rank = members.filter((m) => electable(m) && m.priority > self.priority).length;
  return (rank + 1) * electionTimeoutMs + u * 0.15 * electionTimeoutMs;
}
