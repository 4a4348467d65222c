import { sql } from "drizzle-orm";
import { charges, disputes, orders, refunds, subscriptions } from "../db/schema.ts";
import { queryRows } from "../db/sql.ts";
import { loadRateBook, toDecimal } from "../fx/index.ts";
import { text } from "./columns.ts";
import { type PackScope, packFile } from "./pack.ts";

/** The rate of one currency into the reporting currency on one day, as the converted view uses it. */
interface RateRow {
  day: string;
  currency: string;
  reporting_currency: string;
  rate: string | null;
  rate_day: string | null;
  source: string;
  via: string | null;
}

/**
 * `fx_rates.csv`: for every reporting day of the period and every currency with data in it, the rate
 * into the reporting currency the converted view uses (kpis.md "Reporting currency"): its value,
 * the stored day it comes from (an earlier day on a weekend), its source and how it was found. A
 * day with no rate is a row with an empty rate and source `missing`, never a guess.
 */
export const fxRatesFile = packFile<RateRow>({
  name: "fx_rates.csv",
  columns: [
    text("day", (r) => r.day),
    text("currency", (r) => r.currency),
    text("reporting_currency", (r) => r.reporting_currency),
    text("rate", (r) => r.rate),
    text("rate_day", (r) => r.rate_day),
    text("source", (r) => r.source),
    text("via", (r) => r.via),
  ],
  async *rows(scope: PackScope) {
    const currencies = await periodCurrencies(scope);
    const book = await loadRateBook({ db: scope.db }, [...currencies, scope.reportingCurrency], scope.to);
    const reporting = scope.reportingCurrency;
    for (const day of scope.days.days) {
      for (const currency of currencies) {
        const r = book.resolve(currency, reporting, day);
        yield {
          day,
          currency,
          reporting_currency: reporting,
          rate: r ? toDecimal(r.rate) : null,
          rate_day: r && r.via !== "same" ? r.day : null,
          source:
            r === null
              ? "missing"
              : r.via === "same"
                ? "same"
                : [...new Set(r.legs.map((l) => l.source))].join("+"),
          via: r?.via ?? null,
        };
      }
    }
  },
});

/** The currencies of the period's ledger and orders, and of subscriptions (MRR is a stock). */
export async function periodCurrencies(scope: PackScope): Promise<string[]> {
  const within = (t: typeof charges | typeof refunds | typeof disputes) =>
    sql`${t.created} >= ${scope.start} AND ${t.created} < ${scope.end} AND ${t.livemode} = ${scope.livemode}`;
  const rows = await queryRows<{ currency: string }>(
    scope.db,
    sql`SELECT DISTINCT lower(currency) AS currency FROM (
          SELECT ${charges.currency} AS currency FROM ${charges} WHERE ${within(charges)}
          UNION SELECT ${refunds.currency} FROM ${refunds} WHERE ${within(refunds)}
          UNION SELECT ${disputes.currency} FROM ${disputes} WHERE ${within(disputes)}
          UNION SELECT ${orders.currency} FROM ${orders}
            WHERE ${orders.paidAt} >= ${scope.start} AND ${orders.paidAt} < ${scope.end} AND ${orders.livemode} = ${scope.livemode}
          UNION SELECT ${subscriptions.currency} FROM ${subscriptions} WHERE ${subscriptions.livemode} = ${scope.livemode}
        ) c ORDER BY 1`,
  );
  return rows.map((r) => r.currency);
}
