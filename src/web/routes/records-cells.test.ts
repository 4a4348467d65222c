import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../../tests/support/builders/catalog.ts";
import { makeCharge, makeRefund } from "../../../tests/support/builders/ledger.ts";
import { makeOrder } from "../../../tests/support/builders/orders.ts";
import { makeSubscriptionState } from "../../../tests/support/builders/subscriptions.ts";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { signedInClient, type TestClient } from "../../../tests/support/http.ts";
import { buildSnapshots } from "../../analytics/index.ts";
import { cliActor } from "../../audit/index.ts";
import { reserveStock } from "../../catalog/index.ts";
import { createApp } from "../app.ts";
import type { AppEnv } from "../request-context.ts";

/**
 * The table cells drilled down in issue 19's last round: the ops dashboard's refunds by reason and
 * the product dashboard's cost and margin cells each link to records whose rows add up to the
 * amount the cell shows (worked by hand below).
 */
let ctx: TestContext;
let app: Hono<AppEnv>;
let ops: TestClient;
let analyst: TestClient;
let mug: number;
const RANGE = "from=2026-06-01&to=2026-06-30&currency=usd";

beforeAll(async () => {
  ctx = await createTestContext();
  ({ app } = createApp(ctx));
  ({ client: ops } = await signedInClient(app, ctx, "ops"));
  ({ client: analyst } = await signedInClient(app, ctx, "analyst"));
  const at = (d: string) => `${d}T10:00:00Z`;
  const charge = await makeCharge(ctx.db, { amount: 20_000, created: at("2026-06-02") });
  for (const [amount, reason, day] of [
    [1_200, "duplicate", "2026-06-03"],
    [800, "duplicate", "2026-06-05"],
    [500, "fraudulent", "2026-06-06"],
    [300, null, "2026-06-07"],
  ] as const) {
    await makeRefund(ctx.db, { chargeId: charge.id, amount, reason, created: at(day) });
  }
  // The mug: 2 × 15.00 at cost 6.00 and 1 × 15.00 at cost 5.00, plus 3 × 15.00 with no known cost.
  mug = (await makeProduct(ctx.db, { name: "Stone mug", priceAmount: 1500, stockOnHand: 50 })).id;
  const line = (quantity: number, unitCost: number | null) => [
    { productId: mug, quantity, unitPrice: 1500, unitCost },
  ];
  await makeOrder(ctx.db, { customerId: 1, paidAt: at("2026-06-04"), lines: line(2, 600) });
  await makeOrder(ctx.db, { customerId: 2, paidAt: at("2026-06-08"), lines: line(1, 500) });
  await makeOrder(ctx.db, { customerId: 3, paidAt: at("2026-06-09"), lines: line(3, null) });
  // The April order cohort: 10 pays again in May, 11 never, 12 in June (sizes and shares by hand:
  // 3 customers; M1 1 of 3, M2 1 of 3). June's buyers 1–3 make the June cohort.
  for (const [customerId, day] of [
    [10, "2026-04-05"],
    [10, "2026-05-06"],
    [11, "2026-04-20"],
    [12, "2026-04-28"],
    [12, "2026-06-02"],
  ] as const) {
    await makeOrder(ctx.db, { customerId, paidAt: at(day), amountTotal: 2_000 });
  }
  // MRR by plan: customer 20 pays 10.00 on price_a and 5.00 on price_b from May (one subscription,
  // split by its items' value); customer 21 takes price_a at 20.00 on 10 June; 22 leaves price_b on 12 June.
  await makeSubscriptionState(ctx.db, {
    subscriptionId: "sub_two_plans",
    customerId: 20,
    created: at("2026-05-10"),
    status: "active",
    items: [
      { unitAmount: 1_000, priceId: "price_a" },
      { unitAmount: 500, priceId: "price_b" },
    ],
  });
  await makeSubscriptionState(ctx.db, {
    subscriptionId: "sub_new_a",
    customerId: 21,
    created: at("2026-06-10"),
    status: "active",
    items: [{ unitAmount: 2_000, priceId: "price_a" }],
  });
  for (const [status, day] of [
    ["active", "2026-05-11"],
    ["canceled", "2026-06-12"],
  ] as const) {
    await makeSubscriptionState(ctx.db, {
      subscriptionId: "sub_gone_b",
      customerId: 22,
      created: at(day),
      status,
      items: [{ unitAmount: 700, priceId: "price_b" }],
    });
  }
  await buildSnapshots(ctx, { from: "2026-04-01", to: "2026-06-30", timezone: "UTC" }, cliActor);
}, 60_000);
afterAll(() => ctx.destroy());

