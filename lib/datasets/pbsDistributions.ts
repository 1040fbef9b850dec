/**
 * The WARS latency distributions that Bailis et al. fitted to production traces in
 * "Probabilistically Bounded Staleness for Practical Partial Quorums" (VLDB 2012), in the
 * simulator's distribution vocabulary so a profile plugs straight into a network model.
 * W: coordinator → replica (write), A: replica → coordinator (write ack),
 * R: coordinator → replica (read), S: replica → coordinator (read response).
 *
 * Introduced in notebooks/01.00-Durability.ipynb (drive failure rates, Azure latencies) and notebooks/05.00-Leaderless-Replication.ipynb (PBS latencies).
 */
import { Ajv } from "ajv";
import type { ErrorObject, ValidateFunction } from "ajv";
import { describe, requireOneOf } from "../errors.js";
import { DatasetError } from "./datasetError.js";
import { parseJsonWithPlaces, placeOf, pointerSegment } from "./jsonText.js";
import type { JsonPlace } from "./jsonText.js";

/**
 * A latency distribution as data, in ms. Structurally the simulator's `Distribution`
 * (lib/sim/distributions.ts); kept local so this module stands alone.
 */
export type PbsDistribution =
  | { readonly kind: "constant"; readonly value: number }
  | { readonly kind: "uniform"; readonly min: number; readonly max: number }
  | { readonly kind: "exponential"; readonly rate: number }
  | { readonly kind: "normal"; readonly mean: number; readonly sd: number }
  | { readonly kind: "pareto"; readonly scale: number; readonly shape: number }
  | { readonly kind: "mixture"; readonly components: readonly { readonly weight: number; readonly dist: PbsDistribution }[] }
  | { readonly kind: "empirical"; readonly values: readonly number[] };

/** The wide-area delay of the WAN profile: a note on top of the distributions, not one. */
export interface PbsWanDelay {
  /** Added to each message between the coordinator and a remote replica, each way. */
  readonly oneWayDelayMs: number;
  /** Replicas in the coordinator's datacenter; the others are remote. */
  readonly localReplicas: number;
  readonly note: string;
}

/** One PBS production profile: its four WARS distributions and, for WAN, the remote delay. */
export interface PbsProfile {
  readonly name: string;
  readonly description: string;
  readonly W: PbsDistribution;
  readonly A: PbsDistribution;
  readonly R: PbsDistribution;
  readonly S: PbsDistribution;
  readonly wan: PbsWanDelay | null;
}

const KINDS = ["constant", "uniform", "exponential", "normal", "pareto", "mixture", "empirical"] as const;
const positive = { type: "number", exclusiveMinimum: 0 };
const nonNegative = { type: "number", minimum: 0 };
const branch = (kind: string, props: Record<string, object>) => ({
  type: "object",
  required: ["kind", ...Object.keys(props)],
  additionalProperties: false,
  properties: { kind: { const: kind }, ...props },
});

/** JSON Schema (draft 2020-12 subset, as ajv 8 reads it) of `pbs-wars.json`. */
export const PBS_SCHEMA = {
  type: "object",
  required: ["units", "profiles"],
  additionalProperties: false,
  properties: {
    units: { type: "string" },
    profiles: { type: "object", minProperties: 1, additionalProperties: { $ref: "#/$defs/profile" } },
  },
  $defs: {
    profile: {
      type: "object",
      required: ["description", "W", "A", "R", "S", "wan"],
      additionalProperties: false,
      properties: {
        description: { type: "string", minLength: 1 },
        W: { $ref: "#/$defs/dist" },
        A: { $ref: "#/$defs/dist" },
        R: { $ref: "#/$defs/dist" },
        S: { $ref: "#/$defs/dist" },
        wan: {
          // null for most profiles; an object only for WAN. Object keywords below apply
          // only when it is an object.
          type: ["object", "null"],
          required: ["oneWayDelayMs", "localReplicas", "note"],
          additionalProperties: false,
          properties: {
            oneWayDelayMs: positive,
            localReplicas: { type: "integer", minimum: 1 },
            note: { type: "string", minLength: 1 },
          },
        },
      },
    },
    dist: {
      type: "object",
      discriminator: { propertyName: "kind" },
      oneOf: [
        branch("constant", { value: nonNegative }),
        branch("uniform", { min: nonNegative, max: nonNegative }),
        branch("exponential", { rate: positive }),
        branch("normal", { mean: nonNegative, sd: positive }),
        branch("pareto", { scale: positive, shape: positive }),
        branch("mixture", {
          components: {
            type: "array",
            minItems: 1,
            items: {
              type: "object",
              required: ["weight", "dist"],
              additionalProperties: false,
              properties: { weight: { type: "number", exclusiveMinimum: 0, maximum: 1 }, dist: { $ref: "#/$defs/dist" } },
            },
          },
        }),
        branch("empirical", { values: { type: "array", minItems: 1, items: nonNegative } }),
      ],
    },
  },
} as const;

// Compiled on first use and kept: compiling is the slow part, validating is cheap.
let validator: ValidateFunction | null = null;
function validatePbs(data: unknown): readonly ErrorObject[] {
  if (!validator) {
    const ajv = new Ajv({ allErrors: false, verbose: true, discriminator: true, strict: true, allowUnionTypes: true });
    validator = ajv.compile(PBS_SCHEMA);
  }
  return validator(data) ? [] : validator.errors ?? [];
}

