/**
 * What a leader does with a write of a key it already holds, per conflict policy: the pure
 * core of multi-leader replication. `absorb` takes a key's state and one write (local or
 * replicated) and returns the key's next state and what happened (for the trace).
 *
 * - lww: Kleppmann, DDIA ch. 5, "Converging toward a consistent state": the write with the
 *   greatest (origin's local timestamp, origin id, origin sequence) wins; the order is
 *   `lwwNewer` of the leaderless protocol (shared, not copied). A loser concurrent with the
 *   winner is a *discarded* write; a loser that happened after the winner (its version vector
 *   descends from the winner's) is a *causal loss*, possible only when clocks are skewed.
 * - siblings: version vectors with dots, as Riak keeps them (Preguiça et al., "Dotted
 *   Version Vectors", 2010): a version is superseded once a write's context (what the
 *   client's read had seen) covers its dot; a blind write supersedes nothing, so siblings
 *   pile up until a client writes back the context of a read.
 * - crdt: the key holds a state-based CRDT of lib/crdt; replicated states merge (Shapiro et
 *   al., INRIA RR-7506, 2011, § 2.2).
 * - custom: versions kept by version vector, as siblings; while there are several, the key's
 *   values are `merge` folded over them in value order (`merge(key, mine, theirs)`), so
 *   every replica that has seen the same writes computes the same values.
 * - certify: writes arrive already in one total order; the latest certified one holds.
 *
 * Introduced in notebooks/04.00-Multi-Leader-Replication.ipynb.
 */
import { crdtValue, mergeCrdt, type Crdt } from "../../crdt/crdt.js";
import { gCounter, gIncrement } from "../../crdt/gCounter.js";
import { lwwAssign, lwwRegister } from "../../crdt/lwwRegister.js";
import { mvAssign, mvRegister } from "../../crdt/mvRegister.js";
import { orAdd, orSet } from "../../crdt/orSet.js";
import { pnCounter, pnIncrement } from "../../crdt/pnCounter.js";
import { ConfigError, describe } from "../../errors.js";
import type { NodeId } from "../../sim/trace.js";
import { lwwNewer } from "../leaderless/quorum.js";
import { compareVv, EMPTY_VV, mergeVv, reconcile, type VersionVector } from "../shared/versionVector.js";
import type { ConflictPolicy, MergeFunction } from "./config.js";

/** One write as it travels between leaders. Plain data. */
export interface Write {
  /** `${origin}:${seq}`: unique per write. */
  readonly id: string;
  readonly origin: NodeId;
  /** The origin's count of writes it took from clients, this one included. */
  readonly seq: number;
  readonly key: string;
  /** The client's unique value. */
  readonly value: number;
  /** The origin's local clock when it took the write (LWW orders by it). */
  readonly ts: number;
  /** Everything the origin had applied of this key, plus this write's own dot. */
  readonly vv: VersionVector;
  /** siblings: the context the client's read returned (absent: a blind write). */
  readonly ctx?: VersionVector;
  /** crdt: the key's CRDT state at the origin after this write. */
  readonly state?: Crdt;
  /** Writes of every origin the origin had applied (contiguously) when it took this one. */
  readonly deps: VersionVector;
  /** certify: position in the total order, and whether the write was certified. */
  readonly pos?: number;
  readonly certified?: boolean;
}

/** One kept version of a key. */
export interface Version {
  readonly value: number;
  readonly ts: number;
  readonly origin: NodeId;
  readonly seq: number;
  readonly vv: VersionVector;
  readonly ctx?: VersionVector;
}

/** A key's state at a node. */
export interface KeyState {
  /** Everything applied here for the key (merge of every write's vector). */
  readonly vv: VersionVector;
  /** The versions kept (one, except for siblings and a custom merge's result). */
  readonly versions: readonly Version[];
  /** crdt: the key's CRDT. */
  readonly crdt?: Crdt;
  /** siblings: the merge of the client contexts of every write taken in (what has been read and replaced). */
  readonly ctx?: VersionVector;
  /** custom: what merge made of the siblings (absent while there is one version). */
  readonly values?: readonly number[];
}

/** What absorbing a write did. */
export interface Absorbed {
  readonly next: KeyState;
  /** lww: values of writes that lost to a concurrent write. */
  readonly discarded: readonly number[];
  /** lww: values of writes that lost to a write they causally follow (clock skew). */
  readonly causalLoss: readonly number[];
}

/** An empty key. */
export const EMPTY_KEY: KeyState = Object.freeze({ vv: EMPTY_VV, versions: [] });

/** The version a write becomes. Pure. */
export function versionOf(w: Write): Version {
  const v: Version = { value: w.value, ts: w.ts, origin: w.origin, seq: w.seq, vv: w.vv };
  return w.ctx === undefined ? v : { ...v, ctx: w.ctx };
}

/** The dot of a version: its origin and the origin's counter for this key. */
function dotOf(v: Version): VersionVector {
  return { [v.origin]: v.vv[v.origin] ?? 0 };
}

/** The context a read of these siblings returns: each one's context and dot, merged. Pure. */
export function readContext(versions: readonly Version[]): VersionVector {
  return versions.reduce((acc, v) => mergeVv(mergeVv(acc, v.ctx ?? EMPTY_VV), dotOf(v)), EMPTY_VV);
}

