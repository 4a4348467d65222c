import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { countRows } from "../../../tests/support/webhooks.ts";
import { queryRows } from "../../db/sql.ts";
import { simulateTraffic } from "./traffic.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

describe("simulate (offline traffic through the webhook path)", () => {
  it("creates orders, payments, declines and subscriptions; every event is applied", async () => {
    const report = await simulateTraffic(ctx, { days: 3, seed: 7 });
    expect(report.orders).toBeGreaterThanOrEqual(6); // at least 2 checkouts a day
    expect(report.paid + report.declined).toBe(report.orders);
    const statuses = await queryRows<{ status: string; n: number }>(
      ctx.db,
      sql`SELECT status, count(*)::int AS n FROM stripe_events GROUP BY status`,
    );
    expect(statuses.map((s) => s.status)).toEqual(["processed"]);
    expect(await countRows(ctx, "charges")).toBeGreaterThanOrEqual(report.paid);
    const paidOrders = await queryRows<{ n: number }>(
      ctx.db,
      sql`SELECT count(*)::int AS n FROM orders WHERE status IN ('paid', 'refunded')`,
    );
    expect(Number(paidOrders[0]?.n)).toBe(report.paid);
  });
});
