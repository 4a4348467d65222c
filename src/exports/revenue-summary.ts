import { type Column, type SQL, sql } from "drizzle-orm";
import { CAPTURED_AMOUNT, IS_CHARGEBACK, LOST_AT } from "../analytics/money-rules.ts";
import { charges, disputes, refunds } from "../db/schema.ts";
import { queryRows } from "../db/sql.ts";
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

type Bucketed = { bucket: number; currency: string; amount: number; n: number };

/**
 * Money in and out per reporting day and currency, by the kpis.md rules: gross revenue is the money
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
        sum(${amount})::bigint AS amount, count(*)::int AS n
      FROM ${table}
      WHERE ${at} >= ${scope.start} AND ${at} < ${scope.end} AND ${table.livemode} = ${scope.livemode} AND ${filter}
      GROUP BY 1, 2`,
  );
}

/** One reporting day and currency, with that day's money in and out. */
interface SummaryRow extends Totals {
  day: string;
  currency: string;
}

export const revenueSummaryFile = packFile<SummaryRow>({
  name: "revenue_summary.csv",
  columns: [
    text("day", (r) => r.day),
    text("currency", (r) => r.currency),
    money("gross_revenue", (r) => r.gross),
    money("refunds", (r) => r.refunds),
    money("net_revenue", (r) => r.gross - r.refunds - r.disputesLost),
    money("disputes", (r) => r.disputes),
    col("succeeded_charges", (r) => r.charges),
    col("succeeded_refunds", (r) => r.refundCount),
    money("disputes_lost", (r) => r.disputesLost),
  ],
  async *rows(scope) {
    // At most days × currencies entries: bounded by the period, not by the number of charges.
    const totals = new Map<string, Totals>();
    const at = (bucket: number, currency: string): Totals => {
      const key = `${currency}|${bucket}`;
      let t = totals.get(key);
      if (!t) {
        t = { ...NONE };
        totals.set(key, t);
      }
      return t;
    };
    for (const r of await bucketed(scope, charges, sql`${charges.status} = 'succeeded'`, CAPTURED_AMOUNT)) {
      const t = at(Number(r.bucket), r.currency);
      t.gross += Number(r.amount);
      t.charges += Number(r.n);
    }
    for (const r of await bucketed(scope, refunds, sql`${refunds.status} = 'succeeded'`)) {
      const t = at(Number(r.bucket), r.currency);
      t.refunds += Number(r.amount);
      t.refundCount += Number(r.n);
    }
    for (const r of await bucketed(scope, disputes, IS_CHARGEBACK))
      at(Number(r.bucket), r.currency).disputes += Number(r.amount);
    for (const r of await bucketed(
      scope,
      disputes,
      sql`${disputes.status} = 'lost'`,
      disputes.amount,
      LOST_AT,
    ))
      at(Number(r.bucket), r.currency).disputesLost += Number(r.amount);

    const currencies = [...new Set([...totals.keys()].map((k) => k.split("|")[0]!))].sort();
    for (const [index, day] of scope.days.days.entries()) {
      for (const currency of currencies) {
        yield { day, currency, ...(totals.get(`${currency}|${index + 1}`) ?? NONE) };
      }
    }
  },
});
