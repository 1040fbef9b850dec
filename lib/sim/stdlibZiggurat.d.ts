/**
 * Types for the one internal file of `@stdlib/random-base-improved-ziggurat` (pinned in
 * package.json) that lib/sim/distributions.ts uses: the sampler built from a uniform
 * source and an integer source, which the package's own factory builds too.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb (with the distributions).
 */
declare module "@stdlib/random-base-improved-ziggurat/lib/improved_ziggurat.js" {
  /** Standard normal draws by the improved ziggurat (Doornik 2005) from `randu` ([0, 1)) and `randi` (uint32). */
  function improvedZiggurat(randu: () => number, randi: () => number): () => number;
  export default improvedZiggurat;
}
