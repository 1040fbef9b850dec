/**
 * JSON with line numbers: parses dataset JSON and remembers, for every value, the line it
 * starts on and a readable field path, so schema errors can say
 * `pbs-wars.json line 12, field profiles.LNKD-SSD.W.components[1].dist.rate`.
 * Also rejects duplicate keys, which JSON.parse would silently merge (the last one wins).
 *
 * Introduced in notebooks/01.00-Durability.ipynb (drive failure rates, Azure latencies) and notebooks/05.00-Leaderless-Replication.ipynb (PBS latencies).
 */
import { DatasetError } from "./datasetError.js";

/** Where a value sits in the text: its 1-based line and its field path. */
export interface JsonPlace {
  readonly line: number;
  readonly field: string;
}

/** Parsed JSON plus the place of every value, keyed by JSON Pointer (RFC 6901), "" for the root. */
export interface JsonWithPlaces {
  readonly value: unknown;
  readonly places: ReadonlyMap<string, JsonPlace>;
}

/** Escapes one JSON Pointer segment (RFC 6901 §3): ~ as ~0, / as ~1. Pure. */
export function pointerSegment(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") starts.push(i + 1);
  return starts;
}

function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/**
 * Parses `text` as JSON and records the line and field path of every value. Pure;
 * throws DatasetError naming the line for a syntax error or a duplicate key.
 */
export function parseJsonWithPlaces(text: string, file: string): JsonWithPlaces {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const starts = lineStarts(src);
  let value: unknown;
  try {
    value = JSON.parse(src);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // V8 reports "... in JSON at position N" (newer versions add a line too).
    const at = /position (\d+)/.exec(message);
    const line = at ? lineAt(starts, Number(at[1])) : null;
    throw new DatasetError(file, line, "(syntax)", `is not valid JSON: ${message}`, "fix the JSON syntax (a missing comma, quote or bracket is the usual cause)");
  }

  // The text is valid JSON from here on, so the scanner below can be simple.
  const places = new Map<string, JsonPlace>();
  let i = 0;
  const skipSpace = () => {
    while (i < src.length && (src[i] === " " || src[i] === "\t" || src[i] === "\n" || src[i] === "\r")) i++;
  };
  const readString = (): string => {
    const begin = i;
    i++; // opening quote
    while (src[i] !== '"') i += src[i] === "\\" ? 2 : 1;
    i++; // closing quote
    return JSON.parse(src.slice(begin, i)) as string;
  };
  const scan = (pointer: string, field: string): void => {
    skipSpace();
    places.set(pointer, { line: lineAt(starts, i), field: field || "(root)" });
    const ch = src[i];
    if (ch === "{") {
      i++;
      const keys = new Set<string>();
      skipSpace();
      if (src[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        skipSpace();
        const keyLine = lineAt(starts, i);
        const key = readString();
        const childField = field ? `${field}.${key}` : key;
        if (keys.has(key)) {
          throw new DatasetError(file, keyLine, childField, `key ${JSON.stringify(key)} appears twice in the same object`, "keep one of them (JSON readers silently keep only the last)");
        }
        keys.add(key);
        skipSpace();
        i++; // colon
        scan(`${pointer}/${pointerSegment(key)}`, childField);
        skipSpace();
        if (src[i++] === "}") return;
      }
    }
    if (ch === "[") {
      i++;
      skipSpace();
      if (src[i] === "]") {
        i++;
        return;
      }
      for (let k = 0; ; k++) {
        scan(`${pointer}/${k}`, `${field}[${k}]`);
        skipSpace();
        if (src[i++] === "]") return;
      }
    }
    if (ch === '"') {
      readString();
      return;
    }
    while (i < src.length && !",}] \t\r\n".includes(src[i])) i++; // number, true, false, null
  };
  scan("", "");
  return { value, places };
}

/** The place of `pointer`, falling back to its nearest recorded ancestor. Pure. */
export function placeOf(places: ReadonlyMap<string, JsonPlace>, pointer: string): JsonPlace {
  let p = pointer;
  for (;;) {
    const found = places.get(p);
    if (found) return found;
    if (p === "") return { line: 1, field: "(root)" };
    p = p.slice(0, p.lastIndexOf("/"));
  }
}
