import { eq, getTableColumns, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { bare, bareList, columnName } from "../../db/sql.ts";
import { type HistoryState, loadHistory } from "../mrr/history.ts";
import {
  type CustomerMrrChange,
  customerMrrChanges,
  type PlanMrrChange,
  planMrrChanges,
  type SubscriptionPlanChange,
  subscriptionPlanChanges,
} from "../mrr/timeline.ts";
import {
  snapCustomerGaps,
  snapCustomerMrr,
  snapDailyMrr,
  snapPlanMrr,
  snapSubscriptionPlanMrr,
} from "../schema.ts";
import { rowCount } from "./facts.ts";

/** Change rows sent per statement (as one JSON parameter). */
const BATCH = 20_000;

/**
 * The JSON keys of a change row: `json_populate_recordset` matches them to the column names.
 * Literal keys keep the per-row objects cheap; this check makes a renamed column fail the build.
 */
const JSON_KEYS = [
  "livemode",
  "currency",
  "customer_key",
  "day",
  "mrr",
  "prev_mrr",
  "subscriptions",
  "prev_subscriptions",
  "movement",
  "valid_to",
];
const columns = Object.values(getTableColumns(snapCustomerMrr)).map(columnName);
if (JSON_KEYS.join() !== columns.join())
  throw new Error(`snap_customer_mrr columns (${columns.join()}) differ from the build's JSON keys`);

/**
 * Customer MRR change rows for the whole subscription history (both modes). A late event changes
 * MRR from its day onward, so the table is recomputed as a whole, but only rows that differ are
 * written: the new rows go to a temporary table, rows no longer produced are deleted, and new or
 * changed rows are upserted. It holds one row per customer per day with a change, far fewer than orders.
 * Each row carries the day its value stops holding (`valid_to`, the customer's next row), so a late
 * change that adds or removes a row also rewrites the `valid_to` of the row before it.
 * MRR by plan and each subscription's part of it come from the same read of the history and are
 * rewritten whole (a few rows per subscription).
 */
export async function buildCustomerMrr(
  db: Db,
  timezone: string,
  /** Handed each mode's history as read, so a later stage need not read it again. */
  onHistory?: (livemode: boolean, states: HistoryState[]) => void,
): Promise<number> {
  const m = snapCustomerMrr;
  await db.execute(sql`CREATE TEMP TABLE snap_customer_mrr_next (LIKE ${m}) ON COMMIT DROP`);
  let rows = 0;
  await db.delete(snapPlanMrr);
  await db.delete(snapSubscriptionPlanMrr);
  for (const livemode of [false, true]) {
    const states = await loadHistory(db, livemode);
    onHistory?.(livemode, states);
    const parts = subscriptionPlanChanges(states, timezone);
    rows += await insertSubscriptionPlanMrr(db, parts);
    rows += await insertPlanMrr(db, planMrrChanges(states, timezone, parts));
    const changes = customerMrrChanges(states, timezone);
    const validTo = validToDays(changes);
    for (let i = 0; i < changes.length; i += BATCH) {
      const json = JSON.stringify(
        changes.slice(i, i + BATCH).map((c, j) => ({
          livemode: c.livemode,
          currency: c.currency,
          customer_key: c.customerKey,
          day: c.day,
          mrr: c.mrr,
          prev_mrr: c.prevMrr,
          subscriptions: c.subscriptions,
          prev_subscriptions: c.prevSubscriptions,
          movement: c.movement,
          valid_to: validTo[i + j],
        })),
      );
      await db.execute(sql`
        INSERT INTO snap_customer_mrr_next
        SELECT * FROM json_populate_recordset(NULL::snap_customer_mrr_next, ${json}::json)`);
    }
    rows += changes.length;
  }
  const key = [m.livemode, m.currency, m.customerKey, m.day];
  const values = [m.mrr, m.prevMrr, m.subscriptions, m.prevSubscriptions, m.movement, m.validTo];
  await db.execute(sql`
    DELETE FROM ${m} WHERE NOT EXISTS (
      SELECT 1 FROM snap_customer_mrr_next n
      WHERE ${sql.join(
        key.map((c) => sql`n.${bare(c)} = ${c}`),
        sql` AND `,
      )})`);
  await db.execute(sql`
    INSERT INTO ${m} SELECT * FROM snap_customer_mrr_next
    ON CONFLICT (${bareList(...key)}) DO UPDATE SET
      ${sql.join(
        values.map((c) => sql`${bare(c)} = excluded.${bare(c)}`),
        sql`, `,
      )}
    WHERE (${sql.join(values, sql`, `)})
      IS DISTINCT FROM (${sql.join(
        values.map((c) => sql`excluded.${bare(c)}`),
        sql`, `,
      )})`);
  await db.execute(sql`DROP TABLE snap_customer_mrr_next`);
  return rows;
}

/**
 * Each change row's `valid_to`: the day of the same customer's next row in its mode and currency
 * ('infinity' for their latest). A customer's rows come in day order.
 */
function validToDays(changes: CustomerMrrChange[]): string[] {
  const validTo = changes.map(() => "infinity");
  const last = new Map<string, number>();
  changes.forEach((c, i) => {
    const key = `${c.livemode}|${c.currency}|${c.customerKey}`;
    const previous = last.get(key);
    if (previous !== undefined) validTo[previous] = c.day;
    last.set(key, i);
  });
  return validTo;
}

/** MRR-by-plan change rows (small: plans × days with a change), written as one JSON parameter per batch. */
async function insertPlanMrr(db: Db, changes: PlanMrrChange[]): Promise<number> {
  const p = snapPlanMrr;
  for (let i = 0; i < changes.length; i += BATCH) {
    const json = JSON.stringify(changes.slice(i, i + BATCH));
    await db.execute(sql`
      INSERT INTO ${p} (${bareList(p.livemode, p.currency, p.planId, p.day, p.mrr, p.subscriptions)})
      SELECT livemode, currency, "planId", day, mrr, subscriptions
      FROM json_to_recordset(${json}::json)
        AS r(livemode boolean, currency text, "planId" text, day date, mrr bigint, subscriptions integer)`);
  }
  return changes.length;
}

/** Each subscription's part of each plan at every change, written as one JSON parameter per batch. */
async function insertSubscriptionPlanMrr(db: Db, changes: SubscriptionPlanChange[]): Promise<number> {
  const p = snapSubscriptionPlanMrr;
  for (let i = 0; i < changes.length; i += BATCH) {
    const json = JSON.stringify(changes.slice(i, i + BATCH));
    await db.execute(sql`
      INSERT INTO ${p} (${bareList(p.livemode, p.currency, p.planId, p.subscriptionId, p.day, p.mrr, p.subscriptionMrr, p.customerKey, p.validTo)})
      SELECT livemode, currency, "planId", "subscriptionId", day, mrr, "subscriptionMrr", "customerKey", "validTo"
      FROM json_to_recordset(${json}::json)
        AS r(livemode boolean, currency text, "planId" text, "subscriptionId" text, day date, mrr bigint,
             "subscriptionMrr" bigint, "customerKey" text, "validTo" date)`);
  }
  return changes.length;
}

/**
 * Daily MRR totals (running sums of the customer changes) with the day's movements, from the
 * customer MRR rows. Small (days × currencies), rebuilt whole.
 */
export async function buildDailyMrr(db: Db): Promise<number> {
  const d = snapDailyMrr;
  const c = snapCustomerMrr;
  const change = sql`${c.mrr} - ${c.prevMrr}`;
  const drop = sql`${c.prevMrr} - ${c.mrr}`;
  const moved = (movement: string, amount: SQL) =>
    sql`coalesce(sum(${amount}) FILTER (WHERE ${c.movement} = ${sql.raw(`'${movement}'`)}), 0)`;
  await db.delete(d);
  const daily = await db.execute(sql`
    INSERT INTO ${d} (${bareList(d.livemode, d.currency, d.day, d.mrr, d.subscribers, d.subscriptions, d.newMrr, d.expansion, d.contraction, d.churn, d.reactivation)})
    SELECT ${c.livemode}, ${c.currency}, ${c.day},
           sum(sum(${change})) OVER w,
           sum(count(*) FILTER (WHERE ${c.mrr} > 0) - count(*) FILTER (WHERE ${c.prevMrr} > 0)) OVER w,
           sum(sum(${c.subscriptions} - ${c.prevSubscriptions})) OVER w,
           ${moved("new", change)}, ${moved("expansion", change)}, ${moved("contraction", drop)},
           ${moved("churn", drop)}, ${moved("reactivation", change)}
    FROM ${c}
    GROUP BY ${c.livemode}, ${c.currency}, ${c.day}
    WINDOW w AS (PARTITION BY ${c.livemode}, ${c.currency} ORDER BY ${c.day})`);
  // Churn and retention rates read each starting customer's MRR rows (queries/mrr-from-snapshots.ts),
  // so the `churn` gap counts that earlier builds wrote are no longer read: a rebuild clears them.
  await db.delete(snapCustomerGaps).where(eq(snapCustomerGaps.kind, "churn"));
  return rowCount(daily);
}
