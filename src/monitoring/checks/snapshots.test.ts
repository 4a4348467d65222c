import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCustomer } from "../../../tests/support/builders/customers.ts";
import { makeCharge } from "../../../tests/support/builders/ledger.ts";
import { makeOrder } from "../../../tests/support/builders/orders.ts";
import {
  makeSubscriptionState,
  makeSubscriptionWithHistory,
} from "../../../tests/support/builders/subscriptions.ts";
import { expectFailThenPass, gate } from "../../../tests/support/check-workflow.ts";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { buildSnapshots, computeKpis, computeKpisRaw, readRawHistory } from "../../analytics/index.ts";
import { systemActor } from "../../audit/index.ts";
import { reconcileSnapshots } from "./snapshot-reconciliation.ts";

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

describe("snapshot-reconciliation while subscription events land", () => {
  it("reports no day whose subscription history changed after the check read it, once the snapshots have the change", async () => {
    const customer = await makeCustomer(ctx.db);
    const sub = await makeSubscriptionWithHistory(ctx.db, {
      customerId: customer.id,
      stripeCustomerId: "cus_recon_1",
      unitAmount: 2900,
      states: [{ at: "2026-04-01T00:00:00Z", status: "active" }],
    });
    await build("2026-03-01", "2026-06-14");
    const checkCtx = { ...ctx, now: ctx.clock.now() };
    expect(await reconcileSnapshots(checkCtx)).toEqual([]);

    // An upgrade on 06-10, applied and built while the check runs, after it read the history.
    const primary = { ...ctx, readDb: ctx.db };
    const stale = await readRawHistory(primary, false);
    const upgrade = async () => {
      await makeSubscriptionState(ctx.db, {
        subscriptionId: sub.id,
        created: "2026-06-10T09:00:00Z",
        status: "active",
        items: [{ id: `si_${sub.id}`, priceId: "price_t", unitAmount: 4900 }],
        customerId: customer.id,
        stripeCustomerId: "cus_recon_1",
        mrr: 4900,
      });
      await build("2026-06-10", "2026-06-14");
    };
    expect(await reconcileSnapshots(checkCtx, { afterHistoryRead: upgrade })).toEqual([]);

    // What the check read first disagrees with those snapshots on each day from the upgrade on, so
    // only the fresh read of such a day keeps it out of the findings.
    for (const day of ["2026-06-10", "2026-06-14"]) {
      const params = { from: day, to: day, currency: "usd", livemode: false };
      const [snapshot, raw] = await Promise.all([
        computeKpis(primary, params),
        computeKpisRaw(primary, params, stale),
      ]);
      expect({ snapshot: snapshot.mrr, raw: raw.mrr }).toEqual({ snapshot: 4900, raw: 2900 });
    }
    expect(await reconcileSnapshots(checkCtx)).toEqual([]);
  });
});
