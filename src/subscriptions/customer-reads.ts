import { asc, desc, eq, inArray } from "drizzle-orm";
import type { ServiceContext } from "../context.ts";
import { invoices, subscriptionHistory, subscriptions } from "./schema.ts";

export type SubscriptionRow = typeof subscriptions.$inferSelect;

/** One state a Stripe event carried: the history behind a subscription's current row. */
export interface SubscriptionStateRow {
  eventId: string;
  at: Date;
  status: string;
  /** MRR of that state as stored when it arrived (kpis.md; discounts as then known). */
  mrr: number;
}

export interface CustomerSubscription extends SubscriptionRow {
  history: SubscriptionStateRow[];
}

/** Most subscriptions and states per subscription one profile shows. */
const SUBSCRIPTIONS_LIMIT = 50;
const STATES_PER_SUBSCRIPTION = 100;

/**
 * A customer's subscriptions (newest first) with their state history, oldest state first: two index
 * reads (subscriptions by customer, history by subscription), however many subscriptions exist.
 */
export async function subscriptionsOfCustomer(
  ctx: ServiceContext,
  customerId: number,
): Promise<CustomerSubscription[]> {
  const db = ctx.readDb;
  const subs = await db
    .select()
    .from(subscriptions)
    .where(eq(subscriptions.customerId, customerId))
    .orderBy(desc(subscriptions.created), desc(subscriptions.id))
    .limit(SUBSCRIPTIONS_LIMIT);
  if (subs.length === 0) return [];
  const h = subscriptionHistory;
  const states = await db
    .select({
      subscriptionId: h.subscriptionId,
      eventId: h.eventId,
      at: h.eventCreated,
      status: h.status,
      mrr: h.mrr,
    })
    .from(h)
    .where(
      inArray(
        h.subscriptionId,
        subs.map((s) => s.id),
      ),
    )
    .orderBy(asc(h.subscriptionId), asc(h.eventCreated), asc(h.receivedSeq));
  const bySub = new Map<string, SubscriptionStateRow[]>();
  for (const { subscriptionId, ...state } of states) {
    const list = bySub.get(subscriptionId) ?? [];
    if (list.length < STATES_PER_SUBSCRIPTION) list.push(state);
    bySub.set(subscriptionId, list);
  }
  return subs.map((s) => ({ ...s, history: bySub.get(s.id) ?? [] }));
}

/** A subscription or invoice found by its Stripe id, with the customer it belongs to. */
export interface BillingRecord {
  kind: "subscription" | "invoice";
  id: string;
  status: string;
  created: Date;
  currency: string;
  /** The subscription's MRR, or the invoice's amount due. */
  amount: number;
  customerId: number | null;
  stripeCustomerId: string | null;
}

/** The subscription (`sub_…`) or invoice (`in_…`) with this id, by primary key; an invoice's customer via its subscription. */
export async function findBillingRecord(ctx: ServiceContext, id: string): Promise<BillingRecord | undefined> {
  const db = ctx.readDb;
  const subscription = async (subId: string | null) => {
    if (!subId) return undefined;
    const [row] = await db.select().from(subscriptions).where(eq(subscriptions.id, subId));
    return row;
  };
  if (id.startsWith("sub_")) {
    const s = await subscription(id);
    return (
      s && {
        kind: "subscription",
        id,
        status: s.status,
        created: s.created,
        currency: s.currency,
        amount: s.mrr,
        customerId: s.customerId,
        stripeCustomerId: s.stripeCustomerId,
      }
    );
  }
  if (id.startsWith("in_")) {
    const [inv] = await db.select().from(invoices).where(eq(invoices.id, id));
    if (!inv) return undefined;
    const s = await subscription(inv.subscriptionId);
    return {
      kind: "invoice",
      id,
      status: inv.status,
      created: inv.created,
      currency: inv.currency,
      amount: inv.amountDue,
      customerId: s?.customerId ?? null,
      stripeCustomerId: inv.stripeCustomerId ?? s?.stripeCustomerId ?? null,
    };
  }
  return undefined;
}
