/**
 * Mitzenmacher's supermarket model in closed form ("The Power of Two Choices in Randomized
 * Load Balancing", IEEE TPDS 12(10), 2001): n servers, each a FIFO queue with exponential
 * service of mean 1; jobs arrive as one Poisson stream of rate λn; each job samples d
 * servers uniformly at random and joins the shortest queue. As n → ∞ the fraction of
 * servers holding at least i jobs tends to λ^((dⁱ − 1)/(d − 1)), so the expected time a
 * job spends in the system (waiting plus service) tends to
 *
 *   T_d(λ) = Σ_{i≥1} λ^((dⁱ − d)/(d − 1))          (d ≥ 2),   T_1(λ) = 1/(1 − λ).
 *
 * d = 1 is n independent M/M/1 queues. Going from 1 to 2 choices turns the tail of the
 * queue lengths from geometric to doubly exponential; more choices help much less.
 *
 * Introduced in notebooks/01.01-Many-Servers.ipynb.
 */
import { ConfigError, describe, requireInteger } from "../errors.js";

/**
 * Expected time in system (in units of the mean service time) of the supermarket model
 * with `d` choices at arrival rate `lambda` per server, in the limit of many servers. Pure.
 * Throws a ConfigError for d < 1 or λ outside [0, 1).
 */
export function supermarketTimeInSystem(lambda: number, d: number): number {
  requireInteger("d", d, 1);
  if (typeof lambda !== "number" || !Number.isFinite(lambda) || lambda < 0 || lambda >= 1) {
    throw new ConfigError("lambda", `must be an arrival rate per server in [0, 1) (the load; at 1 or more the queues grow without bound), got ${describe(lambda)}`, "use e.g. 0.9");
  }
  if (d === 1) return 1 / (1 - lambda);
  let sum = 0;
  // The exponents (dⁱ − d)/(d − 1) = d + d² + … + d^(i−1) grow doubly exponentially: a
  // handful of terms reach double precision.
  for (let i = 1; i < 64; i++) {
    const exponent = (d ** i - d) / (d - 1);
    const term = lambda ** exponent;
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return sum;
}

/**
 * The fraction of servers holding at least `i` jobs in the same limit: λ^((dⁱ − 1)/(d − 1))
 * (d ≥ 2), λ^i (d = 1). Pure.
 */
export function supermarketTailFraction(lambda: number, d: number, i: number): number {
  supermarketTimeInSystem(lambda, d); // validates λ and d
  requireInteger("i", i, 0);
  return d === 1 ? lambda ** i : lambda ** ((d ** i - 1) / (d - 1));
}
