import { and, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { coupons, discounts, subscriptionHistory } from "../../db/schema.ts";
import { bareList, inTexts, queryRows } from "../../db/sql.ts";
import { snapSubscriptionMrr } from "../converted/schema.ts";
import {
  snapCustomerGaps,
  snapCustomerMrr,
  snapDailyMrr,
  snapMrrSubscriptions,
  snapPlanMrr,
  snapSources,
  snapSubscriptionPlanMrr,
} from "../schema.ts";

/** The `snap_sources` row of the whole-history MRR stages (customer, daily, plan, subscription and subscription-plan MRR). */
const MRR = "mrr";

/**
 * Above this many changed subscriptions the worker recomputes every customer's MRR (one read of the
 * whole history) rather than each changed subscription's customers.
 */
const MAX_CHANGED_SUBSCRIPTIONS = 1_000;

/** Row count and an order-independent hash of every row's text: any insert, update or delete changes it. */
const tableHash = (table: SQL) =>
  sql`(SELECT count(*) || ':' || coalesce(sum(hashtextextended(t::text, 0)), 0) FROM ${table} t)`;

/**
 * A history row's version: its id and the transaction that wrote it (`xmin`). An insert adds a
 * version, a delete removes one, an update writes the row anew under a new `xmin` (PostgreSQL keeps
 * a frozen row's `xmin` readable), so a sum of these hashes moves with any change, like a hash of
 * every row's text, without turning each row (its items among them) into text: that took 80 ms of
 * every dirty-day rebuild at 28,000 states, this 7 ms. A row removed and written again counts as
 * changed (its customers are recomputed, to the same rows).
 */
const rowVersion = () => {
  const h = subscriptionHistory;
  return sql`hashtextextended(${h.id}::text || ':' || ${h}.xmin::text, 0)`;
};

/** The whole subscription history as one hash (row count and the sum of its row versions). */
const historyHash = () =>
  sql`(SELECT count(*) || ':' || coalesce(sum(${rowVersion()}), 0) FROM ${subscriptionHistory})`;

/** Each subscription's history rows as one hash per (mode, subscription), the same way. */
const subscriptionHashes = () => {
  const h = subscriptionHistory;
  return sql`SELECT ${h.livemode} AS livemode, ${h.subscriptionId} AS subscription_id,
                    count(*) || ':' || sum(${rowVersion()}) AS hash
             FROM ${h} GROUP BY ${h.livemode}, ${h.subscriptionId}`;
};

/**
 * What the MRR stages read (the reporting zone, every discount and coupon; the subscription history
 * as one hash) and how many rows they left in their tables. When only the history differs, it is
 * compared per subscription (`snap_mrr_subscriptions`).
 */
async function mrrFingerprint(
  db: Db,
  timezone: string,
): Promise<{ inputs: string; history: string; outputs: string }> {
  const [row] = await queryRows<{ inputs: string; history: string; outputs: string }>(
    db,
    sql`SELECT concat_ws('|', ${timezone}::text, ${tableHash(sql`${discounts}`)}, ${tableHash(sql`${coupons}`)}) AS inputs,
               ${historyHash()} AS history, ${mrrOutputs()} AS outputs`,
  );
  return row!;
}

/** How many rows the MRR stages left in each of their tables. */
function mrrOutputs(): SQL {
  const count = (table: SQL) => sql`(SELECT count(*) FROM ${table})`;
  return sql`concat_ws('|', ${count(sql`${snapCustomerMrr}`)}, ${count(sql`${snapDailyMrr}`)},
               ${count(sql`${snapPlanMrr}`)}, ${count(sql`${snapSubscriptionMrr}`)},
               ${count(sql`${snapSubscriptionPlanMrr}`)}, ${count(sql`${snapMrrSubscriptions}`)},
               (SELECT count(*) FROM ${snapCustomerGaps} WHERE ${snapCustomerGaps.kind} = 'churn'))`;
}

/** A subscription whose history differs from what the MRR stages last read (new, changed or gone). */
export interface ChangedSubscription {
  livemode: boolean;
  subscriptionId: string;
}

/**
 * What the MRR stages must recompute: nothing (`unchanged`), only the customers of the subscriptions
 * whose history changed (`subscriptions`), or everything (`all`: the zone, a discount or coupon, or
 * the MRR tables themselves changed since the build that wrote them, or too many subscriptions did).
 * Returns the inputs' fingerprint to hand to `recordMrrSource` after the rebuild.
 */
export type MrrRebuild = { inputs: string } & (
  | { kind: "unchanged" }
  | { kind: "subscriptions"; changed: ChangedSubscription[] }
  | { kind: "all" }
);

/**
 * Each subscription's history hash as this build read it before recomputing anything, kept until
 * `recordMrrSource`: a change committed while the build runs is then recorded as unseen and
 * recomputed by the next one.
 */
const NOW = sql.raw("snap_mrr_subscriptions_now");

export async function mrrRebuild(
  db: Db,
  timezone: string,
  /** `false`: recompute everything whatever changed (explicit builds). */
  skipUnchanged: boolean,
  /**
   * The caller saw no `mrr_input_changes` row (no statement changed the history, a discount or a
   * coupon since those rows were last cleared by a job whose build read the changes): with
   * `skipUnchanged`, the stages are skipped without reading the history, when the tables were last
   * built in this zone.
   */
  inputsUnchanged = false,
): Promise<MrrRebuild> {
  const [stored] = await db
    .select({ fingerprint: snapSources.fingerprint })
    .from(snapSources)
    .where(sql`${snapSources.name} = ${MRR}`);
  if (skipUnchanged && inputsUnchanged) {
    // The stored inputs begin with the zone they were built in (see mrrFingerprint).
    if (stored?.fingerprint.startsWith(`${timezone}|`)) {
      const [inputs, history] = stored.fingerprint.split("#");
      return { kind: "unchanged", inputs: `${inputs}#${history}` };
    }
  }
  const now = await mrrFingerprint(db, timezone);
  // The stored fingerprint: inputs # history # outputs (an older layout never matches).
  const inputs = `${now.inputs}#${now.history}`;
  if (skipUnchanged && stored?.fingerprint === `${inputs}#${now.outputs}`)
    return { kind: "unchanged", inputs };
  await db.execute(sql`CREATE TEMP TABLE ${NOW} ON COMMIT DROP AS ${subscriptionHashes()}`);
  const [storedInputs, , storedOutputs] = stored?.fingerprint.split("#") ?? [];
  if (!skipUnchanged || storedInputs !== now.inputs || storedOutputs !== now.outputs)
    return { kind: "all", inputs };
  // Only the history moved: which subscriptions' histories did.
  const s = snapMrrSubscriptions;
  const changed = await queryRows<{ livemode: boolean; subscription_id: string }>(
    db,
    sql`SELECT coalesce(n.livemode, ${s.livemode}) AS livemode,
               coalesce(n.subscription_id, ${s.subscriptionId}) AS subscription_id
        FROM ${NOW} n
        FULL JOIN ${s} ON ${s.livemode} = n.livemode AND ${s.subscriptionId} = n.subscription_id
        WHERE n.hash IS DISTINCT FROM ${s.hash}
        LIMIT ${MAX_CHANGED_SUBSCRIPTIONS + 1}`,
  );
  // None: the history's rows moved back to what was built.
  if (changed.length === 0) return { kind: "subscriptions", inputs, changed: [] };
  if (changed.length > MAX_CHANGED_SUBSCRIPTIONS) return { kind: "all", inputs };
  return {
    kind: "subscriptions",
    inputs,
    changed: changed.map((c) => ({ livemode: c.livemode, subscriptionId: c.subscription_id })),
  };
}

/**
 * After the MRR stages ran (same transaction): remember each subscription's history as they read it
 * (only the changed ones' after a partial rebuild), their other inputs and the rows they left.
 */
export async function recordMrrSource(db: Db, rebuilt: MrrRebuild): Promise<void> {
  const s = snapMrrSubscriptions;
  const columns = bareList(s.livemode, s.subscriptionId, s.hash);
  if (rebuilt.kind === "all") {
    await db.delete(s);
    await db.execute(sql`INSERT INTO ${s} (${columns}) SELECT livemode, subscription_id, hash FROM ${NOW}`);
  } else if (rebuilt.kind === "subscriptions") {
    for (const livemode of [false, true]) {
      const ids = rebuilt.changed.filter((c) => c.livemode === livemode).map((c) => c.subscriptionId);
      if (ids.length === 0) continue;
      await db.delete(s).where(and(eq(s.livemode, livemode), inTexts(s.subscriptionId, ids)));
      await db.execute(sql`
        INSERT INTO ${s} (${columns}) SELECT livemode, subscription_id, hash FROM ${NOW}
        WHERE livemode = ${livemode} AND ${inTexts(sql`subscription_id`, ids)}`);
    }
  }
  await db.execute(sql`DROP TABLE ${NOW}`);
  const [row] = await queryRows<{ outputs: string }>(db, sql`SELECT ${mrrOutputs()} AS outputs`);
  const fingerprint = `${rebuilt.inputs}#${row!.outputs}`;
  await db
    .insert(snapSources)
    .values({ name: MRR, fingerprint })
    .onConflictDoUpdate({ target: snapSources.name, set: { fingerprint } });
}
