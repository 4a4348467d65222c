import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSnapshots, computeConvertedKpis, computeKpis } from "../../src/analytics/index.ts";
import { systemActor } from "../../src/audit/index.ts";
import { importFxRates } from "../../src/flows/index.ts";
import { formatMoney } from "../../src/shared/money.ts";
import { makeCharge } from "../support/builders/ledger.ts";
import { makeSubscriptionState } from "../support/builders/subscriptions.ts";
import { DESKTOP, type E2e, SCREENSHOTS, shoot, signIn, startE2e } from "./support/app.ts";

// The seeded staff shop sells in USD; this file adds a few weeks of JPY and EUR sales and subscriptions
// and ECB-style rates for them, so the period has data in three currencies.
let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e();
  const db = e2e.ctx.db;
  const rates = ["Date,USD,JPY"];
  for (let d = 1; d <= 15; d++) {
    const day = `2026-06-${String(d).padStart(2, "0")}`;
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) rates.push(`${day},${(1.08 + d / 1000).toFixed(4)},${160 + d}`);
    await makeCharge(db, { amount: 4500 + d * 100, currency: "jpy", created: `${day}T10:00:00Z`, fee: null });
    await makeCharge(db, { amount: 2500, currency: "eur", created: `${day}T11:00:00Z`, fee: null });
  }
  await importFxRates(
    e2e.ctx,
    { text: `${rates.join("\n")}\n2026-05-29,1.0800,160\n`, name: "rates.csv" },
    systemActor,
  );
  await makeSubscriptionState(db, {
    subscriptionId: "sub_jpy_1",
    customerId: 1,
    currency: "jpy",
    items: [{ unitAmount: 3000 }],
    created: "2026-06-02T09:00:00Z",
    status: "active",
  });
  await buildSnapshots(e2e.ctx, { from: "2026-05-01", to: "2026-06-15", timezone: "UTC" }, systemActor);
});
afterAll(() => e2e?.stop());

const kpiValue = (page: Page, key: string) => page.locator(`[data-kpi="${key}"] .value-link`).innerText();
const PERIOD = { from: "2026-05-17", to: "2026-06-15" };

