/**
 * A strict CSV reader for the dataset tables: a header row, comma separators, RFC 4180
 * double-quoted fields (`""` for a quote inside one), LF or CRLF line ends. The parsing is
 * csv-parse's; this module adds the table rules (exactly these columns, one value each)
 * and errors that name the file, the line a record starts on, the column and the fix.
 *
 * Introduced in notebooks/01.00-Durability.ipynb (drive failure rates, Azure latencies) and notebooks/05.00-Leaderless-Replication.ipynb (PBS latencies).
 */
import { parse } from "csv-parse/sync";
import { DatasetError } from "./datasetError.js";

/** One data row of a CSV table: its 1-based line and its cells by column name. */
export interface CsvRow {
  readonly line: number;
  readonly cells: Readonly<Record<string, string>>;
}

/** One raw CSV record: the line it starts on and its cells in order. */
export interface CsvRecord {
  readonly line: number;
  readonly cells: string[];
  /** True when the record is an empty or whitespace-only line (skipped). */
  readonly blank: boolean;
}

/** The parts of csv-parse's error this module reads (the library's `CsvError`). */
interface CsvParseError {
  readonly code?: string;
  readonly lines?: number;
  readonly index?: number;
  readonly column?: number | string;
}

/**
 * Splits CSV text into records, each with the line it starts on. Unquoted cells are
 * trimmed; quoted cells are kept as written. Pure; throws DatasetError on bad quoting.
 *
 * Parsing is csv-parse's (RFC 4180, a maintained parser); this function keeps what the
 * loaders rely on: the line a record *starts* on (a quoted cell may span lines), blank
 * lines marked rather than dropped, and errors that name the file, line and column with a fix.
 */
export function splitCsvRecords(text: string, file: string): CsvRecord[] {
  let parsed: { record: string[]; raw: string }[];
  try {
    // With info and raw, each record comes as { record, raw, info } (csv-parse documents it; its types say string[][]).
    parsed = parse(text, { bom: true, trim: true, relax_column_count: true, skip_empty_lines: false, info: true, raw: true }) as unknown as typeof parsed;
  } catch (e) {
    throw quotingError(e as CsvParseError, file);
  }
  // A record starts one line after every line break of the records before it (a quoted cell
  // may hold line breaks). Counted from each record's raw text: csv-parse's own line count
  // counts a CRLF inside quotes twice, and its raw text of a CRLF record ends at the CR.
  let line = 1;
  return parsed.map(({ record, raw }) => {
    const start = line;
    line += raw.match(/\r\n|\r|\n/g)?.length ?? 0;
    return { line: start, cells: record, blank: raw.trim() === "" };
  });
}

/** csv-parse's quoting errors as DatasetErrors that say how to fix the file. Pure. */
function quotingError(e: CsvParseError, file: string): Error {
  const line = e.lines ?? 1;
  const column = `column ${typeof e.index === "number" ? e.index + 1 : 1}`;
  switch (e.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return new DatasetError(file, line, column, "a quoted value is never closed", 'end the value with a closing " (write "" for a quote inside it)');
    case "CSV_INVALID_CLOSING_QUOTE":
      return new DatasetError(file, line, column, "text after a closing quote", "put the whole value inside the quotes");
    case "INVALID_OPENING_QUOTE":
      return new DatasetError(file, line, column, "a quote inside an unquoted value", 'quote the whole value and double the inner quote ("")');
    default:
      return new DatasetError(file, line, column, `cannot be read as CSV (${e.code ?? String(e)})`, "write one record per line: values separated by commas, quoted with \" where they hold a comma");
  }
}

/**
 * Reads a CSV table whose header must name exactly `columns` (any order). Returns the
 * data rows keyed by column name, blank lines skipped. Pure; throws DatasetError for a
 * missing, extra or repeated column, or a row with too few or too many values.
 */
export function readCsvTable(text: string, file: string, columns: readonly string[]): CsvRow[] {
  const records = splitCsvRecords(text, file).filter((r) => !r.blank);
  const expected = columns.join(",");
  if (records.length === 0) {
    throw new DatasetError(file, 1, columns[0], "the file is empty", `start it with the header line "${expected}"`);
  }
  const [head, ...body] = records;
  const header = head.cells;
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) {
      throw new DatasetError(file, head.line, name, "column appears twice in the header", `the header must be "${expected}"`);
    }
    seen.add(name);
  }
  for (const name of columns) {
    if (!seen.has(name)) {
      throw new DatasetError(file, head.line, name, "column is missing from the header", `add it; the header must be "${expected}"`);
    }
  }
  for (const name of header) {
    if (!columns.includes(name)) {
      throw new DatasetError(file, head.line, name || `column ${header.indexOf(name) + 1}`, "unexpected column", `remove it; the header must be "${expected}"`);
    }
  }
  return body.map((record) => {
    if (record.cells.length < header.length) {
      const missing = header[record.cells.length];
      throw new DatasetError(file, record.line, missing, `value is missing (the row has ${record.cells.length} of ${header.length} columns)`, `give one value per column: ${expected}`);
    }
    if (record.cells.length > header.length) {
      throw new DatasetError(file, record.line, `column ${header.length + 1}`, `extra value ${JSON.stringify(record.cells[header.length])} (the header has ${header.length} columns)`, 'remove it, or quote a value that contains a comma ("a, b")');
    }
    const cells: Record<string, string> = {};
    header.forEach((name, k) => (cells[name] = record.cells[k]));
    return { line: record.line, cells };
  });
}
