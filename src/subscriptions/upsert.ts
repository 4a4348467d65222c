import { eq, sql } from "drizzle-orm";
import { compareHistory } from "../analytics/core/subscription-state.ts";
import { markDaysDirty, NO_PAID_ORDERS } from "../analytics/dirty.ts";
import { parseItems } from "../analytics/mrr/history.ts";
import { loadKnownDiscounts, mrrAt } from "../analytics/mrr/known-discounts.ts";
import type { AppContext } from "../context.ts";
import { customerIdOfStripeCustomer } from "../customers/index.ts";
import { type Db, withoutAnswer } from "../db/client.ts";
import {
  insertIfNew,
  insertIgnoringConflict,
  lockById,
  type UpsertOutcome,
  updateById,
} from "../db/merge-upsert.ts";
import { param, statement } from "../db/prepared.ts";
import { bare } from "../db/sql.ts";
import { upsertDiscount } from "./discounts.ts";
import { upsertPlans } from "./plans.ts";
import { subscriptionHistory, subscriptions } from "./schema.ts";
import { snapshotOf } from "./state.ts";
import type { SubscriptionRead } from "./stripe-inputs.ts";

export interface SubscriptionSource {
  /** The Stripe event id, or a `sync_…` id for a state read by sync. */
  eventId: string;
  eventCreated: Date;
  receivedSeq: number;
}

/**
 * Records one state of a subscription: a history row per event (even an old one: the MRR time
 * machine needs it) and the current row only when this state is newer by `compareHistory`. Runs in
 * the caller's transaction: `ctx` is `{ ...ctx, db: tx }`.
 */
export async function upsertSubscription(
  ctx: AppContext,
  sub: SubscriptionRead,
  source: SubscriptionSource,
): Promise<UpsertOutcome> {
  const tx = ctx.db;
  for (const d of sub.discounts) {
    await upsertDiscount(
      ctx,
      { ...d, subscriptionId: d.subscriptionId ?? sub.id },
      {
        livemode: sub.livemode,
        at: source.eventCreated,
      },
    );
  }
  const known = await loadKnownDiscounts(tx, sub.discountIds);
  const snap = snapshotOf(sub, known, ctx.clock.now());
  const customerId = await customerIdOfStripeCustomer({ db: tx }, snap.stripeCustomerId);
  await upsertPlans(tx, sub);
  await insertIgnoringConflict(tx, subscriptionHistory, {
    subscriptionId: snap.id,
    eventId: source.eventId,
    eventCreated: source.eventCreated,
    receivedSeq: source.receivedSeq,
    stripeCustomerId: snap.stripeCustomerId,
    customerId,
    status: snap.status,
    currency: snap.currency,
    items: snap.items,
    percentOff: snap.percentOff,
    discountIds: snap.discountIds,
    currentPeriodStart: snap.currentPeriodStart,
    canceledAt: snap.canceledAt,
    endedAt: snap.endedAt,
    livemode: snap.livemode,
    // A history row's MRR is its state's at its own event time (the current row's is taken now).
    mrr: mrrAt(snap, known, source.eventCreated),
  });
  const row = {
    ...snap,
    customerId,
    sourceEventCreated: source.eventCreated,
    sourceEventSeq: source.receivedSeq,
  };
  const stored = await lockById(tx, subscriptions, snap.id);
  const incomingKey = {
    eventCreated: source.eventCreated,
    receivedSeq: source.receivedSeq,
    currentPeriodStart: snap.currentPeriodStart,
    canceledAt: snap.canceledAt,
    endedAt: snap.endedAt,
  };
  let outcome: UpsertOutcome = "unchanged";
  if (!stored) {
    const inserted = await insertIfNew(tx, subscriptions, row);
    if (inserted.length === 0) return upsertSubscription(ctx, sub, source);
    outcome = "created";
  } else {
    const storedKey = {
      eventCreated: stored.sourceEventCreated,
      receivedSeq: stored.sourceEventSeq,
      currentPeriodStart: stored.currentPeriodStart,
      canceledAt: stored.canceledAt,
      endedAt: stored.endedAt,
    };
    if (compareHistory(incomingKey, storedKey) > 0) {
      await updateById(tx, subscriptions, snap.id, {
        ...row,
        customerId: row.customerId ?? stored.customerId,
      });
      outcome = "updated";
    }
  }
  await markDaysDirty(ctx, [source.eventCreated], NO_PAID_ORDERS);
  return outcome;
}

/**
 * The stored MRR of the subscriptions (and their history rows) that use discount `discountId`,
 * recomputed now that the discount is known or changed, in the caller's transaction (`ctx.db`).
 */
export async function refreshDiscountedMrr(ctx: AppContext, discountId: string): Promise<void> {
  const tx = ctx.db;
  const rows = await tx
    .select()
    .from(subscriptions)
    .where(sql`${subscriptions.discountIds} @> ${JSON.stringify([discountId])}::jsonb`)
    .for("update");
  for (const row of rows) {
    const ids = row.discountIds ?? [];
    const known = await loadKnownDiscounts(tx, ids);
    const items = parseItems(row.items);
    const mrr = mrrAt(
      { status: row.status, items, percentOff: row.percentOff, discountIds: ids },
      known,
      ctx.clock.now(),
    );
    if (mrr !== row.mrr) await tx.update(subscriptions).set({ mrr }).where(eq(subscriptions.id, row.id));
  }
  // History rows keep the MRR of their state at their event time, whichever arrived first.
  const states = await tx
    .select()
    .from(subscriptionHistory)
    .where(sql`${subscriptionHistory.discountIds} @> ${JSON.stringify([discountId])}::jsonb`);
  for (const h of states) {
    const ids = h.discountIds ?? [];
    const known = await loadKnownDiscounts(tx, ids);
    const state = {
      status: h.status,
      items: parseItems(h.items),
      percentOff: h.percentOff,
      discountIds: ids,
    };
    const mrr = mrrAt(state, known, h.eventCreated);
    if (mrr !== h.mrr)
      await withoutAnswer(() =>
        tx.update(subscriptionHistory).set({ mrr }).where(eq(subscriptionHistory.id, h.id)),
      );
  }
}

/** Subscriptions stored before their customer was known get its shop id. */
export async function linkSubscriptionsToCustomer(tx: Db, stripeCustomerId: string, customerId: number) {
  // One statement (both tables in a data-modifying CTE), and on the webhook path it travels with the
  // transaction's next one: no round trip of its own on a customer event.
  await withoutAnswer(() => linkToCustomer.run(tx, { customerId, stripeCustomerId }));
}

const linkToCustomer = statement<{ customerId: number; stripeCustomerId: string }>()((db) => {
  const s = subscriptions;
  const h = subscriptionHistory;
  return db.execute(
    sql`WITH linked AS (
          UPDATE ${s} SET ${bare(s.customerId)} = ${param("customerId")}
          WHERE ${s.stripeCustomerId} = ${param("stripeCustomerId")} AND ${s.customerId} IS NULL
        )
        UPDATE ${h} SET ${bare(h.customerId)} = ${param("customerId")}
        WHERE ${h.stripeCustomerId} = ${param("stripeCustomerId")} AND ${h.customerId} IS NULL`,
  );
});
