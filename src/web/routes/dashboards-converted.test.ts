import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../../tests/support/builders/catalog.ts";
import { makeOrder } from "../../../tests/support/builders/orders.ts";
import type { TestContext } from "../../../tests/support/context.ts";
import { loadFxDocExample } from "../../../tests/support/fx-doc-example.ts";
import { createTestApp, signedInClient, type TestClient } from "../../../tests/support/http.ts";
import { buildSnapshots } from "../../analytics/index.ts";
import { cliActor } from "../../audit/index.ts";
import type { AppEnv } from "../request-context.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
let analyst: TestClient;
const WEEK = "preset=custom&from=2026-03-02&to=2026-03-08";

beforeAll(async () => {
  ({ ctx, app } = await createTestApp([], {
    now: "2026-03-10T12:00:00Z",
    env: { REPORTING_CURRENCY: "usd" },
  }));
  await loadFxDocExample(ctx.db);
  // One product sold in USD on Monday and in JPY on Thursday (JPY→USD 0.005 from that day).
  const lamp = await makeProduct(ctx.db, { name: "Desk lamp" });
  await makeOrder(ctx.db, {
    customerId: 4,
    paidAt: "2026-03-02T15:00:00Z",
    lines: [{ productId: lamp.id, quantity: 2, unitPrice: 1000, unitCost: 400 }],
  });
  await makeOrder(ctx.db, {
    customerId: 5,
    currency: "jpy",
    paidAt: "2026-03-05T15:00:00Z",
    lines: [{ productId: lamp.id, quantity: 1, unitPrice: 1000, unitCost: 200 }],
  });
  await buildSnapshots(ctx, { from: "2026-02-01", to: "2026-03-09", timezone: "UTC" }, cliActor);
  ({ client: analyst } = await signedInClient(app, ctx, "analyst"));
});
afterAll(() => ctx.destroy());

function card(html: string, key: string): string {
  const m = new RegExp(`data-kpi="${key}"[\\s\\S]*?data-value="[^"]*">([^<]*)</a>`).exec(html);
  return m?.[1] ?? "(missing)";
}

describe("executive dashboard, all currencies", () => {
  it("defaults to All currencies (in USD) when the period has several, with the converted figures", async () => {
    const res = await analyst.get(`/dashboard?${WEEK}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<option value="all" selected="">All currencies \(in USD\)<\/option>/);
    // The worked example of the KPI docs: 12762 cents gross, MRR 5500.
    expect(card(html, "gross_revenue")).toBe("$127.62");
    expect(card(html, "mrr")).toBe("$55.00");
    expect(html).toContain("converted into USD");
    expect(html).toContain(
      "/records/gross_revenue?from=2026-03-02&amp;to=2026-03-08&amp;currency=all&amp;reporting_currency=usd",
    );
  });

  it("opens a converted card's records: each row's own amount, its rate, source and day, and the converted amount adding up to the card", async () => {
    const html = await (await analyst.get(`/dashboard?${WEEK}`)).text();
    const href = (key: string) =>
      new RegExp(`data-kpi="${key}"[\\s\\S]*?class="value-link" href="([^"]+)"`)
        .exec(html)![1]!
        .replaceAll("&amp;", "&");
    const gross = await (await analyst.get(href("gross_revenue"))).text();
    expect(gross).toContain('data-figure="12762"');
    expect(gross).toContain('data-sum="12762"');
    expect(gross).toContain('data-matches="true"');
    // The JPY charge of 03-03: ¥1,500 at 0.00625 (the imported rate of 02-27) → 938 cents.
    const jpy = row(gross, "3 Mar 2026, 10:00 UTC");
    expect(jpy.slice(2)).toEqual(["¥1,500", "JPY", "0.00625", "imported", "27 Feb 2026", "$9.38"]);
    const mrr = await (await analyst.get(href("mrr"))).text();
    expect(mrr).toContain('data-figure="5500"');
    expect(mrr).toContain('data-sum="5500"');
  });

  it("opens the records of every card of the converted dashboards, and they make the card's figure", async () => {
    const opened = new Set<string>();
    for (const page of ["/dashboard", "/dashboard/subscriptions"]) {
      const html = await (await analyst.get(`${page}?${WEEK}`)).text();
      const cards = [...html.matchAll(/data-kpi="([^"]+)"[\s\S]*?class="value-link" href="([^"]+)"/g)];
      for (const [, kpi, link] of cards) {
        expect([kpi, link]).toEqual([
          kpi,
          expect.stringContaining("currency=all&amp;reporting_currency=usd"),
        ]);
        const records = await (await analyst.get(link!.replaceAll("&amp;", "&"))).text();
        expect([kpi, /data-matches="(\w+)"/.exec(records)?.[1]]).toEqual([kpi, "true"]);
        opened.add(kpi!);
      }
    }
    // Counts, means and rates among them, not only sums of money.
    for (const kpi of [
      "orders",
      "new_customers",
      "aov",
      "repeat_customer_rate",
      "subscribers",
      "arpa",
      "net_revenue_retention",
    ])
      expect(opened).toContain(kpi);
  });

  it("lists the period's customers once each, whatever the currencies they paid in", async () => {
    const res = await analyst.get(
      "/api/v1/kpis/customers/records?from=2026-03-02&to=2026-03-08&currency=all&reporting_currency=usd",
    );
    const body = await res.json();
    expect(
      body.rows.map((r: { key: string; currency: string; rate_source: string }) => [
        r.key,
        r.currency,
        r.rate_source,
      ]),
    ).toContainEqual(["5", "jpy", "count"]);
    expect([body.figure, body.total, body.combine]).toEqual([body.rows.length, body.rows.length, "sum"]);
  });

  it("gives the same rows as JSON from the API, with the refunds of every currency converted", async () => {
    const res = await analyst.get(
      "/api/v1/kpis/refunds/records?from=2026-03-02&to=2026-03-08&currency=all&reporting_currency=usd",
    );
    const body = await res.json();
    expect([body.currency, body.reporting_currency, body.figure, body.total]).toEqual([
      "all",
      "usd",
      500,
      500,
    ]);
    expect(
      body.rows.map((r: Record<string, unknown>) => [r.currency, r.value, r.rate, r.rate_day, r.converted]),
    ).toEqual([["jpy", 1000, "0.005", "2026-03-06", 500]]);
  });

  it("keeps one currency when it is chosen, and offers All currencies beside it", async () => {
    const html = await (await analyst.get(`/dashboard?${WEEK}&currency=jpy`)).text();
    expect(card(html, "gross_revenue")).toBe("¥3,000");
    expect(html).toMatch(/<option value="all">All currencies \(in USD\)<\/option>/);
  });

  it("shows a missing rate as an empty figure and names the pair, the days and the import command", async () => {
    const html = await (
      await analyst.get("/dashboard?preset=custom&from=2026-02-20&to=2026-02-22&currency=all")
    ).text();
    expect(card(html, "mrr")).toBe("—");
    expect(html).toContain("Exchange rates missing");
    expect(html).toContain("JPY/USD: 4 day(s), 2026-02-19 to 2026-02-22");
    expect(html).toContain("revintel fx import");
  });
});

