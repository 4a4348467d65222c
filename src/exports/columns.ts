import type { CsvValue } from "./csv.ts";
import type { Column, PackScope } from "./pack.ts";
import { asDate, asNumber, asText, decimal } from "./values.ts";

/**
 * Column builders for the export files (docs/exports.md, "Types"): each states a header once with
 * the value it reads from a row, and formats it by its type.
 */

/** A computed cell. */
export function col<R>(header: string, value: (row: R) => CsvValue): Column<R> {
  return { header, value };
}

/** `text`: null stays empty; formula-like text is neutralised by the CSV writer. */
export function text<R>(header: string, get: (row: R) => unknown): Column<R> {
  return { header, value: (row) => asText(get(row)) };
}

/** `integer`. */
export function int<R>(header: string, get: (row: R) => unknown): Column<R> {
  return { header, value: (row) => asNumber(get(row)) };
}

/** `timestamp`: ISO 8601 in UTC. */
export function time<R>(header: string, get: (row: R) => unknown): Column<R> {
  return { header, value: (row) => asDate(get(row)) };
}

/** `boolean`. */
export function bool<R>(header: string, get: (row: R) => unknown): Column<R> {
  return { header, value: (row) => Boolean(get(row)) };
}

/** `date`: the reporting day (REPORTING_TIMEZONE) of an instant; empty when there is none. */
export function day<R>(scope: PackScope, header: string, get: (row: R) => unknown): Column<R> {
  return {
    header,
    value: (row) => {
      const at = asDate(get(row));
      return at ? scope.days.dayOf(at) : null;
    },
  };
}

const currencyOf = (row: unknown): string => String((row as { currency: unknown }).currency);

/**
 * Money: the amount in minor units and, beside it, the same amount as a plain decimal in the
 * currency's own decimals. The decimal column is `<x>_decimal` for `<x>_amount` and for any other
 * `<x>`, unless named; the currency is the row's `currency` unless given.
 */
export function money<R>(
  header: string,
  get: (row: R) => unknown,
  options: { decimalHeader?: string; currency?: (row: R) => string } = {},
): [Column<R>, Column<R>] {
  const currency = options.currency ?? currencyOf;
  const decimalHeader = options.decimalHeader ?? `${header.replace(/_amount$/, "")}_decimal`;
  return [
    { header, value: (row) => asNumber(get(row)) },
    { header: decimalHeader, value: (row) => decimal(asNumber(get(row)), currency(row)) },
  ];
}
