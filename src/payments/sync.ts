import { eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import { type Actor, audit } from "../audit/index.ts";
import type { AppContext } from "../context.ts";
import { upsertCustomerFromStripe } from "../customers/index.ts";
import type { Db } from "../db/client.ts";
import type { UpsertOutcome } from "../db/merge-upsert.ts";
import { subscriptionHistory, subscriptions } from "../db/schema.ts";
import { canonicalJson } from "../shared/canonical-json.ts";
import { upsertInvoice, upsertSubscription } from "../subscriptions/index.ts";
import { errorMessage } from "./inbox/process.ts";
import { linkChargesToInvoice, upsertCharge } from "./ledger/charges.ts";
import { upsertDispute } from "./ledger/disputes.ts";
import { upsertRefund } from "./ledger/refunds.ts";
import { resolveUnknownDiscounts } from "./resolve-discounts.ts";
import { readCharge } from "./stripe/readers/charge.ts";
import { readCustomer } from "./stripe/readers/customer.ts";
import { readDispute } from "./stripe/readers/dispute.ts";
import { readInvoice } from "./stripe/readers/invoice.ts";
import { readRefund } from "./stripe/readers/refund.ts";
import { readSubscription, type SubscriptionRead } from "./stripe/readers/subscription.ts";
import { createStripeClient } from "./stripe-client.ts";
import { syncRealisedRates } from "./sync-fx-rates.ts";

export type SyncCounts = Record<string, { created: number; updated: number; unchanged: number }>;

const RESOURCES = ["customers", "charges", "refunds", "disputes", "subscriptions", "invoices"] as const;

/**
 * Backfills from Stripe's API (SDK auto-pagination) through the webhook upserts, so it is
 * idempotent with them. Objects carry their own `created` as source time: sync fills gaps (rows,
 * statuses that moved forward, refunded amounts) but never overwrites a newer webhook state. A
 * subscription whose state differs from ours gets a history row dated now.
 *
 * Each run appends one `stripe.sync` audit row by `actor` with the counts (not one per object); a
 * run that stops on an error is recorded too, with the counts so far, before the error is rethrown.
 */
export async function syncFromStripe(
  ctx: AppContext,
  actor: Actor,
  options: { since?: Date; client?: Stripe } = {},
): Promise<SyncCounts> {
  const stripe = options.client ?? createStripeClient(ctx.config);
  const created = options.since ? { gte: Math.floor(options.since.getTime() / 1000) } : undefined;
  const params = { limit: 100, ...(created ? { created } : {}) };
  const counts: SyncCounts = {};
  for (const name of RESOURCES) counts[name] = { created: 0, updated: 0, unchanged: 0 };
  const tally = (name: string, outcome: UpsertOutcome) => {
    counts[name]![outcome] += 1;
  };
  const each = async <T>(
    list: AsyncIterable<unknown>,
    name: string,
    apply: (tx: Db, o: T) => Promise<UpsertOutcome>,
  ) => {
    for await (const object of list) {
      const livemode = (object as { livemode?: boolean }).livemode;
      if (livemode !== undefined && livemode !== ctx.config.livemode) continue;
      tally(name, await ctx.db.transaction((tx) => apply(tx, object as T)));
    }
  };
  const record = (outcome: "completed" | "failed") =>
    ctx.db.transaction((tx) =>
      audit(
        tx,
        actor,
        "stripe.sync",
        { type: "stripe" },
        { since: options.since?.toISOString() ?? null, outcome, counts },
        null,
        ctx.clock.now(),
      ),
    );

  try {
    // Payment objects go through the same readers as webhooks; a payload shows its state now.
    const now = ctx.clock.now();
    await each<unknown>(stripe.customers.list(params), "customers", async (tx, raw) => {
      const c = readCustomer(raw);
      return (await upsertCustomerFromStripe({ ...ctx, db: tx }, c, c.created)).outcome;
    });
    await each<unknown>(
      // Embedded refunds are only sent when expanded (since 2022-11-15).
      stripe.charges.list({ ...params, expand: ["data.balance_transaction", "data.refunds"] }),
      "charges",
      async (tx, raw) => {
        const c = readCharge(raw);
        return (await upsertCharge(ctx, tx, c, c.created, now)).outcome;
      },
    );
    await each<unknown>(stripe.refunds.list(params), "refunds", async (tx, raw) => {
      const r = readRefund(raw);
      return (await upsertRefund(ctx, tx, r, r.created, ctx.config.livemode)).outcome;
    });
    await each<unknown>(stripe.disputes.list(params), "disputes", async (tx, raw) => {
      const d = readDispute(raw);
      return (await upsertDispute(ctx, tx, d, d.created, now)).outcome;
    });
    // Subscriptions and invoices go through the same readers as webhooks, whatever version they carry.
    await each<unknown>(stripe.subscriptions.list({ ...params, status: "all" }), "subscriptions", (tx, s) =>
      syncSubscription(ctx, tx, readSubscription(s)),
    );
    await each<unknown>(stripe.invoices.list(params), "invoices", async (tx, raw) => {
      const i = readInvoice(raw);
      const { outcome } = await upsertInvoice(ctx, tx, i, i.created, i.status === "paid" ? i.created : null);
      await linkChargesToInvoice(tx, i.id);
      return outcome;
    });
    // Realised exchange rates of the period's payments (the converted view's best rate source).
    const fx = await syncRealisedRates(ctx, stripe, params);
    counts.fx_rates = { created: fx.changed, updated: 0, unchanged: fx.rates - fx.changed };
    // Discount ids the subscriptions named but no event resolved: asked of Stripe, outside any lock.
    await resolveUnknownDiscounts(ctx, stripe);
  } catch (err) {
    // Objects already upserted stay (each in its own transaction): the run is audited all the same.
    await record("failed").catch((auditErr: unknown) =>
      ctx.logger.error(
        { err: errorMessage(auditErr) },
        "stripe sync: the audit row of a failed run was not written",
      ),
    );
    throw err;
  }
  await record("completed");
  return counts;
}

async function syncSubscription(ctx: AppContext, tx: Db, sub: SubscriptionRead): Promise<UpsertOutcome> {
  const snap = sub;
  const s = subscriptions;
  const [stored] = await tx
    .select({
      status: s.status,
      items: s.items,
      discountIds: s.discountIds,
      canceledAt: s.canceledAt,
      endedAt: s.endedAt,
      currentPeriodStart: s.currentPeriodStart,
    })
    .from(s)
    .where(eq(s.id, sub.id))
    .for("update");
  const same =
    stored !== undefined &&
    stored.status === snap.status &&
    canonicalJson(stored.items) === canonicalJson(snap.items) &&
    canonicalJson(stored.discountIds ?? []) === canonicalJson(snap.discountIds) &&
    sameTime(stored.canceledAt, snap.canceledAt) &&
    sameTime(stored.endedAt, snap.endedAt) &&
    sameTime(stored.currentPeriodStart, snap.currentPeriodStart);
  if (same) return "unchanged";
  const now = ctx.clock.now();
  const [seq] = await tx
    .select({ n: sql<number>`coalesce(max(${subscriptionHistory.receivedSeq}), 0)::int + 1` })
    .from(subscriptionHistory);
  return upsertSubscription({ ...ctx, db: tx }, sub, {
    eventId: `sync_${sub.id}_${Math.floor(now.getTime() / 1000)}`,
    eventCreated: now,
    receivedSeq: seq?.n ?? 1,
  });
}

function sameTime(a: Date | string | null, b: Date | null): boolean {
  if (a === null || b === null) return a === b;
  return new Date(a).getTime() === b.getTime();
}
