import { sql } from "drizzle-orm";
import { robustZ } from "../../analytics/core/anomaly.ts";
import { addDays, dayOf, eachDay } from "../../analytics/core/periods.ts";
import { CAPTURED_AMOUNT } from "../../analytics/money-rules.ts";
import { charges, refunds } from "../../db/schema.ts";
import { queryRows } from "../../db/sql.ts";
import { formatMoney } from "../../shared/money.ts";
import type { Check, Finding } from "../types.ts";

/** kpis.md-style threshold: more than 3 robust standard deviations from the trailing median. */
export const ANOMALY_THRESHOLD = 3;
export const TRAILING_DAYS = 28;
/** Days judged per run: the last complete week, so a spike stays visible for a week, then resolves. */
export const JUDGED_DAYS = 7;

type Row = { currency: string; day: string | Date; amount: string | number };

/**
 * Net revenue (money captured by succeeded charges − succeeded refunds, kpis.md) per reporting day and currency, each
 * of the last 7 complete days judged against its own trailing 28 days by robust z-score. Reads the
 * raw ledger rather than snapshots: the window is small, and a stale snapshot must not look like a crash.
 */
export const revenueAnomaly: Check = {
  name: "revenue-anomaly",
  description: `A day's net revenue more than ${ANOMALY_THRESHOLD} robust standard deviations (median/MAD over the trailing ${TRAILING_DAYS} days) from normal, per currency, over the last ${JUDGED_DAYS} complete days.`,
  severity: "warning",
  fix: "Look at the day's charges and refunds (Ops dashboard, finance export): a real event (campaign, outage, bulk refund) is ignored with a note; missing charges point to webhook trouble (see webhook-health); duplicated ones to a replay or import bug.",
  async run({ db, now, config }) {
    const tz = config.reportingTimezone;
    const lastDay = addDays(dayOf(now, tz), -1);
    const firstJudged = addDays(lastDay, -(JUDGED_DAYS - 1));
    const windowStart = addDays(firstJudged, -TRAILING_DAYS);
    const rows = await queryRows<Row>(
      db,
      sql`SELECT currency, day::text AS day, SUM(amount) AS amount FROM (
            SELECT ${charges.currency} AS currency, (${charges.created} AT TIME ZONE ${tz})::date AS day,
                   ${CAPTURED_AMOUNT} AS amount
            FROM ${charges} WHERE ${charges.status} = 'succeeded' AND ${charges.livemode} = ${config.livemode}
            UNION ALL
            SELECT ${refunds.currency}, (${refunds.created} AT TIME ZONE ${tz})::date AS day, -${refunds.amount}
            FROM ${refunds} WHERE ${refunds.status} = 'succeeded' AND ${refunds.livemode} = ${config.livemode}
          ) ledger
          WHERE day BETWEEN ${windowStart}::date AND ${lastDay}::date
          GROUP BY currency, day`,
    );
    const firsts = await firstLedgerDays(db, tz, config.livemode);
    const byCurrency = new Map<string, Map<string, number>>();
    for (const r of rows) {
      const days = byCurrency.get(r.currency) ?? new Map<string, number>();
      days.set(dayString(r.day), Number(r.amount));
      byCurrency.set(r.currency, days);
    }
    const findings: Finding[] = [];
    for (const [currency, days] of byCurrency) {
      const first = firsts.get(currency) ?? windowStart;
      for (const day of eachDay(firstJudged, lastDay)) {
        // Days before the shop first sold in this currency are not "zero revenue" days.
        const trailing = eachDay(maxDay(addDays(day, -TRAILING_DAYS), first), addDays(day, -1)).map(
          (d) => days.get(d) ?? 0,
        );
        const value = days.get(day) ?? 0;
        const z = robustZ(value, trailing);
        if (z === null || Math.abs(z) <= ANOMALY_THRESHOLD) continue;
        findings.push({
          fingerprint: `${currency}:${day}`,
          title: `Net revenue on ${day} was ${formatMoney(value, currency)}, ${z > 0 ? "far above" : "far below"} normal (robust z ${z.toFixed(1)})`,
          details: {
            currency,
            day,
            netRevenue: value,
            robustZ: Number(z.toFixed(2)),
            trailingDays: trailing.length,
          },
        });
      }
    }
    return findings;
  },
};

async function firstLedgerDays(db: Parameters<Check["run"]>[0]["db"], tz: string, livemode: boolean) {
  const rows = await queryRows<{ currency: string; day: string | Date }>(
    db,
    sql`SELECT ${charges.currency} AS currency, ((MIN(${charges.created}) AT TIME ZONE ${tz})::date)::text AS day
        FROM ${charges} WHERE ${charges.status} = 'succeeded' AND ${charges.livemode} = ${livemode}
        GROUP BY ${charges.currency}`,
  );
  return new Map(rows.map((r) => [r.currency, dayString(r.day)]));
}

function maxDay(a: string, b: string): string {
  return a > b ? a : b;
}

export function dayString(value: string | Date): string {
  return typeof value === "string" ? value.slice(0, 10) : value.toISOString().slice(0, 10);
}
