/**
 * Fault windows: the stretches of virtual time during which something was broken (a node
 * down, the network split), computed from a fault schedule or a trace so that every chart
 * can shade them behind its data and the reader sees cause next to effect.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import { ConfigError, describe, requireNumber } from "../errors.js";
import type { Fault } from "../sim/faults.js";
import type { NodeId, TraceEvent } from "../sim/trace.js";

/** What a window shows. `clock` windows are instants (start = end): a clock was skewed then. */
export type FaultWindowKind = "crash" | "lose-disk" | "pause" | "partition" | "clock";

/** One shaded interval [start, end] of virtual time (ms) with its label. Plain data. */
export interface FaultWindow {
  readonly start: number;
  readonly end: number;
  /** Words for the chart, e.g. "n1 crashed", "partition {n1,n2} | {n3}". */
  readonly label: string;
  readonly kind: FaultWindowKind;
  /** The node the fault is about; absent for partitions. */
  readonly node?: NodeId;
  /** True when the fault had not ended by `endTime` (the window runs to the end of the run). */
  readonly open: boolean;
}

interface Opening {
  readonly start: number;
  readonly label: string;
  readonly kind: FaultWindowKind;
  readonly node?: NodeId;
}

/**
 * Turns faults into windows. Pure.
 *
 * Pairs: crash → restart, lose-disk → restart (a lost disk also takes the node down),
 * pause → resume, partition → heal (a heal ends every open partition). A window still open
 * at `endTime` ends there. Clock skews are instants. A restart of a node that is up, a
 * resume of a node that runs, or a heal without a partition changes nothing.
 *
 * @param input a fault schedule (`Fault[]`, any order) or a whole trace (its `fault`
 *   events are used, in trace order; other events are ignored).
 * @param endTime when the run ended (ms); must not be before any fault.
 * @returns windows sorted by start time, then label.
 */
export function faultWindows(input: readonly (Fault | TraceEvent)[], endTime: number): FaultWindow[] {
  if (!Array.isArray(input)) {
    throw new ConfigError("faults", `must be a list of faults or a trace, got ${describe(input)}`, "pass sim.faults or the run's trace");
  }
  requireNumber("endTime", endTime);
  const timed = collectFaults(input, endTime);

  const windows: FaultWindow[] = [];
  const down = new Map<NodeId, Opening>();
  const paused = new Map<NodeId, Opening>();
  let partitions: Opening[] = [];
  const close = (o: Opening, end: number, open = false): void => {
    windows.push({ start: o.start, end, label: o.label, kind: o.kind, ...(o.node === undefined ? {} : { node: o.node }), open });
  };

  for (const { t, fault } of timed) {
    switch (fault.kind) {
      case "crash":
        if (!down.has(fault.node)) down.set(fault.node, { start: t, label: `${fault.node} crashed`, kind: "crash", node: fault.node });
        break;
      case "lose-disk": {
        // Losing the disk is worse than the crash that may already be shown: end that window
        // here and show the rest of the outage as a lost disk.
        const prev = down.get(fault.node);
        if (prev !== undefined && prev.kind === "lose-disk") break;
        if (prev !== undefined) close(prev, t);
        down.set(fault.node, { start: t, label: `${fault.node} lost its disk`, kind: "lose-disk", node: fault.node });
        break;
      }
      case "restart": {
        const prev = down.get(fault.node);
        if (prev !== undefined) {
          close(prev, t);
          down.delete(fault.node);
        }
        break;
      }
      case "pause":
        if (!paused.has(fault.node)) paused.set(fault.node, { start: t, label: `${fault.node} paused`, kind: "pause", node: fault.node });
        break;
      case "resume": {
        const prev = paused.get(fault.node);
        if (prev !== undefined) {
          close(prev, t);
          paused.delete(fault.node);
        }
        break;
      }
      case "partition":
        partitions.push({ start: t, label: partitionLabel(fault.groups, fault.oneWay === true), kind: "partition" });
        break;
      case "heal":
        for (const p of partitions) close(p, t);
        partitions = [];
        break;
      case "clock":
        windows.push({ start: t, end: t, label: clockLabel(fault.node, fault.skewMs, fault.drift), kind: "clock", node: fault.node, open: false });
        break;
    }
  }
  for (const o of [...down.values(), ...paused.values(), ...partitions]) close(o, endTime, true);

  return windows.sort((a, b) => a.start - b.start || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

/** "partition {n1,n2} | {n3}"; a single listed group is cut off from "rest". Pure. */
export function partitionLabel(groups: readonly (readonly NodeId[])[], oneWay: boolean): string {
  const sets = groups.map((g) => `{${g.join(",")}}`);
  if (sets.length === 1) sets.push("rest");
  if (oneWay) return `one-way partition ${sets[0]} → ${sets.slice(1).join(" | ")}`;
  return `partition ${sets.join(" | ")}`;
}

function clockLabel(node: NodeId, skewMs: number, drift: number | undefined): string {
  const sign = skewMs >= 0 ? "+" : "−";
  const base = `${node} clock ${sign}${Math.abs(skewMs)} ms`;
  return drift === undefined || drift === 0 ? base : `${base}, drift ${drift}`;
}

/** Faults with their effective times, validated, in the order they took effect. */
function collectFaults(input: readonly (Fault | TraceEvent)[], endTime: number): { t: number; fault: Fault }[] {
  const out: { t: number; fault: Fault; i: number }[] = [];
  let fromSchedule = false;
  input.forEach((item, i) => {
    if (item === null || typeof item !== "object") {
      throw new ConfigError(`faults[${i}]`, `must be a fault or a trace event, got ${describe(item)}`, "pass sim.faults or the run's trace");
    }
    let t: number;
    let fault: Fault;
    if ("type" in item) {
      if (item.type !== "fault") return;
      t = requireNumber(`trace[${i}].t`, item.t);
      fault = item.fault;
    } else if ("kind" in item) {
      fromSchedule = true;
      t = requireNumber(`faults[${i}].at`, item.at);
      fault = item;
    } else {
      throw new ConfigError(`faults[${i}]`, `is neither a fault nor a trace event: ${describe(item)}`, "pass sim.faults or the run's trace");
    }
    if (t > endTime) {
      throw new ConfigError(`faults[${i}].at`, `is ${t}, after endTime ${endTime}`, "pass the time the run ended as endTime, or drop faults after it");
    }
    out.push({ t, fault, i });
  });
  // A schedule may be written in any order; a trace is already in the order faults took effect.
  if (fromSchedule) out.sort((a, b) => a.t - b.t || a.i - b.i);
  return out;
}
