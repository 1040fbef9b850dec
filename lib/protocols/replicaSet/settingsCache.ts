/**
 * Settings resolved from a protocol's config once per config object, not once per event.
 * TODO(shared): lib/protocols/shared/settings merges defaults (withDefaults) but keeps no
 * per-config cache; this cache belongs there if another protocol wants one.
 * Introduced in notebooks/06.00-Replica-Sets.ipynb.
 */
import type { NodeId } from "../../sim/trace.js";

const cache = new WeakMap<object, { readonly nodes: readonly NodeId[]; readonly value: unknown }>();

/** `resolve(config, nodes)`, computed once per config object and then reused. Pure (memoised). */
export function resolvedSettings<C extends object, T>(config: C, nodes: readonly NodeId[], resolve: (c: C, n: readonly NodeId[]) => T): T {
  const hit = cache.get(config);
  if (hit !== undefined && hit.nodes === nodes) return hit.value as T;
  const value = resolve(config, nodes);
  cache.set(config, { nodes, value });
  return value;
}
