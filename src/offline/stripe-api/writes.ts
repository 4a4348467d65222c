/**
 * The fake Stripe server's write endpoints: `POST /v1/refunds` and `POST /v1/checkout/sessions`,
 * validated as Stripe validates them (same error codes and params), and the page a Checkout
 * Session's `url` leads to. A refund raises `refund.created` and `charge.refunded`, as Stripe does.
 */

import type {
  ChargeObject,
  CheckoutSessionObject,
  Interval,
  PriceObject,
  RefundObject,
} from "../../payments/stripe/stripe-objects.ts";
import { formatMoney } from "../../shared/money.ts";
import {
  intParam,
  invalidRequest,
  metadataParam,
  noSuch,
  objectParam,
  type Param,
  type ParamObject,
  rejectUnknown,
  stringParam,
} from "./http.ts";
import type { CheckoutLineItem, FakeContext } from "./store.ts";

const REFUND_PARAMS = [
  "charge",
  "payment_intent",
  "amount",
  "reason",
  "metadata",
  "expand",
  "instructions_email",
  "refund_application_fee",
  "reverse_transfer",
];
const REFUND_REASONS = ["duplicate", "fraudulent", "requested_by_customer"] as const;

export function createRefund(ctx: FakeContext, body: ParamObject): RefundObject {
  const { store, factory } = ctx;
  rejectUnknown(body, REFUND_PARAMS);
  const chargeId = stringParam(body, "charge");
  const paymentIntentId = stringParam(body, "payment_intent");
  if (chargeId && paymentIntentId) {
    throw invalidRequest("You may only specify one of these parameters: charge, payment_intent.", "charge");
  }
  if (!chargeId && !paymentIntentId) {
    throw invalidRequest(
      "One of the following params should be provided for this request: payment_intent or charge.",
    );
  }
  const charge = chargeId ? store.charges.get(chargeId) : chargeOfIntent(ctx, paymentIntentId ?? "");
  if (!charge) {
    throw chargeId
      ? noSuch("charge", chargeId, "charge")
      : noSuch("payment_intent", paymentIntentId ?? "", "payment_intent");
  }
  const amount = intParam(body, "amount");
  const reason = stringParam(body, "reason");
  if (reason !== undefined && !(REFUND_REASONS as readonly string[]).includes(reason)) {
    throw invalidRequest(`Invalid reason: must be one of ${REFUND_REASONS.join(", ")}`, "reason");
  }
  if (amount !== undefined && amount < 1) {
    throw invalidRequest("Invalid positive integer", "amount", "parameter_invalid_integer");
  }
  const refundable = charge.amount - charge.amount_refunded;
  if (charge.status !== "succeeded") {
    throw invalidRequest(
      `Charge ${charge.id} has not succeeded, so it cannot be refunded.`,
      "charge",
      "charge_not_refundable",
    );
  }
  if (charge.disputed) {
    throw invalidRequest(
      `Charge ${charge.id} has been charged back; cannot issue a refund.`,
      "charge",
      "charge_disputed",
    );
  }
  if (refundable === 0) {
    throw invalidRequest(
      `Charge ${charge.id} has already been refunded.`,
      "charge",
      "charge_already_refunded",
    );
  }
  if (amount !== undefined && amount > refundable) {
    throw invalidRequest(
      `Refund amount (${formatMoney(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatMoney(refundable, charge.currency)})`,
      "amount",
      "amount_too_large",
    );
  }

  const id = factory.ids.next("re");
  const refunded = amount ?? refundable;
  const transaction = factory.makeBalanceTransaction({
    amount: -refunded,
    currency: charge.currency,
    type: "refund",
    source: id,
    availableOn: factory.now(),
  });
  const result = factory.applyRefund(charge, {
    id,
    amount: refunded,
    reason: (reason as RefundObject["reason"] | undefined) ?? null,
    metadata: metadataParam(body),
    balanceTransaction: transaction.id,
  });
  store.balanceTransactions.set(transaction.id, transaction);
  store.refunds.set(id, result.refund);
  store.charges.set(charge.id, result.charge);
  ctx.emit(factory.makeEvent("refund.created", result.refund));
  ctx.emit(
    factory.makeEvent("charge.refunded", result.charge, { previousAttributes: result.previousAttributes }),
  );
  return result.refund;
}

