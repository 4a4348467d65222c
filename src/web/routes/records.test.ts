import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCharge, makeRefund } from "../../../tests/support/builders/ledger.ts";
import { makeOrder } from "../../../tests/support/builders/orders.ts";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { signedInClient, TestClient } from "../../../tests/support/http.ts";
import { buildSnapshots, RECORD_KPI_KEYS } from "../../analytics/index.ts";
import { cliActor, listAuditEvents } from "../../audit/index.ts";
import { createApiToken, ROLES } from "../../auth/index.ts";
import { createApp } from "../app.ts";
import type { AppEnv } from "../request-context.ts";
import { canSeeRecords } from "../views/records/access.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
let token: string;
const Q =
  "from=2026-05-01&to=2026-05-31&currency=usd&product=1&reason=none&cohort=2026-05&month=0&plan=price_0";

beforeAll(async () => {
  ctx = await createTestContext();
  ({ app } = createApp(ctx));
  await makeCharge(ctx.db, { amount: 4000, created: "2026-05-02T10:00:00Z", metadata: {} });
  await makeCharge(ctx.db, { amount: 6000, created: "2026-05-03T10:00:00Z" });
  await makeCharge(ctx.db, { amount: 2500, created: "2026-05-05T10:00:00Z" });
  await makeRefund(ctx.db, { amount: 1000, created: "2026-05-04T10:00:00Z" });
  // A refund id a spreadsheet would run as a formula: the CSV must neutralise it.
  await makeRefund(ctx.db, { id: "=HYPERLINK(1)", amount: 500, created: "2026-05-06T10:00:00Z" });
  await makeOrder(ctx.db, { customerId: 7, paidAt: "2026-05-02T10:00:00Z", amountTotal: 4000 });
  await makeOrder(ctx.db, { customerId: 7, paidAt: "2026-05-09T10:00:00Z", amountTotal: 3001 });
  await buildSnapshots(ctx, { from: "2026-05-01", to: "2026-05-31", timezone: "UTC" }, cliActor);
  ({ token } = await createApiToken(ctx, { name: "bi", role: "analyst", createdBy: null }, cliActor));
});
afterAll(() => ctx.destroy());

const bearer = () => ({ authorization: `Bearer ${token}` });

describe("GET /api/v1/kpis/:key/records", () => {
  it("lists the rows behind the figure with links, for a bearer token", async () => {
    const res = await new TestClient(app).get(`/api/v1/kpis/gross_revenue/records?${Q}`, bearer());
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ kpi: "gross_revenue", figure: 12500, totals: { rows: 3, value: 12500 } });
    expect(body.rows.map((r: { value: number }) => r.value)).toEqual([4000, 6000, 2500]);
    expect(body.rows[0].stripe_url).toMatch(/^https:\/\/dashboard\.stripe\.com\/test\/payments\/ch_/);
  });

  it("pages by keyset cursor and gives each row once", async () => {
    const { client } = await signedInClient(app, ctx, "analyst");
    const first = await (await client.get(`/api/v1/kpis/net_revenue/records?${Q}&limit=2`)).json();
    expect(first.rows).toHaveLength(2);
    const second = await (
      await client.get(`/api/v1/kpis/net_revenue/records?${Q}&limit=2&cursor=${first.next_cursor}`)
    ).json();
    const third = await (
      await client.get(`/api/v1/kpis/net_revenue/records?${Q}&limit=2&cursor=${second.next_cursor}`)
    ).json();
    const values = [...first.rows, ...second.rows, ...third.rows].map((r: { value: number }) => r.value);
    expect(values).toEqual([4000, 6000, -1000, 2500, -500]);
    expect(values.reduce((a, b) => a + b, 0)).toBe(first.figure);
    expect(third.next_cursor).toBeNull();
    // `totals=0`: the same page without reading the whole period for the totals.
    const lean = await (await client.get(`/api/v1/kpis/net_revenue/records?${Q}&limit=2&totals=0`)).json();
    expect(lean.totals).toBeNull();
    expect(lean.rows).toEqual(first.rows);
  });

  it("explains a mean: orders and their totals make the AOV", async () => {
    const { client } = await signedInClient(app, ctx, "analyst");
    const body = await (await client.get(`/api/v1/kpis/aov/records?${Q}`)).json();
    expect(body).toMatchObject({
      combine: "mean",
      figure: 3501,
      totals: { value: 7001, denominator: 2, result: 3501 },
    });
  });

  it("names the field of a bad query and 404s an unknown figure", async () => {
    const { client } = await signedInClient(app, ctx, "analyst");
    const bad = await client.get("/api/v1/kpis/orders/records?from=2026-05-01&to=nope");
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("to");
    expect((await client.get(`/api/v1/kpis/nope/records?${Q}`)).status).toBe(404);
  });
});

describe("records RBAC", () => {
  it("follows the dashboards each role may open, and customers get 403 everywhere", async () => {
    const seen: string[] = [];
    for (const role of ROLES) {
      const { client } = await signedInClient(app, ctx, role);
      for (const kpi of RECORD_KPI_KEYS) {
        for (const path of [
          `/records/${kpi}?${Q}`,
          `/records/${kpi}/export.csv?${Q}`,
          `/api/v1/kpis/${kpi}/records?${Q}`,
        ]) {
          const status = (await client.get(path)).status;
          const expected = canSeeRecords(role, kpi) ? 200 : 403;
          if (status !== expected) seen.push(`${role} ${path}: ${status}, expected ${expected}`);
        }
      }
    }
    expect(seen).toEqual([]);
    // Ops sees refunds and disputes (its dashboard's figures) but not MRR.
    expect(canSeeRecords("ops", "refunds")).toBe(true);
    expect(canSeeRecords("ops", "mrr")).toBe(false);
    expect(RECORD_KPI_KEYS.some((k) => canSeeRecords("customer", k))).toBe(false);
  }, 120_000);
});

describe("GET /records/:kpi", () => {
  it("shows the rows, the figure and that they add up", async () => {
    const { client } = await signedInClient(app, ctx, "ops");
    const res = await client.get(`/records/refunds?${Q}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-matches="true"');
    expect(html).toContain('data-figure="1500"');
    expect(html).toContain("https://dashboard.stripe.com/test/refunds/");
  });
});

describe("GET /records/:kpi/export.csv", () => {
  it("downloads exactly the rows, formulas neutralised, and audits the download", async () => {
    const { client } = await signedInClient(app, ctx, "ops");
    const res = await client.get(`/records/refunds/export.csv?${Q}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const lines = (await res.text()).trim().split("\r\n");
    expect(lines[0]!.split(",").slice(0, 3)).toEqual(["key", "at", "object"]);
    expect(lines).toHaveLength(3);
    expect(lines[2]!.startsWith("'=HYPERLINK(1)")).toBe(true);
    const values = lines.slice(1).map((l) => Number(l.split(",").at(-2)));
    expect(values.reduce((a, b) => a + b, 0)).toBe(1500);
    const { rows } = await listAuditEvents(ctx, { action: "records.export" }, 1, 10);
    expect(rows.at(0)).toMatchObject({ action: "records.export", targetId: "refunds", actorRole: "ops" });
    expect(rows.at(0)?.after).toMatchObject({ kpi: "refunds", rows: 2, currency: "usd" });
  });
});
