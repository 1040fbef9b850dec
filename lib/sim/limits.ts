/**
 * The bounds the simulator puts on a configuration, so that every accepted config runs in
 * bounded time and memory: a period or timeout near 0 stops virtual time (a timer that
 * fires every 1e-9 ms takes forever to reach the end of a run), and the link table grows
 * with the square of the endpoints (3 nodes with 5,000 clients is 25 million links).
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import { ConfigError } from "../errors.js";

/**
 * The shortest period or timeout accepted, in ms (1 µs): fsync intervals, the OS flush
 * interval, client timeouts. Protocol periods (heartbeats, retries) should use the same bound.
 */
export const MIN_PERIOD_MS = 0.001;

/**
 * Most endpoints (nodes plus clients) in one run: the link table holds their square, each
 * link with its own sampler (250² = 62,500 links build in well under a second; 1,000² took
 * 7 s). Many clients are better modelled as fewer open-loop clients with a higher rate.
 */
export const MAX_ENDPOINTS = 250;

/** Open-loop rates accepted per client, in operations per second. */
export const MIN_RATE_PER_SEC = 1e-6;
export const MAX_RATE_PER_SEC = 1e6;

/** The default event limit of a run: reached in seconds, long before memory runs out. */
export const DEFAULT_MAX_EVENTS = 20_000_000;

/**
 * The stalled-time guard: when this many events in a row (65,536) advance virtual time by
 * less than `STALL_WINDOW_MS`, the run stops with an error instead of running on at a
 * standstill. No run of the course comes near 65 events per virtual µs; a slow protocol
 * handles 65,536 events in about a second.
 */
export const STALL_EVENTS = 1 << 16;
export const STALL_WINDOW_MS = 1;

/** The error a run that passed its event limit stops with. Pure. */
export function tooManyEvents(maxEvents: number, now: number, durationMs: number): ConfigError {
  return new ConfigError(
    "maxEvents",
    `the run passed ${maxEvents} events at ${now} ms of its ${durationMs} ms; likely a protocol loop, a period or timeout near 0, or a very high ratePerSec`,
    "raise maxEvents if the run really needs that many events, else lengthen the smallest period or latency, or shorten durationMs",
  );
}

/** The error a run whose virtual time has (almost) stopped ends with. Pure. */
export function stalledTime(events: number, from: number, now: number): ConfigError {
  return new ConfigError(
    "maxEvents",
    `virtual time has almost stopped: ${STALL_EVENTS} events in a row (event ${events}) moved it only from ${from} to ${now} ms; likely a period, timeout or latency of (nearly) 0, such as a heartbeat or retry every few nanoseconds, zero latency with zero think time, or a very high ratePerSec`,
    `make every period and timeout at least ${MIN_PERIOD_MS} ms, give the network or the disk some latency, or lower ratePerSec; maxEvents cannot lift this stop`,
  );
}

/**
 * Throws unless `value` is a period or timeout of at least MIN_PERIOD_MS, or (with
 * `zeroMeansOff`) exactly 0 for "off". For protocol settings such as heartbeats. Pure.
 */
export function requirePeriod(field: string, value: unknown, zeroMeansOff = false): number {
  if (zeroMeansOff && value === 0) return 0;
  if (typeof value !== "number" || !Number.isFinite(value) || value < MIN_PERIOD_MS) {
    throw new ConfigError(
      field,
      `must be a period of at least ${MIN_PERIOD_MS} ms${zeroMeansOff ? " (or 0 for off)" : ""}, got ${String(value)}`,
      `give a duration in ms of ${MIN_PERIOD_MS} or more: a shorter period stops virtual time`,
    );
  }
  return value;
}
