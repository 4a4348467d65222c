import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../../tests/support/builders/catalog.ts";
import { makeCustomer } from "../../../tests/support/builders/customers.ts";
import type { TestContext } from "../../../tests/support/context.ts";
import { loadDocExample } from "../../../tests/support/doc-example.ts";
import { createTestApp, signedInClient, type TestClient } from "../../../tests/support/http.ts";
import { buildSnapshots } from "../../analytics/index.ts";
import { cliActor } from "../../audit/index.ts";
import { dataQualityIssues } from "../../db/schema.ts";
import { addToWishlist } from "../../orders/index.ts";
import { fixedClock } from "../../shared/clock.ts";
import type { AppEnv } from "../request-context.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
let analyst: TestClient;
let ops: TestClient;
let admin: TestClient;
const MARCH = "range=custom&from=2026-03-01&to=2026-03-31&currency=usd";

beforeAll(async () => {
  ({ ctx, app } = await createTestApp());
  await loadDocExample(ctx.db);
  await buildSnapshots(ctx, { from: "2026-01-01", to: "2026-04-30", timezone: "UTC" }, cliActor);
  ({ client: analyst } = await signedInClient(app, ctx, "analyst"));
  ({ client: ops } = await signedInClient(app, ctx, "ops"));
  ({ client: admin } = await signedInClient(app, ctx, "admin"));
});
afterAll(() => ctx.destroy());

/** The text of the KPI card's value for `key`. */
function card(html: string, key: string): string {
  const m = new RegExp(`data-kpi="${key}"[\\s\\S]*?data-value="[^"]*">([^<]*)</a>`).exec(html);
  return m?.[1] ?? "(missing)";
}

