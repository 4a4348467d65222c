import { eq } from "drizzle-orm";
import { addDays } from "../../../src/analytics/core/periods.ts";
import { buildSnapshots } from "../../../src/analytics/index.ts";
import { cliActor, systemActor } from "../../../src/audit/index.ts";
import { createProduct } from "../../../src/catalog/index.ts";
import { type Config, testConfig } from "../../../src/config/env.ts";
import type { AppContext } from "../../../src/context.ts";
import { charges, orders, plans, refunds, stripeEvents } from "../../../src/db/schema.ts";
import { seedDemoUsers } from "../../../src/demo/users.ts";
import { runChecks } from "../../../src/monitoring/index.ts";
import { addToWishlist, removeFromWishlist } from "../../../src/orders/index.ts";
import { fixedClock } from "../../../src/shared/clock.ts";
import { makeCharge, makeDispute } from "../../support/builders/ledger.ts";
import { makeOrder } from "../../support/builders/orders.ts";
import { makeSubscriptionState } from "../../support/builders/subscriptions.ts";

export const TODAY = "2026-06-15";

/** The configuration the browser suite's server (and its seed) runs with: any free port on loopback. */
export const e2eConfig = (): Config => testConfig({ PORT: "0", HOST: "127.0.0.1" });
const FIRST_DAY = "2025-12-01";

const PRODUCTS = [
  { sku: "TEA-SENCHA", name: "Sencha green tea", priceAmount: 1800, unitCostAmount: 700, stockOnHand: 140 },
  { sku: "TEA-EARL", name: "Earl Grey loose leaf", priceAmount: 1500, unitCostAmount: 500, stockOnHand: 4 },
  { sku: "MUG-STONE", name: "Stoneware mug", priceAmount: 2400, unitCostAmount: null, stockOnHand: 0 },
  {
    sku: "KETTLE-PRO",
    name: "Gooseneck kettle",
    priceAmount: 8900,
    unitCostAmount: 4100,
    stockOnHand: 0,
    allowPreorder: true,
    preorderLimit: 30,
    preorderShipDate: "2026-07-20",
  },
  { sku: "SUB-BOX", name: "Tasting box", priceAmount: 3200, unitCostAmount: 1900, stockOnHand: 60 },
];

/**
 * Six months of deterministic shop, ledger and subscription data ending on TODAY (the test clock),
 * inserted through the services where they exist and the analytics row factories for history,
 * then snapshots and the data-quality checks, like the worker would.
 */
export async function seedStaffData(ctx: AppContext): Promise<void> {
  await seedDemoUsers(ctx, systemActor);
  const productIds: number[] = [];
  for (const p of PRODUCTS) {
    productIds.push((await createProduct(ctx, { ...p, currency: "usd" }, cliActor)).id);
  }
  let day = FIRST_DAY;
  let n = 0;
  while (day <= TODAY) {
    const perDay = 2 + (n % 4) + (n % 7 === 0 ? 3 : 0);
    for (let k = 0; k < perDay; k++) {
      n += 1;
      const productId = productIds[(n * 7 + k) % productIds.length]!;
      const price = PRODUCTS[productIds.indexOf(productId)]!.priceAmount;
      const quantity = 1 + ((n + k) % 3);
      const paidAt = `${day}T${String(8 + ((n * 5) % 12)).padStart(2, "0")}:15:00Z`;
      // Every fourth order is a customer back after about a month (every eighth after two); the rest are new.
      const customerId = n > 241 && n % 8 === 0 ? n - 241 : n > 121 && n % 4 === 0 ? n - 121 : n;
      const overdue = n % 97 === 0;
      const { id: orderId } = await makeOrder(ctx.db, {
        customerId,
        paidAt,
        status: day < addDays(TODAY, -3) && !overdue ? "fulfilled" : "paid",
        lines: [
          {
            productId,
            quantity,
            unitPrice: price,
            unitCost: PRODUCTS[productIds.indexOf(productId)]!.unitCostAmount,
          },
        ],
      });
      const { id: chargeId } = await makeCharge(ctx.db, {
        amount: price * quantity,
        created: paidAt,
        fee: Math.round(30 + price * quantity * 0.029),
      });
      await ctx.db.update(charges).set({ orderId }).where(eq(charges.id, chargeId));
      if (n % 83 === 0)
        await makeDispute(ctx.db, {
          amount: price * quantity,
          created: new Date(new Date(paidAt).getTime() + 5 * 86_400_000),
        });
      if (n % 17 === 0) {
        await ctx.db.insert(refunds).values({
          id: `re_e2e_${n}`,
          chargeId,
          orderId,
          amount: price,
          currency: "usd",
          status: "succeeded",
          reason: ["requested_by_customer", "duplicate", "fraudulent"][n % 3]!,
          created: new Date(new Date(paidAt).getTime() + 2 * 86_400_000),
          livemode: false,
          sourceEventCreated: new Date(paidAt),
        });
        await ctx.db.update(orders).set({ amountRefunded: price }).where(eq(orders.id, orderId));
      }
    }
    day = addDays(day, 1);
  }
  await seedSubscriptions(ctx);
  await seedWishlists(ctx, productIds);
  // Checkouts waiting for payment, 10, 35 and 55 minutes old (the TTL is 60 minutes).
  for (const minutes of [10, 35, 55]) {
    const { id: orderId } = await makeOrder(ctx.db, {
      customerId: 9000 + minutes,
      paidAt: null,
      lines: [{ productId: productIds[0]!, quantity: 1, unitPrice: 1800 }],
    });
    const createdAt = new Date(ctx.clock.now().getTime() - minutes * 60_000);
    await ctx.db.update(orders).set({ createdAt, updatedAt: createdAt }).where(eq(orders.id, orderId));
  }
  await ctx.db.insert(stripeEvents).values({
    id: "evt_e2e_failed_1",
    type: "invoice.paid",
    created: new Date("2026-06-14T09:00:00Z"),
    livemode: false,
    payload: { id: "evt_e2e_failed_1", type: "invoice.paid" },
    receivedAt: new Date("2026-06-14T09:00:01Z"),
    status: "failed",
    attempts: 3,
    lastError: "subscription sub_missing is not known yet",
  });
  await buildSnapshots(ctx, { from: FIRST_DAY, to: TODAY }, cliActor);
  await runChecks(ctx);
}