/** The hrefs of `kpi`'s record links on a page, with the text of each link. */
async function cellLinks(client: TestClient, path: string, kpi: string): Promise<Array<[string, string]>> {
  const html = await (await client.get(path)).text();
  const found = [...html.matchAll(new RegExp(`<a href="(/records/${kpi}\\?[^"]+)">([^<]+)</a>`, "g"))];
  return found.map((m) => [m[1]!.replaceAll("&amp;", "&"), m[2]!]);
}

interface RecordsBody {
  rows: Array<{
    value: number;
    denominator: number | null;
    customer_id: number | null;
    status: string | null;
  }>;
  figure: number | null;
  totals: { result: number | null };
}

/** The records API's answer for a cell's link (`/records/<kpi>?…` read as `/api/v1/kpis/<kpi>/records?…`). */
async function recordsOf(client: TestClient, href: string): Promise<RecordsBody> {
  const res = await client.get(href.replace(/^\/records\/([^?]+)/, "/api/v1/kpis/$1/records"));
  expect(res.status, href).toBe(200);
  return (await res.json()) as RecordsBody;
}

/** The cell's records page, which states `figure` and that the rows make it. */
async function pageStating(client: TestClient, href: string, figure: number | null): Promise<string> {
  const html = await (await client.get(href)).text();
  expect(html).toContain(`data-figure="${figure}"`);
  expect(html).toContain('data-matches="true"');
  return html;
}

async function rowsOf(
  client: TestClient,
  href: string,
): Promise<{ values: number[]; figure: number | null }> {
  const body = await recordsOf(client, href);
  return { values: body.rows.map((r) => r.value), figure: body.figure };
}

