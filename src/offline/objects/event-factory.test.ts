import { describe, expect, it } from "vitest";
import { addInterval } from "./billing-objects.ts";
import { AUTOMATIC_REQUEST, createIdGenerator, createStripeFactory } from "./event-factory.ts";

const unix = (iso: string) => Date.parse(iso) / 1000;
const monthly = {
  id: "price_basic_m",
  unit_amount: 2900,
  currency: "usd",
  recurring: { interval: "month" as const },
};

/** Top-level fields of each object in shared/fixtures/stripe-event-examples.json (API 2024-06-20). */
const FIXTURE_FIELDS = {
  charge:
    "id object amount amount_captured amount_refunded application_fee_amount balance_transaction billing_details calculated_statement_descriptor captured created currency customer description disputed failure_code failure_message invoice livemode metadata outcome paid payment_intent payment_method receipt_email refunded status",
  refund:
    "id object amount balance_transaction charge created currency destination_details metadata payment_intent reason receipt_number source_transfer_reversal status transfer_reversal",
  dispute:
    "id object amount balance_transactions charge created currency evidence evidence_details is_charge_refundable livemode metadata payment_intent reason status",
  customer:
    "id object address balance created currency default_source delinquent description discount email invoice_prefix invoice_settings livemode metadata name next_invoice_sequence phone preferred_locales shipping tax_exempt test_clock",
  payment_intent:
    "id object amount amount_capturable amount_received capture_method created currency customer description invoice latest_charge livemode metadata payment_method payment_method_types status",
  subscription:
    "id object application billing_cycle_anchor cancel_at cancel_at_period_end canceled_at cancellation_details collection_method created currency current_period_end current_period_start customer days_until_due default_payment_method description discount discounts ended_at items latest_invoice livemode metadata pause_collection plan quantity schedule start_date status test_clock trial_end trial_settings trial_start",
  invoice:
    "id object amount_due amount_paid amount_remaining attempt_count attempted billing_reason charge collection_method created currency customer lines livemode metadata number paid payment_intent period_end period_start status subscription subtotal tax total",
  event: "id object api_version created data livemode pending_webhooks request type",
} as const;

const fields = (name: keyof typeof FIXTURE_FIELDS) => FIXTURE_FIELDS[name].split(" ");