/**
 * Wishlists through the orders service. In the default 30 days (2026-05-17..2026-06-15): five
 * customers add the sold-out mug and one removes it (4 want it now, net +4), three add the kettle
 * on preorder, two the Earl Grey; one has wanted the sencha since March.
 */
async function seedWishlists(ctx: AppContext, productIds: number[]): Promise<void> {
  const [sencha, earl, mug, kettle] = productIds as [number, number, number, number];
  const add = (customerId: number, productId: number, day: string) =>
    addToWishlist({ ...ctx, clock: fixedClock(new Date(`${day}T10:00:00Z`)) }, customerId, { productId });
  await add(4, sencha, "2026-03-01");
  for (const [i, customerId] of [1, 2, 3, 4, 5].entries()) await add(customerId, mug, `2026-06-0${i + 1}`);
  await removeFromWishlist({ ...ctx, clock: fixedClock(new Date("2026-06-10T10:00:00Z")) }, 2, {
    productId: mug,
  });
  for (const customerId of [3, 6, 7]) await add(customerId, kettle, "2026-06-08");
  for (const customerId of [1, 8]) await add(customerId, earl, "2026-06-12");
}

/** The subscription plans of the catalog (MRR by plan names them). */
const PLANS = [
  { id: "price_e2e_starter", productName: "Tea club", nickname: "Starter", unitAmount: 2900 },
  { id: "price_e2e_plus", productName: "Tea club", nickname: "Plus", unitAmount: 4900 },
  { id: "price_e2e_pro", productName: "Tea club", nickname: "Connoisseur", unitAmount: 9900 },
  { id: "price_e2e_extra", productName: "Tea club", nickname: "Extra tin", unitAmount: 2000 },
];

async function seedSubscriptions(ctx: AppContext): Promise<void> {
  await ctx.db
    .insert(plans)
    .values(PLANS.map((p) => ({ ...p, currency: "usd", interval: "month" as const })));
  for (let i = 0; i < 24; i++) {
    const start = addDays(FIRST_DAY, i * 7);
    const sub = { subscriptionId: `sub_e2e_${i}`, customerId: 100 + i };
    const plan = PLANS[i % 3]!.unitAmount;
    const priceId = PLANS[i % 3]!.id;
    await makeSubscriptionState(ctx.db, {
      ...sub,
      created: `${start}T10:00:00Z`,
      status: "active",
      items: [{ unitAmount: plan, priceId }],
    });
    if (i % 5 === 0 && i > 0) {
      const up = addDays(start, 40);
      await makeSubscriptionState(ctx.db, {
        ...sub,
        created: `${up}T10:00:00Z`,
        status: "active",
        items: [
          { unitAmount: plan, priceId },
          { unitAmount: 2000, priceId: "price_e2e_extra" },
        ],
      });
    }
    if (i % 6 === 1) {
      const end = addDays(start, 55);
      await makeSubscriptionState(ctx.db, {
        ...sub,
        created: `${end}T10:00:00Z`,
        status: "canceled",
        canceledAt: `${end}T10:00:00Z`,
        items: [{ unitAmount: plan, priceId }],
      });
    }
  }
}
