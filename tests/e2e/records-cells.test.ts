import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliActor } from "../../src/audit/index.ts";
import { adjustStock, listProducts, reserveStock } from "../../src/catalog/index.ts";
import { makeOrder } from "../support/builders/orders.ts";
import { DESKTOP, type E2e, PHONE, shoot, signIn, startE2e } from "./support/app.ts";

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e();
});
afterAll(() => e2e?.stop());

/** The records page's own statement of its figure and of what its rows make. */
async function summary(page: import("playwright-core").Page) {
  const read = (attr: string) => page.locator(`[data-${attr}]`).first().getAttribute(`data-${attr}`);
  return {
    figure: await read("figure"),
    sum: await read("sum"),
    rows: await read("rows"),
    matches: await read("matches"),
  };
}

/** Each viewport's page, signed in as `role`, the page's width overflow checked after `visit`. */
async function onEachViewport(
  role: "analyst" | "ops",
  visit: (page: import("playwright-core").Page, shot: string) => Promise<void>,
) {
  for (const viewport of [DESKTOP, PHONE]) {
    const page = await signIn(e2e, role, viewport);
    await visit(page, viewport === DESKTOP ? "desktop" : "phone");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.context().close();
  }
}

describe("table cells open their records", () => {
  it("an order-cohort share opens the cohort's customers, whose share is the cell", async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const page = await signIn(e2e, "analyst", viewport);
      await page.goto("/dashboard/subscriptions?preset=12m");
      const cell = page.locator('[data-heatmap="orders"] a[href*="/records/cohort_retention"]').nth(1);
      const shown = (await cell.textContent())!.trim();
      await Promise.all([page.waitForURL(/\/records\/cohort_retention/), cell.click()]);
      const s = await summary(page);
      // The cell's percentage is the records' share (figure = Σ value ÷ Σ denominator).
      expect(`${(Number(s.figure) * 100).toFixed(1)}%`).toBe(shown);
      expect(Number(s.rows)).toBeGreaterThan(0);
      await shoot(page, `analyst-records-cohort-${viewport === DESKTOP ? "desktop" : "phone"}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.context().close();
    }
  });

  it("a subscriber-cohort share opens the cohort's customers, whose share is the cell", async () => {
    await onEachViewport("analyst", async (page, shot) => {
      await page.goto("/dashboard/subscriptions?preset=12m&currency=usd");
      const cell = page
        .locator('[data-heatmap="subscribers-subscribers"] a[href*="/records/subscriber_cohort"]')
        .nth(1);
      const shown = (await cell.textContent())!.trim();
      await Promise.all([page.waitForURL(/\/records\/subscriber_cohort\?/), cell.click()]);
      const s = await summary(page);
      expect(`${(Number(s.figure) * 100).toFixed(1)}%`).toBe(shown);
      expect([Number(s.rows) > 0, s.matches]).toEqual([true, "true"]);
      expect(await page.locator("h1").textContent()).toMatch(
        /^Subscriber cohort .+, subscribers still paying:/,
      );
      await shoot(page, `analyst-records-subscriber-cohort-${shot}`);
    });
  });

  it("a margin % on the product dashboard opens the lines whose cost is known, making the share", async () => {
    await onEachViewport("analyst", async (page, shot) => {
      await page.goto("/dashboard/products?preset=90&currency=usd");
      const cell = page.locator('a[href*="/records/product_margin_rate"]').first();
      const shown = (await cell.textContent())!.trim();
      await Promise.all([page.waitForURL(/\/records\/product_margin_rate/), cell.click()]);
      const s = await summary(page);
      expect(`${(Number(s.figure) * 100).toFixed(1)}%`).toBe(shown);
      expect([Number(s.rows) > 0, s.matches]).toEqual([true, "true"]);
      await shoot(page, `analyst-records-margin-rate-${shot}`);
    });
  });

  it("a product's preorders in the stock table open its stock movements, which add up to them", async () => {
    // The kettle (preorder, limit 30, none in stock): 12 delivered, then an order of 20 takes it 8 below zero.
    const kettle = (await listProducts(e2e.ctx, {})).find((p) => p.sku === "KETTLE-PRO")!;
    await adjustStock(e2e.ctx, kettle.id, { delta: 12, reason: "first delivery" }, cliActor);
    const order = await makeOrder(e2e.ctx.db, { paidAt: null, amountTotal: 178_000 });
    await e2e.ctx.db.transaction((tx) =>
      reserveStock(tx, { productId: kettle.id, quantity: 20, orderId: order.id, at: e2e.ctx.clock.now() }),
    );
    await onEachViewport("ops", async (page, shot) => {
      await page.goto("/dashboard/products?preset=30&currency=usd");
      const cell = page.locator('tr:has-text("Gooseneck kettle") a[href*="/records/stock_preorders"]');
      expect((await cell.textContent())!.trim()).toBe("8");
      await Promise.all([page.waitForURL(/\/records\/stock_preorders/), cell.click()]);
      const s = await summary(page);
      expect(s).toEqual({ figure: "8", sum: "8", rows: "2", matches: "true" });
      expect(await page.locator("h1").textContent()).toContain("Units sold on preorder, Gooseneck kettle");
      await shoot(page, `ops-records-stock-preorders-${shot}`);
    });
  });

  it("a refund reason's amount on the ops dashboard opens that reason's refunds", async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const page = await signIn(e2e, "ops", viewport);
      await page.goto("/dashboard/ops?preset=90");
      const cell = page.locator('#refunds a[href*="/records/refunds_by_reason"]').nth(1);
      const shown = (await cell.textContent())!.trim();
      await Promise.all([page.waitForURL(/\/records\/refunds_by_reason/), cell.click()]);
      const s = await summary(page);
      expect(s.sum).toBe(s.figure);
      expect(`$${(Number(s.sum) / 100).toFixed(2)}`).toBe(shown.replace(/,/g, ""));
      await shoot(page, `ops-records-refund-reason-${viewport === DESKTOP ? "desktop" : "phone"}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.context().close();
    }
  });
});
