/**
 * The rules of the claims check, as pure functions: how a number cited in a notebook's prose is
 * read, when it agrees with the value a cell computed, and which numbers in prose need no tie.
 * `scripts/claims.ts` applies them to executed notebooks; `test/claims.test.ts` pins them down.
 *
 * A citation is a number followed at once by a marker:
 *
 *     all 68<!--claim:naive.lost--> of them        (a count)
 *     two leaders for 338<!--claim:naive.splitMs--> ms
 *     13.8 %<!--claim:ring.movedPct-->             (percent: the claim is recorded as 13.8)
 *     3.6×<!--claim:afr.ratio-->                   (a ratio)
 *     8.87 × 10⁻¹¹<!--claim:loss.threeCopies-->    (scientific notation)
 *     about 10⁻¹⁰<!--claim:loss.threeCopies-->     (an order of magnitude)
 *
 * The cited number agrees with the computed value when the computed value, rounded to the
 * precision the prose shows, is the cited number: "338" accepts 337.5 up to 338.5, "3.2" accepts
 * 3.15 up to 3.25, "8.87 × 10⁻¹¹" accepts 8.865e-11 up to 8.875e-11, and "10⁻¹⁰" accepts any value
 * whose base-10 logarithm rounds to −10.
 *
 * A number quoted from a source (a paper, a documented default) is marked `<!--src-->` instead,
 * with its citation beside it. Every other number left in prose, once code, math, links, HTML,
 * ids with digits, references (§, Figure, Exercise, notebook...), years and list numbering are
 * set aside, is reported as untied.
 *
 * Introduced in notebooks/00.00-Getting-Started.ipynb (the claims its prose cites).
 */

/** A number as the prose writes it, with the precision it shows. Plain data. */
export interface CitedNumber {
  /** The text as written, e.g. "8.87 × 10⁻¹¹" or "13.8 %". */
  text: string;
  /** Its value (percent and × signs dropped: "13.8 %" is 13.8). */
  value: number;
  /** How far a computed value may be from `value` and still round to it. */
  halfUnit: number;
  /** For a bare power of ten ("10⁻¹⁰"): its exponent; agreement is then by order of magnitude. */
  orderOfMagnitude?: number;
}

/** One `NUMBER<!--claim:NAME-->` in a markdown cell. Plain data. */
export interface Citation {
  name: string;
  cited: CitedNumber | null;
  /** The prose just before the marker, for error messages. */
  context: string;
}

/** A number in prose that is neither tied nor exempt. Plain data. */
export interface UntiedNumber {
  number: string;
  context: string;
}

const SUPERSCRIPT: Record<string, string> = {
  "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9", "⁻": "-", "⁺": "+",
};
const SPACE = "[ \\u00a0\\u202f\\u2009]";
const MANTISSA = "[-−]?\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|[-−]?\\d+(?:\\.\\d+)?";
const POWER = `10([⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)`;
/** A cited number at the very end of a text (the text before a marker). */
const CITED_AT_END = new RegExp(
  `(?:(${MANTISSA})${SPACE}*[×x·]${SPACE}*${POWER}|(?<![\\d.,])${POWER}|(${MANTISSA}))(${SPACE}*(?:%|×))?${SPACE}*$`,
  "u",
);
const MARKER = /<!--\s*claim:\s*([^\s>]+?)\s*-->/g;
const SRC_MARKER = /<!--\s*src\s*-->/g;

function fromSuperscript(s: string): number {
  return Number([...s].map((c) => SUPERSCRIPT[c] ?? c).join(""));
}

function decimalsOf(s: string): number {
  const dot = s.indexOf(".");
  return dot < 0 ? 0 : s.length - dot - 1;
}

function plain(s: string): string {
  return s.replace(/,/g, "").replace("−", "-");
}

/** Reads the number that ends `text` (the prose before a marker), or null if there is none. Pure. */
export function citedNumberAtEnd(text: string): CitedNumber | null {
  const m = CITED_AT_END.exec(text);
  if (!m) return null;
  const written = m[0].trim();
  const [, sciMantissa, sciPower, barePower, fixed] = m;
  if (sciMantissa !== undefined && sciPower !== undefined) {
    const exponent = fromSuperscript(sciPower);
    const mantissa = Number(plain(sciMantissa));
    return { text: written, value: mantissa * 10 ** exponent, halfUnit: 0.5 * 10 ** (exponent - decimalsOf(plain(sciMantissa))) };
  }
  if (barePower !== undefined) {
    const exponent = fromSuperscript(barePower);
    return { text: written, value: 10 ** exponent, halfUnit: 0, orderOfMagnitude: exponent };
  }
  const value = Number(plain(fixed!));
  return { text: written, value, halfUnit: 0.5 * 10 ** -decimalsOf(plain(fixed!)) };
}

