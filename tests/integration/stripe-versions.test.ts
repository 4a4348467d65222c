/**
 * Stripe fidelity across API versions (acceptance): one business story — a customer, a couponed
 * subscription with an upgrade and a cancel, a shop order paid through Checkout, a manual-capture
 * charge captured partially, a refund known only from its charge, an inquiry, a lost chargeback,
 * KWD and JPY charges — written from
 * Stripe's published API reference and changelog in each version family (2024-06-20, basil, clover,
 * newest = 2026-10-28.endive; see tests/support/stripe-versions/) and delivered through the real
 * webhook route. Every family must give the KPIs, ledger rows and finance export rows worked out by
 * hand below from the KPI contract (kpis.md v2), and the same rows as every other family; delivered
 * newest event first with every event twice (then the worker's re-drive), the same as in order.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { Kpis } from "../../src/analytics/types.ts";
import { systemActor } from "../../src/audit/index.ts";
import { replayFailed } from "../../src/payments/replay.ts";
import { createApp } from "../../src/web/app.ts";
import { createTestContext, type TestContext } from "../support/context.ts";
import {
  apiKpis,
  attempt,
  type ExportRows,
  financeExport,
  inbox,
  insertStoryOrder,
  type LedgerRows,
  ledgerRows,
  type Period,
  postEvent,
  rawKpis,
} from "../support/stripe-versions/harness.ts";
import { STORY, storyEvents } from "../support/stripe-versions/story.ts";
import { FAMILIES, type Family } from "../support/stripe-versions/versions.ts";

const MAY_USD: Period = { from: "2026-05-01", to: "2026-05-31", currency: "usd" };
const MAY_KWD: Period = { ...MAY_USD, currency: "kwd" };
const MAY_JPY: Period = { ...MAY_USD, currency: "jpy" };
const JUNE_USD: Period = { from: "2026-06-01", to: "2026-06-14", currency: "usd" };
const PERIODS = [MAY_USD, MAY_KWD, MAY_JPY, JUNE_USD];

const NONE = { new: 0, expansion: 0, contraction: 0, churn: 0, reactivation: 0, net: 0 };
/** A period with no orders, no subscription and no money (the contract's zero / null values). */
type ExpectedKpis = Omit<
  Kpis,
  | "fees"
  | "aov"
  | "repeat_customer_rate"
  | "arpa"
  | "customer_churn_rate"
  | "revenue_churn_rate"
  | "net_revenue_retention"
> & {
  disputes_lost: number;
  fees: number | null;
  aov: number | null;
  repeat_customer_rate: number | null;
  arpa: number | null;
  customer_churn_rate: number | null;
  revenue_churn_rate: number | null;
  net_revenue_retention: number | null;
  gross_revenue_retention: number | null;
};
const quiet = (p: Period): ExpectedKpis => ({
  from: p.from,
  to: p.to,
  timezone: "UTC",
  currency: p.currency,
  gross_revenue: 0,
  refunds: 0,
  net_revenue: 0,
  disputes: 0,
  disputes_lost: 0,
  fees: null,
  orders: 0,
  order_revenue: 0,
  aov: null,
  customers: 0,
  new_customers: 0,
  repeat_customer_rate: null,
  mrr: 0,
  arr: 0,
  active_subscriptions: 0,
  subscribers: 0,
  arpa: null,
  mrr_movements: NONE,
  customer_churn_rate: null,
  revenue_churn_rate: null,
  net_revenue_retention: null,
  gross_revenue_retention: null,
});

