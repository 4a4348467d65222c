import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCharge } from "../../../tests/support/builders/ledger.ts";
import { makeSubscriptionState } from "../../../tests/support/builders/subscriptions.ts";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { onPostgres } from "../../../tests/support/db.ts";
import { clearAnalyticsData } from "../../../tests/support/random-data.ts";
import { listAuditEvents, systemActor } from "../../audit/index.ts";
import { queryRows } from "../../db/sql.ts";
import { ALL_JOBS } from "../../jobs/all.ts";
import { linkSubscriptionsToCustomer, upsertCoupon } from "../../subscriptions/index.ts";
import { markDaysDirty, NO_PAID_ORDERS } from "../dirty.ts";
import { buildSnapshots, computeKpis, computeKpisRaw } from "../index.ts";
import { contiguous, rebuildDirtyDays } from "./dirty-rebuild.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ env: { REPORTING_TIMEZONE: "America/New_York" }, poolSize: 4 });
});
afterAll(() => ctx.destroy());

const june = { from: "2026-06-01", to: "2026-06-30", timezone: "America/New_York", currency: "usd" };

/** Marks `day` in a transaction left open until `commit()` (Postgres: a second connection sees nothing yet). */
async function markInOpenTransaction(day: Date): Promise<{ commit(): Promise<void> }> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let marked!: () => void;
  const isMarked = new Promise<void>((resolve) => {
    marked = resolve;
  });
  const done = ctx.db.transaction(async (tx) => {
    await markDaysDirty({ ...ctx, db: tx }, [day]);
    marked();
    await held;
  });
  await Promise.race([isMarked, done]);
  return {
    commit: async () => {
      release();
      await done;
    },
  };
}

