import { eq } from "drizzle-orm";
import type { Actor } from "../audit/index.ts";
import type { AppContext } from "../context.ts";
import { chargeObjectFromRow, emit, simulatorFactory } from "../offline/index.ts";
import { createRefund } from "../payments/refunds/service.ts";
import { charges } from "../payments/schema.ts";
import type { ChargeObject, DisputeObject, PaymentIntentObject } from "../payments/stripe/stripe-objects.ts";
import type { SimClock } from "./order.ts";

const DAY_MS = 86_400_000;

/** Days before today (in the history's day numbers) of the cases the recent windows always show. */
export const RECENT_CASES = {
  /** A small credit on a delivered order (a missing item), a few days apart. */
  refundDays: [26, 19, 13, 6, 3],
  /** A chargeback opened, answered with evidence and won twelve days later. */
  wonDay: 25,
  /** A chargeback opened and lost ten days later. */
  lostDay: 15,
  /** An inquiry (not a chargeback: no money held). */
  inquiryDay: 4,
  /** A chargeback still waiting for evidence. */
  openDay: 2,
  /** An order paid by a card authorised first and captured the next morning (manual capture). */
  manualCaptureDay: 9,
} as const;

/** A credit of about a tenth of the order: small next to a day's takings, as the anomaly check expects. */
export async function creditMissingItem(
  sim: AppContext,
  actor: Actor,
  order: { id: number; amountTotal: number },
): Promise<void> {
  const amount = Math.max(100, Math.round(order.amountTotal * 0.1));
  await createRefund(sim, { orderId: order.id, amount, note: "missing item credited" }, actor);
}

/**
 * A dispute on the order's charge through the signed webhook path; `closeAfterDays` sends
 * charge.dispute.closed with `outcome` that many days later. An inquiry is a `warning_needs_response`.
 */
export async function disputeOrder(
  sim: AppContext,
  clock: SimClock,
  orderId: number,
  kind: { inquiry?: boolean; outcome?: "won" | "lost"; closeAfterDays?: number },
): Promise<void> {
  const [row] = await sim.db.select().from(charges).where(eq(charges.orderId, orderId));
  if (!row) return;
  const f = simulatorFactory(sim);
  const charge = chargeObjectFromRow(f, row);
  const opened = f.makeDispute({
    charge,
    reason: kind.inquiry ? "general" : "product_not_received",
    status: kind.inquiry ? "warning_needs_response" : "needs_response",
  });
  await emit(sim, f.makeEvent("charge.dispute.created", opened));
  if (!kind.outcome || kind.closeAfterDays === undefined) return;
  clock.advance(kind.closeAfterDays * DAY_MS);
  const later = simulatorFactory(sim);
  const closed: DisputeObject = { ...opened, status: kind.outcome };
  await emit(sim, later.makeEvent("charge.dispute.closed", closed));
}

/**
 * Manual capture as Stripe reports it: the card is authorised (charge.succeeded with `captured`
 * false and nothing captured, which pays the order), then captured in full the next morning
 * (charge.captured), when the captured money counts as revenue on the charge's day.
 */
export async function payByManualCapture(
  sim: AppContext,
  clock: SimClock,
  order: { id: number; number: string; amountTotal: number; currency: string },
): Promise<void> {
  const f = simulatorFactory(sim);
  const metadata = { order_id: String(order.id), order_number: order.number };
  const { charge, paymentIntent } = f.makePayment({
    amount: order.amountTotal,
    currency: order.currency,
    metadata,
  });
  const authorised = {
    ...charge,
    captured: false,
    amount_captured: 0,
    balance_transaction: null,
  } as unknown as ChargeObject;
  const intent = {
    ...paymentIntent,
    capture_method: "manual",
    status: "requires_capture",
    amount_capturable: order.amountTotal,
    amount_received: 0,
  } as unknown as PaymentIntentObject;
  await emit(sim, f.makeEvent("payment_intent.amount_capturable_updated", intent));
  await emit(sim, f.makeEvent("charge.succeeded", authorised));
  clock.advance(10 * 3_600_000);
  const later = simulatorFactory(sim);
  await emit(sim, later.makeEvent("charge.captured", charge));
  await emit(
    sim,
    later.makeEvent("payment_intent.succeeded", { ...paymentIntent, capture_method: "manual" }),
  );
}
