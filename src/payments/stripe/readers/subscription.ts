import type { BillingInterval } from "../../../analytics/core/mrr-formula.ts";
import type { PriceState, SubscriptionItemState, SubscriptionRead } from "../../../subscriptions/index.ts";
import {
  idOf,
  type Json,
  listData,
  num,
  PayloadShapeError,
  record,
  requiredText,
  text,
  unix,
} from "./billing-fields.ts";
import { readDiscountRefs } from "./discount.ts";

export type { PriceState, SubscriptionItemState, SubscriptionRead };

const INTERVALS = new Set<string>(["day", "week", "month", "year"]);

export function readSubscription(raw: unknown): SubscriptionRead {
  const sub = record(raw);
  if (!sub) throw new PayloadShapeError("subscription is not an object");
  const id = requiredText(sub, "id", "subscription");
  const itemObjects = listData(sub.items)
    .map(record)
    .filter((i): i is Json => i !== null);
  const prices = itemObjects.map((item) => readPrice(item, sub.livemode === true));
  const items: SubscriptionItemState[] = [];
  for (const [i, item] of itemObjects.entries()) {
    const price = prices[i];
    if (!price) continue;
    items.push({
      id: text(item.id) ?? `${id}_item_${i}`,
      priceId: price.id,
      unitAmount: price.unitAmount,
      interval: price.interval,
      intervalCount: price.intervalCount,
      quantity: num(item.quantity) ?? 1,
    });
  }
  const currency = text(sub.currency) ?? prices.find((p) => p)?.currency ?? itemCurrency(itemObjects) ?? null;
  if (currency === null) throw new PayloadShapeError(`subscription ${id} has no currency on it or its items`);
  const stripeCustomerId = idOf(sub.customer);
  if (stripeCustomerId === null) throw new PayloadShapeError(`subscription ${id} has no customer`);
  const refs = readDiscountRefs(sub);
  const legacy = record(sub.discount);
  const period = currentPeriod(sub, itemObjects);
  const created = unix(sub.created);
  if (created === null) throw new PayloadShapeError(`subscription ${id} has no created`);
  return {
    id,
    stripeCustomerId,
    status: requiredText(sub, "status", `subscription ${id}`),
    currency: currency.toLowerCase(),
    items,
    prices: prices.filter((p): p is PriceState => p !== null),
    discountIds: refs.ids,
    discounts: refs.expanded,
    percentOff: num(record(legacy?.coupon)?.percent_off),
    currentPeriodStart: period.start,
    currentPeriodEnd: period.end,
    cancelAtPeriodEnd: sub.cancel_at_period_end === true,
    canceledAt: unix(sub.canceled_at),
    endedAt: unix(sub.ended_at),
    trialEnd: unix(sub.trial_end),
    created,
    livemode: sub.livemode === true,
  };
}

/** The item's recurring price (or its legacy `plan`), or null for a one-off price. */
function readPrice(item: Json, livemode: boolean): PriceState | null {
  const price = record(item.price);
  if (price)
    return priceState(
      price,
      "price",
      record(price.recurring),
      price.unit_amount,
      price.unit_amount_decimal,
      livemode,
    );
  // Before prices, a subscription item carried a plan: the same fields, the interval on the plan itself.
  const plan = record(item.plan);
  return plan ? priceState(plan, "plan", plan, plan.amount, plan.amount_decimal, livemode) : null;
}

function priceState(
  source: Json,
  kind: "price" | "plan",
  recurring: Json | null,
  amount: unknown,
  amountDecimal: unknown,
  livemode: boolean,
): PriceState | null {
  const interval = text(recurring?.interval);
  if (!recurring || interval === null || !INTERVALS.has(interval)) return null;
  return {
    id: requiredText(source, "id", kind),
    productName: idOf(source.product) ?? "product",
    nickname: text(source.nickname),
    currency: requiredText(source, "currency", kind).toLowerCase(),
    unitAmount: amountOf(amount, amountDecimal),
    interval: interval as BillingInterval,
    intervalCount: num(recurring.interval_count) ?? 1,
    active: source.active !== false,
    livemode: typeof source.livemode === "boolean" ? source.livemode : livemode,
  };
}

function amountOf(amount: unknown, decimal: unknown): number {
  const n = num(amount);
  if (n !== null) return n;
  const parsed = typeof decimal === "string" ? Number(decimal) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : 0;
}

function itemCurrency(items: Json[]): string | null {
  for (const item of items) {
    const currency = text(record(item.price)?.currency) ?? text(record(item.plan)?.currency);
    if (currency !== null) return currency;
  }
  return null;
}

/** Top-level period (before 2025-03-31.basil), else the item whose period started last. */
function currentPeriod(sub: Json, items: Json[]): { start: Date | null; end: Date | null } {
  const start = unix(sub.current_period_start);
  if (start !== null) return { start, end: unix(sub.current_period_end) };
  let best: { start: Date | null; end: Date | null } = { start: null, end: null };
  for (const item of items) {
    const itemStart = unix(item.current_period_start);
    if (itemStart === null) continue;
    if (best.start === null || itemStart.getTime() > best.start.getTime()) {
      best = { start: itemStart, end: unix(item.current_period_end) };
    }
  }
  return best;
}
