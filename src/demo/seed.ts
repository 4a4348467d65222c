import { addDays, dayOf, startOfDay } from "../analytics/core/periods.ts";
import { type Actor, systemActor } from "../audit/index.ts";
import type { AppContext } from "../context.ts";
import { assertOfflinePayments, createStripeFactory } from "../offline/index.ts";
import { addToWishlist } from "../orders/index.ts";
import { fixedClock } from "../shared/clock.ts";
import { seededRandom } from "../shared/seeded-random.ts";
import { withSeededOfflineIds } from "../shared/stripe-ids.ts";
import { DAY_MS, dayWeight, monthsBeforeDay } from "./calendar.ts";
import { seedCatalog } from "./catalog.ts";
import { finishSeed } from "./finish.ts";
import { seedHistoricalIssues } from "./historical-issues.ts";
import { afterPayment, cancelLater, checkout, type OrderFate, type SimClock } from "./order.ts";
import { seedCustomers } from "./people.ts";
import { creditMissingItem, disputeOrder, payByManualCapture, RECENT_CASES } from "./recent-cases.ts";
import { type SubscriptionStats, subscriptionSimulator } from "./subscription-simulator.ts";
import { DEMO_USERS, seedDemoUsers } from "./users.ts";

export interface SeedOptions {
  seed?: number;
  customers?: number;
  months?: number;
  /** Called as the work advances: days of history done out of all of them, and the current step. */
  onProgress?: (done: number, total: number, step: string) => void;
}

export interface SeedResult {
  users: number;
  products: number;
  customers: number;
  orders: Record<OrderFate, number> & { total: number };
  wishlistItems: number;
  subscriptions: SubscriptionStats;
  resolvedIssues: number;
  days: number;
}

const HOUR = 3_600_000;
/**
 * Recent days trade at a steady daily revenue (orders fill up to a target around the day's
 * subscription charges) so the revenue-anomaly check sees normal days; their refunds are small
 * credits and their plan moves are seat changes, which charge nothing.
 */
const CALM_DAYS = 37;
/**
 * Orders per customer over a year before the recent weeks, on average: regulars again and again,
 * most customers once or not at all. Every order goes through checkout and three signed webhooks,
 * and so does every subscription invoice: this, with the subscriptions, is what `npm start` can
 * afford to seed in about a minute on a 2-core machine (the `seed` bench).
 */
const ORDERS_PER_CUSTOMER_YEAR = 0.35;
/** Floor of a recent day's revenue (minor units), so small seeds still trade every day. */
const MIN_CALM_REVENUE = 20_000;

/**
 * Deterministic demo data through the real services and the offline Stripe path: catalog,
 * customers, `months` of seasonal orders in every status (refunds, disputes, preorders),
 * wishlists, subscriptions, two resolved historical data-quality issues, then snapshots.
 * The history ends at the clock's now; ids come from the seed.
 */
export async function seedDemo(ctx: AppContext, options: SeedOptions = {}): Promise<SeedResult> {
  assertOfflinePayments(ctx);
  const seed = options.seed ?? 42;
  return withSeededOfflineIds(seededRandom(seed ^ 0x5eed5), () => seedAll(ctx, { ...options, seed }));
}

