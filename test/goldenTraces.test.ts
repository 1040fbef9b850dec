/**
 * Golden trace hashes (etcd's testdata pattern): each standard run of test/golden/runs.ts
 * must give the hash committed in test/golden/traces.json. A change of behaviour shows as a
 * changed hash, not only as a difference between two runs in one process.
 *
 * Regenerate after a deliberate change, and say in the commit which runs changed and why:
 *   UPDATE_GOLDEN=1 npx mocha test/goldenTraces.test.ts
 * It rewrites the file and prints every hash that changed (old → new). (.mocharc.json adds
 * every spec to the command line; add `--no-config --node-option import=tsx` to run this
 * file alone.)
 */
import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { simulate } from "../lib/sim/engine.js";
import { traceHash } from "../lib/sim/traceHash.js";
import { GOLDEN_RUNS } from "./golden/runs.js";

const FILE = path.join("test", "golden", "traces.json");
const update = process.env.UPDATE_GOLDEN === "1";

function committed(): Record<string, string> {
  return fs.existsSync(FILE) ? (JSON.parse(fs.readFileSync(FILE, "utf8")) as Record<string, string>) : {};
}

describe("golden trace hashes: the standard runs behave as committed (test/golden/traces.json)", function () {
  this.timeout(120_000);
  const golden = committed();
  const computed: Record<string, string> = {};

  for (const [name, config] of Object.entries(GOLDEN_RUNS)) {
    it(`${name} gives its committed trace hash`, () => {
      const run = simulate(config);
      expect(run.history.length, "the run does something").to.be.greaterThan(20);
      computed[name] = traceHash(run);
      if (!update) expect(computed[name], `${name}: behaviour changed; if deliberate, UPDATE_GOLDEN=1 and say why in the commit`).to.equal(golden[name]);
    });
  }

  it("has no stale entries in the golden file", () => {
    if (!update) expect(Object.keys(golden).sort()).to.deep.equal(Object.keys(GOLDEN_RUNS).sort());
  });

  after(() => {
    if (!update) return;
    const changed = Object.keys(computed).filter((k) => golden[k] !== computed[k]);
    for (const k of changed) console.log(`  ${k}: ${golden[k] ?? "(new)"} → ${computed[k]}`);
    for (const k of Object.keys(golden)) if (!(k in computed)) console.log(`  ${k}: removed`);
    console.log(changed.length === 0 ? "  golden hashes unchanged" : `  ${changed.length} golden hash(es) changed`);
    const sorted = Object.fromEntries(Object.keys(computed).sort().map((k) => [k, computed[k]]));
    fs.writeFileSync(FILE, JSON.stringify(sorted, null, 2) + "\n");
  });
});