/** The CRDT state a key starts from. Pure. */
export function initialCrdt(type: Crdt["type"], initial?: Crdt): Crdt {
  if (initial !== undefined) return initial;
  switch (type) {
    case "g-counter": return gCounter();
    case "pn-counter": return pnCounter();
    case "or-set": return orSet();
    case "lww-register": return lwwRegister();
    case "mv-register": return mvRegister();
  }
}

/**
 * A client's write as a CRDT update at `replica`: counters add one, the OR-Set adds the
 * value, the registers assign it (the LWW-register at the replica's clock `now`). Pure.
 */
export function crdtUpdate(c: Crdt, value: number, replica: NodeId, now: number): Crdt {
  switch (c.type) {
    case "g-counter": return gIncrement(c, replica, 1);
    case "pn-counter": return pnIncrement(c, replica, 1);
    case "or-set": return orAdd(c, value, replica);
    case "lww-register": return lwwAssign(c, value, now, replica);
    case "mv-register": return mvAssign(c, value, replica);
  }
}

/** What a node holding `k` reports as the key's values (for convergence and lost-write checks). Pure. */
export function valuesOf(k: KeyState, policy: ConflictPolicy): number[] {
  if (policy === "crdt") {
    if (k.crdt === undefined) return [];
    const v = crdtValue(k.crdt);
    if (Array.isArray(v)) return (v as unknown[]).filter((x): x is number => typeof x === "number");
    return typeof v === "number" ? [v] : [];
  }
  if (policy === "custom" && k.values !== undefined) return [...k.values];
  return k.versions.map((v) => v.value);
}

/**
 * `k` after taking in write `w` under `policy` (see the module comment). `merge` is the custom
 * policy's function; one that throws gives a ConfigError naming the key and both values. Pure.
 */
export function absorb(k: KeyState, w: Write, policy: ConflictPolicy, merge?: MergeFunction, crdtType?: Crdt["type"], crdtInitial?: Crdt): Absorbed {
  const vv = mergeVv(k.vv, w.vv);
  const incoming = versionOf(w);
  const none: number[] = [];
  switch (policy) {
    case "certify":
      return { next: { vv, versions: w.certified === false ? k.versions : [incoming] }, discarded: none, causalLoss: none };
    case "lww": {
      const held = k.versions[0];
      if (held === undefined) return { next: { vv, versions: [incoming] }, discarded: none, causalLoss: none };
      const inWins = lwwNewer(incoming, held);
      const [winner, loser] = inWins ? [incoming, held] : [held, incoming];
      const order = compareVv(loser.vv, winner.vv);
      return {
        next: { vv, versions: [winner] },
        discarded: order === "concurrent" ? [loser.value] : none,
        causalLoss: order === "after" ? [loser.value] : none,
      };
    }
    case "siblings": {
      // A version is gone once the context of any write taken in for the key covers its dot;
      // the key keeps the merge of every such context, so what survives is the same set
      // whatever order the writes arrived in (dotted version vectors, Preguiça et al. 2010).
      const ctx = mergeVv(k.ctx ?? EMPTY_VV, incoming.ctx ?? EMPTY_VV);
      const all = [...k.versions, incoming];
      const kept = all.filter((v, i) => (ctx[v.origin] ?? 0) < (v.vv[v.origin] ?? 0) && all.findIndex((u) => u.value === v.value) === i);
      return { next: { vv, versions: kept, ctx }, discarded: none, causalLoss: none };
    }
    case "custom": {
      // Siblings by version vector (the maximal versions of every write seen: the same set
      // whatever the arrival order), resolved by folding merge over them in value order, so
      // replicas agree even when the merge is not commutative.
      const versions = reconcile([...k.versions, incoming], (v) => v.vv).sort((a, b) => a.value - b.value);
      if (versions.length === 1) return { next: { vv, versions }, discarded: none, causalLoss: none };
      let values: readonly number[] = [versions[0].value];
      for (const v of versions.slice(1)) values = callMerge(merge!, w.key, values, [v.value]);
      return { next: { vv, versions, values }, discarded: none, causalLoss: none };
    }
    case "crdt": {
      const held = k.crdt ?? initialCrdt(crdtType!, crdtInitial);
      const crdt = w.state === undefined ? held : mergeCrdt(held, w.state);
      return { next: { vv, versions: [], crdt }, discarded: none, causalLoss: none };
    }
  }
}

/** Calls a custom merge; a throw or a result that is not a list of numbers becomes a ConfigError naming the key and values. */
function callMerge(merge: MergeFunction, key: string, a: readonly number[], b: readonly number[]): readonly number[] {
  let values: readonly number[];
  try {
    values = merge(key, a, b);
  } catch (e) {
    throw new ConfigError("config.merge", `threw on key ${JSON.stringify(key)} merging values [${a.join(", ")}] and [${b.join(", ")}]: ${(e as Error)?.message ?? describe(e)}`, "make merge return a list of values for any two lists, without throwing");
  }
  if (!Array.isArray(values) || values.some((x) => typeof x !== "number")) {
    throw new ConfigError("config.merge", `returned ${describe(values)} on key ${JSON.stringify(key)} for values [${a.join(", ")}] and [${b.join(", ")}]`, "return a list of numbers");
  }
  return values;
}
