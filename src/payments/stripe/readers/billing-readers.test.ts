import { describe, expect, it } from "vitest";
import {
  discountPayload,
  invoicePayload,
  invoicePaymentPayload,
  subscriptionPayload,
  type VersionFamily,
} from "../../../../tests/support/stripe-versions/billing-payloads.ts";
import { readDiscount, readDiscountRefs } from "./discount.ts";
import { readInvoice } from "./invoice.ts";
import { readInvoicePayment } from "./invoice-payment.ts";
import { readSubscription } from "./subscription.ts";

const FAMILIES: VersionFamily[] = ["v2024", "basil", "clover", "endive"];
const created = new Date("2026-03-01T00:00:00Z");
const periodStart = new Date("2026-05-01T00:00:00Z");
const periodEnd = new Date("2026-06-01T00:00:00Z");

const discount = (v: VersionFamily, expandCoupon = false) =>
  discountPayload(v, {
    id: "di_1",
    customer: "cus_1",
    subscription: "sub_1",
    coupon: { id: "co_20", percent_off: 20 },
    start: created,
    end: periodEnd,
    expandCoupon,
  });

const subscription = (v: VersionFamily) =>
  subscriptionPayload(v, {
    id: "sub_1",
    customer: "cus_1",
    created,
    items: [{ id: "si_1", price: "price_m", unitAmount: 5000, quantity: 2 }],
    periodStart,
    periodEnd,
    discounts: ["di_1"],
    ...(v === "v2024" ? { discount: discount(v) } : {}),
  });

describe("readSubscription: one shape from every API version", () => {
  it.each(FAMILIES)("%s: items, currency, discount ids and current period", (v) => {
    const read = readSubscription(subscription(v));
    expect(read).toMatchObject({
      id: "sub_1",
      stripeCustomerId: "cus_1",
      status: "active",
      currency: "usd",
      items: [
        {
          id: "si_1",
          priceId: "price_m",
          unitAmount: 5000,
          interval: "month",
          intervalCount: 1,
          quantity: 2,
        },
      ],
      discountIds: ["di_1"],
      currentPeriodStart: periodStart,
      currentPeriodEnd: periodEnd,
      created,
    });
  });

  it("2024-06-20: the single discount is read expanded, with its percent kept", () => {
    const read = readSubscription(subscription("v2024"));
    expect(read.discounts).toEqual([
      expect.objectContaining({ id: "di_1", percentOff: 20, amountOff: null }),
    ]);
    expect(read.percentOff).toBe(20);
  });

  it("basil on: periods come from the items (the item whose period started last)", () => {
    const raw = subscription("basil") as { items: { data: Array<Record<string, unknown>> } };
    raw.items.data.push({
      ...raw.items.data[0],
      id: "si_2",
      current_period_start: Math.floor(periodEnd.getTime() / 1000),
      current_period_end: Math.floor(periodEnd.getTime() / 1000) + 86_400 * 30,
    });
    expect(readSubscription(raw).currentPeriodStart).toEqual(periodEnd);
  });

  it("an old payload with no top-level currency takes its items' price currency", () => {
    const raw = subscriptionPayload("v2024", {
      id: "sub_old",
      customer: "cus_1",
      created,
      currency: "eur",
      items: [{ id: "si_1", price: "price_e", unitAmount: 900 }],
      periodStart,
      periodEnd,
      omitCurrency: true,
    });
    expect("currency" in raw).toBe(false);
    expect(readSubscription(raw).currency).toBe("eur");
  });

  it("refuses a payload with no currency anywhere, naming it", () => {
    const raw = subscriptionPayload("v2024", {
      id: "sub_none",
      customer: "cus_1",
      created,
      items: [],
      periodStart,
      periodEnd,
      omitCurrency: true,
    });
    expect(() => readSubscription(raw)).toThrow(/sub_none has no currency/);
  });
});

