/**
 * Builders for recurring billing: prices (with the legacy `plan` mirror), discounts, subscriptions
 * and invoices, in Stripe's 2024-06-20 shapes (periods on the subscription, `invoice.subscription`
 * and `invoice.charge` still present).
 */

import type {
  CouponObject,
  DiscountObject,
  Interval,
  InvoiceLineObject,
  InvoiceObject,
  InvoiceStatus,
  Metadata,
  PlanObject,
  PriceObject,
  SubscriptionItemObject,
  SubscriptionObject,
  SubscriptionStatus,
} from "../../payments/stripe/stripe-objects.ts";
import type { FactoryContext } from "./factory-context.ts";
import { assertMinorUnits, currencyOf } from "./payment-objects.ts";

const DAY = 86_400;

/** Stripe's own field names: these are copied onto the price as given. */
export interface PriceInput {
  id?: string;
  unit_amount: number;
  currency?: string;
  recurring?: { interval: Interval; interval_count?: number; trial_period_days?: number | null } | null;
  product?: string;
  nickname?: string | null;
  lookup_key?: string | null;
  metadata?: Metadata;
  created?: number;
  livemode?: boolean;
}

export interface DiscountInput {
  /** One of percent_off or amount_off, as on a Stripe coupon. */
  percent_off?: number;
  amount_off?: number;
  currency?: string;
  duration?: CouponObject["duration"];
  duration_in_months?: number;
  coupon_id?: string;
  name?: string | null;
  start?: number;
  subscription?: string | null;
  customer?: string | null;
}

export interface SubscriptionItemInput {
  id?: string;
  /** A built price, or the fields of one (`{ id, unit_amount, currency, recurring }`). */
  price: PriceInput | PriceObject;
  quantity?: number;
  metadata?: Metadata;
  created?: number;
}

/** Stripe's own field names: most are copied onto the subscription as given. */
export interface SubscriptionInput {
  id?: string;
  customer?: string;
  items: SubscriptionItemInput[];
  /** Default: canceled once ended, trialing inside the trial, otherwise active. */
  status?: SubscriptionStatus;
  created?: number;
  start_date?: number;
  billing_cycle_anchor?: number;
  /** Default: start_date. */
  current_period_start?: number;
  /** Default: trial_end during a trial, otherwise one interval of the first item's price later. */
  current_period_end?: number;
  discount?: DiscountInput | null;
  cancel_at_period_end?: boolean;
  cancel_at?: number | null;
  canceled_at?: number | null;
  ended_at?: number | null;
  cancellation_reason?: "cancellation_requested" | "payment_disputed" | "payment_failed" | null;
  trial_start?: number | null;
  trial_end?: number | null;
  latest_invoice?: string | null;
  default_payment_method?: string | null;
  collection_method?: SubscriptionObject["collection_method"];
  pause_collection?: SubscriptionObject["pause_collection"];
  metadata?: Metadata;
  livemode?: boolean;
}

export interface InvoiceLineInput {
  id?: string;
  /** Default: unit_amount × quantity of the price. */
  amount?: number;
  currency?: string;
  price?: PriceInput | PriceObject;
  quantity?: number;
  period?: { start: number; end: number };
  subscription?: string | null;
  subscriptionItem?: string | null;
  proration?: boolean;
  description?: string | null;
}

export interface InvoiceInput {
  id?: string;
  customer?: string;
  /** A subscription object also provides the default lines (its items over its current period). */
  subscription?: SubscriptionObject | string | null;
  lines?: InvoiceLineInput[];
  status?: InvoiceStatus;
  billingReason?: InvoiceObject["billing_reason"];
  /** Default: a new `ch_` id once a payment was attempted. */
  charge?: string | null;
  paymentIntent?: string | null;
  /** Default: the subscription's discount. */
  discount?: DiscountObject | null;
  tax?: number | null;
  attemptCount?: number;
  number?: string | null;
  currency?: string;
  collectionMethod?: InvoiceObject["collection_method"];
  metadata?: Metadata;
  created?: number;
  livemode?: boolean;
}