/** Turns ajv's first error into our file/line/field message. Pure. */
function toDatasetError(file: string, places: ReadonlyMap<string, JsonPlace>, error: ErrorObject): DatasetError {
  const here = placeOf(places, error.instancePath);
  const child = (key: string): JsonPlace => {
    const known = places.get(`${error.instancePath}/${pointerSegment(key)}`);
    return known ?? { line: here.line, field: here.field === "(root)" ? key : `${here.field}.${key}` };
  };
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required": {
      const at = child(String(params.missingProperty));
      return new DatasetError(file, here.line, at.field, "is missing", `add "${String(params.missingProperty)}" to the object on line ${here.line}`);
    }
    case "additionalProperties": {
      const at = child(String(params.additionalProperty));
      const allowed = Object.keys(((error.parentSchema ?? {}) as { properties?: object }).properties ?? {});
      return new DatasetError(file, at.line, at.field, "is not a known field here", `remove it or fix its spelling; allowed: ${allowed.join(", ")}`);
    }
    case "discriminator": {
      const at = child("kind");
      const kinds = KINDS.map((k) => JSON.stringify(k)).join(", ");
      if (params.error === "tag" && params.tagValue === undefined) {
        return new DatasetError(file, here.line, at.field, "is missing", `say which distribution this is: add "kind" with one of ${kinds}`);
      }
      return new DatasetError(file, at.line, at.field, `unknown distribution kind ${describe(params.tagValue)}`, `use one of ${kinds}`);
    }
    case "exclusiveMinimum":
    case "minimum":
    case "maximum": {
      const op = error.keyword === "exclusiveMinimum" ? ">" : error.keyword === "minimum" ? "≥" : "≤";
     const why = error.keyword === "exclusiveMinimum" ? " (distribution parameters and weights must be positive)" : "";
      return new DatasetError(file, here.line, here.field, `must be ${op} ${String(params.limit)}, got ${describe(error.data)}`, `give a number ${op} ${String(params.limit)}${why}`);
    }
    case "type": {
      const wanted = String(params.type).split(",").join(" or ");
      return new DatasetError(file, here.line, here.field, `must be ${wanted}, got ${describe(error.data)}`, `write a JSON ${wanted} here`);
    }
    default:
      return new DatasetError(file, here.line, here.field, `${error.message ?? "is invalid"}, got ${describe(error.data)}`, "make it match the shape described in datasets/README.md");
  }
}

/** Checks what JSON Schema cannot say: mixture weights sum to 1, uniform min ≤ max. Pure. */
function checkDistribution(file: string, places: ReadonlyMap<string, JsonPlace>, pointer: string, d: PbsDistribution): void {
  if (d.kind === "mixture") {
    const total = d.components.reduce((s, c) => s + c.weight, 0);
    if (Math.abs(total - 1) > 1e-9) {
      const at = placeOf(places, `${pointer}/components`);
      throw new DatasetError(file, at.line, at.field, `mixture weights must sum to 1 (±1e-9), they sum to ${total}`, "rescale the weights so they add up to 1");
    }
    d.components.forEach((c, k) => checkDistribution(file, places, `${pointer}/components/${k}/dist`, c.dist));
  } else if (d.kind === "uniform" && d.min > d.max) {
    const at = placeOf(places, `${pointer}/max`);
    throw new DatasetError(file, at.line, at.field, `must be ≥ min (${d.min}), got ${d.max}`, "swap min and max");
  }
}

/**
 * Parses and validates the text of `pbs-wars.json` into profiles keyed by name. Pure;
 * throws DatasetError naming file, line and field for a syntax error, a duplicate key,
 * a schema violation (unknown kind, missing or extra field, non-positive parameter) or
 * mixture weights not summing to 1.
 */
export function parsePbsDistributions(text: string, fileName = "pbs-wars.json"): Readonly<Record<string, PbsProfile>> {
  const { value, places } = parseJsonWithPlaces(text, fileName);
  const errors = validatePbs(value);
  if (errors.length > 0) throw toDatasetError(fileName, places, errors[0]);
  const data = value as { profiles: Record<string, Omit<PbsProfile, "name">> };
  const profiles: Record<string, PbsProfile> = {};
  for (const [name, p] of Object.entries(data.profiles)) {
    const base = `/profiles/${pointerSegment(name)}`;
    for (const leg of ["W", "A", "R", "S"] as const) checkDistribution(fileName, places, `${base}/${leg}`, p[leg]);
    profiles[name] = deepFreeze({ name, description: p.description, W: p.W, A: p.A, R: p.R, S: p.S, wan: p.wan });
  }
  return Object.freeze(profiles);
}

/** The profile `name` among `profiles`; throws ConfigError (field `pbs.profile`) if unknown. Pure. */
export function findPbsProfile(profiles: Readonly<Record<string, PbsProfile>>, name: string): PbsProfile {
  return profiles[requireOneOf("pbs.profile", name, Object.keys(profiles))];
}

function deepFreeze<T>(x: T): T {
  if (x !== null && typeof x === "object" && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x as object)) deepFreeze(v);
  }
  return x;
}
