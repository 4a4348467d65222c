import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeKpis } from "../../src/analytics/index.ts";
import { listAuditEvents } from "../../src/audit/index.ts";
import { getIssue } from "../../src/monitoring/index.ts";
import { formatMoney } from "../../src/shared/money.ts";
import { type E2e, PHONE, shoot, signIn, startE2e } from "./support/app.ts";

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e();
});
afterAll(() => e2e?.stop());

const MONEY = new Set([
  "net_revenue",
  "gross_revenue",
  "refunds",
  "disputes",
  "disputes_lost",
  "aov",
  "mrr",
  "arr",
  "arpa",
]);
const RATES = new Set([
  "repeat_customer_rate",
  "customer_churn_rate",
  "revenue_churn_rate",
  "net_revenue_retention",
  "gross_revenue_retention",
]);

/** The display rule written out independently of the views: money in USD, rates as 1-decimal percent. */
function expectedText(key: string, value: number | null): string {
  if (value === null) return "—";
  if (MONEY.has(key)) return formatMoney(value, "usd");
  if (RATES.has(key)) return `${(value * 100).toFixed(1)}%`;
  return value.toLocaleString("en-US");
}

describe("executive dashboard in the browser", () => {
  // The test clock is 2026-06-15 12:00 UTC: "N days" ends on 2026-06-15 and starts N − 1 days before.
  const PERIODS = [
    { range: "7", from: "2026-06-09" },
    { range: "30", from: "2026-05-17" },
    { range: "90", from: "2026-03-18" },
  ];

  it.each(PERIODS)(
    "shows the same numbers as `revintel kpis` for the last $range days",
    async ({ range, from }) => {
      const page = await signIn(e2e, "analyst");
      await page.goto("/dashboard");
      await page.locator(`.range-selector a[data-preset="${range}"]`).click();
      await page.waitForURL(`**/dashboard?preset=${range}*`);
      await expect(
        page.locator(`.range-selector a[data-preset="${range}"]`).getAttribute("aria-current"),
      ).resolves.toBe("true");
      const kpis = await computeKpis(e2e.ctx, {
        from,
        to: "2026-06-15",
        currency: "usd",
        timezone: "UTC",
        livemode: false,
      });
      const cards = await page.locator("[data-kpi]").evaluateAll((els) =>
        els.map((el) => {
          const value = el.querySelector(".value-link");
          return {
            key: el.getAttribute("data-kpi")!,
            raw: value?.getAttribute("data-value") ?? "",
            text: value?.textContent?.trim() ?? "",
          };
        }),
      );
      expect(cards.map((c) => c.key)).toEqual([
        "net_revenue",
        "gross_revenue",
        "refunds",
        "disputes",
        "disputes_lost",
        "orders",
        "aov",
        "new_customers",
        "repeat_customer_rate",
        "mrr",
        "arr",
        "customer_churn_rate",
        "net_revenue_retention",
        "gross_revenue_retention",
      ]);
      for (const card of cards) {
        const value = kpis[card.key as keyof typeof kpis] as number | null;
        expect(card.raw, card.key).toBe(value === null ? "" : String(value));
        expect(card.text, card.key).toBe(expectedText(card.key, value));
      }
      expect(kpis.orders).toBeGreaterThan(0); // the seed has orders every day: an empty page would not prove much
      await shoot(page, `analyst-dashboard-${range}d`);
      await page.context().close();
    },
  );

  it("can be driven from the keyboard: skip link, then the 7-day preset with Enter", async () => {
    const page = await signIn(e2e, "analyst");
    await page.goto("/dashboard");
    await page.keyboard.press("Tab");
    await expect(page.evaluate(() => document.activeElement?.textContent?.trim())).resolves.toBe(
      "Skip to content",
    );
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press("Tab");
      if (await page.evaluate(() => document.activeElement?.getAttribute("data-preset") === "7")) break;
    }
    await page.keyboard.press("Enter");
    await page.waitForURL("**/dashboard?preset=7*");
    await page.context().close();
  });

  it("opens a KPI's definition from its card", async () => {
    const page = await signIn(e2e, "analyst");
    await page.goto("/dashboard");
    // The value opens the records behind it (drilldown.test.ts); the ⓘ beside the label, the definition.
    await page.locator('[data-kpi="net_revenue"] h3 a').click();
    await page.waitForURL("**/docs/kpis#net_revenue");
    await expect(page.locator("h1").first().textContent()).resolves.toMatch(/KPI/);
    await expect(page.locator("#net_revenue").count()).resolves.toBe(1);
    await shoot(page, "analyst-docs-kpis");
    await page.context().close();
  });
});

