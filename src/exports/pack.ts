import { Readable } from "node:stream";
import type { Db } from "../db/client.ts";
import { type CsvValue, chunked, csvCell, csvRow } from "./csv.ts";
import type { ReportingDays } from "./days.ts";

/** Version of the column contract in docs/exports.md; bump the major on a rename or removal. */
export const SCHEMA_VERSION = "1.3.0";

export const PACK_NAMES = ["finance", "ops", "bi"] as const;
export type PackName = (typeof PACK_NAMES)[number];

/** Everything a file's query needs: one period, cut in the reporting time zone. */
export interface PackScope {
  db: Db;
  from: string;
  to: string;
  timezone: string;
  days: ReportingDays;
  /** First instant of `from` and the instant after `to` (kpis.md). */
  start: Date;
  end: Date;
  generatedAt: Date;
  /** Only ledger rows of the configured Stripe mode are exported (kpis.md). */
  livemode: boolean;
  pii: boolean;
  fulfillmentSlaHours: number;
  customerKey: (customerId: number | null) => string | null;
  pageSize: number;
  /** The converted view's currency (`REPORTING_CURRENCY`, else the main currency): `fx_rates.csv`. */
  reportingCurrency: string;
}

export type CsvRecord = Record<string, CsvValue>;

/** One column of a CSV file: its header (documented in docs/exports.md) and its cell for a row. */
export interface Column<R> {
  readonly header: string;
  value(row: R): CsvValue;
}

/** One CSV file of a pack, defined once as columns over a row source (see `packFile`). */
export interface PackFile {
  readonly name: string;
  /** The header row. */
  columns(scope: PackScope): readonly string[];
  /** Each row as header → cell (the ops dashboard reads files this way). */
  rows(scope: PackScope): AsyncIterable<CsvRecord>;
  /** The file as CSV text in chunks, header first; `counter.rows` counts the data rows written. */
  csv(scope: PackScope, counter: { rows: number }): AsyncIterable<string>;
}

export interface FileEntry {
  name: string;
  rows: number;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  schema_version: string;
  pack: PackName;
  period: { from: string; to: string; timezone: string; start: string; end: string };
  generated_at: string;
  livemode: boolean;
  pii: boolean;
  files: FileEntry[];
}

/** Columns in order; a pair (an amount and its decimal) may stand as one entry. */
export type ColumnList<R> = ReadonlyArray<Column<R> | readonly Column<R>[]>;

/**
 * A file from its columns and its rows: every column is stated once, as a header and the cell a row
 * gives, so the header and each record cannot drift apart. `columns` may depend on the scope (PII).
 */
export function packFile<R>(spec: {
  name: string;
  columns: ColumnList<R> | ((scope: PackScope) => ColumnList<R>);
  rows(scope: PackScope): AsyncIterable<R>;
}): PackFile {
  const columnsFor = (scope: PackScope): readonly Column<R>[] =>
    (typeof spec.columns === "function" ? spec.columns(scope) : spec.columns).flat();
  return {
    name: spec.name,
    columns: (scope) => columnsFor(scope).map((c) => c.header),
    async *rows(scope) {
      const columns = columnsFor(scope);
      for await (const row of spec.rows(scope)) {
        const record: CsvRecord = {};
        for (const column of columns) record[column.header] = cell(spec.name, column, row);
        yield record;
      }
    },
    csv(scope, counter) {
      const columns = columnsFor(scope);
      const line = (row: R): string => {
        let text = csvCell(cell(spec.name, columns[0]!, row));
        for (let i = 1; i < columns.length; i++) text += `,${csvCell(cell(spec.name, columns[i]!, row))}`;
        counter.rows += 1;
        return `${text}\r\n`;
      };
      return chunked(spec.rows(scope), line, csvRow(columns.map((c) => c.header)));
    },
  };
}

/** A cell that comes out undefined is a bug in the column's mapping: fail rather than shift the row. */
function cell<R>(file: string, column: Column<R>, row: R): CsvValue {
  const value = column.value(row);
  if (value === undefined) throw new Error(`${file}: no value for column ${column.header}`);
  return value;
}

/** The file's rows as CSV bytes (UTF-8), produced as the consumer reads. */
export function fileStream(file: PackFile, scope: PackScope, counter: { rows: number }): Readable {
  return Readable.from(file.csv(scope, counter), { objectMode: false });
}
