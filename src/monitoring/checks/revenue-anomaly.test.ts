import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCharge, makeRefund } from "../../../tests/support/builders/ledger.ts";
import { expectFailThenPass, gate } from "../../../tests/support/check-workflow.ts";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { addDays } from "../../analytics/core/periods.ts";
import { refunds } from "../../db/schema.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

/**
 * One charge a day from 05-01 to 06-14 of 10000 + (i mod 5) × 100 (i = days since 05-01).
 * For 06-14 (i = 44) the trailing 28 days are 05-17..06-13 (i = 16..43): 10000 ×5, 10100 ×6,
 * 10200 ×6, 10300 ×6, 10400 ×5 → median 10200; deviations 0 ×6, 100 ×12, 200 ×10 → MAD 100,
 * σ ≈ 148.26. 06-14 itself is 10400: z = 200 / 148.26 ≈ 1.35, normal.
 */
async function seedSteadyShop() {
  for (let i = 0; i <= 44; i++) {
    const day = addDays("2026-05-01", i);
    await makeCharge(ctx.db, { amount: 10_000 + (i % 5) * 100, created: new Date(`${day}T15:00:00Z`) });
  }
}

describe("revenue-anomaly", () => {
  it("cannot judge a shop with too little history, so it reports nothing", async () => {
    await makeCharge(ctx.db, {
      amount: 99_999,
      created: new Date("2026-06-14T10:00:00Z"),
      currency: "eur",
    });
    expect(await gate(ctx, "revenue-anomaly")).toBe(0);
  });

  it("flags a day whose net revenue collapses under a bulk refund, then passes once the refund failed", async () => {
    await seedSteadyShop();
    expect(await gate(ctx, "revenue-anomaly")).toBe(0);
    // A 30000 refund on 06-14: net 10400 − 30000 = −19600; z = (−19600 − 10200) / 148.26 ≈ −201.
    const bulk = await makeRefund(ctx.db, { amount: 30_000, created: new Date("2026-06-14T18:00:00Z") });
    const details = await expectFailThenPass(ctx, "revenue-anomaly", "usd:2026-06-14", () =>
      ctx.db.update(refunds).set({ status: "failed" }).where(eq(refunds.id, bulk.id)),
    );
    expect(details).toMatchObject({
      currency: "usd",
      day: "2026-06-14",
      netRevenue: -19_600,
      trailingDays: 28,
    });
    expect(details.robustZ).toBeCloseTo(-201, 0);
  });

  it("ignores today, which is not complete", async () => {
    const spike = await makeCharge(ctx.db, { amount: 500_000, created: new Date("2026-06-15T09:00:00Z") });
    expect(await gate(ctx, "revenue-anomaly")).toBe(0);
    // The same spike judged tomorrow is an anomaly.
    ctx.clock.set("2026-06-16T12:00:00Z");
    expect(await gate(ctx, "revenue-anomaly")).toBe(1);
    ctx.clock.set("2026-06-15T12:00:00Z");
    expect(spike.amount).toBe(500_000);
  });
});