/** The cells of the first table row whose first cell is `label`. */
function row(html: string, label: string): string[] {
  const rows = html
    .split("<tr")
    .map((tr) =>
      [...tr.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, "").trim()),
    );
  return rows.find((cells) => cells[0] === label) ?? [];
}

describe("subscriptions dashboard, all currencies", () => {
  it("defaults to All currencies (in USD) with the converted MRR and an FX movement in the table", async () => {
    const html = await (await analyst.get(`/dashboard/subscriptions?${WEEK}`)).text();
    const movements = html.slice(html.indexOf("movements-table"));
    expect(html).toMatch(/<option value="all" selected="">All currencies \(in USD\)<\/option>/);
    expect(html).toContain("converted into USD");
    // The worked example: MRR 5500 at the end, 8625 at the start; churn 3125 on 03-04.
    expect(card(html, "mrr")).toBe("$55.00");
    expect(card(html, "arr")).toBe("$660.00");
    expect(card(html, "net_revenue_retention")).toBe("63.8%");
    // Columns: period, MRR at start, new, expansion, reactivation, contraction, churn, FX, net, MRR at end.
    expect(row(movements, "4 Mar 2026")).toEqual([
      "4 Mar 2026",
      "$92.50",
      "$0.00",
      "$0.00",
      "$0.00",
      "$0.00",
      "−$31.25",
      "$0.00",
      "−$31.25",
      "$61.25",
    ]);
    expect(row(movements, "5 Mar 2026").slice(7)).toEqual(["−$5.00", "−$5.00", "$56.25"]);
    expect(row(movements, "6 Mar 2026").slice(7)).toEqual(["−$1.25", "−$1.25", "$55.00"]);
    // Plans and cohorts stay per currency: the page links to each currency with data.
    expect(html).toContain('data-per-currency="MRR by plan"');
    expect(html).toContain(
      "/dashboard/subscriptions?preset=custom&amp;from=2026-03-02&amp;to=2026-03-08&amp;currency=jpy",
    );
  });

  it("opens each converted movement's records: customers' converted changes and the days' revaluations", async () => {
    const html = await (await analyst.get(`/dashboard/subscriptions?${WEEK}`)).text();
    const movements = html.slice(html.indexOf("movements-table"));
    const day = (d: string, kpi: string) =>
      `/records/${kpi}?from=${d}&amp;to=${d}&amp;currency=all&amp;reporting_currency=usd`;
    expect(movements).toContain(day("2026-03-04", "mrr_movements.churn"));
    expect(movements).toContain(day("2026-03-05", "mrr_movements.fx"));
    expect(movements).toContain(day("2026-03-05", "mrr_movements.net"));
    const churn = await (
      await analyst.get(day("2026-03-04", "mrr_movements.churn").replaceAll("&amp;", "&"))
    ).text();
    expect(churn).toContain("Churned MRR in all currencies: the records behind it");
    expect(churn).toContain('data-figure="3125"');
    expect(churn).toContain('data-sum="3125"');
    const fx = await (
      await analyst.get(day("2026-03-05", "mrr_movements.fx").replaceAll("&amp;", "&"))
    ).text();
    expect(fx).toContain('data-figure="-500"');
    expect(fx).toContain('data-sum="-500"');
    expect(fx).toContain("rate changes (every currency held)");
    // The FX movement exists only converted: one currency's records of it are a 400 naming the field.
    const one = await analyst.get(
      "/api/v1/kpis/mrr_movements.fx/records?from=2026-03-05&to=2026-03-05&currency=usd",
    );
    expect(one.status).toBe(400);
    expect(await one.text()).toContain("currency");
  });

  it("keeps one currency when it is chosen", async () => {
    const html = await (await analyst.get(`/dashboard/subscriptions?${WEEK}&currency=usd`)).text();
    expect(card(html, "mrr")).toBe("$30.00");
    expect(html).toMatch(/<option value="all">All currencies \(in USD\)<\/option>/);
    expect(html).not.toContain("data-per-currency");
  });

  it("leaves MRR empty when a rate is missing and names the pair and days", async () => {
    const html = await (
      await analyst.get("/dashboard/subscriptions?preset=custom&from=2026-02-20&to=2026-02-22&currency=all")
    ).text();
    expect(card(html, "mrr")).toBe("—");
    expect(html).toContain("JPY/USD: 4 day(s), 2026-02-19 to 2026-02-22");
    expect(
      row(html, "22 Feb 2026")
        .slice(1)
        .every((c) => c === "—"),
    ).toBe(true);
  });
});

