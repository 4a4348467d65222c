import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeKpis, rebuildDirtyDays } from "../../src/analytics/index.ts";
import { systemActor } from "../../src/audit/index.ts";
import { createProduct } from "../../src/catalog/index.ts";
import { createOrderFromCart, getOrder, markOrderPaid } from "../../src/orders/index.ts";
import { refunds } from "../../src/payments/schema.ts";
import { formatMoney } from "../../src/shared/money.ts";
import { makeCustomer } from "../support/builders/customers.ts";
import { makeCharge, makeDispute } from "../support/builders/ledger.ts";
import { DESKTOP, type E2e, PHONE, SCREENSHOTS, shoot, signIn, startE2e } from "./support/app.ts";

let e2e: E2e;
let order: { id: number; number: string };
const DOCS = join(process.cwd(), "docs", "screenshots");

/** Screenshots of the pages this feature adds, kept beside the docs. */
function keep(name: string): void {
  mkdirSync(DOCS, { recursive: true });
  copyFileSync(join(SCREENSHOTS, `${name}.png`), join(DOCS, `${name}.png`));
}

beforeAll(async () => {
  e2e = await startE2e();
  const { ctx } = e2e;
  // A customer who bought two tins of tea today through the shop's checkout, paid by card.
  const customer = await makeCustomer(ctx.db, {
    name: "Ada Lovelace",
    email: "ada.lovelace@example.test",
    createdAt: "2026-06-01T09:00:00Z",
  });
  const tea = await createProduct(
    ctx,
    { sku: "TEA-HOJICHA", name: "Hojicha roasted tea", priceAmount: 1799, currency: "usd", stockOnHand: 20 },
    systemActor,
  );
  const placed = await createOrderFromCart(
    ctx,
    { customerId: customer.id, items: [{ productId: tea.id, quantity: 2 }] },
    systemActor,
  );
  await markOrderPaid(ctx, { orderId: placed.id, at: ctx.clock.now() }, systemActor);
  await makeCharge(ctx.db, { amount: placed.amountTotal, orderId: placed.id, created: ctx.clock.now() });
  order = { id: placed.id, number: placed.number };
  // A dispute on an earlier order, evidence due in three days.
  await makeDispute(ctx.db, {
    orderId: 1,
    amount: 3600,
    reason: "product_not_received",
    created: "2026-06-10T08:00:00Z",
    evidenceDueBy: new Date("2026-06-18T23:59:59Z"),
  });
}, 300_000);
afterAll(() => e2e?.stop());

