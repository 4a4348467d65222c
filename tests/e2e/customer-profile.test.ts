import { eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSnapshots } from "../../src/analytics/index.ts";
import { audit, cliActor, systemActor } from "../../src/audit/index.ts";
import { orders } from "../../src/db/schema.ts";
import { addToWishlist, orderNumberFor } from "../../src/orders/index.ts";
import { fixedClock } from "../../src/shared/clock.ts";
import { makeCustomer } from "../support/builders/customers.ts";
import { makeCharge, makeRefund } from "../support/builders/ledger.ts";
import { makeIssue } from "../support/builders/monitoring.ts";
import { makeOrder } from "../support/builders/orders.ts";
import { makeSubscription, makeSubscriptionState } from "../support/builders/subscriptions.ts";
import { DESKTOP, type E2e, PHONE, shoot, signIn, startE2e } from "./support/app.ts";

let e2e: E2e;
let customerId: number;

/**
 * Mina: three orders (one partly refunded), a subscription that started at 29.00, grew to 49.00 and
 * came down to 39.00, a wished product, an issue about one of her orders and an audit event on it.
 */
async function seedMina(): Promise<void> {
  const { ctx } = e2e;
  const mina = await makeCustomer(ctx.db, {
    name: "Mina Okafor",
    email: "mina.okafor@example.test",
    country: "NG",
    stripeCustomerId: "cus_e2e_mina",
    createdAt: "2025-12-20T09:00:00Z",
  });
  customerId = mina.id;
  const orderIds: number[] = [];
  for (const [i, paidAt] of [
    "2026-01-12T10:00:00Z",
    "2026-03-28T15:30:00Z",
    "2026-06-02T08:45:00Z",
  ].entries()) {
    const order = await makeOrder(ctx.db, { customerId, paidAt, amountTotal: 2400 + i * 1500 });
    await ctx.db
      .update(orders)
      .set({ number: orderNumberFor(order.id) })
      .where(eq(orders.id, order.id));
    const charge = await makeCharge(ctx.db, {
      orderId: order.id,
      stripeCustomerId: "cus_e2e_mina",
      amount: order.amountTotal,
      amountCaptured: order.amountTotal,
      created: paidAt,
    });
    if (i === 1) await makeRefund(ctx.db, { chargeId: charge.id, orderId: order.id, amount: 900 });
    orderIds.push(order.id);
  }
  const sub = await makeSubscription(ctx.db, {
    customerId,
    stripeCustomerId: "cus_e2e_mina",
    created: "2026-01-05T10:00:00Z",
    mrr: 3900,
  });
  const states: Array<[string, number]> = [
    ["2026-01-05T10:00:00Z", 2900],
    ["2026-03-10T10:00:00Z", 4900],
    ["2026-05-02T10:00:00Z", 3900],
  ];
  for (const [created, unitAmount] of states)
    await makeSubscriptionState(ctx.db, {
      subscriptionId: sub.id,
      customerId,
      stripeCustomerId: "cus_e2e_mina",
      created,
      status: "active",
      items: [{ unitAmount }],
      mrr: unitAmount,
    });
  await addToWishlist({ ...ctx, clock: fixedClock(new Date("2026-06-05T10:00:00Z")) }, customerId, {
    productId: 1,
  });
  await makeIssue(ctx.db, {
    check: "fulfillment-backlog",
    fingerprint: `order:${orderIds[2]}`,
    title: `Order ${orderNumberFor(orderIds[2]!)} is past its fulfilment deadline`,
  });
  await audit(ctx.db, systemActor, "order.fulfill", { type: "order", id: orderIds[0] }, { to: "fulfilled" });
  await buildSnapshots(ctx, { from: "2026-01-01", to: "2026-06-15" }, cliActor);
  // A customer whose name shares a word with a product: search then shows two groups.
  await makeCustomer(ctx.db, {
    name: "Earl Watson",
    email: "earl.watson@example.test",
    stripeCustomerId: null,
  });
}

beforeAll(async () => {
  e2e = await startE2e();
  await seedMina();
}, 180_000);
afterAll(() => e2e?.stop());

async function searchFromTopBar(page: Page, text: string): Promise<void> {
  const box = page.getByLabel("Search orders, customers, Stripe ids and products");
  await box.fill(text);
  await Promise.all([page.waitForURL(/\/(search|customers)/), box.press("Enter")]);
}

/** The page is no wider than the viewport (nothing forces sideways scrolling of the whole page). */
async function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

describe("customer profile reached from search", () => {
  for (const [label, viewport] of [
    ["", DESKTOP],
    ["-phone", PHONE],
  ] as const) {
    it(`searches from the top bar, lists the customer and opens the profile${label ? " on a phone" : ""}`, async () => {
      const page = await signIn(e2e, "ops", viewport);
      await page.goto("/dashboard/ops");
      await searchFromTopBar(page, "mina");
      expect(new URL(page.url()).pathname).toBe("/search");
      const customersGroup = page.locator('[data-kind="customer"]');
      await expect(customersGroup.getByRole("link", { name: "Mina Okafor" }).count()).resolves.toBe(1);
      expect(await pageWidth(page)).toBeLessThanOrEqual(viewport.width);
      await shoot(page, `ops-search-results${label}`);

      await Promise.all([
        page.waitForURL(`**/customers/${customerId}`),
        customersGroup.getByRole("link", { name: "Mina Okafor" }).click(),
      ]);
      await expect(page.locator("h1").textContent()).resolves.toBe("Mina Okafor");
      const text = (await page.locator("main").textContent()) ?? "";
      for (const heading of [
        "Orders",
        "Payments",
        "Refunds",
        "Disputes",
        "Subscriptions",
        "MRR timeline and movements",
        "Wishlist",
        "Data-quality issues",
        "Audit events",
      ])
        expect(text).toContain(heading);
      expect(text).toContain("mina.okafor@example.test");
      expect(text).toContain("expansion");
      expect(text).toContain("contraction");
      expect(await pageWidth(page)).toBeLessThanOrEqual(viewport.width);
      await shoot(page, `ops-customer-profile${label}`);
      await page.context().close();
    }, 60_000);
  }

  it("groups results by kind: customers apart from products", async () => {
    const page = await signIn(e2e, "admin", DESKTOP);
    await page.goto("/dashboard");
    await searchFromTopBar(page, "earl");
    const kinds = await page
      .locator("[data-kind]")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-kind")));
    expect(kinds).toEqual(["customer", "product"]);
    await expect(page.getByRole("link", { name: "Earl Grey loose leaf" }).count()).resolves.toBe(1);
    await shoot(page, "admin-search-results-grouped");
    await page.context().close();
  }, 60_000);

  it("jumps straight to the profile from a Stripe customer id", async () => {
    const page = await signIn(e2e, "ops", DESKTOP);
    await page.goto("/dashboard/ops");
    await searchFromTopBar(page, "cus_e2e_mina");
    expect(new URL(page.url()).pathname).toBe(`/customers/${customerId}`);
    await page.context().close();
  }, 60_000);

  it("shows an analyst the pseudonym instead of the name and e-mail", async () => {
    const page = await signIn(e2e, "analyst", DESKTOP);
    await page.goto(`/customers/${customerId}`);
    const text = (await page.locator("main").textContent()) ?? "";
    expect(text).not.toContain("Mina");
    expect(text).not.toContain("mina.okafor@");
    expect(await page.locator("h1").textContent()).toMatch(/^Customer [0-9a-f]{8}$/);
    await shoot(page, "analyst-customer-profile");
    await page.context().close();
  }, 60_000);
});
