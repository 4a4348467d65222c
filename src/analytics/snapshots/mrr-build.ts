import { and, eq, getTableColumns, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { subscriptionHistory } from "../../db/schema.ts";
import { bare, bareList, columnName, inTexts, queryRows } from "../../db/sql.ts";
import { snapSubscriptionMrr } from "../converted/schema.ts";
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
import type { ChangedSubscription } from "./sources.ts";

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
  "prev_day",
];
const columns = Object.values(getTableColumns(snapCustomerMrr)).map(columnName);
if (JSON_KEYS.join() !== columns.join())
  throw new Error(`snap_customer_mrr columns (${columns.join()}) differ from the build's JSON keys`);

/**
 * Customer MRR change rows for the whole subscription history (both modes). A late event changes
 * MRR from its day onward, so the table is recomputed as a whole, but only rows that differ are
 * written: the new rows go to a temporary table, rows no longer produced are deleted, and new or
 * changed rows are upserted. It holds one row per customer per day with a change, far fewer than orders.
 * Each row carries the day its value stops holding (`valid_to`, the customer's next row) and the day
 * of the row before it (`prev_day`), so a late change that adds or removes a row also rewrites the
 * `valid_to` of the row before it and the `prev_day` of the row after it.
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
    rows += await insertCustomerMrr(db, sql`snap_customer_mrr_next`, customerMrrChanges(states, timezone));
  }
  const key = [m.livemode, m.currency, m.customerKey, m.day];
  const values = [m.mrr, m.prevMrr, m.subscriptions, m.prevSubscriptions, m.movement, m.validTo, m.prevDay];
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
 * Customer MRR change rows into `target` (the table or its temporary twin), one JSON parameter per
 * batch, each with its `valid_to` and `prev_day` (the changes hold every row of their customers).
 */
async function insertCustomerMrr(db: Db, target: SQL, changes: CustomerMrrChange[]): Promise<number> {
  const { validTo, prevDay } = neighbourDays(changes);
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
        prev_day: prevDay[i + j],
      })),
    );
    await db.execute(
      sql`INSERT INTO ${target} SELECT * FROM json_populate_recordset(NULL::${target}, ${json}::json)`,
    );
  }
  return changes.length;
}

/**
 * The customer MRR stage of the worker's rebuild when only some subscriptions' history changed
 * (`mrrRebuild` in sources.ts): the rows of the customers those subscriptions belong to, or belonged
 * to, are recomputed from their subscriptions' whole history and replaced; every other customer's
 * rows stay as they are, which is what a whole rebuild would write for them (their inputs are
 * unchanged). Each subscription's part of its plans is replaced the same way, and MRR by plan is
 * summed again from those parts. Hands each mode's states and affected subscriptions to
 * `onHistory` for the subscription MRR stage.
 */
export async function rebuildCustomerMrrOf(
  db: Db,
  timezone: string,
  changed: readonly ChangedSubscription[],
  onHistory: (livemode: boolean, states: HistoryState[], subscriptionIds: string[]) => void,
): Promise<number> {
  let rows = 0;
  for (const livemode of [false, true]) {
    const ids = changed.filter((c) => c.livemode === livemode).map((c) => c.subscriptionId);
    if (ids.length === 0) continue;
    const affected = await affectedSubscriptions(db, livemode, ids);
    const states = await loadHistory(db, livemode, affected.ids);
    onHistory(livemode, states, affected.ids);
    const p = snapSubscriptionPlanMrr;
    const mine = and(eq(p.livemode, livemode), inTexts(p.subscriptionId, affected.ids));
    const parts = subscriptionPlanChanges(states, timezone);
    const previousPlans = await db.selectDistinct({ planId: p.planId }).from(p).where(mine);
    const plans = new Set([...previousPlans.map((r) => r.planId), ...parts.map((part) => part.planId)]);
    await db.delete(p).where(mine);
    rows += await insertSubscriptionPlanMrr(db, parts);
    rows += await rebuildPlanMrr(db, livemode, [...plans]);
    const m = snapCustomerMrr;
    const keys = [...new Set([...affected.previousKeys, ...states.map((st) => st.customerKey)])];
    await db.delete(m).where(and(eq(m.livemode, livemode), inTexts(m.customerKey, keys)));
    rows += await insertCustomerMrr(db, sql`${m}`, customerMrrChanges(states, timezone));
  }
  return rows;
}

/**
 * The subscriptions of one mode whose MRR rows a change to `changed` can move, and the customer keys
 * their rows were written under: every subscription connected to a changed one through a Stripe
 * customer, a shop customer (a state's link) or the customer key of its rows. A subscription's
 * customer key comes from its own links or its Stripe customer's, so one outside this set keeps its
 * key and its rows, and no customer of the set has a subscription outside it. One statement per
 * step outward (two for a customer whose subscriptions share nothing else), each subscription found
 * through an index on the Stripe customer, the shop customer or the customer key, not by reading
 * the whole history.
 */
