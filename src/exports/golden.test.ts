import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../tests/support/builders/catalog.ts";
import { makeCustomer } from "../../tests/support/builders/customers.ts";
import { makeStripeEvent } from "../../tests/support/builders/events.ts";
import { makeCharge, makeDispute, makeRefund } from "../../tests/support/builders/ledger.ts";
import { makeIssue } from "../../tests/support/builders/monitoring.ts";
import { makeOrder } from "../../tests/support/builders/orders.ts";
import { makeInvoice, makeSubscriptionWithHistory } from "../../tests/support/builders/subscriptions.ts";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import type { Actor } from "../audit/index.ts";
import { directorySink, exportPack, type PackName } from "./index.ts";

/**
 * The whole of every pack, byte for byte, on fixed data: the SHA-256 of each file as read back from
 * disk. Recorded before the files were rewritten as one column spec each; any change to a header,
 * a column's order or a cell's format changes a digest. A deliberate change to the contract
 * (docs/exports.md, a schema version bump) updates these digests in the same commit.
 */
const admin: Actor = { type: "user", id: "1", role: "admin" };
const t = (iso: string) => new Date(iso);
let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext({ env: { REPORTING_TIMEZONE: "America/New_York" } });
  const db = ctx.db;
  const ada = await makeCustomer(db, { name: '=HYPERLINK("x")', email: "ada@example.test" });
  const kim = await makeCustomer(db, { country: null, anonymizedAt: t("2026-05-01T00:00:00Z") });
  const mug = await makeProduct(db, { name: "+SUM(A1)", unitCostAmount: 250, category: "Mugs, cups" });
  const yen = await makeProduct(db, { currency: "jpy", priceAmount: 1000, allowPreorder: true });
  const dinar = await makeProduct(db, { currency: "kwd", priceAmount: 1500, preorderShipDate: "2026-07-01" });

  const o1 = await makeOrder(db, {
    customerId: ada.id,
    paidAt: "2026-06-02T15:00:00Z",
    lines: [
      { productId: mug.id, quantity: 2, unitPrice: 1500, unitCost: 250, name: '-1, "quoted"' },
      { productId: mug.id, quantity: 1, unitPrice: 999 },
    ],
  });
  await makeOrder(db, {
    customerId: kim.id,
    paidAt: "2026-06-03T01:00:00Z",
    currency: "jpy",
    status: "fulfilled",
    lines: [{ productId: yen.id, quantity: 3, unitPrice: 1000 }],
  });
  await makeOrder(db, {
    customerId: kim.id,
    paidAt: "2026-06-06T22:30:00Z",
    currency: "kwd",
    lines: [{ productId: dinar.id, quantity: 1, unitPrice: 1500, unitCost: 1001 }],
  });
  // Paid before the period (still unfulfilled) and one not paid at all.
  await makeOrder(db, {
    customerId: ada.id,
    paidAt: "2026-05-20T12:00:00Z",
    lines: [{ productId: mug.id, quantity: 1, unitPrice: 1500 }],
  });
  await makeOrder(db, {
    customerId: ada.id,
    paidAt: "2026-06-04T12:00:00Z",
    status: "pending",
    lines: [{ productId: mug.id, quantity: 1, unitPrice: 1500 }],
  });

  const { id: c1 } = await makeCharge(db, {
    amount: 3999,
    created: t("2026-06-02T15:00:01Z"),
    orderId: o1.id,
    stripeCustomerId: ada.stripeCustomerId,
    fee: 146,
  });
  await makeCharge(db, {
    amount: 3000,
    currency: "jpy",
    created: t("2026-06-03T01:00:01Z"),
    amountCaptured: 2500,
  });
  await makeCharge(db, { amount: 1500, currency: "kwd", created: t("2026-06-06T22:30:01Z") });
  await makeCharge(db, {
    amount: 4000,
    status: "failed",
    paid: false,
    failureCode: "card_declined",
    created: t("2026-06-04T12:00:00Z"),
  });
  await makeCharge(db, { amount: 3000, livemode: true, created: t("2026-06-03T12:00:00Z") });
  await makeRefund(db, { amount: 1000, chargeId: c1, orderId: o1.id, created: t("2026-06-05T12:00:00Z") });
  await makeRefund(db, { amount: 300, status: "pending", chargeId: c1, created: t("2026-06-05T13:00:00Z") });
  await makeRefund(db, {
    amount: 500,
    currency: "kwd",
    provisional: true,
    created: t("2026-06-07T12:00:00Z"),
  });
  await makeDispute(db, { amount: 3999, chargeId: c1, created: t("2026-06-04T12:00:00Z") });
  await makeDispute(db, {
    amount: 3999,
    chargeId: c1,
    status: "lost",
    lostAt: t("2026-06-06T12:00:00Z"),
    created: t("2026-06-03T12:00:00Z"),
  });
  await makeDispute(db, {
    amount: 100,
    chargeId: c1,
    status: "warning_needs_response",
    created: t("2026-06-05T12:00:00Z"),
  });

  const { id: sub } = await makeSubscriptionWithHistory(db, {
    customerId: ada.id,
    stripeCustomerId: ada.stripeCustomerId!,
    unitAmount: 1900,
    states: [
      { at: "2026-05-15T08:00:00Z", status: "active" },
      { at: "2026-06-04T08:00:00Z", status: "canceled" },
    ],
  });
  await makeSubscriptionWithHistory(db, {
    customerId: kim.id,
    stripeCustomerId: kim.stripeCustomerId!,
    unitAmount: 2900,
    states: [{ at: "2026-06-02T08:00:00Z", status: "active" }],
  });
  await makeInvoice(db, { created: t("2026-06-02T08:00:00Z"), subscriptionId: sub, chargeId: c1 });
  await makeInvoice(db, { created: t("2026-06-03T08:00:00Z"), status: "open", amountPaid: 0 });
  await makeStripeEvent(db, {
    type: "charge.refunded",
    created: t("2026-06-01T10:00:00Z"),
    receivedAt: t("2026-06-01T10:00:00Z"),
    status: "failed",
    attempts: 2,
    lastError: "charge not found",
  });
  await makeIssue(db);
  await makeIssue(db, { status: "resolved", resolvedAt: t("2026-06-03T00:00:00Z"), resolvedBy: "admin" });
  await makeIssue(db, { status: "resolved", resolvedAt: t("2026-05-03T00:00:00Z") });
});
afterAll(() => ctx.destroy());

