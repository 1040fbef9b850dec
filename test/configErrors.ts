/** Test helper: what a call that must reject its input threw. */
import { expect } from "chai";
import { ConfigError } from "../lib/errors.js";

/** Runs `fn` and returns the ConfigError it throws; fails the test if it throws nothing or something else. */
export function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error("expected a ConfigError");
}
