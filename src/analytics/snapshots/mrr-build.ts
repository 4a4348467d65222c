import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { loadHistory } from "../mrr/history.ts";
import { customerMrrChanges } from "../mrr/timeline.ts";
import { rowCount } from "./facts.ts";

/** Change rows sent per statement (as one JSON parameter). */
const BATCH = 20_000;

/**
 * Customer MRR change rows for the whole subscription history (both modes). A late event changes
 * MRR from its day onward, so the table is recomputed as a whole, but only rows that differ are
 * written: the new rows go to a temporary table, rows no longer produced are deleted, and new or
 * changed rows are upserted. It holds one row per customer per day with a change, far fewer than orders.
 */
export async function buildCustomerMrr(db: Db, timezone: string): Promise<number> {
  await db.execute(sql`CREATE TEMP TABLE snap_customer_mrr_next (LIKE snap_customer_mrr) ON COMMIT DROP`);
  let rows = 0;
  for (const livemode of [false, true]) {
    const changes = customerMrrChanges(await loadHistory(db, livemode), timezone);
    for (let i = 0; i < changes.length; i += BATCH) {
      const json = JSON.stringify(
        changes.slice(i, i + BATCH).map((c) => ({
          livemode: c.livemode,
          currency: c.currency,
          customer_key: c.customerKey,
          day: c.day,
          mrr: c.mrr,
          prev_mrr: c.prevMrr,
          subscriptions: c.subscriptions,
          prev_subscriptions: c.prevSubscriptions,
          movement: c.movement,
        })),
      );
      await db.execute(sql`
        INSERT INTO snap_customer_mrr_next
        SELECT * FROM json_populate_recordset(NULL::snap_customer_mrr_next, ${json}::json)`);
    }
    rows += changes.length;
  }
  await db.execute(sql`
    DELETE FROM snap_customer_mrr s WHERE NOT EXISTS (
      SELECT 1 FROM snap_customer_mrr_next n
      WHERE n.livemode = s.livemode AND n.currency = s.currency AND n.customer_key = s.customer_key AND n.day = s.day)`);
  await db.execute(sql`
    INSERT INTO snap_customer_mrr SELECT * FROM snap_customer_mrr_next
    ON CONFLICT (livemode, currency, customer_key, day) DO UPDATE SET
      mrr = excluded.mrr, prev_mrr = excluded.prev_mrr, subscriptions = excluded.subscriptions,
      prev_subscriptions = excluded.prev_subscriptions, movement = excluded.movement
    WHERE (snap_customer_mrr.mrr, snap_customer_mrr.prev_mrr, snap_customer_mrr.subscriptions,
           snap_customer_mrr.prev_subscriptions, snap_customer_mrr.movement)
      IS DISTINCT FROM (excluded.mrr, excluded.prev_mrr, excluded.subscriptions,
                        excluded.prev_subscriptions, excluded.movement)`);
  await db.execute(sql`DROP TABLE snap_customer_mrr_next`);
  return rows;
}

/**
 * Daily MRR totals (running sums of the customer changes) with the day's movements, from the
 * customer MRR rows. Small (days × currencies), rebuilt whole.
 */
export async function buildDailyMrr(db: Db): Promise<number> {
  await db.execute(sql`DELETE FROM snap_daily_mrr`);
  const daily = await db.execute(sql`
    INSERT INTO snap_daily_mrr (livemode, currency, day, mrr, subscribers, subscriptions,
                                new_mrr, expansion, contraction, churn, reactivation)
    SELECT livemode, currency, day,
           sum(sum(mrr - prev_mrr)) OVER w,
           sum(count(*) FILTER (WHERE mrr > 0) - count(*) FILTER (WHERE prev_mrr > 0)) OVER w,
           sum(sum(subscriptions - prev_subscriptions)) OVER w,
           coalesce(sum(mrr - prev_mrr) FILTER (WHERE movement = 'new'), 0),
           coalesce(sum(mrr - prev_mrr) FILTER (WHERE movement = 'expansion'), 0),
           coalesce(sum(prev_mrr - mrr) FILTER (WHERE movement = 'contraction'), 0),
           coalesce(sum(prev_mrr - mrr) FILTER (WHERE movement = 'churn'), 0),
           coalesce(sum(mrr - prev_mrr) FILTER (WHERE movement = 'reactivation'), 0)
    FROM snap_customer_mrr
    GROUP BY livemode, currency, day
    WINDOW w AS (PARTITION BY livemode, currency ORDER BY day)`);
  // Churn and retention rates read each starting customer's MRR rows (queries/mrr.ts), so the
  // `churn` gap counts that earlier builds wrote are no longer read: a rebuild clears them.
  await db.execute(sql`DELETE FROM snap_customer_gaps WHERE kind = 'churn'`);
  return rowCount(daily);
}
