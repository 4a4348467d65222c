import { describe, expect, it } from "vitest";
import { PayloadShapeError } from "./billing-fields.ts";
import { readCharge } from "./charge.ts";
import { readCheckoutSession } from "./checkout-session.ts";
import { readCustomer } from "./customer.ts";
import { readDispute } from "./dispute.ts";
import { readPaymentIntent } from "./payment-intent.ts";
import { readRefund } from "./refund.ts";

/*
 * Payloads written from Stripe's API reference and changelog per version family:
 * - 2024-06-20: charge.invoice and payment_intent.invoice present; charge.refunds absent from
 *   webhooks (not included by default since 2022-11-15, only when expanded).
 * - 2025-03-31.basil: `invoice` removed from Charge and PaymentIntent; Checkout Session loses
 *   `shipping_details` (now `collected_information.shipping_details`), gains `discounts`,
 *   `permissions`; disputes carry `enhanced_eligibility_types`.
 * - 2025-09-30.clover: PaymentIntent `excluded_payment_method_types`; Session `origin_context`.
 * - 2026-10-28.endive (newest the SDK knows): Refund gains `customer` and `payment_method`;
 *   PaymentIntent and Session gain `customer_account`.
 */
const T = 1_781_000_000; // 2026-06-09T10:13:20Z

const charge2024 = {
  id: "ch_1",
  object: "charge",
  amount: 8000,
  amount_captured: 5000,
  amount_refunded: 3000,
  captured: true,
  created: T,
  currency: "USD",
  customer: "cus_1",
  invoice: "in_1",
  livemode: false,
  metadata: { order_id: "12" },
  paid: true,
  payment_intent: "pi_1",
  refunded: false,
  status: "succeeded",
  balance_transaction: "txn_1",
  failure_code: null,
};

describe("readCharge", () => {
  it("reads 2024-06-20: captured amount, invoice, no embedded list (says nothing about refunds)", () => {
    const c = readCharge(charge2024);
    expect(c).toMatchObject({
      id: "ch_1",
      amount: 8000,
      amountCaptured: 5000,
      amountRefunded: 3000,
      captured: true,
      currency: "usd",
      invoiceId: "in_1",
      paymentIntentId: "pi_1",
      stripeCustomerId: "cus_1",
      fee: null,
      refunds: null,
      metadata: { order_id: "12" },
    });
    expect(c.created.toISOString()).toBe("2026-06-09T10:13:20.000Z");
  });

  it("reads basil and later without `invoice`, with expanded references and an expanded refunds list", () => {
    const { invoice: _removed, ...rest } = charge2024;
    const c = readCharge({
      ...rest,
      customer: { id: "cus_1", object: "customer" },
      payment_intent: { id: "pi_1", object: "payment_intent" },
      balance_transaction: { id: "txn_1", object: "balance_transaction", fee: 175 },
      refunds: {
        object: "list",
        has_more: false,
        url: "/v1/charges/ch_1/refunds",
        data: [
          {
            id: "re_1",
            object: "refund",
            amount: 1000,
            currency: "usd",
            created: T + 60,
            status: "succeeded",
            reason: null,
            metadata: {},
            customer: "cus_1",
            payment_method: "pm_1",
          },
          {
            id: "re_2",
            object: "refund",
            amount: 3000,
            currency: "usd",
            created: T + 5,
            status: "succeeded",
            reason: "expired_uncaptured_charge",
            metadata: {},
          },
        ],
      },
    });
    expect(c.invoiceId).toBeNull();
    expect(c.stripeCustomerId).toBe("cus_1");
    expect(c.paymentIntentId).toBe("pi_1");
    expect(c.fee).toBe(175);
    expect(c.refunds?.map((r) => [r.id, r.chargeId, r.releasesAuthorization])).toEqual([
      ["re_1", "ch_1", false],
      ["re_2", "ch_1", true],
    ]);
  });

  it("counts `amount` as captured only when `captured` is true for a payload without amount_captured", () => {
    const { amount_captured: _a, ...old } = charge2024;
    expect(readCharge({ ...old, captured: true }).amountCaptured).toBe(8000);
    expect(readCharge({ ...old, captured: false }).amountCaptured).toBe(0);
  });

  it("reads an expired authorization (endive shape) as nothing captured", () => {
    const { invoice: _removed, ...rest } = charge2024;
    const c = readCharge({
      ...rest,
      captured: false,
      amount_captured: 0,
      amount_refunded: 8000,
      refunded: true,
    });
    expect([c.amountCaptured, c.amountRefunded, c.captured]).toEqual([0, 8000, false]);
  });

  it("rejects a payload that is not a charge", () => {
    expect(() => readCharge({ id: "ch_x" })).toThrow(PayloadShapeError);
    expect(() => readCharge("ch_x")).toThrow(PayloadShapeError);
  });
});

describe("readRefund", () => {
  const refund2024 = {
    id: "re_1",
    object: "refund",
    amount: 1500,
    balance_transaction: "txn_2",
    charge: "ch_1",
    created: T,
    currency: "usd",
    metadata: { order_id: "12", restock: "all" },
    payment_intent: "pi_1",
    reason: "requested_by_customer",
    status: "succeeded",
  };

  it.each([
    ["2024-06-20", refund2024],
    ["2025-03-31.basil", refund2024],
    ["2025-09-30.clover", { ...refund2024, destination_details: { type: "card", card: { type: "refund" } } }],
    [
      "2026-10-28.endive",
      { ...refund2024, customer: "cus_1", customer_account: null, payment_method: "pm_1" },
    ],
  ])("reads %s", (_version, payload) => {
    expect(readRefund(payload)).toEqual({
      id: "re_1",
      chargeId: "ch_1",
      paymentIntentId: "pi_1",
      amount: 1500,
      currency: "usd",
      status: "succeeded",
      reason: "requested_by_customer",
      created: new Date(T * 1000),
      metadata: { order_id: "12", restock: "all" },
      releasesAuthorization: false,
    });
  });

  it("reads an expanded charge reference", () => {
    expect(readRefund({ ...refund2024, charge: { id: "ch_9", object: "charge" } }).chargeId).toBe("ch_9");
  });
});

