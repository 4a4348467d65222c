/**
 * Subscription (with its items, prices and discounts) payloads per API version family.
 *
 * - 2024-06-20: `current_period_start` / `current_period_end` on the subscription; `discount` is the
 *   (single) Discount object with its coupon expanded; `discounts` lists discount ids (webhooks do not
 *   expand them).
 * - From 2025-03-31.basil: the periods move to each item (`items.data[].current_period_start/end`)
 *   and are gone from the subscription (Stripe API changelog 2025-03-31.basil "Adds subscription
 *   item-level billing periods and removes subscription-level periods"); `discount` is removed from
 *   Subscription (stripe-node 18.0.0 "Remove support for `discount` on `Invoice` and `Subscription`"),
 *   so the discount is known only by id in `discounts`.
 * - From 2025-09-30.clover: `billing_mode` is present (added 2025-06-30.basil, so absent at
 *   2025-03-31.basil); a Discount, wherever it appears, carries `source.coupon` (see discount.ts).
 * - Newest (2026-10-28.endive): `customer_account`, `billing_schedules`, flexible `billing_mode`;
 *   items carry `current_trial` as well.
 */
import { type CouponInput, discount } from "./discount.ts";
import { basilOrLater, cloverOrLater, type Family, isNewest } from "./versions.ts";

export interface PriceInput {
  id: string;
  product: string;
  currency: string;
  unitAmount: number;
  interval: "day" | "week" | "month" | "year";
  intervalCount?: number;
  created: number;
}

export interface SubscriptionInput {
  id: string;
  customer: string;
  currency: string;
  created: number;
  status: "active" | "past_due" | "canceled" | "trialing" | "incomplete" | "unpaid" | "paused";
  item: { id: string; price: PriceInput; quantity: number; created: number };
  periodStart: number;
  periodEnd: number;
  /** The subscription's discount (one coupon), or none. */
  discount: { id: string; coupon: CouponInput; start: number } | null;
  latestInvoice: string | null;
  cancelAtPeriodEnd?: boolean;
  canceledAt?: number | null;
  endedAt?: number | null;
}

export function price(_family: Family, p: PriceInput): Record<string, unknown> {
  return {
    id: p.id,
    object: "price",
    active: true,
    billing_scheme: "per_unit",
    created: p.created,
    currency: p.currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: null,
    product: p.product,
    recurring: {
      interval: p.interval,
      interval_count: p.intervalCount ?? 1,
      meter: null,
      trial_period_days: null,
      usage_type: "licensed",
    },
    tax_behavior: "unspecified",
    tiers_mode: null,
    transform_quantity: null,
    type: "recurring",
    unit_amount: p.unitAmount,
    unit_amount_decimal: String(p.unitAmount),
  };
}

/** The legacy `plan` mirror of a price (still sent beside `price` on items). */
function plan(p: PriceInput): Record<string, unknown> {
  return {
    id: p.id,
    object: "plan",
    active: true,
    amount: p.unitAmount,
    amount_decimal: String(p.unitAmount),
    billing_scheme: "per_unit",
    created: p.created,
    currency: p.currency,
    interval: p.interval,
    interval_count: p.intervalCount ?? 1,
    livemode: false,
    metadata: {},
    meter: null,
    nickname: null,
    product: p.product,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: "licensed",
  };
}

export function subscription(family: Family, s: SubscriptionInput): Record<string, unknown> {
  const basil = basilOrLater(family);
  const item = {
    id: s.item.id,
    object: "subscription_item",
    billing_thresholds: null,
    created: s.item.created,
    ...(basil ? { current_period_end: s.periodEnd, current_period_start: s.periodStart } : {}),
    ...(isNewest(family) ? { current_trial: null } : {}),
    discounts: [],
    metadata: {},
    plan: plan(s.item.price),
    price: price(family, s.item.price),
    quantity: s.item.quantity,
    subscription: s.id,
    tax_rates: [],
  };
  const discountObject = s.discount
    ? discount(family, { ...s.discount, customer: s.customer, subscription: s.id })
    : null;
  return {
    id: s.id,
    object: "subscription",
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: s.periodStart,
    billing_cycle_anchor_config: null,
    ...(cloverOrLater(family)
      ? {
          billing_mode: isNewest(family)
            ? { flexible: { proration_discounts: "included" }, type: "flexible", updated_at: s.created }
            : { type: "classic" },
        }
      : {}),
    ...(isNewest(family) ? { billing_schedules: [] } : {}),
    billing_thresholds: null,
    cancel_at: s.cancelAtPeriodEnd ? s.periodEnd : null,
    cancel_at_period_end: s.cancelAtPeriodEnd ?? false,
    canceled_at: s.canceledAt ?? null,
    cancellation_details: {
      comment: null,
      feedback: null,
      reason: s.canceledAt ? "cancellation_requested" : null,
    },
    collection_method: "charge_automatically",
    created: s.created,
    currency: s.currency,
    ...(basil ? {} : { current_period_end: s.periodEnd, current_period_start: s.periodStart }),
    customer: s.customer,
    ...(isNewest(family) ? { customer_account: null } : {}),
    days_until_due: null,
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    ...(basil ? {} : { discount: discountObject }),
    discounts: s.discount ? [s.discount.id] : [],
    ended_at: s.endedAt ?? null,
    invoice_settings: { account_tax_ids: null, issuer: { type: "self" } },
    items: {
      object: "list",
      data: [item],
      has_more: false,
      total_count: 1,
      url: `/v1/subscription_items?subscription=${s.id}`,
    },
    latest_invoice: s.latestInvoice,
    livemode: false,
    metadata: {},
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: {
      payment_method_options: null,
      payment_method_types: null,
      save_default_payment_method: "off",
    },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    plan: plan(s.item.price),
    quantity: s.item.quantity,
    schedule: null,
    start_date: s.created,
    status: s.status,
    test_clock: null,
    transfer_data: null,
    trial_end: null,
    trial_settings: { end_behavior: { missing_payment_method: "create_invoice" } },
    trial_start: null,
  };
}
