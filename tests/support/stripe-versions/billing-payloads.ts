/**
 * Test payloads of billing objects as each Stripe API version family shapes them (raw JSON, not our
 * types), written from Stripe's changelog:
 * - 2024-06-20: subscription periods at the top level, the single `discount` beside `discounts`
 *   ids, a discount's coupon auto-expanded under `coupon`; invoices carry `subscription`, `charge`,
 *   `payment_intent` and `paid`.
 * - 2025-03-31.basil: periods move to the subscription items; `discount` is gone; invoices link
 *   through `parent.subscription_details.subscription` and are paid through InvoicePayments
 *   (`invoice_payment.paid`, `payment.type` + `payment.payment_intent` / `payment.charge`).
 * - 2025-09-30.clover: a discount's coupon moves to `source.coupon`, an id unless expanded.
 * - 2026-10-28.endive (newest the SDK knows): as clover, with fields we do not read.
 */
import type { StripeEventObject } from "../../../src/payments/stripe/stripe-objects.ts";
import { nextIn } from "../counters.ts";

export const API_VERSIONS = {
  v2024: "2024-06-20",
  basil: "2025-03-31.basil",
  clover: "2025-09-30.clover",
  endive: "2026-10-28.endive",
} as const;
export type VersionFamily = keyof typeof API_VERSIONS;

const unix = (d: Date) => Math.floor(d.getTime() / 1000);

export interface CouponInput {
  id: string;
  percent_off?: number;
  amount_off?: number;
  currency?: string;
  duration?: "once" | "repeating" | "forever";
}

export function couponPayload(c: CouponInput) {
  return {
    id: c.id,
    object: "coupon",
    amount_off: c.amount_off ?? null,
    currency: c.amount_off !== undefined ? (c.currency ?? "usd") : null,
    duration: c.duration ?? "forever",
    duration_in_months: null,
    livemode: false,
    name: null,
    percent_off: c.percent_off ?? null,
    valid: true,
  };
}

export interface DiscountInput {
  id: string;
  customer: string;
  subscription: string | null;
  coupon: CouponInput;
  start: Date;
  end?: Date | null;
  /** clover on: expand `source.coupon` (as `expand[]=discounts.source.coupon` would). */
  expandCoupon?: boolean;
}

export function discountPayload(version: VersionFamily, d: DiscountInput) {
  const base = {
    id: d.id,
    object: "discount",
    checkout_session: null,
    customer: d.customer,
    end: d.end ? unix(d.end) : null,
    invoice: null,
    invoice_item: null,
    promotion_code: null,
    start: unix(d.start),
    subscription: d.subscription,
    subscription_item: null,
  };
  if (version === "v2024" || version === "basil") return { ...base, coupon: couponPayload(d.coupon) };
  return {
    ...base,
    source: { type: "coupon", coupon: d.expandCoupon ? couponPayload(d.coupon) : d.coupon.id },
    ...(version === "endive" ? { customer_account: null } : {}),
  };
}

export interface SubscriptionInput {
  id: string;
  customer: string;
  created: Date;
  status?: string;
  currency?: string;
  items: Array<{
    id: string;
    price: string;
    unitAmount: number;
    interval?: string;
    intervalCount?: number;
    quantity?: number;
  }>;
  periodStart: Date;
  periodEnd: Date;
  /** Discounts as ids (every version); objects put here are sent expanded. */
  discounts?: Array<string | object>;
  /** 2024-06-20 only: the single `discount` object. */
  discount?: object | null;
  canceledAt?: Date | null;
  endedAt?: Date | null;
  /** Leave out the top-level `currency` (payloads stored by old integrations). */
  omitCurrency?: boolean;
}

