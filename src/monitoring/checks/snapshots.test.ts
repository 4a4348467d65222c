import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCharge } from "../../../tests/support/builders/ledger.ts";
import { makeOrder } from "../../../tests/support/builders/orders.ts";
import { expectFailThenPass, gate } from "../../../tests/support/check-workflow.ts";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { buildSnapshots } from "../../analytics/index.ts";
import { systemActor } from "../../audit/index.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());
// Test clock: 2026-06-15T12:00Z, reporting zone UTC, so "yesterday" is 06-14.
const build = (from: string, to: string) => buildSnapshots(ctx, { from, to, timezone: "UTC" }, systemActor);

describe("stale-snapshots", () => {
  it("is clean on an empty database", async () => {
    expect(await gate(ctx, "stale-snapshots")).toBe(0);
  });

  it("flags activity newer than the newest snapshot, then passes once snapshots are built", async () => {
    const order = await makeOrder(ctx.db, { paidAt: new Date("2026-06-12T09:00:00Z") });
    await makeCharge(ctx.db, { orderId: order.id, created: new Date("2026-06-12T09:00:00Z") });
    const details = await expectFailThenPass(ctx, "stale-snapshots", "snapshots", () =>
      build("2026-06-01", "2026-06-14"),
    );
    expect(details).toMatchObject({
      newestSnapshotDay: null,
      newestActivityDay: "2026-06-12",
      yesterday: "2026-06-14",
    });
  });
});

describe("snapshot-reconciliation", () => {
  it("names the day whose snapshot differs from raw data and its rebuild command, then passes once rebuilt", async () => {
    expect(await gate(ctx, "snapshot-reconciliation")).toBe(0);
    // A late charge on 06-13 that no rebuild has seen: gross revenue 0 in snapshots, 2500 raw.
    await makeCharge(ctx.db, { amount: 2500, created: new Date("2026-06-13T20:00:00Z") });
    const details = await expectFailThenPass(ctx, "snapshot-reconciliation", "usd:2026-06-13", () =>
      build("2026-06-13", "2026-06-13"),
    );
    expect(details.fix).toBe("revintel snapshots build --from 2026-06-13 --to 2026-06-13");
    expect(details.differences).toMatchObject({ gross_revenue: { snapshot: 0, raw: 2500 } });
  });
});
