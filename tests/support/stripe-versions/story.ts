/**
 * One business story, expressed as the webhook events Stripe sends, in any API version family
 * (one family for every event, or a family chosen per event):
 *
 * - a customer (cus_story) takes a monthly plan with a percent-off coupon (forever) on 05-03, pays
 *   the first invoice by card, upgrades to quantity 2 on 05-10, asks on 05-20 to cancel at period end;
 *   the subscription ends on 06-03;
 * - a manual-capture card payment authorized for `authorized` on 05-05, captured partially
 *   (`captured`) on 05-06 — Stripe releases the rest and reports it in `amount_refunded`;
 * - a card payment refunded partially on 05-08, known only from `charge.refunded` (no refund object);
 * - a card payment that gets an inquiry (05-11), closed as `warning_closed` (05-25);
 * - a card payment charged back (05-14), under review (05-16), lost (05-28);
 * - a KWD payment (three-decimal currency) with a refund (refund.created + charge.refunded) on 05-17;
 * - a JPY payment (zero-decimal currency);
 * - optionally, a shop order paid through Checkout on 05-04 (`checkout.session.completed` + its
 *   charge), for a story told against a database that holds the pending order.
 *
 * Times are UTC. Events of one instant keep Stripe's order (object first, then the events that
 * reference it) but receivers must not depend on it.
 */
import { charge, paymentIntent } from "./charge.ts";
import { checkoutSession } from "./checkout-session.ts";
import { customer } from "./customer.ts";
import { type CouponInput, coupon, discount } from "./discount.ts";
import { dispute } from "./dispute.ts";
import { invoice, invoicePayment } from "./invoice.ts";
import { refund } from "./refund.ts";
import { type PriceInput, type SubscriptionInput, subscription } from "./subscription.ts";
import {
  API_VERSION,
  at,
  basilOrLater,
  type Family,
  isNewest,
  makeEvent,
  type StripeEvent,
} from "./versions.ts";

export interface StoryParams {
  plan: { unitAmount: number; percentOff: number; quantity: number; upgradedQuantity: number };
  capture: { authorized: number; captured: number };
  refundFromCharge: { amount: number; refunded: number };
  inquiry: number;
  chargeback: number;
  kwd: { amount: number; refunded: number };
  jpy: number;
  /** A pending shop order (its database id) paid through Checkout, when the story includes one. */
  order?: { id: number; amount: number };
}

/** The story of the acceptance test; its expected figures are worked by hand there. */
export const STORY: StoryParams = {
  plan: { unitAmount: 4000, percentOff: 25, quantity: 1, upgradedQuantity: 2 },
  capture: { authorized: 10_000, captured: 6_000 },
  refundFromCharge: { amount: 5_000, refunded: 1_500 },
  inquiry: 7_000,
  chargeback: 8_000,
  kwd: { amount: 12_345, refunded: 2_345 },
  jpy: 5_000,
};

/** The evidence deadlines Stripe gives the story's disputes (`evidence_details.due_by`). */
export const STORY_EVIDENCE_DUE = {
  inquiry: "2026-05-21T23:59:59Z",
  chargeback: "2026-05-24T23:59:59Z",
} as const;

const CUS = "cus_story";
const SUB = "sub_story";

/** A key per event (stable across families) so a family can be chosen per event. */
export type FamilyOf = (eventId: string) => Family;

