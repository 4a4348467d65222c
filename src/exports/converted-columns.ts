import { convertMinor, loadRateBook, type Rational, toDecimal } from "../fx/index.ts";
import { money, text } from "./columns.ts";
import { periodCurrencies } from "./fx-rates.ts";
import type { Column, PackScope } from "./pack.ts";
import { asDate, asNumber } from "./values.ts";

type Row = Record<string, unknown>;

/** A row with the rate of its currency into the reporting currency on its reporting day (null: none). */
export type WithRate = Row & { fx_rate: Rational | null };

/**
 * The rows of a ledger file, each with the rate the converted view uses for its currency on the
 * reporting day of `at` (kpis.md "Reporting currency"), looked up once per currency and day.
 */
export async function* withRates(
  scope: PackScope,
  rows: AsyncIterable<Row>,
  at: (row: Row) => unknown,
): AsyncIterable<WithRate> {
  const book = await loadRateBook(
    { db: scope.db },
    [...(await periodCurrencies(scope)), scope.reportingCurrency],
    scope.to,
  );
  const cache = new Map<string, Rational | null>();
  for await (const row of rows) {
    const instant = asDate(at(row));
    const currency = String(row.currency).toLowerCase();
    const day = instant ? scope.days.dayOf(instant) : null;
    const key = `${currency}|${day}`;
    if (!cache.has(key))
      cache.set(
        key,
        day === null ? null : (book.resolve(currency, scope.reportingCurrency, day)?.rate ?? null),
      );
    yield { ...row, fx_rate: cache.get(key)! };
  }
}

/**
 * The converted columns at the end of a ledger file: the reporting currency, the rate used and the
 * amount converted and rounded on its own (`<x>_converted` and its decimal); empty when no rate
 * exists on or before the record's day, never a guess.
 */
export function convertedColumns(
  scope: PackScope,
  header: string,
  amount: (row: WithRate) => unknown,
): Array<Column<WithRate> | readonly Column<WithRate>[]> {
  const converted = (row: WithRate) => {
    const value = asNumber(amount(row));
    if (value === null || row.fx_rate === null) return null;
    return convertMinor(value, row.fx_rate, String(row.currency).toLowerCase(), scope.reportingCurrency);
  };
  return [
    text("reporting_currency", () => scope.reportingCurrency),
    text("fx_rate", (row: WithRate) => (row.fx_rate ? toDecimal(row.fx_rate) : null)),
    money(header, converted, { currency: () => scope.reportingCurrency }),
  ];
}