describe("createIdGenerator", () => {
  it("numbers ids per prefix and pads them to Stripe's lengths", () => {
    const ids = createIdGenerator(42);
    const first = ids.next("ch");
    expect(first).toMatch(/^ch_0001[A-Za-z]{20}$/);
    expect(ids.next("ch")).toMatch(/^ch_0002[A-Za-z]{20}$/);
    expect(ids.next("re")).toMatch(/^re_0001[A-Za-z]{20}$/);
    expect(ids.next("cus")).toMatch(/^cus_0001[A-Za-z]{10}$/);
    expect(ids.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("gives the same ids for the same seed and different ones for another seed", () => {
    const a = createIdGenerator("demo");
    const b = createIdGenerator("demo");
    const c = createIdGenerator("other");
    const take = (g: ReturnType<typeof createIdGenerator>) => [
      g.next("evt"),
      g.next("evt"),
      g.uuid(),
      g.code(8),
    ];
    const fromA = take(a);
    expect(take(b)).toEqual(fromA);
    expect(take(c)).not.toEqual(fromA);
  });
});

describe("createStripeFactory", () => {
  it("builds identical scenarios from identical seeds", () => {
    const build = () => {
      const f = createStripeFactory({ seed: 7, now: new Date("2024-07-01T00:00:00Z") });
      const charge = f.makeCharge({ amount: 1200 });
      return [charge, f.makeEvent("charge.succeeded", charge)];
    };
    expect(build()).toEqual(build());
  });

  it("builds every object with at least the fields of the 2024-06-20 fixtures", () => {
    const f = createStripeFactory({ seed: 1 });
    const charge = f.makeCharge({ amount: 1200 });
    const subscription = f.makeSubscription({ items: [{ price: monthly }] });
    const built = {
      charge,
      refund: f.makeRefund({ charge }),
      dispute: f.makeDispute({ charge }),
      customer: f.makeCustomer(),
      payment_intent: f.makePaymentIntent({ amount: 1200 }),
      subscription,
      invoice: f.makeInvoice({ subscription }),
      event: f.makeEvent("charge.succeeded", charge),
    };
    for (const [name, object] of Object.entries(built)) {
      expect(Object.keys(object), name).toEqual(
        expect.arrayContaining(fields(name as keyof typeof FIXTURE_FIELDS)),
      );
    }
  });

  it("uses the factory clock and livemode unless told otherwise", () => {
    const f = createStripeFactory({ seed: 1, livemode: true, now: new Date("2024-07-01T00:00:00Z") });
    expect(f.makeCustomer().created).toBe(1719792000);
    expect(f.makeCustomer().livemode).toBe(true);
    f.advance(60);
    expect(f.makeCharge({ amount: 100 }).created).toBe(1719792060);
    expect(f.makeCharge({ amount: 100, created: 5, livemode: false })).toMatchObject({
      created: 5,
      livemode: false,
    });
    expect(f.makeCheckoutSession().id).toMatch(/^cs_live_/);
  });
});

describe("makeCharge", () => {
  it("builds a succeeded card charge with a payment intent and a balance transaction", () => {
    const f = createStripeFactory({ seed: 1 });
    const charge = f.makeCharge({
      amount: 1200,
      currency: "EUR",
      customer: "cus_1",
      metadata: { order_id: "7" },
    });
    expect(charge).toMatchObject({
      object: "charge",
      amount: 1200,
      amount_captured: 1200,
      amount_refunded: 0,
      currency: "eur",
      customer: "cus_1",
      paid: true,
      captured: true,
      refunded: false,
      status: "succeeded",
      metadata: { order_id: "7" },
      outcome: { type: "authorized" },
    });
    expect(charge.payment_intent).toMatch(/^pi_/);
    expect(charge.balance_transaction).toMatch(/^txn_/);
  });

  it("builds a declined charge as Stripe reports it", () => {
    const f = createStripeFactory({ seed: 1 });
    expect(f.makeCharge({ amount: 500, status: "failed" })).toMatchObject({
      amount_captured: 0,
      captured: false,
      paid: false,
      balance_transaction: null,
      failure_code: "card_declined",
      outcome: { network_status: "declined_by_network", type: "issuer_declined" },
    });
  });

  it("marks a charge refunded only when the whole amount is refunded", () => {
    const f = createStripeFactory({ seed: 1 });
    expect(f.makeCharge({ amount: 1000, amountRefunded: 400 }).refunded).toBe(false);
    expect(f.makeCharge({ amount: 1000, amountRefunded: 1000 }).refunded).toBe(true);
    expect(() => f.makeCharge({ amount: 1000, amountRefunded: 1001 })).toThrow(RangeError);
    expect(() => f.makeCharge({ amount: 12.5 })).toThrow(RangeError);
  });
});

describe("applyRefund", () => {
  it("returns the refund, the charge after it and the previous attributes of charge.refunded", () => {
    const f = createStripeFactory({ seed: 1 });
    const charge = f.makeCharge({ amount: 7649 });
    const partial = f.applyRefund(charge, { amount: 764 });
    expect(partial.refund).toMatchObject({
      object: "refund",
      amount: 764,
      charge: charge.id,
      payment_intent: charge.payment_intent,
      currency: "usd",
      status: "succeeded",
      reason: "requested_by_customer",
    });
    expect(partial.charge).toMatchObject({ amount_refunded: 764, refunded: false });
    expect(partial.previousAttributes).toEqual({ amount_refunded: 0, refunded: false });
    expect(charge.amount_refunded).toBe(0);

    const rest = f.applyRefund(partial.charge);
    expect(rest.refund.amount).toBe(7649 - 764);
    expect(rest.charge).toMatchObject({ amount_refunded: 7649, refunded: true });
  });

  it("refuses to refund more than is left on the charge", () => {
    const f = createStripeFactory({ seed: 1 });
    const charge = f.makeCharge({ amount: 1000, amountRefunded: 600 });
    expect(() => f.applyRefund(charge, { amount: 401 })).toThrow(/exceeds the 400 left/);
  });
});

describe("makePayment", () => {
  it("links the charge and its payment intent both ways", () => {
    const f = createStripeFactory({ seed: 1 });
    const { charge, paymentIntent } = f.makePayment({ amount: 7299, customer: "cus_1" });
    expect(paymentIntent).toMatchObject({
      id: charge.payment_intent,
      latest_charge: charge.id,
      status: "succeeded",
    });
    expect(paymentIntent.amount_received).toBe(7299);
  });

  it("leaves the intent awaiting a new payment method after a decline", () => {
    const f = createStripeFactory({ seed: 1 });
    const { paymentIntent } = f.makePayment({ amount: 100, status: "failed" });
    expect(paymentIntent).toMatchObject({
      status: "requires_payment_method",
      amount_received: 0,
      last_payment_error: { code: "card_declined", type: "card_error" },
    });
  });
});

describe("makeDispute", () => {
  it("disputes the whole charge with a week to answer by default", () => {
    const f = createStripeFactory({ seed: 1 });
    const charge = f.makeCharge({ amount: 20799, currency: "eur", created: 1787658000 });
    const dispute = f.makeDispute({ charge, created: 1787658774 });
    expect(dispute).toMatchObject({
      amount: 20799,
      currency: "eur",
      charge: charge.id,
      payment_intent: charge.payment_intent,
      reason: "fraudulent",
      status: "needs_response",
      evidence_details: { due_by: 1787658774 + 7 * 86400 },
    });
  });
});

describe("makeSubscription", () => {
  it("runs one interval from the start and mirrors a single item's plan and quantity", () => {
    const f = createStripeFactory({ seed: 1 });
    const start = unix("2024-01-31T10:00:00Z");
    const sub = f.makeSubscription({
      customer: "cus_1",
      items: [{ price: monthly, quantity: 3 }],
      created: start,
    });
    expect(sub).toMatchObject({
      status: "active",
      customer: "cus_1",
      currency: "usd",
      start_date: start,
      current_period_start: start,
      current_period_end: unix("2024-02-29T10:00:00Z"),
      quantity: 3,
      plan: { id: "price_basic_m", object: "plan", amount: 2900, interval: "month", interval_count: 1 },
      canceled_at: null,
      ended_at: null,
    });
    expect(sub.items.data[0]).toMatchObject({
      object: "subscription_item",
      quantity: 3,
      subscription: sub.id,
    });
    expect(sub.items.url).toBe(`/v1/subscription_items?subscription=${sub.id}`);
  });

  it("leaves plan and quantity empty with several items", () => {
    const f = createStripeFactory({ seed: 1 });
    const weekly = {
      unit_amount: 1250,
      currency: "usd",
      recurring: { interval: "week" as const, interval_count: 2 },
    };
    const sub = f.makeSubscription({
      items: [{ price: weekly }, { price: weekly, quantity: 2 }],
      created: 1000,
    });
    expect(sub).toMatchObject({ plan: null, quantity: null, current_period_end: 1000 + 14 * 86400 });
  });

  it("is trialing until trial_end and canceled once ended", () => {
    const f = createStripeFactory({ seed: 1 });
    const trial = f.makeSubscription({
      items: [{ price: monthly }],
      created: 1000,
      trial_end: 1000 + 14 * 86400,
    });
    expect(trial).toMatchObject({
      status: "trialing",
      trial_start: 1000,
      current_period_end: 1000 + 14 * 86400,
    });

    const ended = f.makeSubscription({ items: [{ price: monthly }], created: 1000, ended_at: 5000 });
    expect(ended).toMatchObject({
      status: "canceled",
      canceled_at: 5000,
      ended_at: 5000,
      cancellation_details: { reason: "cancellation_requested" },
    });
  });

  it("carries a percent-off discount as a discount object with its coupon", () => {
    const f = createStripeFactory({ seed: 1 });
    const sub = f.makeSubscription({ items: [{ price: monthly }], discount: { percent_off: 20 } });
    expect(sub.discount).toMatchObject({
      object: "discount",
      subscription: sub.id,
      end: null,
      coupon: { object: "coupon", percent_off: 20, amount_off: null, duration: "forever" },
    });
    expect(sub.discounts).toEqual([sub.discount?.id]);
  });

  it("rejects a one-time price", () => {
    const f = createStripeFactory({ seed: 1 });
    expect(() => f.makeSubscription({ items: [{ price: { unit_amount: 100 } }] })).toThrow(/not recurring/);
  });
});

describe("makeInvoice", () => {
  it("bills a subscription's items over its period, after its discount", () => {
    const f = createStripeFactory({ seed: 1 });
    const sub = f.makeSubscription({
      customer: "cus_e8HmxcfQBYtfPO",
      items: [{ price: monthly, quantity: 2 }],
      discount: { percent_off: 25 },
    });
    const invoice = f.makeInvoice({ subscription: sub });
    // 2 × 2900 = 5800; 25 % off = 1450; due 4350.
    expect(invoice).toMatchObject({
      subscription: sub.id,
      customer: "cus_e8HmxcfQBYtfPO",
      subtotal: 5800,
      total: 4350,
      amount_due: 4350,
      amount_paid: 4350,
      amount_remaining: 0,
      paid: true,
      status: "paid",
      number: "BYTFPO-0001",
      period_start: sub.current_period_start,
      period_end: sub.current_period_end,
      total_discount_amounts: [{ amount: 1450, discount: sub.discount?.id }],
    });
    expect(invoice.lines.data[0]).toMatchObject({
      amount: 5800,
      quantity: 2,
      subscription_item: sub.items.data[0]?.id,
    });
    expect(invoice.charge).toMatch(/^ch_/);
    expect(f.makeInvoice({ subscription: sub }).number).toBe("BYTFPO-0002");
  });

  it("leaves a failed renewal open with the amount still due", () => {
    const f = createStripeFactory({ seed: 1 });
    const sub = f.makeSubscription({ items: [{ price: monthly }] });
    expect(
      f.makeInvoice({ subscription: sub, status: "open", billingReason: "subscription_cycle" }),
    ).toMatchObject({
      amount_due: 2900,
      amount_paid: 0,
      amount_remaining: 2900,
      attempted: true,
      paid: false,
    });
  });

  it("bills a fixed discount up to the subtotal", () => {
    const f = createStripeFactory({ seed: 1 });
    const discount = f.makeDiscount({ amount_off: 5000, currency: "usd" });
    expect(f.makeInvoice({ lines: [{ amount: 3000 }], discount }).total).toBe(0);
  });
});

describe("makeCheckoutSession", () => {
  it("has a url while open and a payment intent once complete", () => {
    const f = createStripeFactory({ seed: 1 });
    const open = f.makeCheckoutSession({ amountTotal: 2500, clientReferenceId: "order_9" });
    expect(open).toMatchObject({ object: "checkout.session", status: "open", payment_status: "unpaid" });
    expect(open.id).toMatch(/^cs_test_/);
    expect(open.url).toContain(open.id);
    expect(open.expires_at - open.created).toBe(86400);
    const done = f.makeCheckoutSession({ amountTotal: 2500, status: "complete" });
    expect(done).toMatchObject({ url: null, payment_status: "paid" });
    expect(done.payment_intent).toMatch(/^pi_/);
  });
});

describe("makeBalanceTransaction", () => {
  it("nets the Stripe fee out of the amount", () => {
    const f = createStripeFactory({ seed: 1, now: new Date("2024-07-01T00:00:00Z") });
    const txn = f.makeBalanceTransaction({ amount: 10000, fee: 320, source: "ch_1" });
    expect(txn).toMatchObject({
      object: "balance_transaction",
      net: 9680,
      type: "charge",
      reporting_category: "charge",
      status: "pending",
      fee_details: [{ amount: 320, type: "stripe_fee" }],
    });
    expect(f.makeBalanceTransaction({ amount: -500 })).toMatchObject({ type: "refund", net: -500 });
  });
});

describe("makeEvent", () => {
  it("wraps a snapshot of the object in a full 2024-06-20 event", () => {
    const f = createStripeFactory({ seed: 1 });
    const charge = f.makeCharge({ amount: 1200 });
    const event = f.makeEvent("charge.refunded", charge, {
      created: 1786535867,
      previousAttributes: { amount_refunded: 0, refunded: false },
    });
    charge.amount_refunded = 99;
    expect(event).toMatchObject({
      object: "event",
      api_version: "2024-06-20",
      created: 1786535867,
      livemode: false,
      pending_webhooks: 1,
      type: "charge.refunded",
      data: { object: { id: charge.id, amount_refunded: 0 }, previous_attributes: { amount_refunded: 0 } },
    });
    expect(event.id).toMatch(/^evt_0001/);
    expect(event.request.id).toMatch(/^req_/);
    expect(event.request.idempotency_key).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("omits previous_attributes unless given and marks automatic events", () => {
    const f = createStripeFactory({ seed: 1 });
    const sub = f.makeSubscription({ items: [{ price: monthly }] });
    const event = f.makeEvent("customer.subscription.updated", sub, { request: AUTOMATIC_REQUEST });
    expect(event.data).not.toHaveProperty("previous_attributes");
    expect(event.request).toEqual({ id: null, idempotency_key: null });
  });

  it("refuses an object the event type does not carry", () => {
    const f = createStripeFactory({ seed: 1 });
    const refund = f.makeRefund({ charge: "ch_1", amount: 5 });
    expect(() => f.makeEvent("charge.refunded", refund)).toThrow(/carries a charge/);
    expect(f.makeEvent("charge.refund.updated", refund).type).toBe("charge.refund.updated");
  });
});

describe("addInterval", () => {
  it.each([
    ["2024-01-31T10:00:00Z", "month", 1, "2024-02-29T10:00:00Z"],
    ["2023-01-31T00:00:00Z", "month", 1, "2023-02-28T00:00:00Z"],
    ["2024-02-29T00:00:00Z", "year", 1, "2025-02-28T00:00:00Z"],
    ["2024-11-15T08:30:00Z", "month", 3, "2025-02-15T08:30:00Z"],
    ["2024-03-01T00:00:00Z", "week", 1, "2024-03-08T00:00:00Z"],
    ["2024-03-01T00:00:00Z", "day", 30, "2024-03-31T00:00:00Z"],
  ] as const)("%s + %s × %i is %s", (from, interval, count, to) => {
    expect(addInterval(unix(from), interval, count)).toBe(unix(to));
  });
});
