/**
 * Rendering a Vega-Lite spec to SVG and PNG in Node, without a canvas or a browser, so the
 * same chart can be exported for lectures, shown in viewers without Vega, and compared
 * byte for byte between runs.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb.
 */
import { createHash } from "node:crypto";
import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile } from "vega-lite";
import type { TopLevelSpec } from "vega-lite";
import { ConfigError, describe } from "../errors.js";
import { THEME } from "./theme.js";

/**
 * Renders a Vega-Lite v5 spec to an SVG document. Deterministic: the same spec gives the
 * same string, in any process and any number of times.
 *
 * Vega numbers clip paths and gradients from a process-wide counter (`clip1`, `clip2`, ...
 * growing with every chart drawn), so two renders of one spec differ. The ids are renamed
 * here after the content: `rl<hash>-<n>`, with the hash taken over the SVG with its ids
 * blanked. That also keeps ids unique when several charts are inlined into one HTML page
 * (as nbconvert's export does), where equal ids would make one chart clip to another's box.
 */
export async function toSvg(spec: TopLevelSpec): Promise<string> {
  if (spec === null || typeof spec !== "object") {
    throw new ConfigError("spec", `must be a Vega-Lite spec object, got ${describe(spec)}`, "pass what a chart builder returns");
  }
  // Vega tags every data object it ingests with an id property, and Vega-Lite normalizes
  // specs in place: work on a plain-JSON copy, so the caller's spec (and rows that may be
  // frozen, as immer's are) stays untouched.
  const copy = JSON.parse(JSON.stringify(spec)) as TopLevelSpec;
  const compiled = compile(copy).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    const svg = await view.toSVG();
    return stableIds(svg);
  } finally {
    view.finalize();
  }
}

/** Options of `toPng`. */
export interface PngOptions {
  /** Pixels per SVG unit; 2 gives sharp slides. Fixed by default so output is reproducible. */
  readonly scale?: number;
}

/** The fixed zoom of exported PNGs: twice the SVG size, sharp on a projector. */
export const PNG_SCALE = 2;

/**
 * Renders an SVG document (or a Vega-Lite spec, rendered with `toSvg` first) to PNG bytes
 * with resvg, on a white background, at a fixed scale, with the machine's fonts (the
 * generic "sans-serif" drawn as DejaVu Sans). Deterministic for a given machine's fonts.
 */
export async function toPng(input: string | TopLevelSpec, options: PngOptions = {}): Promise<Uint8Array> {
  const svg = typeof input === "string" ? input : await toSvg(input);
  const scale = options.scale ?? PNG_SCALE;
  if (typeof scale !== "number" || !Number.isFinite(scale) || scale <= 0 || scale > 8) {
    throw new ConfigError("scale", `must be a number in (0, 8], got ${describe(scale)}`, "use 1 for screen size or 2 for slides");
  }
  const resvg = new Resvg(svg, {
    background: THEME.background,
    fitTo: { mode: "zoom", value: scale },
    font: {
      loadSystemFonts: true,
      defaultFontFamily: "DejaVu Sans",
      sansSerifFamily: "DejaVu Sans",
      monospaceFamily: "DejaVu Sans Mono",
    },
  });
  const png = resvg.render().asPng();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

/**
 * Renames every `id` of an SVG document (and the references to it) to a name derived from
 * the document's content. Pure.
 */
export function stableIds(svg: string): string {
  const ids: string[] = [];
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) {
    if (!ids.includes(m[1])) ids.push(m[1]);
  }
  if (ids.length === 0) return svg;
  const index = new Map(ids.map((id, k) => [id, k]));
  const alternatives = ids.map(escapeRegExp).join("|");
  // An id is defined as id="x" and referenced as url(#x) or href="#x".
  const pattern = new RegExp(`(\\sid="|#)(${alternatives})(?=[")])`, "g");
  const blank = svg.replace(pattern, (_m, lead: string, id: string) => `${lead}@${index.get(id)}@`);
  const hash = createHash("sha256").update(blank).digest("hex").slice(0, 10);
  return blank.replace(/(\sid="|#)@(\d+)@(?=[")])/g, (_m, lead: string, k: string) => `${lead}rl${hash}-${k}`);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