describe("products dashboard, all currencies", () => {
  it("adds the units of every currency and converts revenue and cost at each day's rate", async () => {
    const html = await (await analyst.get(`/dashboard/products?${WEEK}`)).text();
    expect(html).toMatch(/<option value="all" selected="">All currencies \(in USD\)<\/option>/);
    // USD: 2 × $10.00, cost 2 × $4.00. JPY on 03-05 at 0.005: ¥1,000 → $5.00, cost ¥200 → $1.00.
    expect(row(html, "Desk lamp")).toEqual(["Desk lamp", "3", "$25.00", "$9.00", "$16.00", "64.0%"]);
  });

  it("opens a product's converted cells: its sales of each day and currency, with the rate, making the cell", async () => {
    const html = await (await analyst.get(`/dashboard/products?${WEEK}`)).text();
    const link = (kpi: string) =>
      new RegExp(`href="(/records/${kpi}\\?[^"]*currency=all[^"]*)"`)
        .exec(html)?.[1]
        ?.replaceAll("&amp;", "&");
    const revenue = await (await analyst.get(link("product_revenue")!)).text();
    expect(revenue).toContain('data-figure="2500"');
    expect(revenue).toContain('data-matches="true"');
    expect(row(revenue, "5 Mar 2026").slice(2)).toEqual([
      "¥1,000",
      "JPY",
      "0.005",
      "imported",
      "5 Mar 2026",
      "$5.00",
    ]);
    // Each day-and-currency row opens that day's order lines of the product in its own currency.
    const day =
      /href="(\/records\/product_revenue\?from=2026-03-05&amp;to=2026-03-05&amp;currency=jpy&amp;product=\d+)"/.exec(
        revenue,
      )?.[1];
    const lines = await (await analyst.get(day!.replaceAll("&amp;", "&"))).text();
    expect(lines).toContain('data-figure="1000"');
    const margin = await (await analyst.get(link("product_margin_rate")!)).text();
    // Σ converted margin $16.00 ÷ Σ converted revenue $25.00 = 64.0%.
    expect(margin).toContain('data-sum="1600"');
    expect(margin).toContain('data-denominator="2500"');
    expect(margin).toContain('data-matches="true"');
  });

  it("shows the chosen currency's sales only", async () => {
    const html = await (await analyst.get(`/dashboard/products?${WEEK}&currency=jpy`)).text();
    expect(row(html, "Desk lamp")).toEqual(["Desk lamp", "1", "¥1,000", "¥200", "¥800", "80.0%"]);
  });
});

describe("ops dashboard, all currencies", () => {
  it("lists every currency's refunds converted, each beside its own amount", async () => {
    const html = await (await analyst.get(`/dashboard/ops?${WEEK}`)).text();
    expect(html).toMatch(/<option value="all" selected="">All currencies \(in USD\)<\/option>/);
    // The JPY refund of 03-06: ¥1,000 at 0.005.
    expect(html).toMatch(/data-stat="refunds"[\s\S]*?data-value="500">\$5\.00</);
    expect(html).toContain('$5.00 <span class="muted">(¥1,000)</span>');
    // A reason's cell opens that reason's refunds of every currency, converted.
    const link = /href="(\/records\/refunds_by_reason\?[^"]*currency=all[^"]*)"/.exec(html)?.[1];
    const records = await (await analyst.get(link!.replaceAll("&amp;", "&"))).text();
    expect(records).toContain('data-matches="true"');
    expect(records).toContain("¥1,000");
  });

  it("shows no refund in USD alone", async () => {
    const html = await (await analyst.get(`/dashboard/ops?${WEEK}&currency=usd`)).text();
    expect(html).toContain("No refunds in this period.");
  });
});
