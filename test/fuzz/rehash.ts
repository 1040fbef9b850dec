/**
 * Child process of the fuzz test: reads fuzz configs (JSON) on stdin, runs each in this
 * fresh process and prints their trace hashes (JSON), so the test can compare a run with
 * the same run in another process (no state carried over from earlier runs).
 */
import { simulate, traceHash } from "../../lib/index.js";
import { type FuzzConfig, toSimConfig } from "./configs.js";

const chunks: Buffer[] = [];
process.stdin.on("data", (c: Buffer) => chunks.push(c));
process.stdin.on("end", () => {
  const configs = JSON.parse(Buffer.concat(chunks).toString("utf8")) as FuzzConfig[];
  const hashes = configs.map((c) => traceHash(simulate(toSimConfig(c))));
  process.stdout.write(JSON.stringify(hashes));
});
