import type { Db } from "../../../src/db/client.ts";
import {
  dataQualityIssues,
  invoices,
  stripeEvents,
  subscriptionHistory,
  subscriptions,
} from "../../../src/db/schema.ts";
import { next } from "./sequence.ts";

/** Small row builders for the export tests: each inserts one realistic row directly (test mode). */
const at = (iso: string) => new Date(iso);

/** A monthly subscription: one history row per `states` entry and the current row from the last one. */
export async function makeSubscription(
  db: Db,
  input: {
    customerId: number;
    stripeCustomerId: string;
    unitAmount: number;
    states: Array<{ at: string; status: string }>;
  },
) {
  const id = `sub_t${next()}`;
  const items = [
    {
      id: `si_${id}`,
      priceId: "price_t",
      unitAmount: input.unitAmount,
      interval: "month",
      intervalCount: 1,
      quantity: 1,
    },
  ];
  for (const [i, state] of input.states.entries()) {
    await db.insert(subscriptionHistory).values({
      subscriptionId: id,
      eventId: `evt_${id}_${i}`,
      eventCreated: at(state.at),
      receivedSeq: i + 1,
      stripeCustomerId: input.stripeCustomerId,
      customerId: input.customerId,
      status: state.status,
      currency: "usd",
      items,
      livemode: false,
      mrr: state.status === "active" ? input.unitAmount : 0,
    });
  }
  const last = input.states[input.states.length - 1]!;
  await db.insert(subscriptions).values({
    id,
    stripeCustomerId: input.stripeCustomerId,
    customerId: input.customerId,
    status: last.status,
    currency: "usd",
    items,
    created: at(input.states[0]!.at),
    livemode: false,
    mrr: last.status === "active" ? input.unitAmount : 0,
    sourceEventCreated: at(last.at),
  });
  return id;
}

export async function makeInvoice(db: Db, over: Partial<typeof invoices.$inferInsert> & { created: Date }) {
  const id = `in_t${next()}`;
  await db.insert(invoices).values({
    id,
    status: "paid",
    currency: "usd",
    amountDue: 2000,
    amountPaid: 2000,
    livemode: false,
    sourceEventCreated: over.created,
    ...over,
  });
  return id;
}

export async function makeFailedEvent(db: Db, created: Date) {
  const id = `evt_fail${next()}`;
  await db.insert(stripeEvents).values({
    id,
    type: "charge.refunded",
    created,
    livemode: false,
    payload: { id },
    receivedAt: created,
    status: "failed",
    attempts: 2,
    lastError: "charge not found",
  });
  return id;
}

export async function makeIssue(db: Db, over: Partial<typeof dataQualityIssues.$inferInsert> = {}) {
  const n = next();
  const [row] = await db
    .insert(dataQualityIssues)
    .values({
      check: "orders.paid_without_charge",
      fingerprint: `order:${n}`,
      severity: "warning",
      title: `Order ${n} is paid with no charge`,
      details: { orderId: n },
      status: "open",
      firstSeen: at("2026-06-01T00:00:00Z"),
      lastSeen: at("2026-06-02T00:00:00Z"),
      ...over,
    })
    .returning();
  return row!;
}