/**
 * Whether `computed` agrees with the cited number: rounds to it at the precision the prose shows
 * (with a relative slack of 1e-9 for the binary representation of decimals). Pure.
 */
export function agrees(cited: CitedNumber, computed: number): boolean {
  if (!Number.isFinite(computed)) return false;
  if (cited.orderOfMagnitude !== undefined) return computed > 0 && Math.round(Math.log10(computed)) === cited.orderOfMagnitude;
  const slack = 1e-9 * Math.max(Math.abs(cited.value), cited.halfUnit);
  return Math.abs(computed - cited.value) <= cited.halfUnit + slack;
}

/** Every claim marker in a markdown text, with the number it cites. Pure. */
export function citationsIn(markdown: string): Citation[] {
  const out: Citation[] = [];
  for (const m of markdown.matchAll(MARKER)) {
    const before = markdown.slice(0, m.index).replace(/(?:\*\*|__|\*|_)$/, "");
    out.push({ name: m[1]!, cited: citedNumberAtEnd(before), context: contextBefore(markdown, m.index!) });
  }
  return out;
}

function contextBefore(text: string, at: number): string {
  return text.slice(Math.max(0, at - 60), at).replace(/<!--.*?-->/g, "").replace(/\s+/g, " ").trim();
}

// What is set aside before looking for untied numbers, in this order.
const SET_ASIDE: RegExp[] = [
  /```[\s\S]*?```/g, // fenced code
  /`[^`\n]*`/g, // inline code
  /\$\$[\s\S]*?\$\$/g, // display math
  /\$[^$\n]+\$/g, // inline math
  /\]\([^)]*\)/g, // link targets
  /<https?:[^>]*>/g, // autolinks
  /https?:\/\/\S+/g, // bare URLs
  /<!--[\s\S]*?-->/g, // other comments
  /<[^>\n]+>/g, // HTML tags
  /^#+[ \t]*[\d.]+/gm, // a heading's section number ("## 3.2 ·", "# 02.00 ·")
  /^[ \t]*(?:\d+[.)]|[-*+])[ \t]/gm, // list numbering
  /(?:§|¶)[ \t]*\d[\d.]*(?:[ \t]*(?:–|-|and|,)[ \t]*§?[ \t]*\d[\d.]*)*/g, // §5.4.1, §§ 3–4
  /\b(?:Figure|Figures|Fig\.|Table|Tables|ch\.|chapter|chapters|Chapter|Eq\.|Eqs\.|equation|Equation|Exercise|Exercises|exercise|exercises|notebook|notebooks|Notebook|Notebooks|section|sections|Section|Sections|Algorithm|Lemma|Theorem|Appendix|Hint|hint|Step|step|RFC|p\.|pp\.|vol\.|no\.|issue|version|Version|v)[ \t]*\d[\d.]*(?:[ \t]*(?:–|-|and|,|to)[ \t]*\d[\d.]*)*/g,
  /\b(?:19|20)\d\d[a-z]?\b/g, // years (and "2012a")
  /[A-Za-z_][\w-]*\d[\w.-]*/g, // words holding digits: n1, c2, p99.9, v5, YCSB-A, t2
  /\d+[A-Za-z_][\w-]*/g, // and digits holding words: 3f, 2PC, 64-bit
];
const NUMBER = /[-−]?\d[\d,]*(?:\.\d+)?(?:[ \u00a0]*[×x·][ \u00a0]*10[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?|10[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+|[⁰¹²³⁴⁵⁶⁷⁸⁹]+/g;

/**
 * The numbers in a markdown text that are neither tied by a marker nor exempt (see the module
 * comment). Pure.
 */
export function untiedNumbers(markdown: string): UntiedNumber[] {
  // A tied or sourced number is taken out with its marker first.
  let text = markdown.replace(new RegExp(`(?:${CITED_AT_END.source.replace(/\$$/, "")})(?:\\*\\*|__|\\*|_)?(?:${MARKER.source}|${SRC_MARKER.source})`, "gu"), (s) => " ".repeat(s.length));
  for (const pattern of SET_ASIDE) text = text.replace(pattern, (s) => " ".repeat(s.length));
  const out: UntiedNumber[] = [];
  for (const m of text.matchAll(NUMBER)) {
    const at = m.index!;
    // Every set-aside keeps lengths, so the context comes from the prose as written.
    out.push({ number: m[0], context: markdown.slice(Math.max(0, at - 50), at + m[0].length + 20).replace(/\s+/g, " ").trim() });
  }
  return out;
}

/** Whether a recorded value equals the golden one (relative 1e-9: the same code on another machine). Pure. */
export function sameAsGolden(computed: number, golden: number): boolean {
  return computed === golden || Math.abs(computed - golden) <= 1e-9 * Math.max(Math.abs(computed), Math.abs(golden));
}
