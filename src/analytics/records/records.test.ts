import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCustomer } from "../../../tests/support/builders/customers.ts";
import { makeCharge, makeDispute, makeRefund } from "../../../tests/support/builders/ledger.ts";
import { makeOrder } from "../../../tests/support/builders/orders.ts";
import { makeSubscriptionState } from "../../../tests/support/builders/subscriptions.ts";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { DOC_PERIOD, loadDocExample } from "../../../tests/support/doc-example.ts";
import {
  clearAnalyticsData,
  dataSetArb,
  insertDataSet,
  WINDOW_DAYS,
} from "../../../tests/support/random-data.ts";
import { cliActor } from "../../audit/index.ts";
import { linkSubscriptionsToCustomer } from "../../subscriptions/upsert.ts";
import { addDays, endOfPeriod, startOfDay } from "../core/periods.ts";
import { rate } from "../core/rates.ts";
import {
  buildSnapshots,
  computeKpis,
  getCohortRetention,
  getMrrByPlan,
  getProductRollups,
  getSubscriberCohorts,
} from "../index.ts";
import { dirtyDays } from "../schema.ts";
import {
  figureOf,
  isPlanKpi,
  isProductKpi,
  isStockKpi,
  isSubscriberCohortKpi,
  RECORD_KPI_KEYS,
  type RecordKpi,
} from "./kpis.ts";
import { stripeDashboardUrl } from "./links.ts";
import { iterateRecords, listRecords, type RecordRow } from "./list.ts";
import { snapshotTotals } from "./snapshot-totals.ts";

/** A product figure read straight off the rollup (no product sold: 0 units and revenue, no cost or margin). */
function productRollupFigure(
  rollup: { units: number; revenue: number; cost: number | null; margin: number | null } | undefined,
  kpi: "product_units" | "product_revenue" | "product_cost" | "product_margin" | "product_margin_rate",
): number | null {
  if (kpi === "product_margin_rate") {
    const r = rollup;
    return r && r.margin !== null && r.cost !== null ? rate(r.margin, r.margin + r.cost) : null;
  }
  if (kpi === "product_units") return rollup?.units ?? 0;
  if (kpi === "product_revenue") return rollup?.revenue ?? 0;
  if (kpi === "product_cost") return rollup?.cost ?? null;
  return rollup?.margin ?? null;
}

/** The order-cohort heatmap's cell (cohort, month k) as the subscriptions dashboard reads it. */
async function heatmapCell(p: {
  cohort: string;
  month: number;
  timezone: string;
  currency: string;
  livemode: boolean;
}) {
  const first = `${p.cohort}-01`;
  const [y, m] = p.cohort.split("-").map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m + p.month, 0)).toISOString().slice(0, 10);
  const rows = await getCohortRetention(ctx, { ...p, from: first, to: last });
  return rows.find((r) => r.cohort === p.cohort)?.retention[p.month]?.rate ?? null;
}

/** The last day of month k after `cohort` ("YYYY-MM"), or `to` when that comes first. */
function subscriberCellTo(cohort: string, k: number, to: string): string {
  const [y, m] = cohort.split("-").map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m + k, 0)).toISOString().slice(0, 10);
  return last < to ? last : to;
}

/** The subscriber-cohort heatmaps' cell (cohort, month k) as the subscriptions dashboard reads it. */
async function subscriberHeatmapCell(
  p: { cohort: string; month: number; to: string; timezone: string; currency: string; livemode: boolean },
  kpi: "subscriber_cohort" | "subscriber_cohort_mrr",
) {
  const rows = await getSubscriberCohorts(ctx, { ...p, from: "2026-01-01", to: p.to });
  const cell = rows.find((r) => r.cohort === p.cohort)?.retention.find((r) => r.month === p.month);
  if (!cell) return null;
  return kpi === "subscriber_cohort" ? cell.subscriber_rate : cell.mrr_rate;
}

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

