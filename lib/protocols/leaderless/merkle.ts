/**
 * Merkle trees for anti-entropy (Merkle, 1987; Dynamo, SOSP 2007 §4.7; Cassandra's
 * repair). Keys are bucketed by hash into 2^depth leaves; a leaf's hash covers the
 * versions of its keys, an inner node's hash covers its two children. Two replicas compare
 * roots first and descend only into subtrees whose hashes differ, so when they agree on
 * almost everything they exchange a few hashes instead of every key.
 *
 * Introduced in notebooks/05.00-Leaderless-Replication.ipynb.
 */
import { requireInteger } from "../../errors.js";
import { hash32 } from "./ring.js";

/** A Merkle tree as levels of hashes: `levels[0]` is `[root]`, `levels[depth]` the leaves. */
export interface MerkleTree {
  readonly depth: number;
  readonly levels: readonly Uint32Array[];
}

/** The leaf (bucket) a key falls in, for a tree of `depth`. Pure. */
export function leafOf(key: string, depth: number): number {
  return depth === 0 ? 0 : hash32(key) >>> (32 - depth);
}

function combine(a: number, b: number): number {
  return hash32(`${a}:${b}`);
}

/**
 * Builds the tree over `entries` (key, digest of the key's versions). Pure: the same set
 * of entries in any order gives the same tree.
 */
export function buildMerkle(entries: Iterable<readonly [string, string]>, depth = 6): MerkleTree {
  requireInteger("merkle.depth", depth, 0, 16);
  const leaves = new Uint32Array(2 ** depth);
  for (const [key, digest] of entries) {
    // XOR of per-key hashes: independent of insertion order, and an empty leaf hashes to 0.
    leaves[leafOf(key, depth)] ^= hash32(`${key}=${digest}`);
  }
  const levels: Uint32Array[] = [leaves];
  for (let d = depth; d > 0; d--) {
    const below = levels[0];
    const up = new Uint32Array(below.length / 2);
    for (let i = 0; i < up.length; i++) up[i] = combine(below[2 * i], below[2 * i + 1]);
    levels.unshift(up);
  }
  return { depth, levels };
}

/** What comparing two trees top-down costs and finds. Plain data. */
export interface MerkleDiff {
  /** Hashes one side sent the other (one per tree node compared). */
  readonly hashesExchanged: number;
  /** Round trips: one per level descended. */
  readonly rounds: number;
  /** Leaves whose hashes differ: only their keys need exchanging. */
  readonly differingLeaves: readonly number[];
}

/** Compares two trees of the same depth top-down, descending only where hashes differ. Pure. */
export function diffMerkle(a: MerkleTree, b: MerkleTree): MerkleDiff {
  if (a.depth !== b.depth) throw new RangeError(`trees of depth ${a.depth} and ${b.depth} cannot be compared`);
  let frontier = [0];
  let hashes = 0, rounds = 0;
  for (let level = 0; level <= a.depth; level++) {
    rounds++;
    hashes += frontier.length;
    const differ = frontier.filter((i) => a.levels[level][i] !== b.levels[level][i]);
    if (level === a.depth || differ.length === 0) return { hashesExchanged: hashes, rounds, differingLeaves: level === a.depth ? differ : [] };
    frontier = differ.flatMap((i) => [2 * i, 2 * i + 1]);
  }
  return { hashesExchanged: hashes, rounds, differingLeaves: [] };
}