describe("table cells open the records that make them", () => {
  it("refunds by reason on the ops dashboard: each count and amount opens that reason's refunds", async () => {
    const links = await cellLinks(ops, `/dashboard/ops?${RANGE}`, "refunds_by_reason");
    const byReason = new Map<string, string[]>();
    for (const [href, text] of links) {
      const reason = new URL(href, "http://x").searchParams.get("reason")!;
      byReason.set(reason, [...(byReason.get(reason) ?? []), text]);
    }
    // Count and amount per reason, as the table shows them.
    expect(Object.fromEntries(byReason)).toEqual({
      duplicate: ["2", "$20.00"],
      fraudulent: ["1", "$5.00"],
      none: ["1", "$3.00"],
    });
    const sums: Record<string, number[]> = {};
    for (const [href] of links) {
      const reason = new URL(href, "http://x").searchParams.get("reason")!;
      sums[reason] = (await rowsOf(ops, href)).values;
    }
    expect(sums).toEqual({ duplicate: [1_200, 800], fraudulent: [500], none: [300] });
  });

  it("cost and margin on the product dashboard open the lines whose cost is known", async () => {
    const path = `/dashboard/products?${RANGE}`;
    const [cost] = await cellLinks(analyst, path, "product_cost");
    const [margin] = await cellLinks(analyst, path, "product_margin");
    // Cost 2 × 6.00 + 1 × 5.00 = 17.00; margin (30.00 − 12.00) + (15.00 − 5.00) = 28.00.
    expect(cost?.[1]).toBe("$17.00");
    expect(margin?.[1]).toBe("$28.00");
    expect(await rowsOf(analyst, cost![0])).toEqual({ values: [1_200, 500], figure: 1_700 });
    expect(await rowsOf(analyst, margin![0])).toEqual({ values: [1_800, 1_000], figure: 2_800 });
    expect(cost![0]).toContain(`product=${mug}`);
  });

  it("the margin % opens the same lines, margin over their revenue making the share shown", async () => {
    const [cell] = await cellLinks(analyst, `/dashboard/products?${RANGE}`, "product_margin_rate");
    // 28.00 margin ÷ 45.00 revenue of the lines whose cost is known = 0.6222.
    expect(cell?.[1]).toBe("62.2%");
    const body = await recordsOf(analyst, cell![0]);
    expect(body.rows.map((r) => [r.value, r.denominator])).toEqual([
      [1_800, 3_000],
      [1_000, 1_500],
    ]);
    expect([body.figure, body.totals.result]).toEqual([0.6222, 0.6222]);
    expect(await pageStating(analyst, cell![0], 0.6222)).toContain("62.2%");
  });

  it("each order-cohort share opens the cohort's customers, 1 for those who paid in that month", async () => {
    const links = await cellLinks(analyst, `/dashboard/subscriptions?${RANGE}`, "cohort_retention");
    const april = links.filter(([href]) => href.includes("cohort=2026-04"));
    expect(april.map(([, text]) => text)).toEqual(["100.0%", "33.3%", "33.3%"]);
    const cell = async (k: number) => {
      const [href] = april.find(([h]) => h.includes(`month=${k}&`) || h.endsWith(`month=${k}`))!;
      const body = await recordsOf(analyst, href);
      return {
        rows: body.rows.map((r) => [r.customer_id, r.value, r.denominator]),
        figure: body.figure,
        result: body.totals.result,
      };
    };
    expect(await cell(1)).toEqual({
      rows: [
        [10, 1, 1],
        [11, 0, 1],
        [12, 0, 1],
      ],
      figure: 0.3333,
      result: 0.3333,
    });
    expect((await cell(2)).rows).toEqual([
      [10, 0, 1],
      [11, 0, 1],
      [12, 1, 1],
    ]);
    expect((await ops.get(`/records/cohort_retention?${RANGE}&cohort=2026-04`)).status).toBe(403);
    expect((await analyst.get(`/records/cohort_retention?${RANGE}&cohort=2026-04`)).status).toBe(400);
  });

  it("MRR by plan: each plan's start and end open its subscriptions, adding up to the cell", async () => {
    const path = `/dashboard/subscriptions?${RANGE}`;
    const html = await (await analyst.get(path)).text();
    const barLinks = [...html.matchAll(/data-chart="([^"]+)"/g)]
      .map((m) => JSON.parse(m[1]!.replaceAll("&quot;", '"').replaceAll("&amp;", "&")))
      .flatMap((o: { series?: Array<{ links?: Array<string | null> }> }) => o.series ?? [])
      .flatMap((x) => x.links ?? []);
    const cells = async (kpi: string) => {
      const found: Record<string, [string, number[], number | null]> = {};
      for (const [href, text] of await cellLinks(analyst, path, kpi)) {
        const plan = new URL(href, "http://x").searchParams.get("plan")!;
        const { values, figure } = await rowsOf(analyst, href);
        expect((await analyst.get(href)).status, href).toBe(200);
        // The chart's bars carry the same links.
        expect(barLinks).toContain(href);
        found[plan] = [text, values.sort((a, b) => a - b), figure];
      }
      return found;
    };
    // By hand: at start (31 May) price_a 10.00 (sub_two_plans), price_b 5.00 + 7.00; at end (30 June)
    // price_a 10.00 + 20.00, price_b 5.00 (sub_gone_b canceled).
    expect(await cells("plan_mrr_start")).toEqual({
      price_a: ["$10.00", [1_000], 1_000],
      price_b: ["$12.00", [500, 700], 1_200],
    });
    expect(await cells("plan_mrr")).toEqual({
      price_a: ["$30.00", [1_000, 2_000], 3_000],
      price_b: ["$5.00", [500], 500],
    });
    expect((await ops.get(`/records/plan_mrr?${RANGE}&plan=price_a`)).status).toBe(403);
    const missing = await analyst.get(`/records/plan_mrr?${RANGE}`);
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain("plan");
  });

  it("each subscriber-cohort share opens the cohort's customers, their state at month k's end", async () => {
    // By hand: the May subscriber cohort is 20 (15.00 from 10 May) and 22 (7.00 from 11 May, canceled
    // 12 June): 2 subscribers, 22.00 starting MRR. At the end of June: 20 only, 1 of 2 and 15.00 of 22.00.
    const path = `/dashboard/subscriptions?${RANGE}`;
    const cells = async (kpi: string) => {
      const found: Array<[number, string, unknown[], number | null, string]> = [];
      for (const [href, text] of await cellLinks(analyst, path, kpi)) {
        const q = new URL(href, "http://x").searchParams;
        if (q.get("cohort") !== "2026-05") continue;
        const body = await recordsOf(analyst, href);
        expect(body.totals.result, href).toBe(body.figure);
        // The page itself states the same figure and that the rows make it.
        await pageStating(analyst, href, body.figure);
        found.push([
          Number(q.get("month")),
          text,
          body.rows.map((r) => [r.customer_id, r.value, r.denominator]),
          body.figure,
          q.get("to")!,
        ]);
      }
      return found;
    };
    expect(await cells("subscriber_cohort")).toEqual([
      [
        0,
        "100.0%",
        [
          [20, 1, 1],
          [22, 1, 1],
        ],
        1,
        "2026-05-31",
      ],
      [
        1,
        "50.0%",
        [
          [20, 1, 1],
          [22, 0, 1],
        ],
        0.5,
        "2026-06-30",
      ],
    ]);
    expect(await cells("subscriber_cohort_mrr")).toEqual([
      [
        0,
        "100.0%",
        [
          [20, 1_500, 1_500],
          [22, 700, 700],
        ],
        1,
        "2026-05-31",
      ],
      [
        1,
        "68.2%",
        [
          [20, 1_500, 1_500],
          [22, 0, 700],
        ],
        0.6818,
        "2026-06-30",
      ],
    ]);
    expect((await ops.get(`/records/subscriber_cohort?${RANGE}&cohort=2026-05&month=1`)).status).toBe(403);
    const missing = await analyst.get(`/records/subscriber_cohort_mrr?${RANGE}&cohort=2026-05`);
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain("month");
  });

  it("the stock table's levels open the product's stock movements, adding up to each cell", async () => {
    // A preorder kettle: 3 received on 1 June, then an order of 5 (2 sold below zero); limit 10.
    const opened = "2026-06-01T08:00:00Z";
    const kettle = await makeProduct(ctx.db, {
      name: "Preorder kettle",
      stockOnHand: 3,
      allowPreorder: true,
      preorderLimit: 10,
      createdAt: opened,
      updatedAt: opened,
    });
    const order = await makeOrder(ctx.db, {
      customerId: 30,
      paidAt: null,
      lines: [{ productId: kettle.id, quantity: 5, unitPrice: 1500 }],
    });
    await ctx.db.transaction((tx) =>
      reserveStock(tx, {
        productId: kettle.id,
        quantity: 5,
        orderId: order.id,
        at: new Date("2026-06-20T09:00:00Z"),
      }),
    );
    const path = `/dashboard/products?${RANGE}`;
    const cells = async (kpi: string, product: number) =>
      (await cellLinks(ops, path, kpi)).filter(([href]) => href.endsWith(`product=${product}`));
    const follow = async (href: string) => {
      const body = await recordsOf(ops, href);
      return {
        rows: body.rows.map((r) => [r.status, r.value]),
        figure: body.figure,
        result: body.totals.result,
      };
    };
    // By hand: preorders 5 − 3 = 2 (each movement with its sign turned); can still sell −2 + 10 = 8.
    // On hand shows 0 below zero and opens nothing.
    expect(await cells("stock_on_hand", kettle.id)).toEqual([]);
    const [preorders] = await cells("stock_preorders", kettle.id);
    const [available] = await cells("stock_available", kettle.id);
    expect([preorders?.[1], available?.[1]]).toEqual(["2", "8"]);
    expect(await follow(preorders![0])).toEqual({
      rows: [
        ["receive: initial stock", -3],
        ["reserve", 5],
      ],
      figure: 2,
      result: 2,
    });
    expect(await follow(available![0])).toEqual({
      rows: [
        ["receive: initial stock", 3],
        ["reserve", -5],
        // The limit row is dated by the product's last change (the reservation here).
        ["preorder limit", 10],
      ],
      figure: 8,
      result: 8,
    });
    // The mug's 50 on hand is its one receipt; it sells no preorders (0 opens nothing).
    const [mugOnHand] = await cells("stock_on_hand", mug);
    expect(mugOnHand?.[1]).toBe("50");
    expect(await follow(mugOnHand![0])).toMatchObject({ rows: [["receive: initial stock", 50]], figure: 50 });
    expect(await cells("stock_preorders", mug)).toEqual([]);
    // The page states the figure, that the rows make it, and names the order that reserved units.
    const html = await pageStating(ops, preorders![0], 2);
    expect(html).toContain("Units sold on preorder, Preorder kettle: the records behind it");
    expect(html).toContain(`<a href="/admin/orders/${order.number}">${order.number}</a>`);
    expect((await ops.get(`/records/stock_on_hand?${RANGE}`)).status).toBe(400);
  });

  it("asks for the reason of a by-reason listing, naming the field", async () => {
    const res = await ops.get(`/records/refunds_by_reason?${RANGE}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("reason");
    expect((await ops.get(`/records/refunds_by_reason?${RANGE}&reason=DROP%20TABLE`)).status).toBe(400);
  });
});