/*
 * Worked by hand from kpis.md v2 and the story (tests/support/stripe-versions/story.ts):
 *
 * Subscription MRR (percent_off 25 applies from the discount's start, 05-03, forever):
 *   05-03 created, 1 × 4000/month → 4000 × (1 − 25/100) = 3000
 *   05-10 upgraded, 2 × 4000      → 8000 × 0.75        = 6000
 *   05-20 cancel at period end: status still `active` (canceled_at set) → still 6000
 *   06-03 deleted (status `canceled`) → 0
 * May, usd:
 *   gross_revenue = captured money of succeeded charges created in May
 *     = 3000 (first invoice, ch_story_sub1) + 2500 (the Checkout order, ch_story_order)
 *     + 6000 (ch_story_auth: 10000 authorized, 6000 captured; the released 4000 is not revenue)
 *     + 5000 (ch_story_refd) + 7000 (ch_story_inq) + 8000 (ch_story_cb) = 31500
 *   refunds: ch_story_auth's refunded captured money = 4000 − (10000 − 6000) = 0 (not a refund);
 *     ch_story_refd: amount_refunded 1500, no refund object → one provisional refund of 1500,
 *     dated by its charge.refunded event (05-08) → 1500
 *   disputes = 8000 (dp_story_cb, opened 05-14); the inquiry (7000, warning_*) is not a chargeback
 *   disputes_lost = 8000 (first shown `lost` 05-28)
 *   net_revenue = 31500 − 1500 − 8000 = 22000
 *   fees = null (no balance transaction of a charge came expanded)
 *   orders = 1 (SV-1001, paid 05-04), order_revenue = 2500, aov = 2500 / 1 = 2500, customers = 1,
 *   new_customers = 1 (first paid order ever), repeat_customer_rate = 0 / 1 = 0
 *   mrr = 6000, arr = 6000 × 12 = 72000, active_subscriptions = 1, subscribers = 1, arpa = 6000
 *   movements: new 3000 (05-03, from 0, never had MRR), expansion 3000 (05-10), net 6000
 *     = mrr(end) 6000 − mrr(start) 0
 *   no starting customers (MRR 0 at 05-01) → churn, NRR and GRR are null
 * May, kwd: gross 12345 (KWD 12.345), refunds 2345 (re_story_kwd, known from refund.created and
 *   charge.refunded, counted once), net 12345 − 2345 = 10000
 * May, jpy: gross 5000 (¥5000, zero-decimal), net 5000
 * June 1–14, usd: no money; mrr 0 (deleted 06-03); churn movement 6000 on 06-03, net −6000;
 *   starting customers {cus_story} (6000 at 06-01 00:00): customer churn 1/1 = 1,
 *   revenue churn max(0, 6000 − 0) / 6000 = 1, NRR 0 / 6000 = 0, GRR min(6000, 0) / 6000 = 0
 */
const EXPECTED: Record<string, ExpectedKpis> = {
  may_usd: {
    ...quiet(MAY_USD),
    gross_revenue: 31_500,
    refunds: 1_500,
    net_revenue: 22_000,
    orders: 1,
    order_revenue: 2_500,
    aov: 2_500,
    customers: 1,
    new_customers: 1,
    repeat_customer_rate: 0,
    disputes: 8_000,
    disputes_lost: 8_000,
    mrr: 6_000,
    arr: 72_000,
    active_subscriptions: 1,
    subscribers: 1,
    arpa: 6_000,
    mrr_movements: { ...NONE, new: 3_000, expansion: 3_000, net: 6_000 },
  },
  may_kwd: { ...quiet(MAY_KWD), gross_revenue: 12_345, refunds: 2_345, net_revenue: 10_000 },
  may_jpy: { ...quiet(MAY_JPY), gross_revenue: 5_000, net_revenue: 5_000 },
  june_usd: {
    ...quiet(JUNE_USD),
    mrr_movements: { ...NONE, churn: 6_000, net: -6_000 },
    customer_churn_rate: 1,
    revenue_churn_rate: 1,
    net_revenue_retention: 0,
    gross_revenue_retention: 0,
  },
};
const KEYS = ["may_usd", "may_kwd", "may_jpy", "june_usd"] as const;

type Failed = { error: string };
interface Run {
  statuses: Array<{ id: string; status: number }>;
  inbox: Array<{ id: string; status: string; last_error: string | null }> | Failed;
  raw: Array<Kpis | Failed>;
  api: unknown[] | Failed;
  ledger: LedgerRows | Failed;
  exported: ExportRows | Failed;
}
const runs = new Map<string, Promise<Run>>();
const contexts: TestContext[] = [];

/**
 * Tells the story at one family on a fresh database. `shuffled`: delivered newest event first and
 * every event twice, then the worker's re-drive of what failed (as in production) — the result must
 * not depend on it.
 */
async function tell(family: Family, shuffled: boolean): Promise<Run> {
  const ctx = await createTestContext();
  contexts.push(ctx);
  const { app } = await createApp(ctx);
  const order = await insertStoryOrder(ctx);
  const events = storyEvents({ ...STORY, order }, () => family);
  const deliveries = shuffled ? [...events].reverse().flatMap((e) => [e, e]) : events;
  const statuses: Run["statuses"] = [];
  for (const event of deliveries) {
    statuses.push({ id: event.id, status: await postEvent(ctx, app, event) });
  }
  if (shuffled) {
    await replayFailed(ctx, systemActor, { limit: 1000 });
    await replayFailed(ctx, systemActor, { limit: 1000 });
  }
  const raw: Run["raw"] = [];
  for (const p of PERIODS) raw.push(await attempt(() => rawKpis(ctx, p)));
  return {
    statuses: shuffled ? [] : statuses,
    inbox: await attempt(() => inbox(ctx)),
    raw,
    api: await attempt(() => apiKpis(ctx, app, PERIODS)),
    ledger: await attempt(() => ledgerRows(ctx)),
    exported: await attempt(() => financeExport(ctx, "2026-05-01", "2026-05-31")),
  };
}