describe("currency picker: All currencies", () => {
  it("opens on All currencies (in USD) when the period has several currencies, with the converted figures and their records", async () => {
    const page = await signIn(e2e, "analyst", DESKTOP);
    await page.goto("/dashboard");
    const picker = page.locator('.range-selector select[name="currency"]');
    await expect(picker.inputValue()).resolves.toBe("all");
    await expect(picker.locator("option:checked").innerText()).resolves.toBe("All currencies (in USD)");
    const all = await computeConvertedKpis(e2e.ctx, PERIOD);
    expect(all.fx.missing).toEqual([]);
    await expect(kpiValue(page, "gross_revenue")).resolves.toBe(formatMoney(all.gross_revenue!, "usd"));
    await expect(kpiValue(page, "mrr")).resolves.toBe(formatMoney(all.mrr!, "usd"));
    const usd = await computeKpis(e2e.ctx, { ...PERIOD, currency: "usd" });
    expect(all.gross_revenue!).toBeGreaterThan(usd.gross_revenue);
    await shoot(page, "executive-all-currencies");
    mkdirSync("docs/screenshots", { recursive: true });
    copyFileSync(
      join(SCREENSHOTS, "executive-all-currencies.png"),
      join("docs/screenshots", "executive-all-currencies.png"),
    );

    // The converted card opens every currency's charges, each with its rate and converted amount.
    await Promise.all([
      page.waitForURL(/currency=all/),
      page.locator('[data-kpi="gross_revenue"] .value-link').click(),
    ]);
    await expect(page.locator("[data-matches]").getAttribute("data-matches")).resolves.toBe("true");
    await expect(page.locator("[data-sum]").getAttribute("data-sum")).resolves.toBe(
      String(all.gross_revenue),
    );
    await shoot(page, "records-all-currencies-gross-revenue", { fullPage: false });
    // 50 rows a page: the pages lead on to the yen charges, the sum still covering every row.
    const jpyCells = page.locator(".converted-records td", { hasText: "JPY" });
    for (let n = 1; (await jpyCells.count()) === 0; n++) {
      await expect(page.locator(".pagination .muted").textContent()).resolves.toContain(`page ${n} of`);
      await Promise.all([
        page.waitForURL(new RegExp(`page=${n + 1}`)),
        page.locator('.pagination a[rel="next"]').click(),
      ]);
      await expect(page.locator("[data-sum]").getAttribute("data-sum")).resolves.toBe(
        String(all.gross_revenue),
      );
    }
    await jpyCells.first().scrollIntoViewIfNeeded();
    await shoot(page, "records-all-currencies-gross-revenue-jpy", { fullPage: false });
    copyFileSync(
      join(SCREENSHOTS, "records-all-currencies-gross-revenue.png"),
      join("docs/screenshots", "records-all-currencies-gross-revenue.png"),
    );
    await page.goto("/dashboard");

    await picker.selectOption("usd");
    await Promise.all([page.waitForURL(/currency=usd/), page.locator(".range-form button").click()]);
    await expect(kpiValue(page, "gross_revenue")).resolves.toBe(formatMoney(usd.gross_revenue, "usd"));
    await expect(picker.locator("option:checked").innerText()).resolves.toBe("USD");
  });

  it("opens the subscriptions, products and ops dashboards on All currencies (in USD) too", async () => {
    const page = await signIn(e2e, "analyst", DESKTOP);
    const all = await computeConvertedKpis(e2e.ctx, PERIOD);
    const picked = () => page.locator('.range-selector select[name="currency"] option:checked').innerText();
    await page.goto("/dashboard/subscriptions");
    await expect(picked()).resolves.toBe("All currencies (in USD)");
    await expect(kpiValue(page, "mrr")).resolves.toBe(formatMoney(all.mrr!, "usd"));
    await expect(page.locator(".movements-table th", { hasText: "FX" }).count()).resolves.toBe(1);
    await shoot(page, "subscriptions-all-currencies");
    copyFileSync(
      join(SCREENSHOTS, "subscriptions-all-currencies.png"),
      join("docs/screenshots", "subscriptions-all-currencies.png"),
    );
    // A bucket's FX cell opens the days' revaluations of the yen MRR, adding up to the cell.
    await page.locator('.movements-table a[href*="/records/mrr_movements.fx?"]').last().click();
    await expect(page.locator("h1").innerText()).resolves.toBe(
      "FX movement in all currencies: the records behind it",
    );
    await expect(page.locator("[data-matches]").getAttribute("data-matches")).resolves.toBe("true");
    await expect(page.locator(".converted-records tbody tr").count()).resolves.toBeGreaterThan(0);
    await shoot(page, "records-all-currencies-fx-movement", { fullPage: false });
    copyFileSync(
      join(SCREENSHOTS, "records-all-currencies-fx-movement.png"),
      join("docs/screenshots", "records-all-currencies-fx-movement.png"),
    );
    // A rate's card opens its starting customers: converted MRR at start → at end, Σ ÷ Σ = the card.
    await page.goto("/dashboard/subscriptions");
    await Promise.all([
      page.waitForURL(/net_revenue_retention/),
      page.locator('[data-kpi="net_revenue_retention"] .value-link').click(),
    ]);
    await expect(page.locator("[data-matches]").getAttribute("data-matches")).resolves.toBe("true");
    await expect(
      page.locator(".converted-records th", { hasText: "MRR at start → at end" }).count(),
    ).resolves.toBe(1);
    await shoot(page, "records-all-currencies-nrr", { fullPage: false });
    copyFileSync(
      join(SCREENSHOTS, "records-all-currencies-nrr.png"),
      join("docs/screenshots", "records-all-currencies-nrr.png"),
    );
    await page.goto("/dashboard/products");
    await expect(picked()).resolves.toBe("All currencies (in USD)");
    await expect(page.locator("h1 + p").innerText()).resolves.toContain("converted into USD");
    await shoot(page, "products-all-currencies");
    // A product's converted revenue opens its sales of each day and currency with their rates.
    await Promise.all([
      page.waitForURL(/product_revenue/),
      page.locator('a[href*="/records/product_revenue?"][href*="currency=all"]:visible').first().click(),
    ]);
    await expect(page.locator("[data-matches]").getAttribute("data-matches")).resolves.toBe("true");
    await shoot(page, "records-all-currencies-product-revenue", { fullPage: false });
    await page.goto("/dashboard/ops");
    await expect(picked()).resolves.toBe("All currencies (in USD)");
    await shoot(page, "ops-all-currencies");
  });
});