const FIRST_DAY = "2026-10-25";
const periodArb = fc
  .tuple(fc.integer({ min: 0, max: WINDOW_DAYS - 1 }), fc.integer({ min: 0, max: WINDOW_DAYS }))
  .map(([a, length]) => ({
    from: addDays(FIRST_DAY, a),
    to: addDays(FIRST_DAY, Math.min(a + length, WINDOW_DAYS)),
  }));
const zoneArb = fc.constantFrom("UTC", "America/New_York", "Asia/Kolkata");

/** Random data plus what the generator never makes: lost disputes, inquiries, provisional refunds. */
async function loadRandom(data: Parameters<typeof insertDataSet>[1]) {
  await clearAnalyticsData(ctx.db);
  await insertDataSet(ctx.db, data);
  const day = (n: number) => new Date(Date.parse(`${addDays(FIRST_DAY, n)}T10:00:00Z`));
  await makeDispute(ctx.db, { amount: 1200, status: "lost", created: day(1), lostAt: day(4) });
  await makeDispute(ctx.db, {
    amount: 800,
    status: "lost",
    created: day(2),
    lostAt: null,
    sourceEventCreated: day(6),
  });
  await makeDispute(ctx.db, { amount: 500, status: "warning_needs_response", created: day(3) });
  await makeRefund(ctx.db, { amount: 300, created: day(5), provisional: true });
  // One customer through every movement type: new, expansion, contraction, churn, reactivation.
  const steps: Array<[number, string, number]> = [
    [0, "active", 1000],
    [2, "active", 3000],
    [4, "active", 2000],
    [6, "canceled", 2000],
    [8, "active", 1500],
  ];
  for (const [n, status, unitAmount] of steps) {
    await makeSubscriptionState(ctx.db, {
      subscriptionId: "sub_steps",
      customerId: 9,
      created: day(n),
      status,
      items: [{ unitAmount }],
    });
  }
  // Two plans on one subscription, a discount and uneven weights: MRR by plan splits it by
  // largest remainder, then the subscription moves wholly to one of them.
  await makeSubscriptionState(ctx.db, {
    subscriptionId: "sub_split",
    customerId: 8,
    created: day(1),
    status: "active",
    items: [
      { unitAmount: 1001, priceId: "price_a" },
      { unitAmount: 9999, priceId: "price_b", interval: "year" },
      { unitAmount: 333, priceId: "price_a", quantity: 2 },
    ],
    percentOff: 33,
  });
  await makeSubscriptionState(ctx.db, {
    subscriptionId: "sub_split",
    customerId: 8,
    created: day(7),
    status: "active",
    items: [{ unitAmount: 2500, priceId: "price_b" }],
  });
}

/** The fullest of a few fixed-seed data sets: enough rows to page through. */
function richSample(): Parameters<typeof insertDataSet>[1] {
  const size = (d: Parameters<typeof insertDataSet>[1]) =>
    d.charges.length + d.refunds.length + d.orders.length + d.states.length;
  return fc
    .sample(dataSetArb, { numRuns: 30, seed: 11 })
    .reduce((best, d) => (size(d) > size(best) ? d : best));
}

