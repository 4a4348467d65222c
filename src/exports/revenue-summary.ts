import { type Column, type SQL, sql } from "drizzle-orm";
import { CAPTURED_AMOUNT, IS_CHARGEBACK, LOST_AT } from "../analytics/money-rules.ts";
import { charges, disputes, refunds } from "../db/schema.ts";
import { queryRows } from "../db/sql.ts";
import { convertMinor, loadRateBook, type Rational, toDecimal } from "../fx/index.ts";
import { col, money, text } from "./columns.ts";
import { type PackScope, packFile } from "./pack.ts";

interface Totals {
  gross: number;
  refunds: number;
  disputes: number;
  disputesLost: number;
  charges: number;
  refundCount: number;
}

const NONE: Totals = { gross: 0, refunds: 0, disputes: 0, disputesLost: 0, charges: 0, refundCount: 0 };

type Kind = "gross" | "refunds" | "disputes" | "disputesLost";

type Bucketed = { bucket: number; currency: string; amount: number; n: number };

/**
 * Money in and out per reporting day, currency and amount (how many records had it), by the kpis.md rules: gross revenue is the money
 * captured by succeeded charges by charge `created`; refunds are succeeded refunds (provisional ones
 * included) by refund `created` (whatever the charge's date); disputes are chargebacks (no inquiries)
 * by dispute `created`; disputes lost by the first event that showed them lost. Days are cut with
 * the same boundaries as the KPIs (`width_bucket` over the period's day starts), so the column sums
 * equal the period's KPIs.
 */
async function bucketed(
  scope: PackScope,
  table: typeof charges | typeof refunds | typeof disputes,
  filter: SQL,
  amount: SQL | Column = table.amount,
  at: SQL | Column = table.created,
): Promise<Bucketed[]> {
  const boundaries = sql.join(
    scope.days.boundaries.map((b) => sql`${b}::timestamptz`),
    sql`, `,
  );
  return queryRows<Bucketed>(
    scope.db,
    sql`
      SELECT width_bucket(${at}, ARRAY[${boundaries}]) AS bucket, ${table.currency},
        (${amount})::bigint AS amount, count(*)::int AS n
      FROM ${table}
      WHERE ${at} >= ${scope.start} AND ${at} < ${scope.end} AND ${table.livemode} = ${scope.livemode} AND ${filter}
      GROUP BY 1, 2, 3`,
  );
}

/**
 * One reporting day and currency, with that day's money in and out and the same converted into the
 * reporting currency record by record at the day's rate (null without a rate).
 */
interface SummaryRow extends Totals {
  day: string;
  currency: string;
  fx_rate: Rational | null;
  converted: Record<Kind, number> | null;
}

export const revenueSummaryFile = packFile<SummaryRow>({
  name: "revenue_summary.csv",
  columns: (scope) => [
    text("day", (r) => r.day),
    text("currency", (r) => r.currency),
    money("gross_revenue", (r) => r.gross),
    money("refunds", (r) => r.refunds),
    money("net_revenue", (r) => r.gross - r.refunds - r.disputesLost),
    money("disputes", (r) => r.disputes),
    col("succeeded_charges", (r) => r.charges),
    col("succeeded_refunds", (r) => r.refundCount),
    money("disputes_lost", (r) => r.disputesLost),
    text("reporting_currency", () => scope.reportingCurrency),
    text("fx_rate", (r) => (r.fx_rate ? toDecimal(r.fx_rate) : null)),
    ...convertedMoney(scope, "gross_revenue_converted", (c) => c.gross),
    ...convertedMoney(scope, "refunds_converted", (c) => c.refunds),
    ...convertedMoney(scope, "net_revenue_converted", (c) => c.gross - c.refunds - c.disputesLost),
    ...convertedMoney(scope, "disputes_converted", (c) => c.disputes),
    ...convertedMoney(scope, "disputes_lost_converted", (c) => c.disputesLost),
  ],
  async *rows(scope) {
    // At most days × currencies entries: bounded by the period, not by the number of charges.
    const totals = new Map<string, Totals>();
    // Each record converted on its own (kpis.md "Reporting currency"): Σ n × convert(amount).
    const amounts: Array<Bucketed & { kind: Kind }> = [];
    const at = (bucket: number, currency: string): Totals => {
      const key = `${currency}|${bucket}`;
      let t = totals.get(key);
      if (!t) {
        t = { ...NONE };
        totals.set(key, t);
      }
      return t;
    };
    const add = (kind: Kind, rows: Bucketed[], count?: "charges" | "refundCount") => {
      for (const r of rows) {
        const t = at(Number(r.bucket), r.currency);
        t[kind] += Number(r.amount) * Number(r.n);
        if (count) t[count] += Number(r.n);
        amounts.push({ ...r, kind });
      }
    };
    add(
      "gross",
      await bucketed(scope, charges, sql`${charges.status} = 'succeeded'`, CAPTURED_AMOUNT),
      "charges",
    );
    add("refunds", await bucketed(scope, refunds, sql`${refunds.status} = 'succeeded'`), "refundCount");
    add("disputes", await bucketed(scope, disputes, IS_CHARGEBACK));
    add(
      "disputesLost",
      await bucketed(scope, disputes, sql`${disputes.status} = 'lost'`, disputes.amount, LOST_AT),
    );

    const currencies = [...new Set([...totals.keys()].map((k) => k.split("|")[0]!))].sort();
    const book = await loadRateBook({ db: scope.db }, [...currencies, scope.reportingCurrency], scope.to);
    const rateOf = (currency: string, bucket: number) =>
      book.resolve(currency, scope.reportingCurrency, scope.days.days[bucket - 1]!)?.rate ?? null;
    const converted = new Map<string, Record<Kind, number>>();
    for (const r of amounts) {
      const rate = rateOf(r.currency, Number(r.bucket));
      if (rate === null) continue;
      const key = `${r.currency}|${r.bucket}`;
      const c = converted.get(key) ?? { gross: 0, refunds: 0, disputes: 0, disputesLost: 0 };
      c[r.kind] += Number(r.n) * convertMinor(Number(r.amount), rate, r.currency, scope.reportingCurrency);
      converted.set(key, c);
    }
    for (const [index, day] of scope.days.days.entries()) {
      for (const currency of currencies) {
        const key = `${currency}|${index + 1}`;
        const fx_rate = rateOf(currency, index + 1);
        const zero = { gross: 0, refunds: 0, disputes: 0, disputesLost: 0 };
        yield {
          day,
          currency,
          ...(totals.get(key) ?? NONE),
          fx_rate,
          converted: fx_rate === null ? null : (converted.get(key) ?? zero),
        };
      }
    }
  },
});

/** A converted money column of the summary in the reporting currency; empty without a rate. */
function convertedMoney(scope: PackScope, header: string, get: (c: Record<Kind, number>) => number) {
  return money<SummaryRow>(header, (r) => (r.converted === null ? null : get(r.converted)), {
    currency: () => scope.reportingCurrency,
  });
}