export function subscriptionPayload(version: VersionFamily, s: SubscriptionInput) {
  const currency = s.currency ?? "usd";
  const items = s.items.map((i) => ({
    id: i.id,
    object: "subscription_item",
    created: unix(s.created),
    discounts: [],
    metadata: {},
    price: {
      id: i.price,
      object: "price",
      active: true,
      currency,
      livemode: false,
      nickname: null,
      product: `prod_${i.price}`,
      recurring: {
        interval: i.interval ?? "month",
        interval_count: i.intervalCount ?? 1,
        usage_type: "licensed",
      },
      type: "recurring",
      unit_amount: i.unitAmount,
      unit_amount_decimal: String(i.unitAmount),
    },
    quantity: i.quantity ?? 1,
    subscription: s.id,
    tax_rates: [],
    ...(version === "v2024"
      ? {}
      : { current_period_start: unix(s.periodStart), current_period_end: unix(s.periodEnd) }),
  }));
  const sub: Record<string, unknown> = {
    id: s.id,
    object: "subscription",
    cancel_at_period_end: false,
    canceled_at: s.canceledAt ? unix(s.canceledAt) : null,
    created: unix(s.created),
    currency,
    customer: s.customer,
    discounts: s.discounts ?? [],
    ended_at: s.endedAt ? unix(s.endedAt) : null,
    items: {
      object: "list",
      data: items,
      has_more: false,
      url: `/v1/subscription_items?subscription=${s.id}`,
    },
    livemode: false,
    metadata: {},
    start_date: unix(s.created),
    status: s.status ?? "active",
    trial_end: null,
  };
  if (version === "v2024") {
    sub.current_period_start = unix(s.periodStart);
    sub.current_period_end = unix(s.periodEnd);
    sub.discount = s.discount ?? null;
  }
  if (version === "endive") sub.billing_mode = { type: "flexible" };
  if (s.omitCurrency) delete sub.currency;
  return sub;
}

export interface InvoiceInput {
  id: string;
  customer: string;
  subscription: string | null;
  created: Date;
  status?: string;
  amount: number;
  currency?: string;
  charge?: string | null;
  paymentIntent?: string | null;
}

export function invoicePayload(version: VersionFamily, i: InvoiceInput) {
  const paid = (i.status ?? "paid") === "paid";
  const base: Record<string, unknown> = {
    id: i.id,
    object: "invoice",
    amount_due: i.amount,
    amount_paid: paid ? i.amount : 0,
    amount_remaining: paid ? 0 : i.amount,
    billing_reason: "subscription_cycle",
    created: unix(i.created),
    currency: i.currency ?? "usd",
    customer: i.customer,
    discounts: [],
    livemode: false,
    status: i.status ?? "paid",
    status_transitions: { paid_at: paid ? unix(i.created) : null },
  };
  if (version === "v2024") {
    return {
      ...base,
      charge: i.charge ?? null,
      discount: null,
      paid,
      payment_intent: i.paymentIntent ?? null,
      subscription: i.subscription,
    };
  }
  return {
    ...base,
    parent: i.subscription
      ? {
          type: "subscription_details",
          quote_details: null,
          subscription_details: { metadata: {}, subscription: i.subscription },
        }
      : null,
  };
}

export function invoicePaymentPayload(p: {
  id: string;
  invoice: string;
  amount: number;
  paidAt: Date;
  paymentIntent?: string;
  charge?: string;
  currency?: string;
}) {
  return {
    id: p.id,
    object: "invoice_payment",
    amount_paid: p.amount,
    amount_requested: p.amount,
    created: unix(p.paidAt),
    currency: p.currency ?? "usd",
    invoice: p.invoice,
    is_default: true,
    livemode: false,
    payment: p.charge
      ? { type: "charge", charge: p.charge }
      : { type: "payment_intent", payment_intent: p.paymentIntent ?? null },
    status: "paid",
    status_transitions: { canceled_at: null, paid_at: unix(p.paidAt) },
  };
}

/** An event envelope as an endpoint on `version` receives it. */
export function billingEvent(
  version: VersionFamily | string,
  type: string,
  object: object,
  created: Date,
  id = `evt_billing_${nextIn("billing-events")}`,
): StripeEventObject {
  return {
    id,
    object: "event",
    api_version: version in API_VERSIONS ? API_VERSIONS[version as VersionFamily] : version,
    created: unix(created),
    data: { object: structuredClone(object) },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  } as unknown as StripeEventObject;
}
