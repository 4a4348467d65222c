/** Row builders for billing: subscriptions, their history (one row per Stripe event), invoices. */
import { eq } from "drizzle-orm";
import type { Db } from "../../../src/db/client.ts";
import { invoices, subscriptionHistory, subscriptions } from "../../../src/subscriptions/schema.ts";
import { at, next, type Over, type When } from "./sequence.ts";

export interface ItemInput {
  unitAmount: number;
  quantity?: number;
  interval?: "day" | "week" | "month" | "year";
  intervalCount?: number;
  /** Item and price ids: `si_<i>` and `price_<i>` (position in the list) unless told. */
  id?: string;
  priceId?: string;
}

const itemRows = (items: ItemInput[]) =>
  items.map((i, n) => ({
    id: i.id ?? `si_${n}`,
    priceId: i.priceId ?? `price_${n}`,
    unitAmount: i.unitAmount,
    interval: i.interval ?? "month",
    intervalCount: i.intervalCount ?? 1,
    quantity: i.quantity ?? 1,
  }));

/**
 * A subscription's current row (`sub_t<n>`): active, 29.00 MRR in usd for `cus_test_1`, created and
 * in its period since 2026-05-01 unless told.
 */
export async function makeSubscription(
  db: Db,
  over: Over<typeof subscriptions.$inferInsert, "created"> = {},
) {
  const id = `sub_t${next()}`;
  const created = at(over.created ?? "2026-05-01T00:00:00Z");
  const [row] = await db
    .insert(subscriptions)
    .values({
      id,
      stripeCustomerId: "cus_test_1",
      status: "active",
      currency: "usd",
      items: [],
      currentPeriodStart: created,
      livemode: false,
      mrr: 2900,
      sourceEventCreated: created,
      ...over,
      created,
    })
    .returning();
  return row!;
}

/**
 * One subscription state as a Stripe event carried it. `mrr` is -1 unless told, so analytics must
 * recompute it from the items; the event id and arrival order come from the sequence unless told.
 * The subscription's current row is written too when it has none yet (the app stores both; the
 * MRR records find a customer's events through it): analytics reads only the history.
 */
export async function makeSubscriptionState(
  db: Db,
  s: {
    subscriptionId: string;
    created: When;
    status: string;
    items: ItemInput[];
    customerId?: number | null;
    stripeCustomerId?: string;
    currency?: string;
    percentOff?: number | null;
    currentPeriodStart?: When | null;
    canceledAt?: When | null;
    livemode?: boolean;
    eventId?: string;
    receivedSeq?: number;
    mrr?: number;
  },
): Promise<void> {
  const n = s.eventId === undefined || s.receivedSeq === undefined ? next() : 0;
  // What the current row and the state share: the state as this event carried it.
  const state = {
    stripeCustomerId: s.stripeCustomerId ?? `cus_${s.customerId ?? "x"}`,
    customerId: s.customerId ?? null,
    status: s.status,
    currency: s.currency ?? "usd",
    items: itemRows(s.items),
    livemode: s.livemode ?? false,
    mrr: s.mrr ?? -1,
  };
  const created = at(s.created);
  await db
    .insert(subscriptions)
    .values({ ...state, id: s.subscriptionId, created, sourceEventCreated: created })
    .onConflictDoNothing();
  await db.insert(subscriptionHistory).values({
    ...state,
    subscriptionId: s.subscriptionId,
    eventId: s.eventId ?? `evt_t${n}`,
    eventCreated: created,
    receivedSeq: s.receivedSeq ?? n,
    percentOff: s.percentOff ?? null,
    currentPeriodStart: s.currentPeriodStart ? at(s.currentPeriodStart) : null,
    canceledAt: s.canceledAt ? at(s.canceledAt) : null,
    endedAt: null,
  });
}

/**
 * A monthly subscription of one item and its history: one state per `states` entry (MRR the unit
 * amount while active), the current row from the last one.
 */
export async function makeSubscriptionWithHistory(
  db: Db,
  input: {
    customerId: number;
    stripeCustomerId: string;
    unitAmount: number;
    states: Array<{ at: string; status: string }>;
  },
) {
  const first = input.states[0]!;
  const last = input.states[input.states.length - 1]!;
  const mrr = (status: string) => (status === "active" ? input.unitAmount : 0);
  const sub = await makeSubscription(db, {
    stripeCustomerId: input.stripeCustomerId,
    customerId: input.customerId,
    status: last.status,
    created: first.at,
    currentPeriodStart: null,
    mrr: mrr(last.status),
    sourceEventCreated: at(last.at),
  });
  const items = [{ id: `si_${sub.id}`, priceId: "price_t", unitAmount: input.unitAmount }];
  const [withItems] = await db
    .update(subscriptions)
    .set({ items: itemRows(items) })
    .where(eq(subscriptions.id, sub.id))
    .returning();
  for (const [i, state] of input.states.entries())
    await makeSubscriptionState(db, {
      subscriptionId: sub.id,
      eventId: `evt_${sub.id}_${i}`,
      receivedSeq: i + 1,
      created: state.at,
      status: state.status,
      stripeCustomerId: input.stripeCustomerId,
      customerId: input.customerId,
      items,
      mrr: mrr(state.status),
    });
  return withItems!;
}

/** An invoice (`in_t<n>`): 20.00 usd due and paid, created 2026-06-01 unless told. */
export async function makeInvoice(db: Db, over: Over<typeof invoices.$inferInsert, "created"> = {}) {
  const id = `in_t${next()}`;
  const created = at(over.created ?? "2026-06-01T00:00:00Z");
  const [row] = await db
    .insert(invoices)
    .values({
      id,
      status: "paid",
      currency: "usd",
      amountDue: 2000,
      amountPaid: 2000,
      livemode: false,
      sourceEventCreated: created,
      ...over,
      created,
    })
    .returning();
  return row!;
}
