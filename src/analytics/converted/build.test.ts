import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCharge, makeDispute, makeRefund } from "../../../tests/support/builders/ledger.ts";
import { makeOrder } from "../../../tests/support/builders/orders.ts";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { clearAnalyticsData } from "../../../tests/support/random-data.ts";
import { cliActor } from "../../audit/index.ts";
import { queryRows } from "../../db/sql.ts";
import { buildSnapshots } from "../index.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

/** The converted amount counts of a day as (kind, amount, records), in a fixed order. */
const counts = async (day: string) =>
  queryRows<{ kind: string; amount: number; records: number }>(
    ctx.db,
    sql`SELECT kind, amount::int AS amount, records FROM snap_daily_amounts WHERE day = ${day}::date ORDER BY kind, amount`,
  );

/** Builds `from`..`to` and returns the rows the converted amounts stage wrote. */
async function rebuild(from: string, to = from): Promise<number | undefined> {
  const rows = new Map<string, number>();
  await buildSnapshots(
    ctx,
    { from, to, timezone: "UTC", onStage: (stage, _ms, n) => rows.set(stage, n) },
    cliActor,
  );
  return rows.get("converted_amounts");
}

/** Longer than the worker's short ranges: the stored rows read by a scan. */
const LONG = ["2026-05-15", "2026-06-30"] as const;

describe("converted amount counts", () => {
  it("rewrite only the counts that changed, on a dirty day and over a long range: changed, new and gone", async () => {
    await clearAnalyticsData(ctx.db);
    await ctx.db.execute(sql`DELETE FROM snap_daily_amounts`);
    const day = "2026-06-10";
    const paidAt = "2026-06-10T12:00:00Z";
    const a = await makeOrder(ctx.db, { paidAt, amountTotal: 1000 });
    await makeOrder(ctx.db, { paidAt, amountTotal: 1000 });
    const b = await makeOrder(ctx.db, { paidAt, amountTotal: 2500 });
    await makeCharge(ctx.db, { amount: 1000, created: new Date(paidAt) });
    // Another day's rows stay as they are.
    await makeOrder(ctx.db, { paidAt: "2026-06-11T12:00:00Z", amountTotal: 1000 });
    expect(await rebuild(...LONG)).toBe(4);
    expect(await counts(day)).toEqual([
      { kind: "gross", amount: 1000, records: 1 },
      { kind: "order", amount: 1000, records: 2 },
      { kind: "order", amount: 2500, records: 1 },
    ]);
    const nextDay = await counts("2026-06-11");
    // Nothing changed: nothing written.
    expect(await rebuild(day)).toBe(0);
    // One order of 1000 and the order of 2500 go, an order of 700 comes.
    await ctx.db.execute(sql`DELETE FROM orders WHERE id IN (${a.id}, ${b.id})`);
    await makeOrder(ctx.db, { paidAt, amountTotal: 700 });
    expect(await rebuild(day)).toBe(3);
    expect(await counts(day)).toEqual([
      { kind: "gross", amount: 1000, records: 1 },
      { kind: "order", amount: 700, records: 1 },
      { kind: "order", amount: 1000, records: 1 },
    ]);
    expect(await counts("2026-06-11")).toEqual(nextDay);
    expect(await rebuild(day)).toBe(0);
    // A long range (read by a scan, not through the key) also writes only what differs: nothing,
    // then the next day's count that changed.
    const after = await counts(day);
    expect(await rebuild(...LONG)).toBe(0);
    expect(await counts(day)).toEqual(after);
    await makeOrder(ctx.db, { paidAt: "2026-06-11T13:00:00Z", amountTotal: 1000 });
    expect(await rebuild(...LONG)).toBe(1);
    expect(await counts(day)).toEqual(after);
    expect(await counts("2026-06-11")).toEqual([{ kind: "order", amount: 1000, records: 2 }]);
    await ctx.db.execute(sql`DELETE FROM orders WHERE paid_at >= '2026-06-11' AND paid_at < '2026-06-12'`);
    expect(await rebuild(...LONG)).toBe(1);
    expect(await counts("2026-06-11")).toEqual([]);
    expect(await counts(day)).toEqual(after);
  });

  it("sum each day's ledger row from its amount counts: charges, gross and fees, refunds, chargebacks and losses", async () => {
    await clearAnalyticsData(ctx.db);
    await ctx.db.execute(sql`DELETE FROM snap_daily_amounts`);
    const day = "2026-06-10";
    const created = new Date("2026-06-10T09:00:00Z");
    // Two charges of 1000 with fee 59, one of 2500 captured 2000 with no fee known, one failed.
    await makeCharge(ctx.db, { amount: 1000, fee: 59, created });
    await makeCharge(ctx.db, { amount: 1000, fee: 59, created });
    await makeCharge(ctx.db, { amount: 2500, amountCaptured: 2000, created });
    await makeCharge(ctx.db, { amount: 9999, status: "failed", created });
    await makeRefund(ctx.db, { amount: 300, created });
    await makeRefund(ctx.db, { amount: 300, created });
    // A chargeback opened and lost that day, and an inquiry (no money withdrawn).
    await makeDispute(ctx.db, { amount: 800, status: "lost", lostAt: created, created });
    await makeDispute(ctx.db, { amount: 450, status: "warning_needs_response", created });
    // Orders are not money in the ledger.
    await makeOrder(ctx.db, { paidAt: "2026-06-10T12:00:00Z", amountTotal: 1000 });
    // A day with a refund only still has its row, with no charges.
    await makeRefund(ctx.db, { amount: 120, created: new Date("2026-06-11T09:00:00Z") });
    const ledger = () =>
      queryRows<Record<string, number | string>>(
        ctx.db,
        sql`SELECT day::text, charges, gross_revenue::int AS gross, refunds::int AS refunds, disputes::int AS disputes,
                   disputes_lost::int AS lost, fees::int AS fees, fees_known
            FROM snap_daily_ledger ORDER BY day`,
      );
    await rebuild(...LONG);
    const expected = [
      { day, charges: 3, gross: 4000, refunds: 600, disputes: 800, lost: 800, fees: 118, fees_known: 2 },
      { day: "2026-06-11", charges: 0, gross: 0, refunds: 120, disputes: 0, lost: 0, fees: 0, fees_known: 0 },
    ];
    expect(await ledger()).toEqual(expected);
    // The same on a dirty day, read through the key.
    await makeRefund(ctx.db, { amount: 5, created: new Date("2026-06-11T10:00:00Z") });
    await rebuild("2026-06-11");
    expect(await ledger()).toEqual([expected[0], { ...expected[1], refunds: 125 }]);
  });
});
