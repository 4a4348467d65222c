import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCharge, makeRefund } from "../../../tests/support/builders/ledger.ts";
import { makeOrder } from "../../../tests/support/builders/orders.ts";
import type { TestContext } from "../../../tests/support/context.ts";
import { createTestApp, signedInClient, TestClient } from "../../../tests/support/http.ts";
import { buildSnapshots } from "../../analytics/index.ts";
import { cliActor } from "../../audit/index.ts";
import { createApiToken } from "../../auth/index.ts";
import type { AppEnv } from "../request-context.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
let token: string;

beforeAll(async () => {
  ({ ctx, app } = await createTestApp());
  await makeCharge(ctx.db, { amount: 4000, created: "2026-05-02T10:00:00Z", fee: 150 });
  await makeCharge(ctx.db, { amount: 6000, created: "2026-05-03T10:00:00Z", fee: 200 });
  await makeRefund(ctx.db, { amount: 1000, created: "2026-05-04T10:00:00Z" });
  await makeOrder(ctx.db, { customerId: 7, paidAt: "2026-05-02T10:00:00Z", amountTotal: 4000 });
  await buildSnapshots(ctx, { from: "2026-05-01", to: "2026-05-31", timezone: "UTC" }, cliActor);
  ({ token } = await createApiToken(ctx, { name: "bi", role: "analyst", createdBy: null }, cliActor));
});
afterAll(() => ctx.destroy());

const bearer = () => ({ authorization: `Bearer ${token}` });

describe("GET /api/v1/kpis", () => {
  it("answers the contract JSON to a bearer API token", async () => {
    const res = await new TestClient(app).get("/api/v1/kpis?from=2026-05-01&to=2026-05-31", bearer());
    expect(res.status).toBe(200);
    const body = await res.json();
    // 4000 + 6000 charged, 1000 refunded, fees 150 + 200, one order of 4000
    expect(body).toMatchObject({
      currency: "usd",
      gross_revenue: 10000,
      refunds: 1000,
      net_revenue: 9000,
      fees: 350,
      orders: 1,
      aov: 4000,
    });
    expect(Object.keys(body).slice(0, 5)).toEqual(["from", "to", "timezone", "currency", "gross_revenue"]);
  });

  it("answers an analyst session the same numbers", async () => {
    const { client } = await signedInClient(app, ctx, "analyst");
    const res = await client.get("/api/v1/kpis?from=2026-05-03&to=2026-05-03&currency=usd");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ gross_revenue: 6000, refunds: 0, orders: 0, aov: null });
  });

  it("is 401 anonymous and 403 for ops", async () => {
    expect((await new TestClient(app).get("/api/v1/kpis?from=2026-05-01&to=2026-05-31")).status).toBe(401);
    const { client } = await signedInClient(app, ctx, "ops");
    expect((await client.get("/api/v1/kpis?from=2026-05-01&to=2026-05-31")).status).toBe(403);
  });

  it("is 400 naming the field on bad parameters", async () => {
    const res = await new TestClient(app).get("/api/v1/kpis?from=2026-13-01&to=2026-05-31", bearer());
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain("from");
    const reversed = await new TestClient(app).get("/api/v1/kpis?from=2026-05-31&to=2026-05-01", bearer());
    expect(reversed.status).toBe(400);
    expect(JSON.stringify(await reversed.json())).toContain("to");
    const currency = await new TestClient(app).get(
      "/api/v1/kpis?from=2026-05-01&to=2026-05-31&currency=dollars",
      bearer(),
    );
    expect(currency.status).toBe(400);
    expect(JSON.stringify(await currency.json())).toContain("currency");
  });

  it("is 400 naming currency for a code Stripe does not know (not 200 with zeros)", async () => {
    const res = await new TestClient(app).get(
      "/api/v1/kpis?from=2026-05-01&to=2026-05-31&currency=zzz",
      bearer(),
    );
    expect(res.status).toBe(400);
    const body = JSON.stringify(await res.json());
    expect(body).toContain("currency");
    expect(body).toContain("unknown ISO currency code");
    const series = await new TestClient(app).get(
      "/api/v1/series?metric=mrr&from=2026-05-01&to=2026-05-31&currency=zzz",
      bearer(),
    );
    expect(series.status).toBe(400);
    expect(JSON.stringify(await series.json())).toContain("currency");
    const known = await new TestClient(app).get(
      "/api/v1/kpis?from=2026-05-01&to=2026-05-31&currency=KWD",
      bearer(),
    );
    expect(known.status).toBe(200);
  });
});

describe("GET /api/v1/series", () => {
  it("sums daily flows into weeks (ISO weeks start Monday)", async () => {
    const res = await new TestClient(app).get(
      "/api/v1/series?metric=net_revenue&from=2026-05-01&to=2026-05-10&grain=week",
      bearer(),
    );
    expect(res.status).toBe(200);
    const body = await res.json();
    // Fri 1 – Sun 3: 4000 + 6000; Mon 4 – Sun 10: −1000 refund
    expect(body.points).toEqual([
      { period: "2026-05-01", to: "2026-05-03", value: 10000 },
      { period: "2026-05-04", to: "2026-05-10", value: -1000 },
    ]);
  });

  it("is 400 naming the metric when it is unknown", async () => {
    const res = await new TestClient(app).get(
      "/api/v1/series?metric=vibes&from=2026-05-01&to=2026-05-10",
      bearer(),
    );
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain("metric");
  });
});
