export type BillingInterval = "day" | "week" | "month" | "year";

export interface MrrItem {
  /** Price per unit per billing interval, in minor units, tax excluded. */
  unitAmount: number;
  quantity: number;
  interval: BillingInterval;
  intervalCount: number;
  /** The Stripe price (plan) of the item, when known: MRR by plan splits on it. */
  priceId?: string;
}

/** The coupon terms of one discount that applies at the instant MRR is taken. */
export interface DiscountTerms {
  percentOff: number | null;
  /** Minor units of the subscription's currency, per invoice. */
  amountOff: number | null;
}

export interface SubscriptionState {
  status: string;
  items: MrrItem[];
  /** Subscription-level coupon, 0..100; `null` when there is none (rows stored before `discounts`). */
  percentOff: number | null;
  /** The discounts that apply at that instant; when given, `percentOff` is not used. */
  discounts?: readonly DiscountTerms[];
}

/** Stripe Billing analytics counts only these statuses; trials, paused, unpaid etc. are 0. */
const MRR_STATUSES = new Set(["active", "past_due"]);

/** One billing interval expressed in months, as `perMonth / months` (kpis.md: weeks × 52 ÷ 12). */
const MONTHS_PER_INTERVAL: Record<BillingInterval, { perMonth: bigint; months: bigint }> = {
  month: { perMonth: 1n, months: 1n },
  year: { perMonth: 1n, months: 12n },
  week: { perMonth: 52n, months: 12n },
  day: { perMonth: 365n, months: 12n },
};

/** Percent off is read to 6 decimals, far below any coupon Stripe accepts. */
const PERCENT_SCALE = 1_000_000;

interface Fraction {
  num: bigint;
  den: bigint;
}

/**
 * The MRR of one subscription in minor units, exactly as kpis.md defines it.
 * Item values are summed unrounded as exact fractions, the discount is applied, and the result is
 * rounded once, half away from zero. Exact arithmetic matters: 1000 a week is 4333⅓ a month and
 * floats would let sums of such thirds drift across a .5 boundary.
 */
export function subscriptionMrr(state: SubscriptionState): number {
  if (!MRR_STATUSES.has(state.status)) return 0;
  let total: Fraction = { num: 0n, den: 1n };
  for (const item of state.items) total = add(total, itemMonthly(item));
  if (state.discounts !== undefined) total = applyDiscounts(total, state.discounts, state.items[0]);
  else if (state.percentOff !== null) total = discount(total, state.percentOff);
  return roundFraction(total);
}

/**
 * kpis.md: each percent_off multiplies the total, then each amount_off (per invoice) is normalised
 * to a month like the price and subtracted; never below 0.
 */
function applyDiscounts(
  total: Fraction,
  discounts: readonly DiscountTerms[],
  first: MrrItem | undefined,
): Fraction {
  let value = total;
  for (const d of discounts) if (d.percentOff !== null) value = discount(value, d.percentOff);
  for (const d of discounts) {
    if (d.amountOff === null || first === undefined) continue;
    const monthly = itemMonthly({ ...first, unitAmount: d.amountOff, quantity: 1 });
    value = add(value, { num: -monthly.num, den: monthly.den });
  }
  return value.num < 0n ? { num: 0n, den: 1n } : value;
}

function itemMonthly(item: MrrItem): Fraction {
  const { perMonth, months } = MONTHS_PER_INTERVAL[item.interval];
  if (!Number.isInteger(item.intervalCount) || item.intervalCount < 1) {
    throw new RangeError(`intervalCount must be a positive integer, got ${item.intervalCount}`);
  }
  if (!Number.isInteger(item.quantity)) {
    throw new RangeError(`quantity must be an integer, got ${item.quantity}`);
  }
  const amount = toFraction(item.unitAmount);
  return {
    num: amount.num * BigInt(item.quantity) * perMonth,
    den: amount.den * months * BigInt(item.intervalCount),
  };
}

function discount(value: Fraction, percentOff: number): Fraction {
  if (!(percentOff >= 0 && percentOff <= 100)) {
    throw new RangeError(`percentOff must be within 0..100, got ${percentOff}`);
  }
  const keptScaled = BigInt(100 * PERCENT_SCALE - Math.round(percentOff * PERCENT_SCALE));
  return { num: value.num * keptScaled, den: value.den * BigInt(100 * PERCENT_SCALE) };
}

/** Stripe's `unit_amount_decimal` may carry fractions of a minor unit; read it to 6 decimals. */
function toFraction(amount: number): Fraction {
  if (Number.isInteger(amount)) return { num: BigInt(amount), den: 1n };
  if (!Number.isFinite(amount)) throw new RangeError(`unitAmount must be finite, got ${amount}`);
  return { num: BigInt(Math.round(amount * PERCENT_SCALE)), den: BigInt(PERCENT_SCALE) };
}

function add(a: Fraction, b: Fraction): Fraction {
  const num = a.num * b.den + b.num * a.den;
  const den = a.den * b.den;
  const divisor = gcd(num < 0n ? -num : num, den);
  return divisor > 1n ? { num: num / divisor, den: den / divisor } : { num, den };
}

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a, b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** Half away from zero for a fraction with a positive denominator. */
function roundFraction({ num, den }: Fraction): number {
  const quotient = num / den; // BigInt division truncates toward zero
  const remainder = num % den;
  const absRemainder = remainder < 0n ? -remainder : remainder;
  if (2n * absRemainder < den) return Number(quotient);
  return Number(num < 0n ? quotient - 1n : quotient + 1n);
}
