import { Readable } from "node:stream";
import type { Db } from "../db/client.ts";
import { type CsvValue, chunked, csvCell, csvRow } from "./csv.ts";
import type { ReportingDays } from "./days.ts";

/** Version of the column contract in docs/exports.md; bump the major on a rename or removal. */
export const SCHEMA_VERSION = "1.1.0";

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
}

export type CsvRecord = Record<string, CsvValue>;

/** One CSV file of a pack: its columns (documented in docs/exports.md) and a row source. */
export interface PackFile {
  name: string;
  columns(scope: PackScope): readonly string[];
  rows(scope: PackScope): AsyncIterable<CsvRecord>;
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

/** Fixed columns for a file whose header never changes. */
export function fixed(columns: readonly string[]): () => readonly string[] {
  return () => columns;
}

/**
 * The file's records as CSV bytes, in header order. A record missing a column is a bug in the
 * query mapping, so it fails the export instead of writing a shifted row. `afterRow` runs once per
 * record written (the CLI's heap compactor).
 */
export function fileStream(
  file: PackFile,
  scope: PackScope,
  counter: { rows: number },
  afterRow?: () => void,
): Readable {
  const columns = file.columns(scope);
  const line = (record: CsvRecord): string => {
    let text = "";
    for (let i = 0; i < columns.length; i++) {
      const value = record[columns[i]!];
      if (value === undefined) throw new Error(`${file.name}: no value for column ${columns[i]}`);
      text += i === 0 ? csvCell(value) : `,${csvCell(value)}`;
    }
    counter.rows += 1;
    afterRow?.();
    return `${text}\r\n`;
  };
  return Readable.from(chunked(file.rows(scope), line, csvRow(columns)), { objectMode: false });
}