describe("readDiscount: coupon under `coupon` or `source.coupon`", () => {
  it.each(["v2024", "basil"] as const)("%s: coupon auto-expanded", (v) => {
    expect(readDiscount(discount(v))).toEqual({
      id: "di_1",
      subscriptionId: "sub_1",
      stripeCustomerId: "cus_1",
      couponId: "co_20",
      percentOff: 20,
      amountOff: null,
      currency: null,
      start: created,
      end: periodEnd,
    });
  });

  it.each(["clover", "endive"] as const)("%s: source.coupon is an id unless expanded", (v) => {
    expect(readDiscount(discount(v))).toMatchObject({ couponId: "co_20", percentOff: null, amountOff: null });
    expect(readDiscount(discount(v, true))).toMatchObject({ couponId: "co_20", percentOff: 20 });
  });

  it("amount_off coupons carry their currency", () => {
    const raw = discountPayload("clover", {
      id: "di_2",
      customer: "cus_1",
      subscription: null,
      coupon: { id: "co_5", amount_off: 500, currency: "USD" },
      start: created,
      expandCoupon: true,
    });
    expect(readDiscount(raw)).toMatchObject({ amountOff: 500, currency: "usd", percentOff: null, end: null });
  });

  it("refs: ids and expanded objects from `discounts` and the old `discount`, each once", () => {
    const refs = readDiscountRefs({ discounts: ["di_1", discount("basil")], discount: discount("v2024") });
    expect(refs.ids).toEqual(["di_1"]);
    expect(refs.expanded.map((d) => d.id)).toEqual(["di_1"]);
  });
});

describe("readInvoice: the subscription link of every version", () => {
  it.each(FAMILIES)("%s", (v) => {
    const raw = invoicePayload(v, {
      id: "in_1",
      customer: "cus_1",
      subscription: "sub_1",
      created,
      amount: 8000,
      charge: "ch_1",
      paymentIntent: "pi_1",
    });
    const read = readInvoice(raw);
    expect(read).toMatchObject({
      id: "in_1",
      subscriptionId: "sub_1",
      stripeCustomerId: "cus_1",
      status: "paid",
      currency: "usd",
      amountDue: 8000,
      amountPaid: 8000,
      created,
    });
    // Before basil the payment is on the invoice; from basil on it comes by InvoicePayment.
    expect([read.chargeId, read.paymentIntentId]).toEqual(v === "v2024" ? ["ch_1", "pi_1"] : [null, null]);
  });

  it("basil on: expanded `payments` give the paying payment", () => {
    const raw = {
      ...invoicePayload("clover", {
        id: "in_2",
        customer: "cus_1",
        subscription: null,
        created,
        amount: 100,
      }),
      payments: {
        object: "list",
        data: [
          invoicePaymentPayload({
            id: "inpay_1",
            invoice: "in_2",
            amount: 100,
            paidAt: created,
            paymentIntent: "pi_9",
          }),
        ],
      },
    };
    expect(readInvoice(raw)).toMatchObject({
      subscriptionId: null,
      paymentIntentId: "pi_9",
      payments: [{ id: "inpay_1" }],
    });
  });
});

describe("readInvoicePayment", () => {
  it("payment intent or charge, and paid_at from status_transitions", () => {
    const paidAt = new Date("2026-05-01T10:00:00Z");
    expect(
      readInvoicePayment(
        invoicePaymentPayload({
          id: "inpay_1",
          invoice: "in_1",
          amount: 8000,
          paidAt,
          paymentIntent: "pi_1",
        }),
      ),
    ).toEqual({
      id: "inpay_1",
      invoiceId: "in_1",
      status: "paid",
      currency: "usd",
      amountPaid: 8000,
      chargeId: null,
      paymentIntentId: "pi_1",
      paidAt,
      livemode: false,
    });
    expect(
      readInvoicePayment(
        invoicePaymentPayload({ id: "inpay_2", invoice: "in_1", amount: 8000, paidAt, charge: "ch_1" }),
      ),
    ).toMatchObject({ chargeId: "ch_1", paymentIntentId: null });
  });
});
