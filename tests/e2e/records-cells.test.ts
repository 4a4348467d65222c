import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESKTOP, type E2e, PHONE, shoot, signIn, startE2e } from "./support/app.ts";

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e();
});
afterAll(() => e2e?.stop());

/** The records page's own statement of its figure and of what its rows make. */
async function summary(page: import("playwright-core").Page) {
  const read = (attr: string) => page.locator(`[data-${attr}]`).first().getAttribute(`data-${attr}`);
  return { figure: await read("figure"), sum: await read("sum"), rows: await read("rows") };
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
