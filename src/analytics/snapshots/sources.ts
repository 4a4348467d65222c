import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { coupons, discounts, subscriptionHistory } from "../../db/schema.ts";
import { queryRows } from "../../db/sql.ts";
import { snapSubscriptionMrr } from "../converted/schema.ts";
import {
  snapCustomerGaps,
  snapCustomerMrr,
  snapDailyMrr,
  snapPlanMrr,
  snapSources,
  snapSubscriptionPlanMrr,
} from "../schema.ts";

/** The `snap_sources` row of the whole-history MRR stages (customer, daily, plan, subscription and subscription-plan MRR). */
const MRR = "mrr";

/** Row count and an order-independent hash of every row's text: any insert, update or delete changes it. */
const tableHash = (table: SQL) =>
  sql`(SELECT count(*) || ':' || coalesce(sum(hashtextextended(t::text, 0)), 0) FROM ${table} t)`;

/**
 * What the MRR stages read (every subscription state, discount and coupon, the reporting zone) and
 * how many rows they left in their tables. Equal fingerprints mean a rebuild would write the same rows.
 */
async function mrrFingerprint(db: Db, timezone: string): Promise<{ inputs: string; outputs: string }> {
  const count = (table: SQL) => sql`(SELECT count(*) FROM ${table})`;
  const [row] = await queryRows<{ inputs: string; outputs: string }>(
    db,
    sql`SELECT concat_ws('|', ${timezone}::text, ${tableHash(sql`${subscriptionHistory}`)},
                      ${tableHash(sql`${discounts}`)}, ${tableHash(sql`${coupons}`)}) AS inputs,
               concat_ws('|', ${count(sql`${snapCustomerMrr}`)}, ${count(sql`${snapDailyMrr}`)},
                      ${count(sql`${snapPlanMrr}`)}, ${count(sql`${snapSubscriptionMrr}`)},
                      ${count(sql`${snapSubscriptionPlanMrr}`)},
                      (SELECT count(*) FROM ${snapCustomerGaps} WHERE ${snapCustomerGaps.kind} = 'churn')) AS outputs`,
  );
  return row!;
}

/**
 * Whether the MRR snapshot tables were built from exactly the current inputs and still hold what
 * that build wrote. Returns the inputs' fingerprint to hand to `recordMrrSource` after a rebuild.
 */
export async function mrrSourceUnchanged(
  db: Db,
  timezone: string,
): Promise<{ unchanged: boolean; inputs: string }> {
  const now = await mrrFingerprint(db, timezone);
  const [stored] = await db
    .select({ fingerprint: snapSources.fingerprint })
    .from(snapSources)
    .where(sql`${snapSources.name} = ${MRR}`);
  return { unchanged: stored?.fingerprint === `${now.inputs}#${now.outputs}`, inputs: now.inputs };
}

/** After the MRR stages ran (same transaction): remember their inputs and the rows they left. */
export async function recordMrrSource(db: Db, timezone: string, inputs: string): Promise<void> {
  const { outputs } = await mrrFingerprint(db, timezone);
  const fingerprint = `${inputs}#${outputs}`;
  await db
    .insert(snapSources)
    .values({ name: MRR, fingerprint })
    .onConflictDoUpdate({ target: snapSources.name, set: { fingerprint } });
}
