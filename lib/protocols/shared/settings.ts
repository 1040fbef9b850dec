/**
 * Protocol settings with defaults, one style for every protocol: a frozen `DEFAULTS` object
 * next to the config type, and one pure `resolveX(config, nodes)` that returns every setting
 * filled in. A protocol resolves once per node boot (in `init`) and keeps the result in the
 * node's state, so no handler re-derives settings and nothing is cached in a module.
 *
 * Use: `export const X_DEFAULTS = { batchSize: 50 } as const;` and
 * `resolveX(c) { return { ...withDefaults(X_DEFAULTS, c), copies: c.copies }; }`.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */

/** Every key of `defaults`, taken from `given` where it sets it (not undefined), else the default. Pure. */
export function withDefaults<D extends object>(defaults: D, given: { readonly [K in keyof D]?: D[K] }): D {
  const out = {} as D;
  for (const k of Object.keys(defaults) as (keyof D)[]) {
    const v = given[k];
    out[k] = (v === undefined ? defaults[k] : v) as D[keyof D];
  }
  return out;
}