describe("products dashboard in the browser", () => {
  const cells = (page: Page) =>
    page
      .locator("#wishlist-demand tbody tr")
      .evaluateAll((rows) =>
        rows.map((tr) => Array.from(tr.querySelectorAll("th, td"), (c) => c.textContent?.trim() ?? "")),
      );

  it("shows wishlist demand for the last 30 days, the sold-out mug first and flagged", async () => {
    const page = await signIn(e2e, "analyst");
    await page.goto("/dashboard/products");
    const panel = page.getByRole("region", { name: "Wishlist demand" });
    await expect(panel.isVisible()).resolves.toBe(true);
    await expect(panel.locator(".alert-warn").textContent()).resolves.toBe(
      "Wanted but not available: Stoneware mug (4 waiting)",
    );
    // Mug units on orders paid 2026-05-17..2026-06-15, straight from the order tables.
    const { rows } = (await e2e.ctx.db.execute(
      sql`SELECT coalesce(sum(l.quantity), 0)::int AS units FROM order_lines l JOIN orders o ON o.id = l.order_id
          JOIN products p ON p.id = l.product_id
          WHERE p.sku = 'MUG-STONE' AND o.paid_at >= '2026-05-17T00:00:00Z' AND o.paid_at < '2026-06-16T00:00:00Z'`,
    )) as unknown as { rows: Array<{ units: number }> };
    const mugUnits = rows[0]!.units;
    expect(mugUnits).toBeGreaterThan(0);
    // The seed: mug 5 added, 1 removed (4 now); kettle 3 added; Earl Grey 2 added; sencha since March.
    const table = await cells(page);
    expect(table.map((r) => r.slice(0, 8))).toEqual([
      ["Stoneware mug MUG-STONE", "4", "+4", "out of stock", "5", "1", "0", "0"],
      ["Gooseneck kettle KETTLE-PRO", "3", "+3", "preorder", "3", "0", "0", "0"],
      ["Earl Grey loose leaf TEA-EARL", "2", "+2", "low stock", "2", "0", "0", "0"],
      ["Sencha green tea TEA-SENCHA", "1", "0", "in stock", "0", "0", "0", "0"],
    ]);
    expect(table[0]![8]).toBe(mugUnits.toLocaleString("en-US"));
    await panel.scrollIntoViewIfNeeded();
    await shoot(page, "analyst-dashboard-products-wishlist", { fullPage: false });
    await page.context().close();
  });

  it("keeps the wishlist panel readable on a phone (390 px) without sideways scrolling", async () => {
    const page = await signIn(e2e, "ops", PHONE);
    await page.goto("/dashboard/products");
    await expect(page.getByRole("region", { name: "Wishlist demand" }).isVisible()).resolves.toBe(true);
    await expect(cells(page).then((rows) => rows.length)).resolves.toBe(4);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.locator("#wishlist-demand").scrollIntoViewIfNeeded();
    await shoot(page, "ops-dashboard-products-phone-wishlist", { fullPage: false });
    await page.context().close();
  });
});

describe("staff workflows in the browser", () => {
  it("runs a finance export as the analyst and records it in the audit log", async () => {
    const page = await signIn(e2e, "analyst");
    await page.goto("/exports");
    const form = page.locator('form[action="/exports/finance.zip"]');
    await form.locator('input[name="from"]').fill("2026-06-01");
    await form.locator('input[name="to"]').fill("2026-06-15");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      form.getByRole("button", { name: "Download zip" }).click(),
    ]);
    const file = await download.path();
    const zip = readFileSync(file!);
    expect(zip.subarray(0, 2).toString()).toBe("PK");
    // The page said it was working, then names the file it saved.
    await form.locator('.download-status[data-state="done"]').waitFor();
    await expect(form.locator(".download-status").textContent()).resolves.toMatch(
      /^Done: finance_2026-06-01_2026-06-15\.zip \(\d+ kB\) saved\.$/,
    );
    await expect(form.getByRole("button", { name: "Download zip" }).isEnabled()).resolves.toBe(true);
    await shoot(page, "analyst-exports-downloaded");
    const { rows } = await listAuditEvents(e2e.ctx, { action: "export.finance" });
    expect(rows[0]?.after).toMatchObject({ from: "2026-06-01", to: "2026-06-15" });
    await page.context().close();
  });

  it("resolves a data-quality issue as ops", async () => {
    const page = await signIn(e2e, "ops");
    await page.goto("/dashboard/ops");
    const link = page.locator("#exceptions a[href^='/monitoring/issues/']").first();
    const href = (await link.getAttribute("href"))!;
    const id = Number(href.split("/").pop());
    await link.click();
    await page.getByLabel(/Note/).fill("Replayed the event after the subscription arrived.");
    await page.getByRole("button", { name: "Resolve" }).click();
    await page.waitForLoadState("networkidle");
    await shoot(page, "ops-monitoring-issue-resolved");
    expect((await getIssue(e2e.ctx, id)).status).toBe("resolved");
    await page.context().close();
  });

  it("filters the audit viewer by action and date, and verifies the chain", async () => {
    const page = await signIn(e2e, "admin");
    await page.goto("/audit");
    await expect(page.locator('[data-chain="ok"]').textContent()).resolves.toContain("intact");
    await page.getByLabel("Action").fill("product.create");
    await page.getByLabel("From (UTC)").fill("2026-06-15");
    await page.getByLabel("To (UTC)").fill("2026-06-15");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL("**/audit?*action=product.create*");
    const actions = await page.locator(".audit-table tbody tr td:nth-child(4)").allTextContents();
    // The seed creates five products through the catalog service on the test day.
    expect(actions).toEqual(Array(5).fill("product.create"));
    await shoot(page, "admin-audit-filtered");
    const csv = await page.request.get(`/audit/export.csv?action=product.create`);
    expect((await csv.text()).trimEnd().split("\r\n")).toHaveLength(6);
    await page.context().close();
  });

  it("changes a user's role from the users admin page", async () => {
    const page = await signIn(e2e, "admin");
    await page.goto("/admin/users");
    const row = page.locator("tr", { hasText: "Ana Analyst" });
    await row.getByLabel(/Role of/).selectOption("ops");
    await row.getByRole("button", { name: "Change role" }).click();
    await expect(page.locator(".alert-ok").textContent()).resolves.toContain("Role changed");
    const { rows } = await listAuditEvents(e2e.ctx, { action: "user.set_role" });
    expect(rows[0]).toMatchObject({ before: { role: "analyst" }, after: { role: "ops" } });
    await page.context().close();
  });
});