export function storyEvents(p: StoryParams, familyOf: FamilyOf): StripeEvent[] {
  const events: StripeEvent[] = [];
  const add = (
    id: string,
    type: string,
    created: string,
    object: (f: Family) => Record<string, unknown>,
    previousAttributes?: (f: Family) => Record<string, unknown>,
  ) => {
    const family = familyOf(id);
    events.push(
      makeEvent(family, {
        id,
        type,
        created: at(created),
        object: object(family),
        ...(previousAttributes ? { previousAttributes: previousAttributes(family) } : {}),
      }),
    );
  };

  // The coupon and the customer.
  const couponInput: CouponInput = {
    id: "SPRING",
    created: at("2026-04-20T09:00:00Z"),
    percentOff: p.plan.percentOff,
  };
  add("evt_coupon_created", "coupon.created", "2026-04-20T09:00:00Z", (f) => coupon(f, couponInput));
  add("evt_customer_created", "customer.created", "2026-05-02T08:00:00Z", (f) =>
    customer(f, {
      id: CUS,
      email: "story@example.test",
      name: "Story Customer",
      country: "US",
      created: at("2026-05-02T08:00:00Z"),
    }),
  );

  // The subscription: created with the coupon, first invoice paid by card.
  const start = at("2026-05-03T10:00:00Z");
  const periodEnd = at("2026-06-03T10:00:00Z");
  const price: PriceInput = {
    id: "price_story_m",
    product: "prod_story",
    currency: "usd",
    unitAmount: p.plan.unitAmount,
    interval: "month",
    created: at("2026-04-01T00:00:00Z"),
  };
  const discountInput = { id: "di_story", coupon: couponInput, start };
  const sub = (quantity: number, extra: Partial<SubscriptionInput> = {}): SubscriptionInput => ({
    id: SUB,
    customer: CUS,
    currency: "usd",
    created: start,
    status: "active",
    item: { id: "si_story", price, quantity, created: start },
    periodStart: start,
    periodEnd,
    discount: discountInput,
    latestInvoice: "in_story1",
    ...extra,
  });
  add("evt_sub_created", "customer.subscription.created", "2026-05-03T10:00:00Z", (f) =>
    subscription(f, sub(p.plan.quantity)),
  );
  add("evt_discount_created", "customer.discount.created", "2026-05-03T10:00:00Z", (f) =>
    discount(f, { ...discountInput, customer: CUS, subscription: SUB }),
  );
  const subtotal = p.plan.unitAmount * p.plan.quantity;
  const discountAmount = Math.round((subtotal * p.plan.percentOff) / 100);
  const firstTotal = subtotal - discountAmount;
  add("evt_sub_charge", "charge.succeeded", "2026-05-03T10:00:01Z", (f) =>
    charge(f, {
      id: "ch_story_sub1",
      amount: firstTotal,
      currency: "usd",
      created: at("2026-05-03T10:00:01Z"),
      customer: CUS,
      paymentIntent: "pi_story_sub1",
      invoice: "in_story1",
    }),
  );
  add("evt_sub_pi", "payment_intent.succeeded", "2026-05-03T10:00:01Z", (f) =>
    paymentIntent(f, {
      id: "pi_story_sub1",
      amount: firstTotal,
      amountReceived: firstTotal,
      currency: "usd",
      created: at("2026-05-03T10:00:00Z"),
      customer: CUS,
      latestCharge: "ch_story_sub1",
      invoice: "in_story1",
    }),
  );
  add("evt_invoice_paid", "invoice.paid", "2026-05-03T10:00:02Z", (f) =>
    invoice(f, {
      id: "in_story1",
      customer: CUS,
      subscription: SUB,
      subscriptionItem: "si_story",
      price: { id: price.id, product: price.product, unitAmount: price.unitAmount, interval: "month" },
      quantity: p.plan.quantity,
      currency: "usd",
      created: start,
      paidAt: at("2026-05-03T10:00:02Z"),
      periodStart: start,
      periodEnd: start,
      subtotal,
      discount: { id: "di_story", amount: discountAmount },
      charge: "ch_story_sub1",
      paymentIntent: "pi_story_sub1",
      billingReason: "subscription_create",
    }),
  );
  // A shop order paid through Checkout (metadata.order_id names it, as the product's checkout sets).
  if (p.order) {
    const order = p.order;
    const metadata = { order_id: String(order.id) };
    add("evt_order_session", "checkout.session.completed", "2026-05-04T09:30:05Z", (f) =>
      checkoutSession(f, {
        id: "cs_story_order",
        amount: order.amount,
        currency: "usd",
        created: at("2026-05-04T09:29:00Z"),
        customer: CUS,
        email: "story@example.test",
        paymentIntent: "pi_story_order",
        metadata,
      }),
    );
    add("evt_order_charge", "charge.succeeded", "2026-05-04T09:30:04Z", (f) => ({
      ...charge(f, {
        id: "ch_story_order",
        amount: order.amount,
        currency: "usd",
        created: at("2026-05-04T09:30:04Z"),
        customer: CUS,
        paymentIntent: "pi_story_order",
      }),
      metadata,
    }));
  }

  // Manual capture, captured partially: the released rest shows in amount_refunded.
  const { authorized, captured } = p.capture;
  add("evt_auth_charge", "charge.succeeded", "2026-05-05T14:00:00Z", (f) =>
    charge(f, {
      id: "ch_story_auth",
      amount: authorized,
      amountCaptured: 0,
      currency: "usd",
      created: at("2026-05-05T14:00:00Z"),
      customer: CUS,
      paymentIntent: "pi_story_auth",
    }),
  );
  add("evt_auth_captured", "charge.captured", "2026-05-06T09:00:00Z", (f) =>
    charge(f, {
      id: "ch_story_auth",
      amount: authorized,
      amountCaptured: captured,
      amountRefunded: authorized - captured,
      currency: "usd",
      created: at("2026-05-05T14:00:00Z"),
      customer: CUS,
      paymentIntent: "pi_story_auth",
    }),
  );
  add("evt_auth_pi", "payment_intent.succeeded", "2026-05-06T09:00:00Z", (f) =>
    paymentIntent(f, {
      id: "pi_story_auth",
      amount: authorized,
      amountReceived: captured,
      captureMethod: "manual",
      currency: "usd",
      created: at("2026-05-05T14:00:00Z"),
      customer: CUS,
      latestCharge: "ch_story_auth",
    }),
  );

  // A refund known only from the charge (no refund object is ever delivered).
  const simple =
    (id: string, amount: number, currency: string, created: string, extra = {}) =>
    (f: Family) =>
      charge(f, {
        id,
        amount,
        currency,
        created: at(created),
        customer: CUS,
        paymentIntent: `pi_${id.slice(3)}`,
        ...extra,
      });
  add(
    "evt_refd_charge",
    "charge.succeeded",
    "2026-05-07T12:00:00Z",
    simple("ch_story_refd", p.refundFromCharge.amount, "usd", "2026-05-07T12:00:00Z"),
  );
  add(
    "evt_refd_refunded",
    "charge.refunded",
    "2026-05-08T09:00:00Z",
    simple("ch_story_refd", p.refundFromCharge.amount, "usd", "2026-05-07T12:00:00Z", {
      amountRefunded: p.refundFromCharge.refunded,
    }),
    () => ({ amount_refunded: 0 }),
  );

  // An inquiry: never a chargeback.
  add(
    "evt_inq_charge",
    "charge.succeeded",
    "2026-05-09T15:00:00Z",
    simple("ch_story_inq", p.inquiry, "usd", "2026-05-09T15:00:00Z"),
  );
  const inq = (status: "warning_needs_response" | "warning_closed") => (f: Family) =>
    dispute(f, {
      id: "dp_story_inq",
      charge: "ch_story_inq",
      paymentIntent: "pi_story_inq",
      amount: p.inquiry,
      currency: "usd",
      created: at("2026-05-11T16:00:00Z"),
      status,
      dueBy: at(STORY_EVIDENCE_DUE.inquiry),
    });
  add("evt_inq_created", "charge.dispute.created", "2026-05-11T16:00:00Z", inq("warning_needs_response"));

  // The upgrade.
  add(
    "evt_sub_upgraded",
    "customer.subscription.updated",
    "2026-05-10T12:00:00Z",
    (f) => subscription(f, sub(p.plan.upgradedQuantity)),
    () => ({ quantity: p.plan.quantity }),
  );

  // A chargeback, lost.
  add(
    "evt_cb_charge",
    "charge.succeeded",
    "2026-05-12T11:00:00Z",
    simple("ch_story_cb", p.chargeback, "usd", "2026-05-12T11:00:00Z"),
  );
  const cb = (status: "needs_response" | "under_review" | "lost") => (f: Family) =>
    dispute(f, {
      id: "dp_story_cb",
      charge: "ch_story_cb",
      paymentIntent: "pi_story_cb",
      amount: p.chargeback,
      currency: "usd",
      created: at("2026-05-14T10:00:00Z"),
      status,
      dueBy: at(STORY_EVIDENCE_DUE.chargeback),
      // The response sent on 05-16 moved it to under_review; it stays counted once it is lost.
      submissions: status === "needs_response" ? 0 : 1,
    });
  add("evt_cb_created", "charge.dispute.created", "2026-05-14T10:00:00Z", cb("needs_response"));
  add("evt_cb_updated", "charge.dispute.updated", "2026-05-16T18:00:00Z", cb("under_review"), (f) => ({
    evidence_details: {
      has_evidence: false,
      submission_count: 0,
      ...(isNewest(f) ? { submission_method: "not_submitted" } : {}),
    },
    status: "needs_response",
  }));

  // KWD (three decimals) with a refund; JPY (zero decimals).
  add(
    "evt_kwd_charge",
    "charge.succeeded",
    "2026-05-15T13:00:00Z",
    simple("ch_story_kwd", p.kwd.amount, "kwd", "2026-05-15T13:00:00Z"),
  );
  add(
    "evt_jpy_charge",
    "charge.succeeded",
    "2026-05-16T13:00:00Z",
    simple("ch_story_jpy", p.jpy, "jpy", "2026-05-16T13:00:00Z"),
  );
  add("evt_kwd_refund", "refund.created", "2026-05-17T11:00:00Z", (f) =>
    refund(f, {
      id: "re_story_kwd",
      charge: "ch_story_kwd",
      paymentIntent: "pi_story_kwd",
      amount: p.kwd.refunded,
      currency: "kwd",
      created: at("2026-05-17T11:00:00Z"),
    }),
  );
  add(
    "evt_kwd_refunded",
    "charge.refunded",
    "2026-05-17T11:00:01Z",
    simple("ch_story_kwd", p.kwd.amount, "kwd", "2026-05-15T13:00:00Z", { amountRefunded: p.kwd.refunded }),
    () => ({ amount_refunded: 0 }),
  );

  // Cancel at period end (still active, so still MRR), then the end of the subscription.
  const cancelAsked = at("2026-05-20T09:00:00Z");
  add(
    "evt_sub_cancel_asked",
    "customer.subscription.updated",
    "2026-05-20T09:00:00Z",
    (f) =>
      subscription(f, sub(p.plan.upgradedQuantity, { cancelAtPeriodEnd: true, canceledAt: cancelAsked })),
    () => ({ cancel_at: null, cancel_at_period_end: false, canceled_at: null }),
  );
  add("evt_inq_closed", "charge.dispute.closed", "2026-05-25T10:00:00Z", inq("warning_closed"));
  add("evt_cb_lost", "charge.dispute.closed", "2026-05-28T15:00:00Z", cb("lost"));
  add("evt_sub_deleted", "customer.subscription.deleted", "2026-06-03T10:00:00Z", (f) =>
    subscription(
      f,
      sub(p.plan.upgradedQuantity, {
        status: "canceled",
        cancelAtPeriodEnd: true,
        canceledAt: cancelAsked,
        endedAt: periodEnd,
      }),
    ),
  );
  // InvoicePayment exists from 2025-03-31.basil: a story told wholly at 2024-06-20 has no such
  // event; any other story sends it (from a basil-or-later endpoint).
  if (events.some((e) => e.api_version !== API_VERSION["2024-06-20"])) {
    const chosen = familyOf("evt_invoice_payment_paid");
    const f: Family = basilOrLater(chosen) ? chosen : "basil";
    events.push(
      makeEvent(f, {
        id: "evt_invoice_payment_paid",
        type: "invoice_payment.paid",
        created: at("2026-05-03T10:00:02Z"),
        object: invoicePayment(f, {
          id: "inpay_story1",
          invoice: "in_story1",
          paymentIntent: "pi_story_sub1",
          amount: firstTotal,
          currency: "usd",
          created: start,
          paidAt: at("2026-05-03T10:00:02Z"),
        }),
      }),
    );
  }
  return events.sort((a, b) => a.created - b.created);
}