export function billingBuilders(ctx: FactoryContext) {
  const { ids } = ctx;
  const invoiceSequences = new Map<string, number>();

  function makePrice(input: PriceInput): PriceObject {
    assertMinorUnits(input.unit_amount, "unit_amount", true);
    const recurring = input.recurring ?? null;
    return {
      id: input.id ?? ids.next("price"),
      object: "price",
      active: true,
      billing_scheme: "per_unit",
      created: input.created ?? ctx.now(),
      currency: currencyOf(input.currency),
      custom_unit_amount: null,
      livemode: input.livemode ?? ctx.livemode,
      lookup_key: input.lookup_key ?? null,
      metadata: { ...input.metadata },
      nickname: input.nickname ?? null,
      product: input.product ?? ids.next("prod"),
      recurring: recurring && {
        aggregate_usage: null,
        interval: recurring.interval,
        interval_count: recurring.interval_count ?? 1,
        meter: null,
        trial_period_days: recurring.trial_period_days ?? null,
        usage_type: "licensed",
      },
      tax_behavior: "unspecified",
      tiers_mode: null,
      transform_quantity: null,
      type: recurring ? "recurring" : "one_time",
      unit_amount: input.unit_amount,
      unit_amount_decimal: String(input.unit_amount),
    };
  }

  const priceOf = (price: PriceInput | PriceObject, livemode: boolean): PriceObject =>
    "object" in price ? price : makePrice({ livemode, ...price });

  function makeDiscount(input: DiscountInput): DiscountObject {
    const percentOff = input.percent_off ?? null;
    const amountOff = input.amount_off ?? null;
    if ((percentOff === null) === (amountOff === null)) {
      throw new RangeError("A discount needs exactly one of percent_off or amount_off");
    }
    if (percentOff !== null && !(percentOff > 0 && percentOff <= 100)) {
      throw new RangeError(`percent_off ${percentOff} must be within (0, 100]`);
    }
    const duration = input.duration ?? "forever";
    const start = input.start ?? ctx.now();
    const months = duration === "repeating" ? (input.duration_in_months ?? 1) : null;
    return {
      id: ids.next("di"),
      object: "discount",
      checkout_session: null,
      coupon: {
        id: input.coupon_id ?? ids.code(8),
        object: "coupon",
        amount_off: amountOff,
        created: start,
        currency: amountOff === null ? null : currencyOf(input.currency),
        duration,
        duration_in_months: months,
        livemode: ctx.livemode,
        max_redemptions: null,
        metadata: {},
        name: input.name ?? null,
        percent_off: percentOff,
        redeem_by: null,
        times_redeemed: 1,
        valid: true,
      },
      customer: input.customer ?? null,
      // Stripe only sets `end` for repeating coupons; once and forever leave it null.
      end: months === null ? null : addInterval(start, "month", months),
      invoice: null,
      invoice_item: null,
      promotion_code: null,
      start,
      subscription: input.subscription ?? null,
      subscription_item: null,
    };
  }

  function makeSubscriptionItem(
    input: SubscriptionItemInput,
    subscription: string,
    created: number,
    livemode: boolean,
  ): SubscriptionItemObject {
    const price = priceOf(input.price, livemode);
    const quantity = input.quantity ?? 1;
    if (!Number.isInteger(quantity) || quantity < 0)
      throw new RangeError(`quantity ${quantity} is not valid`);
    return {
      id: input.id ?? ids.next("si"),
      object: "subscription_item",
      billing_thresholds: null,
      created: input.created ?? created,
      discounts: [],
      metadata: { ...input.metadata },
      plan: planOf(price),
      price,
      quantity,
      subscription,
      tax_rates: [],
    };
  }

  function makeSubscription(input: SubscriptionInput): SubscriptionObject {
    const id = input.id ?? ids.next("sub");
    const customer = input.customer ?? ids.next("cus");
    const created = input.created ?? ctx.now();
    const livemode = input.livemode ?? ctx.livemode;
    const items = input.items.map((item) => makeSubscriptionItem(item, id, created, livemode));
    const first = items[0];
    if (!first) throw new RangeError("A subscription needs at least one item");
    const currency = first.price.currency;
    if (items.some((item) => item.price.currency !== currency)) {
      throw new RangeError("All items of a subscription share one currency");
    }
    const startDate = input.start_date ?? created;
    const trialEnd = input.trial_end ?? null;
    const periodStart = input.current_period_start ?? startDate;
    const inTrial = trialEnd !== null && periodStart < trialEnd;
    const periodEnd =
      input.current_period_end ??
      (inTrial ? trialEnd : addInterval(periodStart, first.plan.interval, first.plan.interval_count));
    const ended = input.status === "canceled" || input.status === "incomplete_expired";
    const endedAt =
      input.ended_at !== undefined ? input.ended_at : ended ? (input.canceled_at ?? ctx.now()) : null;
    const status: SubscriptionStatus =
      input.status ?? (endedAt !== null ? "canceled" : inTrial ? "trialing" : "active");
    const cancelAtPeriodEnd = input.cancel_at_period_end ?? false;
    // Stripe stamps canceled_at when the cancellation is requested, even one due at period end.
    const canceledAt =
      input.canceled_at !== undefined
        ? input.canceled_at
        : status === "canceled"
          ? endedAt
          : cancelAtPeriodEnd
            ? ctx.now()
            : null;
    const discount = input.discount
      ? makeDiscount({ start: startDate, ...input.discount, subscription: id, customer })
      : null;
    const single = items.length === 1;
    return {
      id,
      object: "subscription",
      application: null,
      billing_cycle_anchor: input.billing_cycle_anchor ?? (inTrial ? trialEnd : startDate),
      cancel_at: input.cancel_at !== undefined ? input.cancel_at : cancelAtPeriodEnd ? periodEnd : null,
      cancel_at_period_end: cancelAtPeriodEnd,
      canceled_at: canceledAt,
      cancellation_details: {
        comment: null,
        feedback: null,
        reason:
          input.cancellation_reason !== undefined
            ? input.cancellation_reason
            : canceledAt !== null
              ? "cancellation_requested"
              : null,
      },
      collection_method: input.collection_method ?? "charge_automatically",
      created,
      currency,
      current_period_end: periodEnd,
      current_period_start: periodStart,
      customer,
      days_until_due: null,
      default_payment_method:
        input.default_payment_method !== undefined ? input.default_payment_method : ids.next("pm"),
      description: null,
      discount,
      discounts: discount ? [discount.id] : [],
      ended_at: endedAt,
      items: {
        object: "list",
        data: items,
        has_more: false,
        total_count: items.length,
        url: `/v1/subscription_items?subscription=${id}`,
      },
      latest_invoice: input.latest_invoice ?? null,
      livemode,
      metadata: { ...input.metadata },
      pause_collection: input.pause_collection ?? null,
      plan: single ? structuredClone(first.plan) : null,
      quantity: single ? first.quantity : null,
      schedule: null,
      start_date: startDate,
      status,
      test_clock: null,
      trial_end: trialEnd,
      trial_settings: { end_behavior: { missing_payment_method: "create_invoice" } },
      trial_start: input.trial_start !== undefined ? input.trial_start : trialEnd !== null ? startDate : null,
    };
  }

  function makeInvoiceLine(
    input: InvoiceLineInput,
    livemode: boolean,
    fallbackStart: number,
  ): InvoiceLineObject {
    const price = input.price ? priceOf(input.price, livemode) : null;
    const quantity = input.quantity ?? (price ? 1 : null);
    const amount = input.amount ?? (price ? price.unit_amount * (quantity ?? 1) : undefined);
    if (amount === undefined) throw new RangeError("An invoice line needs an amount or a price");
    const subscription = input.subscription ?? null;
    return {
      id: input.id ?? ids.next("il"),
      object: "line_item",
      amount,
      currency: currencyOf(input.currency ?? price?.currency),
      description:
        input.description !== undefined
          ? input.description
          : price
            ? `${quantity} × ${price.nickname ?? price.product}`
            : null,
      discount_amounts: [],
      period: input.period ?? { start: fallbackStart, end: fallbackStart },
      price,
      proration: input.proration ?? false,
      quantity,
      subscription,
      subscription_item: input.subscriptionItem ?? null,
      type: subscription ? "subscription" : "invoiceitem",
    };
  }

  function makeInvoice(input: InvoiceInput): InvoiceObject {
    const id = input.id ?? ids.next("in");
    const created = input.created ?? ctx.now();
    const livemode = input.livemode ?? ctx.livemode;
    const sub = typeof input.subscription === "object" ? input.subscription : null;
    const subscriptionId = typeof input.subscription === "string" ? input.subscription : (sub?.id ?? null);
    const lineInputs =
      input.lines ??
      sub?.items.data.map((item) => ({
        price: item.price,
        quantity: item.quantity,
        period: { start: sub.current_period_start, end: sub.current_period_end },
        subscription: sub.id,
        subscriptionItem: item.id,
      }));
    if (!lineInputs || lineInputs.length === 0)
      throw new RangeError("An invoice needs lines or a subscription");
    const lines = lineInputs.map((line) =>
      makeInvoiceLine({ subscription: subscriptionId, ...line }, livemode, created),
    );
    const customer = input.customer ?? sub?.customer ?? ids.next("cus");
    const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
    const discount = input.discount !== undefined ? input.discount : (sub?.discount ?? null);
    const discountAmount = discount ? discountOn(subtotal, discount.coupon) : 0;
    if (discount) allocateDiscount(lines, discount.id, discountAmount, subtotal);
    const tax = input.tax ?? null;
    const total = subtotal - discountAmount + (tax ?? 0);
    const status = input.status ?? "paid";
    const attemptCount = input.attemptCount ?? (status === "draft" ? 0 : 1);
    const attempted = attemptCount > 0;
    const paid = status === "paid";
    const period = lines[0]?.period ?? { start: created, end: created };
    return {
      id,
      object: "invoice",
      amount_due: total,
      amount_paid: paid ? total : 0,
      amount_remaining: paid || status === "void" ? 0 : total,
      attempt_count: attemptCount,
      attempted,
      billing_reason: input.billingReason ?? (subscriptionId ? "subscription_cycle" : "manual"),
      charge: input.charge !== undefined ? input.charge : attempted && total > 0 ? ids.next("ch") : null,
      collection_method: input.collectionMethod ?? "charge_automatically",
      created,
      currency: currencyOf(input.currency ?? lines[0]?.currency),
      customer,
      discount,
      discounts: discount ? [discount.id] : [],
      lines: {
        object: "list",
        has_more: false,
        total_count: lines.length,
        url: `/v1/invoices/${id}/lines`,
        data: lines,
      },
      livemode,
      metadata: { ...input.metadata },
      number:
        input.number !== undefined ? input.number : status === "draft" ? null : nextInvoiceNumber(customer),
      paid,
      payment_intent:
        input.paymentIntent !== undefined
          ? input.paymentIntent
          : status !== "draft" && total > 0
            ? ids.next("pi")
            : null,
      period_end: period.end,
      period_start: period.start,
      status,
      subscription: subscriptionId,
      subtotal,
      tax,
      total,
      total_discount_amounts: discount ? [{ amount: discountAmount, discount: discount.id }] : [],
    };
  }

  /** `MFYQK9-0001`: Stripe numbers invoices per customer, after a prefix taken from the customer. */
  function nextInvoiceNumber(customer: string): string {
    const n = (invoiceSequences.get(customer) ?? 0) + 1;
    invoiceSequences.set(customer, n);
    return `${customer.slice(-6).toUpperCase()}-${String(n).padStart(4, "0")}`;
  }

  return { makePrice, makeDiscount, makeSubscription, makeInvoice };
}