describe("executive dashboard", () => {
  it("shows March's money KPIs as worked out from the doc example", async () => {
    const res = await analyst.get(`/dashboard?${MARCH}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    // USD succeeded charges created in March: ch_A 100.00 + ch_B 50.00 = 150.00 (ch_C is Feb, ch_D failed)
    expect(card(html, "gross_revenue")).toBe("$150.00");
    // succeeded USD refunds created in March: 15.00 (the pending 5.00 and the April 10.00 do not count)
    expect(card(html, "refunds")).toBe("$15.00");
    expect(card(html, "net_revenue")).toBe("$135.00");
    // USD orders paid in March: 60.00, 30.00, 20.00, 25.00 → 4 orders, AOV 135.00 / 4 = 33.75
    expect(card(html, "orders")).toBe("4");
    expect(card(html, "aov")).toBe("$33.75");
  });

  it("links every number to its definition and says the change in words", async () => {
    const html = await (await analyst.get(`/dashboard?${MARCH}`)).text();
    expect(html).toContain('href="/docs/kpis#net_revenue"');
    expect(html).toContain('href="/docs/kpis#net_revenue_retention"');
    // February had one USD charge (ch_C 20.00) and no refunds: gross 150.00 vs 20.00 = up 650.0%
    expect(html).toMatch(/data-kpi="gross_revenue"[\s\S]*?↑ up 650\.0%/);
  });

  it("renders the charts as data attributes with table fallbacks (no inline script)", async () => {
    const html = await (await analyst.get(`/dashboard?${MARCH}`)).text();
    expect(html.match(/data-chart=/g)?.length).toBe(2);
    expect(html.match(/<details class="fallback">/g)?.length).toBe(2);
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
  });

  it("marks the chosen preset in the range selector", async () => {
    const html = await (await analyst.get("/dashboard?range=7")).text();
    expect(html).toMatch(/aria-current="true" data-preset="7"|data-preset="7"[^>]*aria-current="true"/);
  });

  it("answers 400 naming the field for a bad range", async () => {
    const res = await analyst.get("/dashboard?range=custom&from=2026-03-31&to=2026-03-01");
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("start date");
  });

  it("is refused to ops, who land on the ops dashboard instead", async () => {
    expect((await ops.get("/dashboard")).status).toBe(403);
    expect((await admin.get(`/dashboard?${MARCH}`)).status).toBe(200);
  });
});

describe("subscriptions dashboard", () => {
  it("shows MRR at the end of March and a movements table that follows the chosen dates and grain", async () => {
    const res = await analyst.get(`/dashboard/subscriptions?${MARCH}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-kpi="mrr"');
    expect(html).toContain('class="movements-table"');
    // 31 days: one row per day, in the dashboards' date format
    expect(html).toContain("<td>1 Mar 2026</td>");
    expect(html).toContain("<td>31 Mar 2026</td>");
    expect(html).not.toContain("<td>28 Feb 2026</td>");
    expect(html).toContain('class="heatmap"');
    const monthly = await (
      await analyst.get("/dashboard/subscriptions?from=2026-01-15&to=2026-03-31&grain=month&currency=usd")
    ).text();
    // January is cut by the range (from the 15th): marked as a part
    expect(monthly).toContain("<td>Jan 2026 (part)</td>");
    expect(monthly).toContain("<td>Mar 2026</td>");
    expect(monthly).not.toContain("<td>1 Mar 2026</td>");
    expect(monthly).toContain('aria-current="true" data-grain="month"');
  });

  it("shows the MRR trend, MRR by plan and both kinds of cohorts, each labelled", async () => {
    const html = await (await analyst.get(`/dashboard/subscriptions?${MARCH}`)).text();
    for (const section of ["mrr-trend", "mrr-by-plan", "movements", "subscriber-cohorts", "order-cohorts"])
      expect(html).toContain(`data-section="${section}"`);
    expect(html).toContain('data-heatmap="subscribers-subscribers"');
    expect(html).toContain('data-heatmap="subscribers-mrr"');
    expect(html).toContain('data-heatmap="orders"');
    expect(html).toContain("Subscribers still paying");
    expect(html).toContain("MRR kept");
  });

  it("says a currency has no data in the range instead of showing zeros, naming those that have", async () => {
    const res = await analyst.get("/dashboard/subscriptions?from=2026-03-01&to=2026-03-31&currency=jpy");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-no-data="jpy"');
    expect(html).toContain("No JPY data in this period");
    expect(html).not.toContain('data-kpi="mrr"');
    expect(html).toMatch(
      /href="\/dashboard\/subscriptions\?preset=custom&amp;from=2026-03-01&amp;to=2026-03-31&amp;currency=usd"/,
    );
    const exec = await (await analyst.get("/dashboard?from=2026-03-01&to=2026-03-31&currency=jpy")).text();
    expect(exec).toContain('data-no-data="jpy"');
    expect(exec).not.toContain("data-chart=");
    // products: the sales panels give way to the notice, stock and wishlist (not per currency) stay
    const products = await (
      await ops.get("/dashboard/products?from=2026-03-01&to=2026-03-31&currency=jpy")
    ).text();
    expect(products).toContain('data-no-data="jpy"');
    expect(products).toMatch(/<section class="panel" hidden="">\s*<h2>Margin<\/h2>/);
    expect(products).toContain("Stock and preorders");
  });

  it("shows gross revenue retention beside net revenue retention (doc example: 0.3235 and 0.5)", async () => {
    const html = await (await analyst.get(`/dashboard/subscriptions?${MARCH}`)).text();
    const nrr = html.indexOf('data-kpi="net_revenue_retention"');
    const grr = html.indexOf('data-kpi="gross_revenue_retention"');
    expect(nrr).toBeGreaterThan(-1);
    expect(grr).toBeGreaterThan(nrr);
    expect(html).toContain("32.4%"); // 5500 / 17000, kpi_definitions.md
    expect(await (await analyst.get(`/dashboard?${MARCH}`)).text()).toContain(
      'data-kpi="gross_revenue_retention"',
    );
  });

  it("answers 400 naming currency for a code Stripe does not know", async () => {
    const res = await analyst.get(
      "/dashboard/subscriptions?range=custom&from=2026-03-01&to=2026-03-31&currency=zzz",
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("currency");
  });
});

describe("products dashboard", () => {
  it("ranks best sellers and marks products without a cost", async () => {
    const html = await (await ops.get(`/dashboard/products?${MARCH}`)).text();
    // USD March units: product 103 → 3, product 101 → 2 + 1 = 3 (revenue 65.00 beats 30.00), 102 → 1 + 1 = 2
    // Units and revenue open the product's order lines of the period (drill-down).
    expect(html).toMatch(
      /<td class="num">1<\/td><td>Product 101<\/td><td class="num"><a href="\/records\/product_units\?[^"]*product=101">3<\/a><\/td><td class="num"><a href="\/records\/product_revenue\?[^"]*product=101">\$65\.00<\/a><\/td>/,
    );
    expect(html).toContain("cost unknown");
  });

  it("shows wishlist demand, flagging a wanted product that is sold out, and an empty state before any", async () => {
    const before = await (await ops.get(`/dashboard/products?${MARCH}`)).text();
    expect(before).toContain("Wishlist demand");
    expect(before).toContain("No product is on a wishlist, and no wishlist changed in this period.");

    const now = new Date("2026-03-10T12:00:00Z");
    const kettle = await makeProduct(ctx.db, {
      sku: "SKU-700",
      priceAmount: 1000,
      name: "Copper kettle",
      stockOnHand: 0,
    });
    for (const customerId of [
      (await makeCustomer(ctx.db, { createdAt: now, stripeCustomerId: null })).id,
      (await makeCustomer(ctx.db, { createdAt: now, stripeCustomerId: null })).id,
    ])
      await addToWishlist({ ...ctx, clock: fixedClock(now) }, customerId, { productId: kettle.id });
    const html = await (await ops.get(`/dashboard/products?${MARCH}`)).text();
    expect(html).toContain("<strong>Wanted but not available:</strong> Copper kettle (2 waiting)");
    // Wanted now 2, net +2, out of stock; added 2, removed 0, to cart 0, bought 0, units sold 0.
    expect(html).toMatch(
      /<tr class="attention"><th scope="row">Copper kettle <span class="muted sku">SKU-\d+<\/span><\/th><td class="num">2<\/td><td class="num">\+2<\/td><td><span class="badge out-of-stock">out of stock<\/span><\/td><td class="num">2<\/td><td class="num">0<\/td><td class="num">0<\/td><td class="num">0<\/td><td class="num">0<\/td><\/tr>/,
    );
  });
});

describe("ops dashboard", () => {
  it("shows the exception counters and no replay button to ops", async () => {
    const res = await ops.get(`/dashboard/ops?${MARCH}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Open data-quality issues");
    expect(html).toContain("Fulfillment backlog");
    expect(html).not.toContain("/replay");
  });

  it("lists a critical issue before newer warnings", async () => {
    const at = (d: string) => new Date(`${d}T10:00:00Z`);
    const rows = Array.from({ length: 9 }, (_, i) => ({
      check: "fulfillment-backlog",
      fingerprint: `w${i}`,
      severity: "warning" as const,
      title: `Warning number ${i}`,
      status: "open" as const,
      firstSeen: at("2026-06-14"),
      lastSeen: at("2026-06-14"),
    }));
    rows.push({
      ...rows[0]!,
      check: "payment-reconciliation",
      fingerprint: "c1",
      severity: "critical" as never,
      title: "Oldest but critical",
      firstSeen: at("2026-06-01"),
      lastSeen: at("2026-06-01"),
    });
    await ctx.db.insert(dataQualityIssues).values(rows);
    const html = await (await ops.get(`/dashboard/ops?${MARCH}`)).text();
    expect(html.indexOf("Oldest but critical")).toBeGreaterThan(0);
    expect(html.indexOf("Oldest but critical")).toBeLessThan(html.indexOf("Warning number"));
    // 8 shown of the 10 open issues
    expect(html).toContain("Showing 8 of 10.");
  });

  it("lists March's USD refunds by reason", async () => {
    const html = await (await admin.get(`/dashboard/ops?${MARCH}`)).text();
    // Succeeded USD refunds created in March: one of 15.00 (the 5.00 one is pending).
    expect(html).toMatch(/data-stat="refunds"[\s\S]*?\$15\.00[\s\S]*?2 refund\(s\)/);
  });
});
