import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeKpis } from "../../src/analytics/index.ts";
import { formatMoney } from "../../src/shared/money.ts";
import { DESKTOP, type E2e, PHONE, SCREENSHOTS, shoot, signIn, startE2e } from "./support/app.ts";

// The test clock is 2026-06-15 12:00 UTC (reporting zone UTC): "today" is Monday 15 June 2026.
let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e();
});
afterAll(() => e2e?.stop());

/** Keep a screenshot as the documented one of its page. */
function publish(name: string): void {
  mkdirSync("docs/screenshots", { recursive: true });
  copyFileSync(join(SCREENSHOTS, `${name}.png`), join("docs/screenshots", `${name}.png`));
}

const label = (page: Page) => page.locator(".period-label").innerText();
const kpiValue = (page: Page, key: string) => page.locator(`[data-kpi="${key}"] .value-link`).innerText();

describe("date presets and the comparison period", () => {
  it("a preset click changes the range, the comparison label and the figures", async () => {
    const page = await signIn(e2e, "analyst", DESKTOP);
    await page.goto("/dashboard");
    await expect(label(page)).resolves.toBe(
      "30 days: 17 May – 15 Jun 2026 · compared with the previous 30 days (17 Apr – 16 May 2026)",
    );

    await page.locator('.range-selector a[data-preset="mtd"]').click();
    await page.waitForURL("**/dashboard?preset=mtd");
    await expect(page.locator('a[data-preset="mtd"]').getAttribute("aria-current")).resolves.toBe("true");
    await expect(label(page)).resolves.toBe(
      "Month to date: 1 Jun – 15 Jun 2026 · compared with the same days last month (1 May – 15 May 2026)",
    );
    const mtd = await computeKpis(e2e.ctx, { from: "2026-06-01", to: "2026-06-15", currency: "usd" });
    await expect(kpiValue(page, "gross_revenue")).resolves.toBe(formatMoney(mtd.gross_revenue, "usd"));
    // every card is compared with the named period
    await expect(page.locator('[data-kpi="gross_revenue"] .delta').innerText()).resolves.toContain(
      "vs 1 May – 15 May 2026",
    );

    await page.locator('.range-selector a[data-preset="last_month"]').click();
    await page.waitForURL("**/dashboard?preset=last_month");
    await expect(label(page)).resolves.toBe(
      "Last month: 1 May – 31 May 2026 · compared with the month before (1 Apr – 30 Apr 2026)",
    );
    const may = await computeKpis(e2e.ctx, { from: "2026-05-01", to: "2026-05-31", currency: "usd" });
    await expect(kpiValue(page, "gross_revenue")).resolves.toBe(formatMoney(may.gross_revenue, "usd"));

    await page.locator('.range-selector a[data-preset="ytd"]').click();
    await page.waitForURL("**/dashboard?preset=ytd");
    await expect(label(page)).resolves.toBe(
      "Year to date: 1 Jan – 15 Jun 2026 · compared with the same days last year (1 Jan – 15 Jun 2025)",
    );
    await page.context().close();
  });

  it("old links with range= still work and editing the dates turns the range custom", async () => {
    const page = await signIn(e2e, "analyst", DESKTOP);
    await page.goto("/dashboard?range=7");
    await expect(page.locator('a[data-preset="7"]').getAttribute("aria-current")).resolves.toBe("true");
    await page.locator('input[name="from"]').fill("2026-05-04");
    await page.locator('input[name="to"]').fill("2026-05-10");
    await Promise.all([
      page.waitForURL("**/dashboard?**from=2026-05-04**"),
      page.getByRole("button", { name: "Apply" }).click(),
    ]);
    await expect(label(page)).resolves.toBe(
      "4 May – 10 May 2026 · compared with the previous 7 days (27 Apr – 3 May 2026)",
    );
    await page.context().close();
  });
});

describe("grain switch", () => {
  it("switches the charts' buckets and marks cut and running ones", async () => {
    const page = await signIn(e2e, "analyst", DESKTOP);
    await page.goto("/dashboard?preset=90");
    // 90 days default to weeks: 18 March 2026 is a Wednesday, so the first week is a part
    await expect(page.locator('a[data-grain="week"]').getAttribute("aria-current")).resolves.toBe("true");
    const firstPeriod = () =>
      page.locator(".chart-figure table tbody tr:first-child > :first-child").first().textContent();
    await expect(firstPeriod()).resolves.toBe("w/c 18 Mar 2026 (part)");

    await page.locator('a[data-grain="month"]').click();
    await page.waitForURL("**/dashboard?preset=90&grain=month");
    await expect(page.locator('a[data-grain="month"]').getAttribute("aria-current")).resolves.toBe("true");
    const periods = await page
      .locator(".chart-figure")
      .first()
      .locator("table tbody tr > :first-child")
      .allTextContents();
    expect(periods).toEqual(["Mar 2026 (part)", "Apr 2026", "May 2026", "Jun 2026 (so far)"]);
    await expect(page.locator(".chart-note").first().innerText()).resolves.toContain("not over yet");

    // the grain is kept when another preset is chosen
    await page.locator('.range-selector a[data-preset="ytd"]').click();
    await page.waitForURL("**/dashboard?preset=ytd&grain=month");
    await page.context().close();
  });
});