/** The payment intent's latest charge, or its newest succeeded one when the intent is not stored. */
function chargeOfIntent(ctx: FakeContext, paymentIntentId: string): ChargeObject | undefined {
  const intent = ctx.store.paymentIntents.get(paymentIntentId);
  if (intent?.latest_charge) return ctx.store.charges.get(intent.latest_charge);
  const charges = [...ctx.store.charges.values()].filter(
    (charge) => charge.payment_intent === paymentIntentId && charge.status === "succeeded",
  );
  return charges.sort((a, b) => b.created - a.created)[0];
}

const CHECKOUT_PARAMS = [
  "mode",
  "line_items",
  "success_url",
  "cancel_url",
  "customer",
  "customer_email",
  "client_reference_id",
  "metadata",
  "payment_intent_data",
  "subscription_data",
  "expand",
  "payment_method_types",
  "allow_promotion_codes",
  "discounts",
  "ui_mode",
  "locale",
  "billing_address_collection",
  "shipping_address_collection",
  "automatic_tax",
  "customer_creation",
  "expires_at",
  "currency",
  "invoice_creation",
  "phone_number_collection",
  "submit_type",
];
const MODES = ["payment", "setup", "subscription"] as const;

export function createCheckoutSession(ctx: FakeContext, body: ParamObject): CheckoutSessionObject {
  const { store, factory } = ctx;
  rejectUnknown(body, CHECKOUT_PARAMS);
  const mode = stringParam(body, "mode");
  if (mode === undefined) throw invalidRequest("Missing required param: mode.", "mode", "parameter_missing");
  if (!(MODES as readonly string[]).includes(mode)) {
    throw invalidRequest(`Invalid mode: must be one of ${MODES.join(", ")}`, "mode");
  }
  const customer = stringParam(body, "customer");
  const customerEmail = stringParam(body, "customer_email");
  if (customer && customerEmail) {
    throw invalidRequest(
      "You may only specify one of these parameters: customer, customer_email.",
      "customer_email",
    );
  }
  if (customer && !store.customers.has(customer)) throw noSuch("customer", customer, "customer");
  const rawItems = body.line_items;
  if (rawItems === undefined && mode !== "setup") {
    throw invalidRequest("Missing required param: line_items.", "line_items", "parameter_missing");
  }
  if (rawItems !== undefined && !Array.isArray(rawItems)) throw invalidRequest("Invalid array", "line_items");
  const items = (rawItems ?? []).map((raw, index) => lineItem(ctx, raw, index));
  const recurring = items.some((item) => item.price.recurring !== null);
  if (mode === "subscription" && !recurring) {
    throw invalidRequest(
      "You must provide at least one recurring price in `subscription` mode when using prices.",
      "line_items",
    );
  }
  if (mode === "payment" && recurring) {
    throw invalidRequest(
      "You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.",
      "line_items",
    );
  }
  const total = items.reduce((sum, item) => sum + item.amount_total, 0);
  // Stripe: from 30 minutes to 24 hours after creation (default 24 hours).
  const expiresAt = intParam(body, "expires_at");
  const created = factory.now();
  if (expiresAt !== undefined && (expiresAt < created + 30 * 60 || expiresAt > created + 24 * 3600)) {
    throw invalidRequest(
      "The `expires_at` timestamp must be between 30 minutes and 24 hours after Checkout Session creation.",
      "expires_at",
    );
  }
  const id = factory.ids.next(factory.livemode ? "cs_live" : "cs_test");
  const session = factory.makeCheckoutSession({
    id,
    mode: mode as CheckoutSessionObject["mode"],
    amountSubtotal: mode === "setup" ? null : total,
    amountTotal: mode === "setup" ? null : total,
    currency: items[0]?.currency ?? stringParam(body, "currency") ?? null,
    customer: customer ?? null,
    customerEmail: customerEmail ?? null,
    clientReferenceId: stringParam(body, "client_reference_id") ?? null,
    metadata: metadataParam(body),
    successUrl: stringParam(body, "success_url") ?? null,
    cancelUrl: stringParam(body, "cancel_url") ?? null,
    url: `${ctx.baseUrl}/c/pay/${id}`,
    ...(expiresAt !== undefined ? { expiresAt } : {}),
  });
  store.checkoutSessions.set(id, session);
  store.checkoutLineItems.set(id, items);
  return session;
}

