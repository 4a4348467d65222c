import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { eachDay } from "../analytics/core/periods.ts";
import { computeKpis, computeKpisRaw, readRawHistory } from "../analytics/index.ts";
import { findUserByEmail } from "../auth/index.ts";
import { queryRows } from "../db/sql.ts";
import { listIssues, runChecks } from "../monitoring/index.ts";
import { type SeedResult, seedDemo } from "./seed.ts";

// The test clock is 2026-06-15T12:00Z: two months of history run from 2026-04-15 to that morning.
const OPTIONS = { seed: 7, customers: 60, months: 2 };
let a: TestContext;
let b: TestContext;
let resultA: SeedResult;
let resultB: SeedResult;

beforeAll(async () => {
  a = await createTestContext();
  b = await createTestContext();
  resultA = await seedDemo(a, OPTIONS);
  resultB = await seedDemo(b, OPTIONS);
}, 240_000);
afterAll(async () => {
  await a.destroy();
  await b.destroy();
});

const count = async (ctx: TestContext, query: ReturnType<typeof sql>) =>
  Number((await queryRows<{ n: number }>(ctx.db, query))[0]?.n ?? 0);

describe("seed-demo (small seed: 60 customers, 2 months)", () => {
  it("is deterministic: the same seed gives the same counts, KPIs and Stripe ids", async () => {
    expect(resultB).toEqual(resultA);
    const params = { from: "2026-04-01", to: "2026-06-15" };
    expect(await computeKpisRaw(b, params)).toEqual(await computeKpisRaw(a, params));
    const ids = (ctx: TestContext) =>
      queryRows<{ id: string }>(ctx.db, sql`SELECT id FROM stripe_events ORDER BY id`);
    const eventsA = await ids(a);
    expect(eventsA.length).toBeGreaterThan(100);
    expect(await ids(b)).toEqual(eventsA);
  });

  it("gives the same raw KPIs from one read of the subscription history as from a read per call", async () => {
    // The reconciliation check's way: one read, then day after day; then days out of order and longer periods.
    const history = await readRawHistory(a, false);
    const days = eachDay("2026-04-14", "2026-06-14");
    const periods = [
      ...days.map((day) => ({ from: day, to: day })),
      ...days
        .filter((_, i) => i % 7 === 3)
        .reverse()
        .map((day) => ({ from: day, to: day })),
      { from: "2026-05-01", to: "2026-05-31" },
      { from: "2026-04-20", to: "2026-06-10" },
    ];
    let moved = 0;
    for (const period of periods) {
      const once = await computeKpisRaw(a, period, history);
      expect({ period, kpis: once }).toEqual({ period, kpis: await computeKpisRaw(a, period) });
      if (once.mrr_movements.new !== 0 || once.mrr_movements.churn !== 0) moved += 1;
    }
    expect(moved).toBeGreaterThan(5);
  });

  it("has orders in every status, partial and full refunds, a dispute and preorder-free calm weeks", async () => {
    const statuses = await queryRows<{ status: string }>(
      a.db,
      sql`SELECT DISTINCT status FROM orders ORDER BY status`,
    );
    expect(statuses.map((s) => s.status)).toEqual(["canceled", "fulfilled", "paid", "pending", "refunded"]);
    expect(
      await count(
        a,
        sql`SELECT count(*)::int AS n FROM orders o
      WHERE o.amount_refunded > 0 AND o.amount_refunded < o.amount_total`,
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await count(a, sql`SELECT count(*)::int AS n FROM orders WHERE status = 'refunded'`),
    ).toBeGreaterThanOrEqual(1);
    // Two older chargebacks, then the recent ones: won, lost, still open, and an inquiry.
    const disputes = await queryRows<{ status: string }>(
      a.db,
      sql`SELECT status FROM disputes ORDER BY created`,
    );
    expect(disputes.map((d) => d.status).slice(-4)).toEqual([
      "won",
      "lost",
      "warning_needs_response",
      "needs_response",
    ]);
    // The customer demo login is linked to a customer who has orders.
    expect(
      await count(
        a,
        sql`SELECT count(*)::int AS n FROM orders o JOIN users u ON u.customer_id = o.customer_id
      WHERE u.email = 'customer@demo.revintel.test'`,
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(resultA.products).toBeGreaterThanOrEqual(280);
  });

  it("has subscriptions with history (sign-ups, trials, renewals) and wishlists", async () => {
    expect(await count(a, sql`SELECT count(*)::int AS n FROM subscriptions`)).toBe(
      resultA.subscriptions.started,
    );
    expect(resultA.subscriptions.started).toBeGreaterThan(5);
    expect(resultA.subscriptions.trials).toBeGreaterThan(0);
    expect(
      await count(a, sql`SELECT count(DISTINCT subscription_id)::int AS n FROM subscription_history`),
    ).toBe(resultA.subscriptions.started);
    expect(await count(a, sql`SELECT count(*)::int AS n FROM wishlist_items`)).toBeGreaterThan(0);
  });

  it("shows refunds, disputes, churn, expansion and reactivation in the last 7 and 30 days, in every currency", async () => {
    // Dashboards read the snapshots (computeKpis), as the default 7- and 30-day views do.
    for (const from of ["2026-06-09", "2026-05-17"]) {
      const k = await computeKpis(a, { from, to: "2026-06-15", currency: "usd" });
      expect(k.refunds, from).toBeGreaterThan(0);
      expect(k.disputes, from).toBeGreaterThan(0);
      expect(k.customer_churn_rate, from).toBeGreaterThan(0);
      expect(k.mrr_movements.churn, from).toBeGreaterThan(0);
      expect(k.mrr_movements.expansion, from).toBeGreaterThan(0);
      expect(k.mrr_movements.reactivation, from).toBeGreaterThan(0);
    }
    const month = { from: "2026-05-17", to: "2026-06-15" };
    expect((await computeKpis(a, { ...month, currency: "usd" })).disputes_lost).toBeGreaterThan(0);
    for (const currency of ["eur", "kwd"]) {
      const k = await computeKpis(a, { ...month, currency });
      expect(k.mrr, currency).toBeGreaterThan(0);
      expect(k.subscribers, currency).toBeGreaterThan(0);
    }
    // One order was paid by manual capture: authorised, then captured in full, then shipped.
    const [manual] = await queryRows<{
      captured: boolean;
      amountCaptured: number;
      amount: number;
      status: string;
    }>(
      a.db,
      sql`SELECT c.captured, c.amount_captured AS "amountCaptured", c.amount, o.status
          FROM charges c JOIN orders o ON o.id = c.order_id
          WHERE c.id IN (SELECT payload->'data'->'object'->>'id' FROM stripe_events WHERE type = 'charge.captured')`,
    );
    expect(manual).toEqual({
      captured: true,
      amountCaptured: manual!.amount,
      amount: manual!.amount,
      status: "fulfilled",
    });
    // Coupons (percent and amount off), upgrades, returns and failed renewals all happened.
    expect(resultA.subscriptions.discounted).toBeGreaterThan(0);
    expect(resultA.subscriptions.reactivated).toBeGreaterThan(0);
    expect(resultA.subscriptions.upgrades).toBeGreaterThan(0);
  });

  it("leaves no open data-quality issue; exactly the two historical ones are resolved", async () => {
    const summary = await runChecks(a);
    expect(summary.open).toEqual([]);
    expect(summary.openTotal).toBe(0);
    const resolved = (await listIssues(a, { status: "resolved" }, { page: 1, pageSize: 50 })).items;
    expect(resolved.map((i) => i.check)).toEqual(["fulfillment-backlog", "fulfillment-backlog"]);
    // One shipped and cleared by the next run (system), one resolved with a note by the ops login.
    const ops = await findUserByEmail(a, "ops@demo.revintel.test");
    expect(resolved.map((i) => i.resolvedBy).sort()).toEqual([String(ops?.id), "system"].sort());
    expect(resultA.resolvedIssues).toBe(2);
  });

  it("also seeds a one-month history (its dispute, refund and late-shipping days are distinct)", async () => {
    const c = await createTestContext();
    try {
      const result = await seedDemo(c, { seed: 1, customers: 20, months: 1 });
      expect(result.resolvedIssues).toBe(2);
      expect(await count(c, sql`SELECT count(*)::int AS n FROM disputes`)).toBeGreaterThanOrEqual(2);
    } finally {
      await c.destroy();
    }
  }, 120_000);
});