export async function affectedSubscriptions(
  db: Db,
  livemode: boolean,
  changed: readonly string[],
): Promise<{ ids: string[]; previousKeys: string[] }> {
  const h = subscriptionHistory;
  // Its subscription MRR rows carry a subscription's customer key (its plan parts' keys are the same,
  // and a subscription with plan parts has MRR rows).
  const s = snapSubscriptionMrr;
  // A customer key is a shop customer id or, unlinked, the Stripe customer id: one token space.
  const keyToken = (key: SQL) => sql`CASE WHEN ${key} ~ '^[0-9]+$' THEN 'c:' ELSE 's:' END || ${key}`;
  // The shop customer id whose text is exactly `digits` ('c:' || customer_id = the token), or null
  // (leading zeros, more digits than an integer has, not digits): looked up through the index.
  const customerIdOf = (digits: SQL) =>
    sql`CASE WHEN ${digits} ~ '^(0|[1-9][0-9]{0,9})$' THEN ${digits}::bigint END`;
  const ids = new Set(changed);
  for (;;) {
    const list = [...ids];
    const next = await queryRows<{ id: string }>(
      db,
      sql`WITH tokens AS (
            SELECT 's:' || ${h.stripeCustomerId} AS token FROM ${h}
              WHERE ${h.livemode} = ${livemode} AND ${inTexts(h.subscriptionId, list)}
            UNION SELECT 'c:' || ${h.customerId} FROM ${h}
              WHERE ${h.livemode} = ${livemode} AND ${h.customerId} IS NOT NULL AND ${inTexts(h.subscriptionId, list)}
            UNION SELECT ${keyToken(sql`${s.customerKey}`)} FROM ${s}
              WHERE ${s.livemode} = ${livemode} AND ${inTexts(s.subscriptionId, list)})
          SELECT ${h.subscriptionId} AS id FROM ${h}
            WHERE ${h.livemode} = ${livemode}
              AND ${h.stripeCustomerId} = ANY(ARRAY(SELECT substr(token, 3) FROM tokens WHERE left(token, 2) = 's:'))
          UNION SELECT ${h.subscriptionId} FROM ${h}
            WHERE ${h.livemode} = ${livemode}
              AND ${h.customerId} = ANY(ARRAY(SELECT ${customerIdOf(sql`substr(token, 3)`)} FROM tokens WHERE left(token, 2) = 'c:'))
          UNION SELECT ${s.subscriptionId} FROM ${s}
            WHERE ${s.livemode} = ${livemode}
              AND ${s.customerKey} = ANY(ARRAY(SELECT substr(token, 3) FROM tokens))
              AND ${keyToken(sql`${s.customerKey}`)} IN (SELECT token FROM tokens)`,
    );
    const before = ids.size;
    for (const row of next) ids.add(row.id);
    if (ids.size === before) break;
  }
  const list = [...ids];
  const previous = await db
    .selectDistinct({ key: s.customerKey })
    .from(s)
    .where(and(eq(s.livemode, livemode), inTexts(s.subscriptionId, list)));
  return { ids: list, previousKeys: previous.map((r) => r.key) };
}

/**
 * MRR by plan of `plans` in one mode summed again from their subscriptions' parts
 * (`snap_subscription_plan_mrr`) in one statement: each part row's change against the same
 * subscription's previous row of that plan, summed per plan and day and run forward; a day is written
 * when the plan's MRR or its count of paying subscriptions moved (as `planMrrChanges`, which the
 * whole rebuild uses; tests hold the two equal).
 */
async function rebuildPlanMrr(db: Db, livemode: boolean, plans: string[]): Promise<number> {
  const p = snapSubscriptionPlanMrr;
  const t = snapPlanMrr;
  await db.delete(t).where(and(eq(t.livemode, livemode), inTexts(t.planId, plans)));
  const plan = sql`PARTITION BY livemode, currency, plan_id ORDER BY day`;
  const result = await db.execute(sql`
    INSERT INTO ${t} (${bareList(t.livemode, t.currency, t.planId, t.day, t.mrr, t.subscriptions)})
    SELECT livemode, currency, plan_id, day, mrr, subscriptions FROM (
      SELECT livemode, currency, plan_id, day, mrr, subscriptions,
             lag(mrr, 1, 0) OVER (${plan}) AS prev_mrr, lag(subscriptions, 1, 0) OVER (${plan}) AS prev_subscriptions
      FROM (
        SELECT livemode, currency, plan_id, day,
               sum(sum(delta)) OVER (${plan}) AS mrr, sum(sum(paying)) OVER (${plan}) AS subscriptions
        FROM (
          SELECT ${p.livemode} AS livemode, ${p.currency} AS currency, ${p.planId} AS plan_id, ${p.day} AS day,
                 ${p.mrr} - lag(${p.mrr}, 1, 0::bigint) OVER part AS delta,
                 (${p.mrr} > 0)::int - coalesce((lag(${p.mrr}) OVER part > 0)::int, 0) AS paying
          FROM ${p}
          WHERE ${p.livemode} = ${livemode} AND ${inTexts(p.planId, plans)}
          WINDOW part AS (PARTITION BY ${p.livemode}, ${p.currency}, ${p.planId}, ${p.subscriptionId} ORDER BY ${p.day})
        ) moves
        GROUP BY livemode, currency, plan_id, day
      ) running
    ) days
    WHERE (mrr, subscriptions) IS DISTINCT FROM (prev_mrr, prev_subscriptions)`);
  return rowCount(result);
}

/**
 * Each change row's `valid_to` and `prev_day`: the day of the same customer's next row in its mode
 * and currency ('infinity' for their latest) and of their previous one ('-infinity' for their
 * first). A customer's rows come in day order.
 */
function neighbourDays(changes: CustomerMrrChange[]): { validTo: string[]; prevDay: string[] } {
  const validTo = changes.map(() => "infinity");
  const prevDay = changes.map(() => "-infinity");
  const last = new Map<string, number>();
  changes.forEach((c, i) => {
    const key = `${c.livemode}|${c.currency}|${c.customerKey}`;
    const previous = last.get(key);
    if (previous !== undefined) {
      validTo[previous] = c.day;
      prevDay[i] = changes[previous]!.day;
    }
    last.set(key, i);
  });
  return { validTo, prevDay };
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
