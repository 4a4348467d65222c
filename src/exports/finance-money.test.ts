import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCharge, makeDispute, makeRefund } from "../../tests/support/builders/ledger.ts";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { csvObjects } from "../../tests/support/export-read.ts";
import { computeKpisRaw } from "../analytics/index.ts";
import { cliActor } from "../audit/index.ts";
import { directorySink, exportPack } from "./index.ts";

/** Finance pack money columns of kpis.md v2, period 2026-06-01..2026-06-30 (UTC). */
let ctx: TestContext;
let dir: string;
let biDir: string;
const t = (iso: string) => new Date(iso);
const file = (name: string) => csvObjects(readFileSync(join(dir, name), "utf8"));

beforeAll(async () => {
  ctx = await createTestContext();
  const db = ctx.db;
  // 8000 authorized, 5000 captured on 06-02 (the released 3000 is in amount_refunded).
  await makeCharge(db, {
    id: "ch_partial",
    amount: 8000,
    amountCaptured: 5000,
    captured: true,
    amountRefunded: 3000,
    created: t("2026-06-02T10:00:00Z"),
  });
  // An expired authorization of 4000 on 06-03.
  await makeCharge(db, {
    id: "ch_expired",
    amount: 4000,
    amountCaptured: 0,
    captured: false,
    amountRefunded: 4000,
    created: t("2026-06-03T10:00:00Z"),
  });
  // 6000 captured on 06-03, 2500 refunded known only from amount_refunded: provisional, 06-06.
  await makeCharge(db, {
    id: "ch_full",
    amount: 6000,
    amountCaptured: 6000,
    captured: true,
    amountRefunded: 2500,
    created: t("2026-06-03T11:00:00Z"),
  });
  await makeRefund(db, {
    id: "provisional_ch_full_1",
    chargeId: "ch_full",
    amount: 2500,
    provisional: true,
    created: t("2026-06-06T10:00:00Z"),
  });
  // An inquiry of 1000 (06-04) and a chargeback of 6000 opened 06-05, lost 06-20.
  await makeDispute(db, {
    id: "du_inquiry",
    chargeId: "ch_full",
    amount: 1000,
    status: "warning_closed",
    created: t("2026-06-04T10:00:00Z"),
  });
  await makeDispute(db, {
    id: "du_lost",
    chargeId: "ch_full",
    amount: 6000,
    status: "lost",
    lostAt: t("2026-06-20T09:00:00Z"),
    created: t("2026-06-05T10:00:00Z"),
    sourceEventCreated: t("2026-06-22T09:00:00Z"),
  });
  dir = mkdtempSync(join(tmpdir(), "finance-money-"));
  await exportPack(
    ctx,
    { pack: "finance", from: "2026-06-01", to: "2026-06-30" },
    await directorySink(dir),
    cliActor,
  );
  biDir = mkdtempSync(join(tmpdir(), "bi-money-"));
  await exportPack(
    ctx,
    { pack: "bi", from: "2026-06-01", to: "2026-06-30" },
    await directorySink(biDir),
    cliActor,
  );
});
afterAll(() => ctx.destroy());

describe("finance pack money columns", () => {
  it("writes the captured amount of each payment", () => {
    const byId = new Map(file("payments.csv").map((r) => [r.payment_id, r]));
    expect(byId.get("ch_partial")).toMatchObject({
      amount: "8000",
      captured: "true",
      amount_captured: "5000",
      amount_captured_decimal: "50.00",
    });
    expect(byId.get("ch_expired")).toMatchObject({ captured: "false", amount_captured: "0" });
  });

  it("flags the provisional refund", () => {
    expect(file("refunds.csv").map((r) => [r.refund_id, r.provisional, r.counts_in_refunds])).toEqual([
      ["provisional_ch_full_1", "true", "true"],
    ]);
  });

  it("flags inquiries and dates the loss of a dispute", () => {
    const byId = new Map(file("disputes.csv").map((r) => [r.dispute_id, r]));
    expect(byId.get("du_inquiry")).toMatchObject({
      inquiry: "true",
      counts_in_disputes: "false",
      lost_day: "",
    });
    expect(byId.get("du_lost")).toMatchObject({
      inquiry: "false",
      counts_in_disputes: "true",
      lost_day: "2026-06-20",
    });
  });

  it("sums revenue_summary to the period's KPIs", async () => {
    const rows = file("revenue_summary.csv").filter((r) => r.currency === "usd");
    const sum = (key: string) => rows.reduce((s, r) => s + Number(r[key]), 0);
    // gross 5000 + 0 + 6000 = 11000; refunds 2500; disputes 6000 (no inquiry); lost 6000;
    // net 11000 − 2500 − 6000 = 2500.
    const totals = {
      gross_revenue: sum("gross_revenue"),
      refunds: sum("refunds"),
      disputes: sum("disputes"),
      disputes_lost: sum("disputes_lost"),
      net_revenue: sum("net_revenue"),
    };
    expect(totals).toEqual({
      gross_revenue: 11000,
      refunds: 2500,
      disputes: 6000,
      disputes_lost: 6000,
      net_revenue: 2500,
    });
    const kpis = await computeKpisRaw(ctx, {
      from: "2026-06-01",
      to: "2026-06-30",
      timezone: "UTC",
      currency: "usd",
    });
    expect(totals).toEqual({
      gross_revenue: kpis.gross_revenue,
      refunds: kpis.refunds,
      disputes: kpis.disputes,
      disputes_lost: kpis.disputes_lost,
      net_revenue: kpis.net_revenue,
    });
    expect(rows.find((r) => r.day === "2026-06-20")).toMatchObject({
      disputes_lost: "6000",
      net_revenue: "-6000",
    });
  });
});

describe("BI pack money columns", () => {
  it("sums fact_payment's captured amounts of succeeded charges to gross revenue", () => {
    const rows = csvObjects(readFileSync(join(biDir, "fact_payment.csv"), "utf8"));
    const byId = new Map(rows.map((r) => [r.payment_id, r]));
    expect(byId.get("ch_partial")).toMatchObject({ amount: "8000", amount_captured: "5000" });
    expect(byId.get("ch_expired")).toMatchObject({ amount_captured: "0" });
    // 5000 + 0 + 6000 = 11000, the gross revenue of the finance summary above.
    const gross = rows
      .filter((r) => r.counts_in_gross_revenue === "true")
      .reduce((sum, r) => sum + Number(r.amount_captured), 0);
    expect(gross).toBe(11000);
  });
});