async function seedAll(ctx: AppContext, options: SeedOptions & { seed: number }): Promise<SeedResult> {
  const rand = seededRandom(options.seed);
  const months = options.months ?? 12;
  const customerCount = options.customers ?? 2000;
  const now = ctx.clock.now();
  // Days are the reporting timezone's, as the dashboards and the checks count them.
  const tz = ctx.config.reportingTimezone;
  const todayName = dayOf(now, tz);
  const startName = monthsBeforeDay(todayName, months);
  const today = startOfDay(todayName, tz).getTime();
  const start = startOfDay(startName, tz).getTime();
  const days = Math.round((Date.parse(todayName) - Date.parse(startName)) / DAY_MS);
  const clock = fixedClock(new Date(start - 2 * DAY_MS));
  const sim: AppContext = { ...ctx, clock };
  const actor: Actor = systemActor;
  // Steps: catalog, customers, each day of history, today and the snapshots.
  const steps = days + 3;
  const report = (done: number, step: string) => options.onProgress?.(done, steps, step);

  const shipDate = new Date(today + 30 * DAY_MS).toISOString().slice(0, 10);
  const catalog = await seedCatalog(sim, actor, rand, shipDate);
  report(1, "catalog");
  const people = await seedCustomers(ctx.db, customerCount, rand, start, now.getTime());
  // The customer demo login shops as the first (oldest) customer, who orders regularly.
  await seedDemoUsers(ctx, actor, people[0]!.customer.id);
  report(2, "customers");

  const orders: SeedResult["orders"] = {
    total: 0,
    pending: 0,
    abandoned: 0,
    declined: 0,
    paid: 0,
    fulfilled: 0,
    partial: 0,
    full: 0,
    dispute: 0,
  };
  let wishlistItems = 0;
  const f = createStripeFactory({
    seed: `demo-${options.seed}`,
    now: new Date(start),
    livemode: ctx.config.livemode,
  });
  const subs = subscriptionSimulator(sim, f, rand);
  const perDay = (customerCount * ORDERS_PER_CUSTOMER_YEAR * (months / 12)) / Math.max(1, days);
  // About 200 subscribers when the history starts and 0.6 sign-ups a day: over 300 at its end.
  const subsPerDay = Math.max(0.08, (0.6 * customerCount) / 2000);
  clock.set(new Date(start));
  f.setNow(clock.now());
  await subs.base(Math.max(3, Math.round((215 * customerCount) / 2000)));
  const avgOrder = catalog.regular.reduce((sum, p) => sum + p.priceAmount, 0) / catalog.regular.length;
  const calmFrom = days - CALM_DAYS;
  // Special days fall before the calm weeks: the historical issues, and two days with a dispute,
  // a partial and a full refund each (so even a small seed has them). At least 6 days, so the
  // late-shipping day and the two dispute days are distinct even in a one-month history.
  const special = Math.max(calmFrom, 6);
  const disputeDays = [Math.floor(special * 0.55), Math.floor(special * 0.8)];
  const issueDay = Math.floor(special * 0.4);
  let eligible = 0;
  let resolvedIssues = 0;

  const recentSubs: number[] = [];
  let calmTarget = 0;
  for (let d = 0; d < days; d++) {
    const dayName = addDays(startName, d);
    const day = startOfDay(dayName, tz).getTime();
    const weight = dayWeight(Date.parse(dayName), d / days);
    while (eligible < people.length && people[eligible]!.since <= day + DAY_MS) eligible += 1;
    const calm = d >= calmFrom;
    if (d === Math.max(0, calmFrom)) {
      // A recent day's revenue: ordinary orders plus subscriptions, and never below the biggest
      // subscription day of the last month, so a cluster of renewals does not stand out.
      const recent = recentSubs.slice(-30);
      const subsAvg = recent.reduce((x, y) => x + y, 0) / Math.max(1, recent.length);
      calmTarget = Math.max(
        MIN_CALM_REVENUE,
        perDay * dayWeight(Date.parse(todayName), 1) * avgOrder + 2 * subsAvg,
        1.1 * Math.max(0, ...recent),
      );
    }
    const annualAllowed = days - d < 330;
    const expectedSubs = subsPerDay * (calm ? 1 : weight);
    let target = Number.POSITIVE_INFINITY;
    if (calm) {
      // Recent days: subscriptions first, then orders until the day's revenue reaches a target that
      // varies by ±15 %, so the last weeks look like ordinary trading to the anomaly check.
      clock.set(new Date(day + 6 * HOUR));
      f.setNow(clock.now());
      // The last 30 and 7 days each see a cancellation, an added seat and a returning subscriber.
      const force = {
        churn: d === days - 3 || d === days - 6 || d === days - 20,
        expansion: d === days - 4 || d === days - 18,
        reactivation: d === days - 2 || d === days - 16,
      };
      const charged = await subs.day(Math.round(expectedSubs * 0.5 + (d % 2) * 0.5), true, false, force);
      target = calmTarget * (0.85 + 0.3 * rand()) - charged;
    }
    const count = calm
      ? Math.ceil((target / avgOrder) * 1.4) + 3
      : Math.floor(perDay * weight * (0.7 + rand() * 0.6) + rand());
    const forced = disputeDays.includes(d) || d === issueDay ? 3 : 0;
    const times = Array.from(
      { length: Math.max(count, forced) },
      () => day + 7 * HOUR + Math.floor(rand() * 15 * HOUR),
    ).sort((a, b) => a - b);
    const lateOrders: number[] = [];
    const delivered: Array<{ id: number; amountTotal: number }> = [];
    let revenue = 0;
    for (const [i, at] of times.entries()) {
      if (calm && revenue >= target - 300) break;
      // Repeat behaviour: earlier customers are picked more often (loyal regulars), the demo login monthly.
      const who = d % 25 === 3 && i === 0 ? 0 : Math.floor(eligible * rand() ** 1.6);
      const customerId = people[Math.min(who, eligible - 1)]!.customer.id;
      const preorder = !calm && d >= days - 90 && rand() < 0.05;
      const items = preorder
        ? [{ productId: catalog.preorder[Math.floor(rand() * catalog.preorder.length)]!.id, quantity: 1 }]
        : calm
          ? [calmLine(catalog.regular, target - revenue, rand)]
          : pickItems(catalog.regular, rand);
      clock.set(new Date(at));
      let fate = chooseFate(rand, calm);
      if (preorder) fate = "paid";
      else if (disputeDays.includes(d) && i < 3) fate = (["dispute", "partial", "full"] as const)[i]!;
      else if (d === issueDay && i < 2) fate = "paid";
      const outcome = fate === "abandoned" ? "none" : fate === "declined" ? "decline" : "pay";
      const order = await checkout(sim, clock, actor, customerId, items, outcome);
      orders.total += 1;
      orders[fate] += 1;
      if (outcome === "pay") revenue += order.amountTotal;
      if (fate === "abandoned" || fate === "declined")
        await cancelLater(sim, clock, actor, order.id, rand, now);
      else await afterPayment(sim, clock, actor, order, fate, rand, now);
      if (d === issueDay && i < 2 && !preorder) lateOrders.push(order.id);
      if (fate === "fulfilled") delivered.push(order);
      if (rand() < 0.08) {
        await addToWishlist(sim, customerId, {
          productId: catalog.regular[Math.floor(rand() * catalog.regular.length)]!.id,
        });
        wishlistItems += 1;
      }
    }
    if (calm && delivered.length > 0) await recentCase(sim, clock, actor, days - d, day, delivered[0]!);
    if (days - d === RECENT_CASES.manualCaptureDay) {
      // One order paid by manual capture (authorised in the evening, captured the next morning), then shipped.
      clock.set(new Date(day + 21 * HOUR));
      const product = catalog.regular[Math.floor(rand() * catalog.regular.length)]!;
      const order = await checkout(
        sim,
        clock,
        actor,
        people[0]!.customer.id,
        [{ productId: product.id, quantity: 1 }],
        "none",
      );
      await payByManualCapture(sim, clock, order);
      await afterPayment(sim, clock, actor, order, "fulfilled", rand, now);
      orders.total += 1;
      orders.fulfilled += 1;
    }
    if (lateOrders.length > 0)
      resolvedIssues += await seedHistoricalIssues(sim, clock, actor, lateOrders, day);
    if (!calm) {
      clock.set(new Date(day + 12 * HOUR));
      f.setNow(clock.now());
      recentSubs.push(await subs.day(Math.floor(expectedSubs + rand()), false, annualAllowed));
    }
    report(3 + d, `${dayName}: orders and subscriptions`);
  }
  report(days + 2, "today's orders and the snapshots");
  await finishSeed(sim, clock, actor, {
    today,
    now,
    start,
    people: people.map((p) => p.customer.id),
    catalog,
    rand,
    orders,
  });
  report(steps, "snapshots built");
  return {
    users: DEMO_USERS.length,
    products: catalog.regular.length + catalog.preorder.length,
    customers: people.length,
    orders,
    wishlistItems,
    subscriptions: subs.stats,
    resolvedIssues,
    days,
  };
}

