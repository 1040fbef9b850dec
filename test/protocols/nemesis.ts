/**
 * A random fault schedule for many-seed safety tests, Jepsen's nemesis in miniature: one
 * node at a time is partitioned off, crashed or paused, then healed, restarted or resumed,
 * with random gaps, and everything is over by `endBy`. Seeded; the same options and seed
 * give the same schedule.
 */
import type { Fault } from "../../lib/sim/faults.js";
import { makeRng, type Rng } from "../../lib/sim/rng.js";
import type { NodeId } from "../../lib/sim/trace.js";

/** The shape of a schedule: times in ms, each range as [minimum, minimum + spread). */
export interface NemesisOptions {
  readonly nodes: readonly NodeId[];
  /** When the first fault starts. */
  readonly firstAt: readonly [number, number];
  /** No fault starts at or after this time. */
  readonly startsBefore: number;
  /** Every fault is over by this time. */
  readonly endBy: number;
  /** How long a fault lasts. */
  readonly lasts: readonly [number, number];
  /** The quiet time between one fault's end and the next one's start. */
  readonly gap: readonly [number, number];
  /** The groups a partition that strikes `node` makes (it may draw from `r`). */
  readonly partition: (node: NodeId, r: Rng) => NodeId[][];
}

/** A schedule of partitions, crashes and pauses (see the module comment). Pure. */
export function randomFaults(seed: number, o: NemesisOptions): Fault[] {
  const r = makeRng(seed).fork("nemesis");
  const faults: Fault[] = [];
  let t = o.firstAt[0] + r.uniform() * o.firstAt[1];
  while (t < o.startsBefore) {
    const node = o.nodes[r.int(o.nodes.length)];
    const end = Math.min(o.endBy, t + o.lasts[0] + r.uniform() * o.lasts[1]);
    switch (r.int(3)) {
      case 0:
        faults.push({ kind: "partition", at: t, groups: o.partition(node, r) }, { kind: "heal", at: end });
        break;
      case 1:
        faults.push({ kind: "crash", at: t, node }, { kind: "restart", at: end, node });
        break;
      default:
        faults.push({ kind: "pause", at: t, node }, { kind: "resume", at: end, node });
    }
    t = end + o.gap[0] + r.uniform() * o.gap[1];
  }
  return faults;
}