describe("dirty-day rebuild job", () => {
  it("is scheduled every minute in the worker's job list", () => {
    const job = ALL_JOBS.find((j) => j.name === "snapshots.rebuild-dirty");
    expect(job?.schedule).toBe("* * * * *");
  });

  it("rebuilds the marked days so snapshot KPIs see new facts, then clears the marks", async () => {
    const created = new Date("2026-06-10T02:00:00Z"); // June 9, 22:00 in New York
    await ctx.db.transaction(async (tx) => {
      await makeCharge(tx, { amount: 2500, created });
      await makeSubscriptionState(tx, {
        subscriptionId: "sub_1",
        customerId: 1,
        created,
        status: "active",
        items: [{ unitAmount: 900 }],
      });
      await markDaysDirty({ ...ctx, db: tx }, [created]);
    });
    expect((await computeKpis(ctx, june)).gross_revenue).toBe(0); // not rebuilt yet
    expect(await rebuildDirtyDays(ctx)).toBe(1);
    const k = await computeKpis(ctx, june);
    expect([k.gross_revenue, k.mrr, k.mrr_movements.new]).toEqual([2500, 900, 900]);
    expect((await computeKpis(ctx, { ...june, from: "2026-06-09", to: "2026-06-09" })).gross_revenue).toBe(
      2500,
    );
    expect(await queryRows(ctx.db, sql`SELECT day FROM dirty_days`)).toEqual([]);
    const { rows } = await listAuditEvents(ctx, { action: "snapshots.build" });
    expect(rows[0]).toMatchObject({ actorType: "system", after: { from: "2026-06-09", to: "2026-06-09" } });
    expect(await rebuildDirtyDays(ctx)).toBe(0);
  });

  it.runIf(onPostgres)(
    "keeps a mark that commits after the job read the marks, even with a lower id",
    async () => {
      const day = new Date("2026-06-20T15:00:00Z");
      // A change whose transaction takes its mark id first but commits only after the job has run.
      const late = await markInOpenTransaction(day);
      await markDaysDirty(ctx, [day]);
      try {
        expect(await rebuildDirtyDays(ctx)).toBe(1);
      } finally {
        await late.commit();
      }
      // The late change was not visible to that build, so its mark must still be there.
      expect(await queryRows(ctx.db, sql`SELECT day::text AS day FROM dirty_days`)).toEqual([
        { day: "2026-06-20" },
      ]);
      expect(await rebuildDirtyDays(ctx)).toBe(1);
      expect(await rebuildDirtyDays(ctx)).toBe(0);
    },
  );

  it.runIf(onPostgres)(
    "lets concurrent transactions mark the same day without waiting on each other",
    async () => {
      const day = new Date("2026-06-21T15:00:00Z");
      // The first transaction holds its mark uncommitted while a second marks the same day under a short
      // lock timeout: with a shared row per day the second would queue behind the first and time out.
      const first = await markInOpenTransaction(day);
      try {
        await ctx.db.transaction(async (tx) => {
          await tx.execute(sql`SET LOCAL lock_timeout = '500ms'`);
          await markDaysDirty({ ...ctx, db: tx }, [day]);
        });
      } finally {
        await first.commit();
      }
      const rows = await queryRows<{ n: number }>(
        ctx.db,
        sql`SELECT count(*)::int AS n FROM dirty_days WHERE day = '2026-06-21'`,
      );
      expect(rows[0]?.n).toBe(2);
      expect(await rebuildDirtyDays(ctx)).toBe(1);
    },
  );

  it("groups dirty days into contiguous ranges", () => {
    expect(contiguous(["2026-06-03", "2026-06-01", "2026-06-02", "2026-06-05"])).toEqual([
      { from: "2026-06-01", to: "2026-06-03" },
      { from: "2026-06-05", to: "2026-06-05" },
    ]);
  });

  it("records each statement that changes what MRR reads, whoever writes it, and none that changes nothing", async () => {
    await ctx.db.execute(sql`DELETE FROM mrr_input_changes`);
    const recorded = async () => {
      const rows = await queryRows<{ source: string }>(
        ctx.db,
        sql`SELECT source FROM mrr_input_changes ORDER BY id`,
      );
      await ctx.db.execute(sql`DELETE FROM mrr_input_changes`);
      return rows.map((r) => r.source);
    };
    const state = { subscriptionId: "sub_rec", created: "2026-06-05T15:00:00Z", status: "active" };
    await makeSubscriptionState(ctx.db, { ...state, customerId: null, items: [{ unitAmount: 900 }] });
    expect(await recorded()).toContain("subscription_history");
    await ctx.db.execute(sql`UPDATE subscription_history SET mrr = mrr WHERE subscription_id = 'sub_none'`);
    await ctx.db.execute(sql`DELETE FROM subscription_history WHERE subscription_id = 'sub_none'`);
    expect(await recorded()).toEqual([]);
    // A customer event links the subscription's history to the shop's customer; it marks no day.
    await linkSubscriptionsToCustomer(ctx.db, "cus_x", 41);
    expect(await recorded()).toEqual(["subscription_history"]);
    await linkSubscriptionsToCustomer(ctx.db, "cus_x", 41);
    expect(await recorded()).toEqual([]);
    const coupon = { id: "co_rec", percentOff: 10, amountOff: null, currency: null };
    await upsertCoupon(ctx, coupon, { livemode: false, at: new Date("2026-06-05T15:00:00Z") });
    expect(await recorded()).toEqual(["coupons"]);
    // An older copy of the coupon changes nothing.
    await upsertCoupon(ctx, coupon, { livemode: false, at: new Date("2026-06-04T15:00:00Z") });
    expect(await recorded()).toEqual([]);
    await ctx.db.execute(sql`DELETE FROM subscription_history WHERE subscription_id = 'sub_rec'`);
    await ctx.db.execute(sql`UPDATE coupons SET percent_off = 20 WHERE id = 'co_rec'`);
    await ctx.db.execute(sql`TRUNCATE discounts`);
    expect(await recorded()).toEqual(["subscription_history", "coupons", "discounts"]);
  });

  it("skips the MRR stages without reading the history when no MRR input changed, and catches a change that marked no day", async () => {
    await clearAnalyticsData(ctx.db);
    await ctx.db.execute(sql`DELETE FROM mrr_input_changes`);
    const kpisEqualRaw = async () =>
      expect(await computeKpis(ctx, june)).toEqual(await computeKpisRaw(ctx, june));
    const customerKeys = async () =>
      (
        await queryRows<{ key: string }>(
          ctx.db,
          sql`SELECT DISTINCT customer_key AS key FROM snap_customer_mrr ORDER BY 1`,
        )
      ).map((r) => r.key);
    /** A charge's day marked as the app marks it, then the job; the rows the customer MRR stage wrote. */
    const chargeDay = async () => {
      const created = new Date("2026-06-12T15:00:00Z");
      await ctx.db.transaction(async (tx) => {
        await makeCharge(tx, { amount: 100, created });
        await markDaysDirty({ ...ctx, db: tx }, [created], NO_PAID_ORDERS);
      });
      const rows = new Map<string, number>();
      expect(await rebuildDirtyDays(ctx, (stage, _ms, n) => rows.set(stage, n))).toBe(1);
      expect(await queryRows(ctx.db, sql`SELECT id FROM mrr_input_changes`)).toEqual([]);
      return rows.get("customer_mrr");
    };
    const sub = (subscriptionId: string, customer: { customerId: number | null; stripeCustomerId: string }) =>
      makeSubscriptionState(ctx.db, {
        subscriptionId,
        ...customer,
        created: "2026-06-03T15:00:00Z",
        status: "active",
        items: [{ unitAmount: 900 }],
      });
    await sub("sub_known", { customerId: 7, stripeCustomerId: "cus_7" });
    await sub("sub_later", { customerId: null, stripeCustomerId: "cus_later" });
    expect(await chargeDay()).toBeGreaterThan(0);
    expect(await customerKeys()).toEqual(["7", "cus_later"]);
    await kpisEqualRaw();
    // Nothing MRR reads changed: skipped.
    expect(await chargeDay()).toBe(0);
    // The customer event that links cus_later to customer 7 marks no day; the next job sees its row.
    await linkSubscriptionsToCustomer(ctx.db, "cus_later", 7);
    expect(await chargeDay()).toBeGreaterThan(0);
    expect(await customerKeys()).toEqual(["7"]);
    await kpisEqualRaw();
    // The job trusts those rows alone: a change made with triggers off (a replica's apply) is not seen
    // until an explicit build, which always recomputes.
    await ctx.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL session_replication_role = replica`);
      await tx.execute(
        sql`UPDATE subscription_history SET items = jsonb_set(items, '{0,unitAmount}', '4500') WHERE subscription_id = 'sub_known'`,
      );
    });
    expect(await chargeDay()).toBe(0);
    expect((await computeKpis(ctx, june)).mrr).not.toBe((await computeKpisRaw(ctx, june)).mrr);
    await buildSnapshots(ctx, { from: "2026-06-01", to: "2026-06-30" }, systemActor);
    await kpisEqualRaw();
  });
});
