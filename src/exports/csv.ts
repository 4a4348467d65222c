import { Readable } from "node:stream";

export type CsvValue = string | number | boolean | null | Date | CsvDecimal;

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * A number already formatted as a plain decimal (e.g. "-15.00" from `toDecimalString`): written
 * verbatim, so a negative amount stays numeric instead of being neutralised like the text "-15.00".
 */
export class CsvDecimal {
  constructor(readonly text: string) {
    if (!DECIMAL.test(text)) throw new RangeError(`not a plain decimal: "${text}"`);
  }
}

/**
 * Spreadsheets run a cell starting with one of these as a formula (CSV injection, OWASP):
 * = + - @ tab CR. Only strings are neutralised: a number such as -5 is written as is, so amounts
 * stay numeric.
 */
function startsLikeFormula(text: string): boolean {
  const c = text.charCodeAt(0);
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13;
}
const NEEDS_QUOTES = /[",\r\n]/;
/** Rows are batched into chunks of about this many characters before they are pushed downstream. */
const CHUNK_CHARS = 64 * 1024;

/** One RFC 4180 field: null → empty, Date → ISO 8601, formula-like strings prefixed with `'`. */
export function csvCell(value: CsvValue): string {
  // The common cases first: an export writes millions of these.
  if (typeof value === "string") {
    const text = startsLikeFormula(value) ? `'${value}` : value;
    return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  }
  if (typeof value === "number") {
    // A NaN or Infinity in an export is a bug upstream; failing beats writing "NaN" into a report.
    if (!Number.isFinite(value)) throw new RangeError(`cannot write ${value} to CSV`);
    return String(value);
  }
  if (value === null) return "";
  if (value instanceof CsvDecimal) return value.text;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** One CSV record, CRLF-terminated as RFC 4180 asks. */
export function csvRow(values: readonly CsvValue[]): string {
  let line = values.length > 0 ? csvCell(values[0]!) : "";
  for (let i = 1; i < values.length; i++) line += `,${csvCell(values[i]!)}`;
  return `${line}\r\n`;
}

export interface CsvStreamOptions {
  /** Column names written as the first record. */
  header?: readonly string[];
}

type RowSource = AsyncIterable<readonly CsvValue[]> | Iterable<readonly CsvValue[]>;

/**
 * A byte stream of CSV (UTF-8) from rows produced on demand, e.g. a database cursor.
 * `Readable.from` asks for the next rows only when the consumer has room, so memory stays constant
 * however large the export; destroying the stream (client gone) calls the source's `return()`,
 * which lets a cursor close.
 */
export function csvStream(rows: RowSource, options: CsvStreamOptions = {}): Readable {
  return Readable.from(csvChunks(rows, options.header), { objectMode: false });
}

async function* csvChunks(rows: RowSource, header: readonly string[] | undefined): AsyncGenerator<string> {
  yield* chunked(rows, csvRow, header ? csvRow(header) : "");
}

/**
 * CSV text in chunks of about CHUNK_CHARS from items turned into CSV records by `line`, in one
 * generator (each nested async generator per row costs a promise per row).
 */
export async function* chunked<T>(
  items: AsyncIterable<T> | Iterable<T>,
  line: (item: T) => string,
  first = "",
): AsyncGenerator<string> {
  let pending = first;
  for await (const item of items) {
    pending += line(item);
    if (pending.length >= CHUNK_CHARS) {
      yield pending;
      pending = "";
    }
  }
  if (pending !== "") yield pending;
}