async function digests(pack: PackName, pii = false, pageSize?: number): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), `golden-${pack}-`));
  const manifest = await exportPack(
    ctx,
    { pack, from: "2026-06-01", to: "2026-06-07", pii, pageSize },
    await directorySink(dir),
    admin,
  );
  const out: Record<string, string> = {};
  for (const file of manifest.files) {
    const bytes = readFileSync(join(dir, file.name));
    out[file.name] = `${file.rows} ${createHash("sha256").update(bytes).digest("hex").slice(0, 16)}`;
  }
  return out;
}

describe("every file of every pack, byte for byte", () => {
  it("finance", async () => {
    expect(await digests("finance")).toMatchInlineSnapshot(`
      {
        "disputes.csv": "3 e344a0bcaed9f974",
        "fx_rates.csv": "21 180575d5bb27602b",
        "invoices.csv": "2 b991e47fbd97befd",
        "order_lines.csv": "4 3dbd6555c727c896",
        "orders.csv": "3 3c7fd879005e52d7",
        "payments.csv": "4 a18af67cbb6cc88e",
        "refunds.csv": "3 c3625cf7e5598f00",
        "revenue_summary.csv": "21 8bf0448995aebcbc",
        "subscriptions.csv": "2 e386bc1f82e8683a",
      }
    `);
  });

  it("ops", async () => {
    expect(await digests("ops")).toMatchInlineSnapshot(`
      {
        "data_quality_issues.csv": "2 0e5a8c7ee3c849c1",
        "failed_webhook_events.csv": "1 3357411748ab1e76",
        "unfulfilled_orders.csv": "3 9106817ff3fc6f2d",
      }
    `);
  });

  it("bi, with and without PII", async () => {
    expect(await digests("bi")).toMatchInlineSnapshot(`
      {
        "dim_customer.csv": "2 2a0bd09059e3f8f9",
        "dim_date.csv": "7 27ec913e8c5bd840",
        "dim_product.csv": "3 01437c8113932bec",
        "fact_order_line.csv": "4 8731e811ebae8ef3",
        "fact_payment.csv": "4 c108f081c1f53713",
        "fact_refund.csv": "3 b4928c0e7109deb1",
        "fact_subscription_mrr_daily.csv": "9 1dabedc2fb646101",
        "fx_rates.csv": "21 180575d5bb27602b",
      }
    `);
    expect(await digests("bi", true)).toMatchInlineSnapshot(`
      {
        "dim_customer.csv": "2 5887eaac36506a52",
        "dim_date.csv": "7 27ec913e8c5bd840",
        "dim_product.csv": "3 01437c8113932bec",
        "fact_order_line.csv": "4 8731e811ebae8ef3",
        "fact_payment.csv": "4 c108f081c1f53713",
        "fact_refund.csv": "3 b4928c0e7109deb1",
        "fact_subscription_mrr_daily.csv": "9 1dabedc2fb646101",
        "fx_rates.csv": "21 180575d5bb27602b",
      }
    `);
  });

  it("the same bytes in pages of two rows", async () => {
    for (const pack of ["finance", "ops", "bi"] as const) {
      expect(await digests(pack, false, 2)).toEqual(await digests(pack));
    }
  });
});