export function planOf(price: PriceObject): PlanObject {
  if (!price.recurring)
    throw new RangeError(`Price ${price.id} is not recurring, so it cannot be subscribed to`);
  return {
    id: price.id,
    object: "plan",
    active: price.active,
    aggregate_usage: null,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: price.billing_scheme,
    created: price.created,
    currency: price.currency,
    interval: price.recurring.interval,
    interval_count: price.recurring.interval_count,
    livemode: price.livemode,
    metadata: { ...price.metadata },
    meter: null,
    nickname: price.nickname,
    product: price.product,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: price.recurring.trial_period_days,
    usage_type: price.recurring.usage_type,
  };
}

/** A percentage coupon rounds half up on the invoice subtotal; a fixed one never exceeds it. */
export function discountOn(subtotal: number, coupon: CouponObject): number {
  if (coupon.percent_off !== null) return Math.round((subtotal * coupon.percent_off) / 100);
  return Math.min(coupon.amount_off ?? 0, subtotal);
}

/** Spreads the invoice discount over the lines in proportion to their amounts; the last takes the rest. */
function allocateDiscount(
  lines: InvoiceLineObject[],
  discount: string,
  amount: number,
  subtotal: number,
): void {
  let left = amount;
  lines.forEach((line, index) => {
    const share =
      index === lines.length - 1 ? left : subtotal === 0 ? 0 : Math.round((amount * line.amount) / subtotal);
    left -= share;
    line.discount_amounts = [{ amount: share, discount }];
  });
}

/**
 * Calendar arithmetic as Stripe bills: days and weeks are fixed lengths in seconds; months and years
 * keep the day of month, clamped to the month's last day (Jan 31 + 1 month = Feb 28 or 29).
 */
export function addInterval(at: number, interval: Interval, count = 1): number {
  if (interval === "day") return at + count * DAY;
  if (interval === "week") return at + count * 7 * DAY;
  const from = new Date(at * 1000);
  const months = interval === "month" ? count : 12 * count;
  const year = from.getUTCFullYear();
  const month = from.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const to = Date.UTC(
    year,
    month,
    Math.min(from.getUTCDate(), lastDay),
    from.getUTCHours(),
    from.getUTCMinutes(),
    from.getUTCSeconds(),
  );
  return Math.floor(to / 1000);
}
