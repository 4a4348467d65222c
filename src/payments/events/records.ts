import { eq, inArray, or } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import {
  charges,
  coupons,
  customers,
  discounts,
  disputes,
  invoicePayments,
  invoices,
  orders,
  refunds,
  subscriptionHistory,
  subscriptions,
} from "../../db/schema.ts";

export type RecordKind =
  | "order"
  | "charge"
  | "refund"
  | "dispute"
  | "customer"
  | "subscription"
  | "subscription_state"
  | "invoice"
  | "invoice_payment"
  | "discount"
  | "coupon";

/** A row the event is about, found through the ids stored on it. */
export interface EventRecord {
  kind: RecordKind;
  /** Stripe id, or our numeric id as text for orders and customers. */
  id: string;
  /** What the row says now: a status, an order number. */
  label: string;
  /**
   * true: the row's newest applied Stripe state came from this event (its `source_event_created` is
   * the event's `created`); false: a later event has written it since; null: the table keeps no
   * such mark (orders, customers).
   */
  lastWrittenByEvent: boolean | null;
}

/**
 * The records an event changed, derived from what is stored (the inbox keeps no list of rows per
 * event): the rows whose Stripe id is the event's object id, the subscription state row keyed by the
 * event id, and the orders those rows (or the Checkout session / payment intent) point to. A failed
 * event changed nothing (its writes were rolled back): the same rows are what it refers to.
 */
export async function recordsOfEvent(
  ctx: ServiceContext,
  event: { id: string; created: Date; objectId: string | null; payload?: unknown },
): Promise<EventRecord[]> {
  const db = ctx.readDb;
  const objectId = event.objectId;
  const written = (at: Date) => at.getTime() === event.created.getTime();
  const out: EventRecord[] = [];
  const refs = referencesIn(event.payload);
  const orderIds = new Set<number>(refs.orderId === null ? [] : [refs.orderId]);
  if (refs.paymentIntent) {
    const rows = await db
      .select({ id: orders.id })
      .from(orders)
      .where(eq(orders.stripePaymentIntentId, refs.paymentIntent));
    for (const r of rows) orderIds.add(r.id);
  }
  if (objectId) {
    const [chargeRows, refundRows, disputeRows, customerRows, subscriptionRows] = await Promise.all([
      db
        .select({
          id: charges.id,
          status: charges.status,
          orderId: charges.orderId,
          at: charges.sourceEventCreated,
        })
        .from(charges)
        .where(or(eq(charges.id, objectId), eq(charges.paymentIntentId, objectId))),
      db
        .select({
          id: refunds.id,
          status: refunds.status,
          orderId: refunds.orderId,
          at: refunds.sourceEventCreated,
        })
        .from(refunds)
        .where(eq(refunds.id, objectId)),
      db
        .select({
          id: disputes.id,
          status: disputes.status,
          orderId: disputes.orderId,
          at: disputes.sourceEventCreated,
        })
        .from(disputes)
        .where(eq(disputes.id, objectId)),
      db.select({ id: customers.id }).from(customers).where(eq(customers.stripeCustomerId, objectId)),
      db
        .select({ id: subscriptions.id, status: subscriptions.status, at: subscriptions.sourceEventCreated })
        .from(subscriptions)
        .where(eq(subscriptions.id, objectId)),
    ]);
    const [invoiceRows, paymentRows, discountRows, couponRows, orderRows] = await Promise.all([
      db
        .select({ id: invoices.id, status: invoices.status, at: invoices.sourceEventCreated })
        .from(invoices)
        .where(eq(invoices.id, objectId)),
      db
        .select({
          id: invoicePayments.id,
          status: invoicePayments.status,
          at: invoicePayments.sourceEventCreated,
        })
        .from(invoicePayments)
        .where(eq(invoicePayments.id, objectId)),
      db
        .select({ id: discounts.id, at: discounts.sourceEventCreated })
        .from(discounts)
        .where(eq(discounts.id, objectId)),
      db
        .select({ id: coupons.id, at: coupons.sourceEventCreated })
        .from(coupons)
        .where(eq(coupons.id, objectId)),
      db
        .select({ id: orders.id })
        .from(orders)
        .where(or(eq(orders.stripeCheckoutSessionId, objectId), eq(orders.stripePaymentIntentId, objectId))),
    ]);
    const ledger: Array<[RecordKind, typeof chargeRows]> = [
      ["charge", chargeRows],
      ["refund", refundRows],
      ["dispute", disputeRows],
    ];
    for (const [kind, rows] of ledger) {
      for (const r of rows) {
        out.push({ kind, id: r.id, label: r.status, lastWrittenByEvent: written(r.at) });
        if (r.orderId !== null) orderIds.add(r.orderId);
      }
    }
    for (const r of customerRows)
      out.push({ kind: "customer", id: String(r.id), label: "customer", lastWrittenByEvent: null });
    for (const r of subscriptionRows)
      out.push({ kind: "subscription", id: r.id, label: r.status, lastWrittenByEvent: written(r.at) });
    for (const r of invoiceRows)
      out.push({ kind: "invoice", id: r.id, label: r.status ?? "", lastWrittenByEvent: written(r.at) });
    for (const r of paymentRows)
      out.push({
        kind: "invoice_payment",
        id: r.id,
        label: r.status ?? "",
        lastWrittenByEvent: written(r.at),
      });
    for (const r of discountRows)
      out.push({ kind: "discount", id: r.id, label: "discount", lastWrittenByEvent: written(r.at) });
    for (const r of couponRows)
      out.push({ kind: "coupon", id: r.id, label: "coupon", lastWrittenByEvent: written(r.at) });
    for (const r of orderRows) orderIds.add(r.id);
  }
  const states = await db
    .select({ id: subscriptionHistory.id, status: subscriptionHistory.status })
    .from(subscriptionHistory)
    .where(eq(subscriptionHistory.eventId, event.id));
  for (const r of states)
    out.push({ kind: "subscription_state", id: String(r.id), label: r.status, lastWrittenByEvent: true });
  if (orderIds.size > 0) {
    const rows = await db
      .select({ id: orders.id, number: orders.number, status: orders.status })
      .from(orders)
      .where(inArray(orders.id, [...orderIds]))
      .orderBy(orders.id);
    for (const r of rows)
      out.unshift({
        kind: "order",
        id: String(r.id),
        label: `${r.number} · ${r.status}`,
        lastWrittenByEvent: null,
      });
  }
  return out;
}

/**
 * Ids the object carries for other records (the order in its metadata, the payment intent): how a
 * failed event, whose own rows were rolled back, still points at the order it is about.
 */
function referencesIn(payload: unknown): { orderId: number | null; paymentIntent: string | null } {
  const object = (payload as { data?: { object?: Record<string, unknown> } } | null)?.data?.object;
  const metadata = object?.metadata as Record<string, unknown> | undefined;
  const orderId = Number(metadata?.order_id);
  const pi = object?.payment_intent;
  return {
    orderId: Number.isSafeInteger(orderId) && orderId > 0 && orderId <= 2_147_483_647 ? orderId : null,
    paymentIntent: typeof pi === "string" && pi.startsWith("pi_") ? pi : null,
  };
}
