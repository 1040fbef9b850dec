/**
 * A small, strict CSV reader for the dataset tables: a header row, comma separators,
 * RFC 4180 double-quoted fields (`""` for a quote inside one), LF or CRLF line ends.
 * Every record keeps the line it starts on, so errors can name it.
 *
 * Introduced in notebooks/01.00-Durability.ipynb (drive failure rates, Azure latencies) and notebooks/05.00-Leaderless-Replication.ipynb (PBS latencies).
 */
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

/**
 * Splits CSV text into records, each with the line it starts on. Unquoted cells are
 * trimmed; quoted cells are kept as written. Pure; throws DatasetError on bad quoting.
 */
export function splitCsvRecords(text: string, file: string): CsvRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // drop a UTF-8 byte-order mark
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  while (i < src.length) {
    const start = line;
    const cells: string[] = [];
    let sawQuote = false;
    for (;;) {
      let cell = "";
      if (src[i] === '"') {
        sawQuote = true;
        i++;
        for (;;) {
          if (i >= src.length) {
            throw new DatasetError(file, start, `column ${cells.length + 1}`, "a quoted value is never closed", 'end the value with a closing " (write "" for a quote inside it)');
          }
          const ch = src[i];
          if (ch === '"') {
            if (src[i + 1] === '"') {
              cell += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === "\n") line++;
          cell += ch;
          i++;
        }
        const next = src[i];
        if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") {
          throw new DatasetError(file, line, `column ${cells.length + 1}`, `text after a closing quote: ${JSON.stringify(src.slice(i, i + 10))}`, "put the whole value inside the quotes");
        }
      } else {
        let j = i;
        while (j < src.length && src[j] !== "," && src[j] !== "\n" && src[j] !== "\r") j++;
        cell = src.slice(i, j).trim();
        if (cell.includes('"')) {
          throw new DatasetError(file, line, `column ${cells.length + 1}`, `a quote inside an unquoted value: ${JSON.stringify(cell)}`, 'quote the whole value and double the inner quote ("")');
        }
        i = j;
      }
      cells.push(cell);
      if (src[i] === ",") {
        i++;
        continue;
      }
      break;
    }
    if (src[i] === "\r") i++;
    if (src[i] === "\n") i++;
    records.push({ line: start, cells, blank: !sawQuote && cells.length === 1 && cells[0] === "" });
    line++;
  }
  return records;
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