describe("subscriptions dashboard", () => {
  it("shows the MRR trend, MRR by plan, movements for the chosen dates and both cohort kinds", async () => {
    const page = await signIn(e2e, "analyst", DESKTOP);
    await page.goto("/dashboard/subscriptions?preset=12m");
    for (const section of ["mrr-trend", "mrr-by-plan", "movements", "subscriber-cohorts", "order-cohorts"])
      await expect(page.locator(`[data-section="${section}"]`).isVisible()).resolves.toBe(true);
    await page.waitForSelector('[data-section="mrr-trend"] [data-chart][data-rendered]', { timeout: 10_000 });

    // MRR by plan adds up to the MRR card
    const kpis = await computeKpis(e2e.ctx, { from: "2025-07-01", to: "2026-06-15", currency: "usd" });
    await expect(kpiValue(page, "mrr")).resolves.toBe(formatMoney(kpis.mrr, "usd"));
    const planRows = page.locator('[data-section="mrr-by-plan"] table tbody tr');
    const names = await planRows.locator("> :first-child").allTextContents();
    expect(names).toContain("Tea club · Connoisseur");
    expect(names).toContain("Tea club · Extra tin");

    // movements follow the chosen dates: 12 months by month, the running one marked
    const months = await page.locator(".movements-table tbody tr > :first-child").allTextContents();
    expect(months[0]).toBe("Jul 2025");
    expect(months.at(-1)).toBe("Jun 2026 (so far)");
    // cohorts of subscribers (two measures) beside the order cohorts, the running month marked
    await expect(page.locator('[data-heatmap="subscribers-subscribers"]').isVisible()).resolves.toBe(true);
    await expect(page.locator('[data-heatmap="subscribers-mrr"]').isVisible()).resolves.toBe(true);
    await expect(page.locator('[data-heatmap="orders"]').isVisible()).resolves.toBe(true);
    expect(await page.locator('[data-heatmap="subscribers-subscribers"] td.so-far').count()).toBeGreaterThan(
      0,
    );

    // a shorter range moves the movements chart with it
    await page.locator('.range-selector a[data-preset="30"]').click();
    await page.waitForURL("**/dashboard/subscriptions?preset=30");
    const days = await page.locator(".movements-table tbody tr > :first-child").allTextContents();
    expect(days).toHaveLength(30);
    expect(days[0]).toBe("17 May 2026");
    expect(days.at(-1)).toBe("15 Jun 2026 (so far)");
    await page.context().close();
  });
});

describe("a currency without data", () => {
  it("says so instead of showing zeros and links to the currencies that have data", async () => {
    const page = await signIn(e2e, "analyst", DESKTOP);
    await page.goto("/dashboard/subscriptions?preset=30&currency=jpy");
    await expect(page.locator('[data-no-data="jpy"] h2').innerText()).resolves.toBe(
      "No JPY data in this period",
    );
    await expect(page.locator("[data-kpi]").count()).resolves.toBe(0);
    await expect(page.locator("[data-chart]").count()).resolves.toBe(0);
    await Promise.all([
      page.waitForURL("**/dashboard/subscriptions?preset=30&currency=usd"),
      page.locator('[data-no-data="jpy"] a', { hasText: "USD" }).click(),
    ]);
    await expect(page.locator('[data-kpi="mrr"]').isVisible()).resolves.toBe(true);
    await page.context().close();
  });
});

describe("screenshots of the executive and subscriptions dashboards", () => {
  it("desktop 1440×900 and phone 390×844", async () => {
    for (const [viewport, suffix] of [
      [DESKTOP, ""],
      [PHONE, "-phone"],
    ] as const) {
      const page = await signIn(e2e, "analyst", viewport);
      await page.goto("/dashboard?preset=90");
      await shoot(page, `executive-dashboard${suffix}`, { fullPage: suffix !== "" });
      publish(`executive-dashboard${suffix}`);
      await page.goto("/dashboard/subscriptions?preset=12m");
      await shoot(page, `subscriptions-dashboard${suffix}`);
      publish(`subscriptions-dashboard${suffix}`);
      // nothing wider than the screen on a phone
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.context().close();
    }
  });
});