async function allRows(kpi: RecordKpi, params: Record<string, unknown>, limit: number): Promise<RecordRow[]> {
  const rows: RecordRow[] = [];
  let cursor: string | undefined;
  do {
    const page = await listRecords(ctx, { ...(params as { from: string; to: string }), kpi, cursor, limit });
    rows.push(...page.rows);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return rows;
}

describe("records behind each figure", () => {
  it("sum to computeKpis for every KPI on random data, zones, periods and modes", async () => {
    const seen = new Map<RecordKpi, number>();
    const fromSnapshots = new Set<RecordKpi>();
    let cellsChecked = 0;
    let cellsMoved = 0;
    await fc.assert(
      fc.asyncProperty(
        dataSetArb,
        zoneArb,
        periodArb,
        fc.constantFrom("usd", "eur"),
        fc.boolean(),
        async (data, timezone, period, currency, livemode) => {
          await loadRandom(data);
          await buildSnapshots(
            ctx,
            { from: addDays(FIRST_DAY, -3), to: addDays(FIRST_DAY, WINDOW_DAYS + 2), timezone },
            cliActor,
          );
          // Product figures are of product 1 (the other figures have no product); the random refunds
          // give no reason, so the by-reason figure of `none` is every refund.
          // The cohort cell is the from-month's cohort one month on.
          const cohort = { cohort: period.from.slice(0, 7), month: 1 };
          const params = { ...period, timezone, currency, livemode, product: 1, reason: "none", ...cohort };
          // MRR by plan: each plan's subscriptions at the start and at the end add up to the plan
          // snapshot's figure (and a plan with none to 0).
          const byPlan = await getMrrByPlan(ctx, params);
          for (const plan of [...byPlan.map((r) => r.plan_id), "price_none"]) {
            const cell = byPlan.find((r) => r.plan_id === plan);
            for (const kpi of ["plan_mrr", "plan_mrr_start"] as const) {
              const page = await listRecords(ctx, { ...params, kpi, plan, limit: 500 });
              const expected = kpi === "plan_mrr" ? (cell?.mrr ?? 0) : (cell?.mrr_start ?? 0);
              const value = page.rows.reduce((s, r) => s + r.value, 0);
              expect({ kpi, plan, figure: page.figure, value, total: page.totals!.result }).toEqual({
                kpi,
                plan,
                figure: expected,
                value: expected,
                total: expected,
              });
              expect(page.rows.length).toBe(page.totals!.rows);
              expect(new Set(page.rows.map((r) => r.key)).size).toBe(page.rows.length);
              if (page.rows.length > 0) seen.set(kpi, (seen.get(kpi) ?? 0) + 1);
            }
          }
          // Subscriber cohorts: every cell of both heatmaps (as the dashboard reads them up to the
          // period's end) equals Σ value ÷ Σ denominator of the records its link opens.
          const heatmap = await getSubscriberCohorts(ctx, { ...params, from: "2026-01-01" });
          for (const row of heatmap) {
            for (const cell of row.retention) {
              for (const kpi of ["subscriber_cohort", "subscriber_cohort_mrr"] as const) {
                const expected = kpi === "subscriber_cohort" ? cell.subscriber_rate : cell.mrr_rate;
                const link = {
                  ...params,
                  from: `${row.cohort}-01`,
                  to: subscriberCellTo(row.cohort, cell.month, params.to),
                  cohort: row.cohort,
                  month: cell.month,
                };
                const page = await listRecords(ctx, { ...link, kpi, limit: 500 });
                const value = page.rows.reduce((s, r) => s + r.value, 0);
                const denominator = page.rows.reduce((s, r) => s + (r.denominator ?? 0), 0);
                expect({ kpi, cell: [row.cohort, cell.month], figure: page.figure }).toEqual({
                  kpi,
                  cell: [row.cohort, cell.month],
                  figure: expected,
                });
                expect(rate(value, denominator)).toBe(expected);
                expect(page.totals!.result).toBe(expected);
                expect(page.rows.length).toBe(row.subscribers);
                expect(denominator).toBe(kpi === "subscriber_cohort" ? row.subscribers : row.mrr);
                expect(value).toBe(kpi === "subscriber_cohort" ? cell.subscribers : cell.mrr);
                cellsChecked++;
                if (value !== denominator) cellsMoved++;
              }
            }
          }
          for (const kpi of RECORD_KPI_KEYS) {
            // Stock figures are a product's stock now, not of the period: their own test checks them
            // (src/web/views/dashboards/stock-records.test.tsx).
            if (isPlanKpi(kpi) || isStockKpi(kpi)) continue;
            const page = await listRecords(ctx, { ...params, kpi, limit: 500, totalsFrom: "rows" });
            // The snapshots' totals, where they count this figure's rows, are the rows' own totals
            // (snapshots built in UTC here only when the run's zone is UTC).
            if (timezone === "UTC") {
              const window = {
                ...params,
                start: startOfDay(params.from, "UTC"),
                end: endOfPeriod(params.to, "UTC"),
              };
              const fast = await snapshotTotals(ctx.db, kpi, window);
              if (fast) {
                expect({ kpi, totals: fast }).toEqual({ kpi, totals: page.totals });
                fromSnapshots.add(kpi);
              }
            }
            // The totals combine every row as the KPI does, and equal the figure computeKpis gives.
            expect({ kpi, result: page.totals!.result }).toEqual({ kpi, result: page.figure });
            // …and the figure is the one computeKpis (or the product rollups) gives for the same request.
            const expected = isProductKpi(kpi)
              ? productRollupFigure(
                  (await getProductRollups(ctx, params)).find((r) => r.product_id === 1),
                  kpi,
                )
              : kpi === "refunds_by_reason"
                ? (await computeKpis(ctx, params)).refunds
                : kpi === "cohort_retention"
                  ? await heatmapCell(params)
                  : isSubscriberCohortKpi(kpi)
                    ? await subscriberHeatmapCell(
                        { ...params, to: subscriberCellTo(params.cohort, params.month, params.to) },
                        kpi,
                      )
                    : figureOf(await computeKpis(ctx, params), kpi);
            expect({ kpi, figure: page.figure }).toEqual({ kpi, figure: expected });
            // The rows themselves (all of them, on one page here) add up to those totals.
            expect(page.rows.length).toBe(page.totals!.rows);
            const value = page.rows.reduce((s, r) => s + r.value, 0);
            expect({ kpi, value }).toEqual({ kpi, value: page.totals!.value });
            if (page.totals!.denominator !== null) {
              expect(page.rows.reduce((s, r) => s + (r.denominator ?? 0), 0)).toBe(page.totals!.denominator);
            }
            if (page.rows.length > 0) seen.set(kpi, (seen.get(kpi) ?? 0) + 1);
          }
        },
      ),
      { numRuns: 25, seed: 20261204 },
    );
    // Every KPI had rows in some runs, or the equality would prove little.
    const missing = RECORD_KPI_KEYS.filter((k) => !isStockKpi(k) && (seen.get(k) ?? 0) < 1).map(
      (k) => `${k}:${seen.get(k) ?? 0}`,
    );
    expect(missing).toEqual([]);
    // Both heatmaps' cells were compared, some where customers left or their MRR moved.
    expect(cellsChecked).toBeGreaterThanOrEqual(20);
    expect(cellsMoved).toBeGreaterThanOrEqual(5);
    // Every figure whose totals the snapshots give was compared both ways at least once.
    expect([...fromSnapshots].sort()).toEqual(
      [
        "active_subscriptions",
        "aov",
        "arpa",
        "arr",
        "customers",
        "fees",
        "gross_revenue",
        "mrr",
        "net_revenue",
        "new_customers",
        "order_revenue",
        "orders",
        "repeat_customer_rate",
        "subscribers",
      ].sort(),
    );
  }, 300_000);

  it("adds the rows up themselves while a day of the period waits for a rebuild", async () => {
    await clearAnalyticsData(ctx.db);
    await makeCharge(ctx.db, { amount: 1000, currency: "usd", created: new Date("2026-11-02T10:00:00Z") });
    await buildSnapshots(ctx, { from: "2026-11-01", to: "2026-11-30", timezone: "UTC" }, cliActor);
    const w = {
      from: "2026-11-01",
      to: "2026-11-30",
      currency: "usd",
      livemode: false,
      timezone: "UTC",
      start: new Date("2026-11-01T00:00:00Z"),
      end: new Date("2026-12-01T00:00:00Z"),
    };
    expect(await snapshotTotals(ctx.db, "gross_revenue", w)).toEqual({
      rows: 1,
      value: 1000,
      denominator: null,
      result: 1000,
    });
    // A charge the snapshot has not seen yet, its day marked for the worker.
    await makeCharge(ctx.db, { amount: 500, currency: "usd", created: new Date("2026-11-03T10:00:00Z") });
    await ctx.db.insert(dirtyDays).values({ day: "2026-11-03", markedAt: new Date("2026-11-03T10:00:01Z") });
    expect(await snapshotTotals(ctx.db, "gross_revenue", w)).toBeNull();
    const page = await listRecords(ctx, { ...w, timezone: "UTC", kpi: "gross_revenue" });
    expect(page.totals).toEqual({ rows: 2, value: 1500, denominator: null, result: 1500 });
    // Not a figure the snapshots count one to one: always the rows.
    expect(await snapshotTotals(ctx.db, "mrr_movements.net", w)).toBeNull();
    await ctx.db.delete(dirtyDays);
  });

  it("keyset pages list every row once, in order, whatever the sort and direction", async () => {
    await loadRandom(richSample());
    for (let n = 0; n < 6; n++) {
      const created = new Date(Date.parse(`${addDays(FIRST_DAY, n % 3)}T12:00:00Z`));
      await makeCharge(ctx.db, { amount: 1000 + (n % 2) * 500, currency: "usd", created });
      await makeOrder(ctx.db, {
        customerId: 20 + (n % 2),
        currency: "usd",
        paidAt: created,
        amountTotal: 2000,
      });
    }
    await buildSnapshots(
      ctx,
      { from: addDays(FIRST_DAY, -3), to: addDays(FIRST_DAY, WINDOW_DAYS + 2) },
      cliActor,
    );
    const params = { from: FIRST_DAY, to: addDays(FIRST_DAY, WINDOW_DAYS), currency: "usd" };
    for (const kpi of ["gross_revenue", "net_revenue", "orders", "mrr", "mrr_movements.net"] as RecordKpi[]) {
      const whole = (await listRecords(ctx, { ...params, kpi, limit: 500 })).rows;
      expect({ kpi, rows: whole.length > 1 }).toEqual({ kpi, rows: true });
      for (const sort of ["date", "value", "key"] as const) {
        for (const dir of ["asc", "desc"] as const) {
          const paged: RecordRow[] = [];
          let cursor: string | undefined;
          do {
            const page = await listRecords(ctx, { ...params, kpi, sort, dir, cursor, limit: 1 });
            expect(page.rows.length).toBeLessThanOrEqual(1);
            paged.push(...page.rows);
            cursor = page.next_cursor ?? undefined;
          } while (cursor);
          expect(paged.map((r) => r.key).sort()).toEqual(whole.map((r) => r.key).sort());
          expect(new Set(paged.map((r) => r.key)).size).toBe(paged.length);
          const sortValue = (r: RecordRow) => (sort === "date" ? r.at : sort === "value" ? r.value : r.key);
          for (let i = 1; i < paged.length; i++) {
            const [a, b] = [sortValue(paged[i - 1]!), sortValue(paged[i]!)];
            if (dir === "asc") expect(a <= b).toBe(true);
            else expect(a >= b).toBe(true);
          }
        }
      }
      const streamed: RecordRow[] = [];
      for await (const row of iterateRecords(ctx, { ...params, kpi })) streamed.push(row);
      expect(streamed.map((r) => r.key)).toEqual(whole.map((r) => r.key));
    }
    expect(await allRows("orders", params, 3)).toHaveLength(
      (await listRecords(ctx, { ...params, kpi: "orders" })).totals!.rows,
    );
  }, 120_000);

  it("names the Stripe event behind each MRR change and links objects by mode", async () => {
    await loadRandom(richSample());
    await buildSnapshots(
      ctx,
      { from: addDays(FIRST_DAY, -3), to: addDays(FIRST_DAY, WINDOW_DAYS + 2) },
      cliActor,
    );
    const page = await listRecords(ctx, {
      from: FIRST_DAY,
      to: addDays(FIRST_DAY, WINDOW_DAYS),
      currency: "usd",
      kpi: "mrr_movements.net",
      limit: 500,
    });
    expect(page.rows.length).toBeGreaterThan(0);
    for (const row of page.rows) {
      expect(row.event_id).toMatch(/^evt_/);
      expect(row.subscription_id).toMatch(/^sub_/);
      expect(row.mrr_after! - row.mrr_before!).toBe(row.value);
    }
    expect(stripeDashboardUrl("ch_1", false)).toBe("https://dashboard.stripe.com/test/payments/ch_1");
    expect(stripeDashboardUrl("evt_9", true)).toBe("https://dashboard.stripe.com/events/evt_9");
    expect(stripeDashboardUrl("RI-1", true)).toBeNull();
  }, 60_000);

  it("names each MRR change's own event for a customer known only by Stripe id, then once linked", async () => {
    await clearAnalyticsData(ctx.db);
    const day = (n: number) => `${addDays(FIRST_DAY, n)}T10:00:00Z`;
    // Known only by Stripe id: its subscription and history rows wait for the customer.
    for (const [n, unitAmount] of [
      [1, 1200],
      [3, 1800],
    ] as const) {
      await makeSubscriptionState(ctx.db, {
        subscriptionId: "sub_waiting",
        stripeCustomerId: "cus_waiting",
        customerId: null,
        eventId: `evt_waiting_${n}`,
        receivedSeq: n,
        created: day(n),
        status: "active",
        items: [{ unitAmount }],
      });
    }
    // Another customer changing on the same days: its events must not be taken for the first's.
    const other = await makeCustomer(ctx.db, { stripeCustomerId: "cus_other" });
    for (const n of [1, 3])
      await makeSubscriptionState(ctx.db, {
        subscriptionId: "sub_other",
        stripeCustomerId: "cus_other",
        customerId: other.id,
        eventId: `evt_other_${n}`,
        receivedSeq: 10 + n,
        created: day(n),
        status: "active",
        items: [{ unitAmount: 500 * n }],
      });
    const events = async () => {
      await buildSnapshots(ctx, { from: FIRST_DAY, to: addDays(FIRST_DAY, 5) }, cliActor);
      const page = await listRecords(ctx, {
        from: FIRST_DAY,
        to: addDays(FIRST_DAY, 5),
        currency: "usd",
        kpi: "mrr_movements.net",
      });
      return page.rows.map((r) => [r.at, r.customer_id, r.stripe_customer_id, r.event_id, r.subscription_id]);
    };
    const otherRows = [
      [addDays(FIRST_DAY, 1), other.id, "cus_other", "evt_other_1", "sub_other"],
      [addDays(FIRST_DAY, 3), other.id, "cus_other", "evt_other_3", "sub_other"],
    ];
    expect((await events()).sort()).toEqual(
      [
        ...otherRows,
        [addDays(FIRST_DAY, 1), null, "cus_waiting", "evt_waiting_1", "sub_waiting"],
        [addDays(FIRST_DAY, 3), null, "cus_waiting", "evt_waiting_3", "sub_waiting"],
      ].sort(),
    );
    // The customer arrives: the app's own link statement links the subscription and its history.
    const waiting = await makeCustomer(ctx.db, { stripeCustomerId: "cus_waiting" });
    await ctx.db.transaction((tx) => linkSubscriptionsToCustomer(tx, "cus_waiting", waiting.id));
    expect((await events()).sort()).toEqual(
      [
        ...otherRows,
        [addDays(FIRST_DAY, 1), waiting.id, "cus_waiting", "evt_waiting_1", "sub_waiting"],
        [addDays(FIRST_DAY, 3), waiting.id, "cus_waiting", "evt_waiting_3", "sub_waiting"],
      ].sort(),
    );
  });

  it("lists the worked example's records as docs/kpi_definitions.md says", async () => {
    await clearAnalyticsData(ctx.db);
    await loadDocExample(ctx.db);
    await buildSnapshots(ctx, { from: "2026-01-01", to: "2026-04-30", timezone: "UTC" }, cliActor);
    const gross = await listRecords(ctx, { ...DOC_PERIOD, kpi: "gross_revenue" });
    expect(gross.rows.map((r) => [r.key, r.value])).toEqual([
      ["ch_A", 10000],
      ["ch_B", 5000],
    ]);
    const aov = await listRecords(ctx, { ...DOC_PERIOD, kpi: "aov" });
    expect(aov.totals!).toEqual({ rows: 4, value: 13500, denominator: 4, result: 3375 });
    const churn = await listRecords(ctx, { ...DOC_PERIOD, kpi: "customer_churn_rate" });
    expect(churn.rows.map((r) => [r.mrr_before, r.mrr_after, r.value])).toEqual([
      [3000, 6000, 0],
      [10000, 0, 1],
      [4000, 2500, 0],
    ]);
    expect(churn.totals!.result).toBe(0.3333);
  });

  it("splits the refunds by the reason given, each reason's rows adding up to its cell", async () => {
    await clearAnalyticsData(ctx.db);
    const at = (d: string) => new Date(`${d}T10:00:00Z`);
    await makeRefund(ctx.db, { amount: 1000, reason: "duplicate", created: at("2026-11-02") });
    await makeRefund(ctx.db, { amount: 250, reason: "duplicate", created: at("2026-11-03") });
    await makeRefund(ctx.db, { amount: 700, reason: "fraudulent", created: at("2026-11-03") });
    await makeRefund(ctx.db, { amount: 400, reason: null, created: at("2026-11-04") });
    await makeRefund(ctx.db, { amount: 90, reason: "", created: at("2026-11-04"), provisional: true });
    // Not counted: failed, another currency, outside the period.
    await makeRefund(ctx.db, {
      amount: 5000,
      reason: "duplicate",
      status: "failed",
      created: at("2026-11-03"),
    });
    await makeRefund(ctx.db, {
      amount: 5000,
      reason: "duplicate",
      currency: "eur",
      created: at("2026-11-03"),
    });
    await makeRefund(ctx.db, { amount: 5000, reason: "duplicate", created: at("2026-12-01") });
    await buildSnapshots(ctx, { from: "2026-11-01", to: "2026-11-30" }, cliActor);
    const params = { from: "2026-11-01", to: "2026-11-30", currency: "usd" };
    const cell = async (reason: string) => {
      const page = await listRecords(ctx, { ...params, kpi: "refunds_by_reason", reason });
      expect(page.rows.reduce((s, r) => s + r.value, 0)).toBe(page.totals!.value);
      expect(page.figure).toBe(page.totals!.result);
      return page.rows.map((r) => r.value);
    };
    // Worked by hand: duplicate 1000 + 250, fraudulent 700, no reason 400 + 90 (null and "" alike).
    expect(await cell("duplicate")).toEqual([1000, 250]);
    expect(await cell("fraudulent")).toEqual([700]);
    expect(await cell("none")).toEqual([400, 90]);
    expect(await cell("requested_by_customer")).toEqual([]);
    // The reasons together are the refunds figure.
    expect((await computeKpis(ctx, params)).refunds).toBe(1000 + 250 + 700 + 400 + 90);
    await expect(listRecords(ctx, { ...params, kpi: "refunds_by_reason" })).rejects.toThrow(/reason/);
  });

  it("rejects a cursor it did not issue", async () => {
    await expect(
      listRecords(ctx, { from: FIRST_DAY, to: FIRST_DAY, currency: "usd", kpi: "orders", cursor: "bm9wZQ" }),
    ).rejects.toThrow(/cursor/);
    const forged = Buffer.from(JSON.stringify(["not a time", "ch_1"])).toString("base64url");
    await expect(
      listRecords(ctx, { from: FIRST_DAY, to: FIRST_DAY, currency: "usd", kpi: "orders", cursor: forged }),
    ).rejects.toThrow(/cursor/);
  });
});