describe("refunds in the browser", () => {
  it("ops finds an order by its number, refunds part of it through the panel, and sees it in the history and the refunds figures", async () => {
    const { ctx } = e2e;
    const kpiBefore = await computeKpis(ctx, { from: "2026-06-15", to: "2026-06-15", currency: "usd" });
    const page = await signIn(e2e, "ops", DESKTOP);
    await page.goto("/admin/orders");
    await page.getByRole("searchbox", { name: "Search", exact: true }).fill("ada.lovelace@");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL("**/admin/orders?q=ada.lovelace%40*");
    const row = page.locator("tbody tr", { hasText: order.number });
    await expect(row.textContent()).resolves.toContain("Ada Lovelace");
    await expect(row.textContent()).resolves.toContain("ada.lovelace@example.test");
    await page.goto("/admin/orders?to=2026-06-15&from=2026-06-01");
    await shoot(page, "ops-orders-list", { fullPage: false });
    keep("ops-orders-list");
    await page.goto("/admin/orders?q=ada.lovelace%40");
    await page.getByRole("link", { name: order.number }).click();
    await page.waitForURL(`**/admin/orders/${order.number}`);

    // The panel: amount in dollars, one of the two tins back on the shelf.
    await page.locator("summary", { hasText: "Refund…" }).click();
    await expect(page.getByText("Up to $35.98 still refundable").isVisible()).resolves.toBe(true);
    const placedOrder = (await getOrder(ctx, order.id))!;
    const lineId = placedOrder.lines[0]!.id;
    // Too much first: the answer is in dollars, beside what was typed.
    await page.getByLabel("Amount (USD)").fill("999");
    await Promise.all([
      page.waitForLoadState("load"),
      page.getByRole("button", { name: "Refund", exact: true }).click(),
    ]);
    await expect(page.getByRole("alert").textContent()).resolves.toBe(
      "Amount: $999.00 is more than the $35.98 still refundable",
    );
    await page.getByLabel("Amount (USD)").fill("12.50");
    await page.getByLabel("Refund reason").selectOption("requested_by_customer");
    await page.getByLabel("Note (optional, kept with the refund)").fill("One tin arrived dented");
    await page.locator(`input[name="restock_line_${lineId}"]`).fill("1");
    await shoot(page, "ops-order-refund");
    keep("ops-order-refund");
    await Promise.all([
      page.waitForURL(`**/admin/orders/${order.number}?notice=refunded`),
      page.getByRole("button", { name: "Refund", exact: true }).click(),
    ]);
    const refund = page.locator(".timeline li[data-refund]");
    await expect(refund.textContent()).resolves.toMatch(/Refund \$12\.50\s*succeeded/);
    await expect(refund.textContent()).resolves.toContain("One tin arrived dented");
    await expect(page.locator("main").textContent()).resolves.toContain("Still refundable: $23.48");
    await shoot(page, "ops-order-refunded", { fullPage: false });
    keep("ops-order-refunded");

    // The ledger has it as Stripe said it; the dashboards read it once the worker rebuilt the day.
    const [ledger] = await ctx.db.select().from(refunds).where(eq(refunds.orderId, order.id));
    expect(ledger).toMatchObject({ amount: 1250, status: "succeeded" });
    await rebuildDirtyDays(ctx);
    const kpiAfter = await computeKpis(ctx, { from: "2026-06-15", to: "2026-06-15", currency: "usd" });
    expect(kpiAfter.refunds - kpiBefore.refunds).toBe(1250);
    await page.goto("/dashboard/ops?from=2026-06-15&to=2026-06-15");
    await expect(page.locator('[data-stat="refunds"] .value').textContent()).resolves.toBe(
      formatMoney(kpiAfter.refunds, "usd"),
    );
    // The records behind the refunds figure list it.
    const records = await page.goto(`/records/refunds?from=2026-06-15&to=2026-06-15&currency=usd`);
    expect(records?.status()).toBe(200);
    await expect(page.locator("main").textContent()).resolves.toContain(ledger!.id);

    const analyst = await signIn(e2e, "analyst", DESKTOP);
    await analyst.goto("/dashboard?from=2026-06-15&to=2026-06-15&currency=usd");
    await expect(analyst.locator('[data-kpi="refunds"]').textContent()).resolves.toContain(
      formatMoney(kpiAfter.refunds, "usd"),
    );
  }, 180_000);

  it("shows the list, the order panel and the disputes on a phone, and disputes on a desktop", async () => {
    const phone = await signIn(e2e, "ops", PHONE);
    await phone.goto("/admin/orders?from=2026-06-01&to=2026-06-15");
    await shoot(phone, "ops-orders-list-phone", { fullPage: false });
    keep("ops-orders-list-phone");
    await phone.goto(`/admin/orders/${order.number}`);
    await phone.locator("summary", { hasText: "Refund…" }).click();
    await shoot(phone, "ops-order-refund-phone");
    keep("ops-order-refund-phone");
    const desk = await signIn(e2e, "ops", DESKTOP);
    await desk.goto("/admin/disputes");
    const first = desk.locator("tbody tr").first();
    await expect(first.textContent()).resolves.toContain("3 days left");
    await shoot(desk, "ops-disputes", { fullPage: false });
    keep("ops-disputes");
  }, 120_000);
});