function lineItem(ctx: FakeContext, raw: Param, index: number): CheckoutLineItem {
  const label = `line_items[${index}]`;
  if (typeof raw !== "object" || Array.isArray(raw)) throw invalidRequest(`Invalid hash: ${label}`, label);
  rejectUnknown(raw, [
    "price",
    "price_data",
    "quantity",
    "adjustable_quantity",
    "tax_rates",
    "dynamic_tax_rates",
  ]);
  const quantity = intParam(raw, "quantity", `${label}[quantity]`);
  if (quantity === undefined) {
    throw invalidRequest(
      `Quantity is required. Add \`quantity\` to \`${label}\``,
      `${label}[quantity]`,
      "parameter_missing",
    );
  }
  if (quantity < 1)
    throw invalidRequest("Invalid positive integer", `${label}[quantity]`, "parameter_invalid_integer");
  const priceId = stringParam(raw, "price", `${label}[price]`);
  const priceData = objectParam(raw, "price_data", `${label}[price_data]`);
  if ((priceId === undefined) === (priceData === undefined)) {
    throw invalidRequest(`You must specify either \`price\` or \`price_data\` in \`${label}\`.`, label);
  }
  let price: PriceObject;
  let description: string;
  if (priceId !== undefined) {
    const stored = ctx.store.prices.get(priceId);
    if (!stored) throw noSuch("price", priceId, `${label}[price]`);
    price = stored;
    description = stored.nickname ?? stored.product;
  } else {
    ({ price, description } = priceFromData(ctx, priceData ?? {}, `${label}[price_data]`));
  }
  const amount = price.unit_amount * quantity;
  return {
    id: ctx.factory.ids.next("li"),
    object: "item",
    amount_discount: 0,
    amount_subtotal: amount,
    amount_tax: 0,
    amount_total: amount,
    currency: price.currency,
    description,
    price,
    quantity,
  };
}

function priceFromData(
  ctx: FakeContext,
  data: ParamObject,
  label: string,
): { price: PriceObject; description: string } {
  rejectUnknown(data, ["currency", "unit_amount", "product", "product_data", "recurring", "tax_behavior"]);
  const required = <T>(value: T | undefined, name: string): T => {
    if (value === undefined)
      throw invalidRequest(
        `Missing required param: ${label}[${name}].`,
        `${label}[${name}]`,
        "parameter_missing",
      );
    return value;
  };
  const currency = required(stringParam(data, "currency", `${label}[currency]`), "currency");
  const unitAmount = required(intParam(data, "unit_amount", `${label}[unit_amount]`), "unit_amount");
  if (unitAmount < 0) throw invalidRequest("Invalid non-negative integer", `${label}[unit_amount]`);
  const product = stringParam(data, "product", `${label}[product]`);
  const name = stringParam(objectParam(data, "product_data", `${label}[product_data]`) ?? {}, "name");
  if (product === undefined && name === undefined) {
    throw invalidRequest(`You must specify either \`product\` or \`product_data\` in \`${label}\`.`, label);
  }
  const recurringData = objectParam(data, "recurring", `${label}[recurring]`);
  let recurring: { interval: Interval; interval_count: number } | null = null;
  if (recurringData) {
    const interval = stringParam(recurringData, "interval", `${label}[recurring][interval]`);
    if (interval !== "day" && interval !== "week" && interval !== "month" && interval !== "year") {
      throw invalidRequest(
        "Invalid interval: must be one of day, month, week, or year",
        `${label}[recurring][interval]`,
      );
    }
    recurring = { interval, interval_count: intParam(recurringData, "interval_count") ?? 1 };
  }
  const price = ctx.factory.makePrice({
    unit_amount: unitAmount,
    currency,
    product,
    nickname: name ?? null,
    recurring,
  });
  return { price, description: name ?? price.product };
}

/** What the browser sees at a session's `url`: enough to show the offline flow never leaves the machine. */
export function checkoutPage(ctx: FakeContext, id: string): string {
  const session = ctx.store.checkoutSessions.get(id);
  const summary = session
    ? `${formatMoney(session.amount_total ?? 0, session.currency ?? "usd")} (${session.status})`
    : "unknown session";
  return `<!doctype html><title>Fake Stripe Checkout</title><h1>Fake Stripe Checkout</h1><p>${escapeHtml(id)}: ${escapeHtml(summary)}</p>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `POST /v1/checkout/sessions/:id/expire`: only an open session can be expired (its page closes). */
export function expireCheckoutSession(ctx: FakeContext, id: string): CheckoutSessionObject {
  const session = ctx.store.checkoutSessions.get(id);
  if (!session) throw noSuch("checkout.session", id, "session");
  if (session.status !== "open") {
    throw invalidRequest('Only Checkout Sessions with a status in ["open"] can be expired.', "session");
  }
  const expired: CheckoutSessionObject = { ...session, status: "expired", url: null };
  ctx.store.checkoutSessions.set(id, expired);
  return expired;
}
