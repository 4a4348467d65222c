import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestContext } from "../../../tests/support/context.ts";
import { FX_DOC_PERIOD, loadFxDocExample } from "../../../tests/support/fx-doc-example.ts";
import { createTestApp, TestClient } from "../../../tests/support/http.ts";
import { buildSnapshots } from "../../analytics/index.ts";
import { cliActor } from "../../audit/index.ts";
import { createApiToken } from "../../auth/index.ts";
import type { AppEnv } from "../request-context.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
let token: string;

beforeAll(async () => {
  ({ ctx, app } = await createTestApp());
  await loadFxDocExample(ctx.db);
  await buildSnapshots(ctx, { from: "2026-02-01", to: "2026-03-31", timezone: "UTC" }, cliActor);
  ({ token } = await createApiToken(ctx, { name: "bi", role: "analyst", createdBy: null }, cliActor));
});
afterAll(() => ctx.destroy());

const get = (path: string) => new TestClient(app).get(path, { authorization: `Bearer ${token}` });
const period = `from=${FX_DOC_PERIOD.from}&to=${FX_DOC_PERIOD.to}`;

describe("GET /api/v1/kpis?currency=all (the converted view)", () => {
  it("converts every currency into the reporting currency (the worked example of the KPI docs)", async () => {
    const res = await get(`/api/v1/kpis?${period}&currency=all&reporting_currency=usd`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      currency: "all",
      reporting_currency: "usd",
      gross_revenue: 12762,
      mrr: 5500,
      mrr_movements: { fx: -625, net: -3125 },
      fx: { source: "imported", missing_days: 0 },
    });
  });

  it("names the field of a bad reporting currency, and refuses it without currency=all", async () => {
    const bad = await get(`/api/v1/kpis?${period}&currency=all&reporting_currency=zz1`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("reporting_currency");
    const alone = await get(`/api/v1/kpis?${period}&currency=usd&reporting_currency=usd`);
    expect(alone.status).toBe(400);
    expect(await alone.text()).toContain("reporting_currency");
  });

  it("gives series in the reporting currency: a day's flows and the MRR at each day's end", async () => {
    const res = await get(
      `/api/v1/series?${period}&currency=all&reporting_currency=usd&metric=mrr&grain=day`,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { points: Array<{ period: string; value: number }> };
    // The worked example's table: 8625 at the start, then 9250, 6125, 5625, 5500 (03-06 to 03-08).
    expect(body.points.map((p) => p.value)).toEqual([8625, 9250, 6125, 5625, 5500, 5500, 5500]);
    const gross = await get(`/api/v1/series?${period}&currency=all&metric=gross_revenue&grain=week`);
    // No reporting_currency and no REPORTING_CURRENCY: the main currency, JPY (2 charges, tied with KWD,
    // first by name). USD 100.00 × 160 = 16000 + 3000 yen + KWD 1.234 × 500 = 617 + KWD 2.001 × 500 = 1001.
    const week = (await gross.json()) as { reporting_currency: string; points: Array<{ value: number }> };
    expect(week.reporting_currency).toBe("jpy");
    expect(week.points[0]!.value).toBe(20618);
  });
});