/** The run of a family (told once, on first use, so each test has its own time budget). */
function run(family: Family, shuffled = false): Promise<Run> {
  const key = `${family}${shuffled ? ":shuffled" : ""}`;
  let told = runs.get(key);
  if (!told) {
    told = tell(family, shuffled);
    runs.set(key, told);
  }
  return told;
}

afterAll(async () => {
  for (const told of runs.values()) await told.catch(() => undefined);
  for (const ctx of contexts) await ctx.destroy();
});

/** The value of a read-back step, or the step's error as the assertion failure. */
function ok<T>(value: T | Failed): T {
  if (value && typeof value === "object" && "error" in value && typeof value.error === "string") {
    expect.fail(value.error);
  }
  return value as T;
}

const parse = (lines: string[] | undefined) =>
  (lines ?? []).map((l) => JSON.parse(l) as Record<string, unknown>);

describe.each(FAMILIES)("the story told at API version family %s", (family) => {
  it("is accepted event by event (2xx = stored and applied, nothing failed)", async () => {
    const r = await run(family);
    expect(r.statuses.filter((s) => s.status !== 200)).toEqual([]);
    const stored = ok(r.inbox);
    expect(stored.filter((e) => e.status === "failed" || e.status === "received")).toEqual([]);
    expect(stored.map((e) => e.id).sort()).toEqual(r.statuses.map((s) => s.id).sort());
  });

  it.each(KEYS)("gives the hand-worked KPIs (%s), raw and through the API", async (key) => {
    const i = KEYS.indexOf(key);
    const r = await run(family);
    expect(ok(r.raw[i]!)).toMatchObject(EXPECTED[key]!);
    expect(ok(r.api)[i]).toMatchObject(EXPECTED[key]!);
  });

  it("writes the hand-worked ledger rows", async () => {
    const l = ok((await run(family)).ledger);
    const charges = parse(l.charges);
    expect(charges.map((c) => [c.id, c.currency, c.status]).sort()).toEqual(
      [
        ["ch_story_auth", "usd", "succeeded"],
        ["ch_story_cb", "usd", "succeeded"],
        ["ch_story_inq", "usd", "succeeded"],
        ["ch_story_jpy", "jpy", "succeeded"],
        ["ch_story_kwd", "kwd", "succeeded"],
        ["ch_story_order", "usd", "succeeded"],
        ["ch_story_refd", "usd", "succeeded"],
        ["ch_story_sub1", "usd", "succeeded"],
      ].sort(),
    );
    expect(parse(l.orders)).toEqual([
      expect.objectContaining({ number: "SV-1001", status: "paid", amount_total: 2_500 }),
    ]);
    // The first invoice's charge is linked to its invoice in every version: through `charge.invoice`
    // up to 2024-06-20, through the InvoicePayment's PaymentIntent from basil on.
    expect(charges.find((c) => c.id === "ch_story_sub1")).toMatchObject({ invoice_id: "in_story1" });
    expect(parse(l.invoices)).toEqual([
      expect.objectContaining({
        id: "in_story1",
        subscription_id: "sub_story",
        status: "paid",
        amount_paid: 3_000,
        charge_id: "ch_story_sub1",
      }),
    ]);
    // Refunds: the provisional 1500 of ch_story_refd and re_story_kwd (2345 fils), once each.
    const refunds = parse(l.refunds).map((r) => [r.charge_id, r.amount, r.currency, r.status]);
    expect(refunds.sort()).toEqual(
      [
        ["ch_story_kwd", 2_345, "kwd", "succeeded"],
        ["ch_story_refd", 1_500, "usd", "succeeded"],
      ].sort(),
    );
    expect(
      parse(l.disputes)
        .map((d) => [d.id, d.amount, d.status])
        .sort(),
    ).toEqual([
      ["dp_story_cb", 8_000, "lost"],
      ["dp_story_inq", 7_000, "warning_closed"],
    ]);
    expect(parse(l.subscriptions)).toEqual([
      expect.objectContaining({ id: "sub_story", status: "canceled", currency: "usd", mrr: 0 }),
    ]);
    const history = parse(l.subscription_history).map((h) => [h.event_id, h.status, h.mrr]);
    expect(history.sort()).toEqual(
      [
        ["evt_sub_created", "active", 3_000],
        ["evt_sub_upgraded", "active", 6_000],
        ["evt_sub_cancel_asked", "active", 6_000],
        ["evt_sub_deleted", "canceled", 0],
      ].sort(),
    );
  });

  it("exports the hand-worked finance rows (per currency, in its own minor unit)", async () => {
    const x = ok((await run(family)).exported);
    const summary = x["revenue_summary.csv"] ?? [];
    const sum = (currency: string, column: string) =>
      summary.filter((r) => r.currency === currency).reduce((t, r) => t + Number(r[column]), 0);
    expect({
      usd: [
        sum("usd", "gross_revenue"),
        sum("usd", "refunds"),
        sum("usd", "net_revenue"),
        sum("usd", "disputes"),
      ],
      kwd: [sum("kwd", "gross_revenue"), sum("kwd", "refunds"), sum("kwd", "net_revenue")],
      jpy: [sum("jpy", "gross_revenue"), sum("jpy", "refunds"), sum("jpy", "net_revenue")],
    }).toEqual({
      usd: [31_500, 1_500, 22_000, 8_000],
      kwd: [12_345, 2_345, 10_000],
      jpy: [5_000, 0, 5_000],
    });
    const day = (d: string, c: string) => summary.find((r) => r.day === d && r.currency === c);
    // 12345 fils = KWD 12.345; ¥5000 has no decimals; 05-05 holds the captured 6000 only.
    expect(day("2026-05-15", "kwd")).toMatchObject({
      gross_revenue: "12345",
      gross_revenue_decimal: "12.345",
    });
    expect(day("2026-05-17", "kwd")).toMatchObject({ refunds: "2345", refunds_decimal: "2.345" });
    expect(day("2026-05-16", "jpy")).toMatchObject({ gross_revenue: "5000", gross_revenue_decimal: "5000" });
    expect(day("2026-05-05", "usd")).toMatchObject({ gross_revenue: "6000", gross_revenue_decimal: "60.00" });
    expect(day("2026-05-04", "usd")).toMatchObject({ gross_revenue: "2500", gross_revenue_decimal: "25.00" });
    expect(day("2026-05-08", "usd")).toMatchObject({ refunds: "1500" });
    const refunds = x["refunds.csv"] ?? [];
    expect(refunds.map((r) => [r.payment_id, r.amount, r.currency]).sort()).toEqual(
      [
        ["ch_story_kwd", "2345", "kwd"],
        ["ch_story_refd", "1500", "usd"],
      ].sort(),
    );
    expect((x["payments.csv"] ?? []).map((p) => p.payment_id).sort()).toEqual([
      "ch_story_auth",
      "ch_story_cb",
      "ch_story_inq",
      "ch_story_jpy",
      "ch_story_kwd",
      "ch_story_order",
      "ch_story_refd",
      "ch_story_sub1",
    ]);
    expect((x["orders.csv"] ?? []).map((o) => [o.order_number, o.amount_total])).toEqual([
      ["SV-1001", "2500"],
    ]);
  });
});