/**
 * The cases the last 30 and 7 days always show, on the day's first delivered order: small credits,
 * a chargeback won, one lost, one still open and an inquiry (at 22:00, after the day's trading).
 */
async function recentCase(
  sim: AppContext,
  clock: SimClock,
  actor: Actor,
  daysAgo: number,
  day: number,
  order: { id: number; amountTotal: number },
): Promise<void> {
  clock.set(new Date(day + 22 * HOUR));
  const c = RECENT_CASES;
  if ((c.refundDays as readonly number[]).includes(daysAgo)) await creditMissingItem(sim, actor, order);
  else if (daysAgo === c.wonDay)
    await disputeOrder(sim, clock, order.id, { outcome: "won", closeAfterDays: 12 });
  else if (daysAgo === c.lostDay)
    await disputeOrder(sim, clock, order.id, { outcome: "lost", closeAfterDays: 10 });
  else if (daysAgo === c.inquiryDay) await disputeOrder(sim, clock, order.id, { inquiry: true });
  else if (daysAgo === c.openDay) await disputeOrder(sim, clock, order.id, {});
}

function chooseFate(rand: () => number, calm: boolean): OrderFate {
  const r = rand();
  if (r < 0.04) return "abandoned";
  if (r < 0.08) return "declined";
  if (calm) return "fulfilled";
  if (r < 0.11) return "partial";
  if (r < 0.14) return "full";
  return "fulfilled";
}

/**
 * One line of a recent order: a product under the day's remaining budget, up to three of it when the
 * budget allows (households stock up), so the recent weeks need fewer, larger orders.
 */
function calmLine(
  products: Array<{ id: number; priceAmount: number }>,
  budget: number,
  rand: () => number,
): { productId: number; quantity: number } {
  const id = productUnder(products, budget, rand);
  const price = products.find((p) => p.id === id)!.priceAmount;
  return { productId: id, quantity: Math.max(1, Math.min(3, Math.floor(budget / price))) };
}

/** A random product, or the dearest one still under `budget` (minor units) when it would overshoot. */
function productUnder(
  products: Array<{ id: number; priceAmount: number }>,
  budget: number,
  rand: () => number,
): number {
  const p = products[Math.floor(rand() * products.length)]!;
  if (p.priceAmount <= budget) return p.id;
  let best = products[0]!;
  for (const q of products) {
    if (
      q.priceAmount <= budget
        ? q.priceAmount > best.priceAmount || best.priceAmount > budget
        : q.priceAmount < best.priceAmount
    )
      best = q;
  }
  return best.id;
}

function pickItems(products: Array<{ id: number }>, rand: () => number) {
  const lines = 1 + Math.floor(rand() * rand() * 3);
  const items = new Map<number, number>();
  for (let i = 0; i < lines; i++) {
    const id = products[Math.floor(rand() * products.length)]!.id;
    items.set(id, (items.get(id) ?? 0) + (rand() < 0.8 ? 1 : 2));
  }
  return [...items].map(([productId, quantity]) => ({ productId, quantity }));
}