describe("readDispute", () => {
  const dispute = (status: string, extra: Record<string, unknown> = {}) => ({
    id: "dp_1",
    object: "dispute",
    amount: 2500,
    charge: "ch_1",
    created: T,
    currency: "usd",
    livemode: false,
    metadata: {},
    payment_intent: "pi_1",
    reason: "fraudulent",
    status,
    ...extra,
  });

  it.each([
    ["2024-06-20", "warning_needs_response", true, false],
    ["2024-06-20", "needs_response", false, false],
    ["2025-03-31.basil", "warning_closed", true, false],
    ["2025-09-30.clover", "under_review", false, false],
    ["2026-10-28.endive", "lost", false, true],
    ["2026-10-28.endive", "won", false, false],
  ])("reads %s status %s (inquiry %s, lost %s)", (version, status, inquiry, lost) => {
    const extra =
      version === "2024-06-20" ? {} : { enhanced_eligibility_types: ["visa_compelling_evidence_3"] };
    const d = readDispute(dispute(status, extra));
    expect([d.isInquiry, d.isLost, d.chargeId, d.amount, d.status]).toEqual([
      inquiry,
      lost,
      "ch_1",
      2500,
      status,
    ]);
  });

  it("rejects a dispute without its charge", () => {
    expect(() => readDispute(dispute("lost", { charge: null }))).toThrow(PayloadShapeError);
  });
});

describe("readPaymentIntent", () => {
  const intent2024 = {
    id: "pi_1",
    object: "payment_intent",
    amount: 8000,
    amount_capturable: 0,
    amount_received: 5000,
    capture_method: "manual",
    created: T,
    currency: "usd",
    customer: "cus_1",
    invoice: null,
    last_payment_error: null,
    latest_charge: "ch_1",
    livemode: false,
    metadata: { order_id: "12" },
    status: "succeeded",
  };

  it.each([
    ["2024-06-20", intent2024],
    ["2025-03-31.basil", (({ invoice: _i, ...rest }) => rest)(intent2024)],
    [
      "2025-09-30.clover",
      (({ invoice: _i, ...rest }) => ({ ...rest, excluded_payment_method_types: null }))(intent2024),
    ],
    [
      "2026-10-28.endive",
      (({ invoice: _i, ...rest }) => ({
        ...rest,
        customer_account: null,
        latest_charge: { id: "ch_1", object: "charge" },
      }))(intent2024),
    ],
  ])("reads %s", (_version, payload) => {
    expect(readPaymentIntent(payload)).toMatchObject({
      id: "pi_1",
      amount: 8000,
      amountReceived: 5000,
      captureMethod: "manual",
      latestChargeId: "ch_1",
      stripeCustomerId: "cus_1",
      metadata: { order_id: "12" },
      lastPaymentErrorCode: null,
    });
  });

  it("reads the failure code of a failed attempt", () => {
    const failed = {
      ...intent2024,
      status: "requires_payment_method",
      last_payment_error: { code: "card_declined", type: "card_error" },
    };
    expect(readPaymentIntent(failed).lastPaymentErrorCode).toBe("card_declined");
  });
});

describe("readCheckoutSession", () => {
  const session2024 = {
    id: "cs_1",
    object: "checkout.session",
    amount_total: 8000,
    created: T,
    currency: "usd",
    customer: null,
    livemode: false,
    metadata: { order_id: "12" },
    mode: "payment",
    payment_intent: "pi_1",
    payment_status: "paid",
    shipping_details: null,
    status: "complete",
    subscription: null,
  };
  const basil = (({ shipping_details: _s, ...rest }) => ({
    ...rest,
    collected_information: { shipping_details: null },
    discounts: [],
    permissions: null,
  }))(session2024);

  it.each([
    ["2024-06-20", session2024],
    ["2025-03-31.basil", basil],
    ["2025-09-30.clover", { ...basil, origin_context: null, wallet_options: null }],
    [
      "2026-10-28.endive",
      { ...basil, customer_account: null, payment_intent: { id: "pi_1", object: "payment_intent" } },
    ],
  ])("reads %s", (_version, payload) => {
    expect(readCheckoutSession(payload)).toMatchObject({
      id: "cs_1",
      mode: "payment",
      paymentStatus: "paid",
      status: "complete",
      paymentIntentId: "pi_1",
      amountTotal: 8000,
      metadata: { order_id: "12" },
    });
  });
});

describe("readCustomer", () => {
  const customer = {
    id: "cus_1",
    object: "customer",
    address: { city: null, country: "FR", line1: null, line2: null, postal_code: null, state: null },
    created: T,
    email: "ada@example.com",
    livemode: false,
    metadata: {},
    name: "Ada",
  };

  it.each([
    ["2024-06-20", { ...customer, discount: null }],
    ["2025-03-31.basil", customer],
    ["2025-09-30.clover", customer],
    ["2026-10-28.endive", customer],
  ])("reads %s", (_version, payload) => {
    expect(readCustomer(payload)).toEqual({
      id: "cus_1",
      email: "ada@example.com",
      name: "Ada",
      country: "FR",
      created: new Date(T * 1000),
      livemode: false,
      deleted: false,
    });
  });

  it("reads a customer without an address", () => {
    expect(readCustomer({ ...customer, address: null }).country).toBeNull();
  });
});