describe("every API version family gives identical results", () => {
  const others = FAMILIES.filter((f) => f !== "2024-06-20");
  it.each(others)("%s: same KPIs as 2024-06-20", async (family) => {
    const [base, r] = [await run("2024-06-20"), await run(family)];
    expect(r.raw.map(ok)).toEqual(base.raw.map(ok));
    expect(ok(r.api)).toEqual(ok(base.api));
  });
  // InvoicePayment objects exist from basil on; a 2024-06-20 account sends none, so that table is
  // compared among the families that have it.
  const withoutInvoicePayments = (rows: LedgerRows) => {
    const { invoice_payments: _, ...rest } = rows;
    return rest;
  };
  it.each(others)("%s: same ledger rows as 2024-06-20", async (family) => {
    const [base, r] = [await run("2024-06-20"), await run(family)];
    expect(withoutInvoicePayments(ok(r.ledger))).toEqual(withoutInvoicePayments(ok(base.ledger)));
    expect(ok(r.ledger).invoice_payments).toEqual(ok((await run("basil")).ledger).invoice_payments);
  });
  it.each(others)("%s: same finance export rows as 2024-06-20", async (family) => {
    const [base, r] = [await run("2024-06-20"), await run(family)];
    expect(ok(r.exported)).toEqual(ok(base.exported));
  });
});

describe.each(FAMILIES)("the story at %s delivered newest event first, every event twice", (family) => {
  it("stores each event once and leaves none failed after the worker's re-drive", async () => {
    const stored = ok((await run(family, true)).inbox);
    expect(stored.filter((e) => e.status === "failed" || e.status === "received")).toEqual([]);
    expect(stored.map((e) => e.id).sort()).toEqual(
      ok((await run(family)).inbox)
        .map((e) => e.id)
        .sort(),
    );
  });
  it("gives the same KPIs, ledger rows and finance export rows as in order", async () => {
    const [inOrder, shuffled] = [await run(family), await run(family, true)];
    expect(shuffled.raw.map(ok)).toEqual(inOrder.raw.map(ok));
    expect(ok(shuffled.api)).toEqual(ok(inOrder.api));
    expect(ok(shuffled.ledger)).toEqual(ok(inOrder.ledger));
    expect(ok(shuffled.exported)).toEqual(ok(inOrder.exported));
  });
});
