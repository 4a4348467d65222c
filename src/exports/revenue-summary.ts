import { type SQL, sql } from "drizzle-orm";
import { CAPTURED_AMOUNT, IS_CHARGEBACK, LOST_AT } from "../analytics/money-rules.ts";
import { queryRows } from "../db/sql.ts";
import { fixed, type PackFile, type PackScope } from "./pack.ts";
import { decimal } from "./values.ts";

interface Totals {
  gross: number;
  refunds: number;
  disputes: number;
  disputesLost: number;
  charges: number;
  refundCount: number;
}

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
  table: string,
  filter: SQL,
  amount: SQL = sql`amount`,
  at: SQL = sql`created`,
): Promise<Bucketed[]> {
  const boundaries = sql.join(
    scope.days.boundaries.map((b) => sql`${b}::timestamptz`),
    sql`, `,
  );
  return queryRows<Bucketed>(
    scope.db,
    sql`
      SELECT width_bucket(${at}, ARRAY[${boundaries}]) AS bucket, currency,
        sum(${amount})::bigint AS amount, count(*)::int AS n
      FROM ${sql.identifier(table)}
      WHERE ${at} >= ${scope.start} AND ${at} < ${scope.end} AND livemode = ${scope.livemode} AND ${filter}
      GROUP BY 1, 2`,
  );
}

export const revenueSummaryFile: PackFile = {
  name: "revenue_summary.csv",
  columns: fixed([
    "day",
    "currency",
    "gross_revenue",
    "gross_revenue_decimal",
    "refunds",
    "refunds_decimal",
    "net_revenue",
    "net_revenue_decimal",
    "disputes",
    "disputes_decimal",
    "succeeded_charges",
    "succeeded_refunds",
    "disputes_lost",
    "disputes_lost_decimal",
  ]),
  async *rows(scope) {
    // At most days × currencies entries: bounded by the period, not by the number of charges.
    const totals = new Map<string, Totals>();
    const at = (bucket: number, currency: string): Totals => {
      const key = `${currency}|${bucket}`;
      let t = totals.get(key);
      if (!t) {
        t = { gross: 0, refunds: 0, disputes: 0, disputesLost: 0, charges: 0, refundCount: 0 };
        totals.set(key, t);
      }
      return t;
    };
    const succeeded = sql`status = 'succeeded'`;
    for (const r of await bucketed(scope, "charges", succeeded, CAPTURED_AMOUNT)) {
      const t = at(Number(r.bucket), r.currency);
      t.gross += Number(r.amount);
      t.charges += Number(r.n);
    }
    for (const r of await bucketed(scope, "refunds", succeeded)) {
      const t = at(Number(r.bucket), r.currency);
      t.refunds += Number(r.amount);
      t.refundCount += Number(r.n);
    }
    for (const r of await bucketed(scope, "disputes", IS_CHARGEBACK))
      at(Number(r.bucket), r.currency).disputes += Number(r.amount);
    for (const r of await bucketed(scope, "disputes", sql`status = 'lost'`, sql`amount`, LOST_AT))
      at(Number(r.bucket), r.currency).disputesLost += Number(r.amount);

    const currencies = [...new Set([...totals.keys()].map((k) => k.split("|")[0]!))].sort();
    for (const [index, day] of scope.days.days.entries()) {
      for (const currency of currencies) {
        const t = totals.get(`${currency}|${index + 1}`);
        const gross = t?.gross ?? 0;
        const refunds = t?.refunds ?? 0;
        const disputes = t?.disputes ?? 0;
        const disputesLost = t?.disputesLost ?? 0;
        const net = gross - refunds - disputesLost;
        yield {
          day,
          currency,
          gross_revenue: gross,
          gross_revenue_decimal: decimal(gross, currency),
          refunds,
          refunds_decimal: decimal(refunds, currency),
          net_revenue: net,
          net_revenue_decimal: decimal(net, currency),
          disputes,
          disputes_decimal: decimal(disputes, currency),
          succeeded_charges: t?.charges ?? 0,
          succeeded_refunds: t?.refundCount ?? 0,
          disputes_lost: disputesLost,
          disputes_lost_decimal: decimal(disputesLost, currency),
        };
      }
    }
  },
};
