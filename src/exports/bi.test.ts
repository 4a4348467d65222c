import { createHash, createHmac } from "node:crypto";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../tests/support/builders/catalog.ts";
import { makeCustomer } from "../../tests/support/builders/customers.ts";
import { makeCharge } from "../../tests/support/builders/ledger.ts";
import { makeOrder } from "../../tests/support/builders/orders.ts";
import { makeSubscriptionWithHistory } from "../../tests/support/builders/subscriptions.ts";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { csvObjects, readZip } from "../../tests/support/export-read.ts";
import { computeKpisRaw } from "../analytics/index.ts";
import type { Actor } from "../audit/index.ts";
import { listAuditEvents } from "../audit/index.ts";
import { exportPack, type Manifest, zipSink } from "./index.ts";

const admin: Actor = { type: "user", id: "1", role: "admin" };
const analyst: Actor = { type: "user", id: "2", role: "analyst" };
let ctx: TestContext;
let customerId: number;
let productId: number;

/** Run the BI pack into a zip in memory and read it back through the central directory. */
async function biZip(actor: Actor, pii = false) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const manifest = await exportPack(
    ctx,
    { pack: "bi", from: "2026-06-01", to: "2026-06-05", pii },
    zipSink(out, ctx.clock.now()),
    actor,
  );
  const files = readZip(Buffer.concat(chunks));
  const csv = (name: string) => files.get(name)!.toString("utf8");
  return { manifest, files, csv };
}

beforeAll(async () => {
  ctx = await createTestContext(); // reporting time zone UTC
  const hyper = await makeCustomer(ctx.db, { name: '=HYPERLINK("x")', email: "hyper@example.test" });
  customerId = hyper.id;
  productId = (await makeProduct(ctx.db, { unitCostAmount: 400 })).id;
  await makeOrder(ctx.db, {
    customerId,
    paidAt: "2026-06-02T10:00:00Z",
    lines: [{ productId, quantity: 3, unitPrice: 1000, unitCost: 400 }],
  });
  await makeCharge(ctx.db, {
    amount: 3000,
    stripeCustomerId: hyper.stripeCustomerId,
    created: new Date("2026-06-02T10:00:00Z"),
  });
  // Active from May, canceled 06-03 12:00: MRR > 0 at the end of 06-01 and 06-02 only.
  await makeSubscriptionWithHistory(ctx.db, {
    customerId,
    stripeCustomerId: hyper.stripeCustomerId!,
    unitAmount: 2000,
    states: [
      { at: "2026-05-01T00:00:00Z", status: "active" },
      { at: "2026-06-03T12:00:00Z", status: "canceled" },
    ],
  });
  // Starts at exactly 06-04 00:00: the end of 06-03 already sees it (kpis.md: at or before), so 06-03..06-05.
  await makeSubscriptionWithHistory(ctx.db, {
    customerId,
    stripeCustomerId: hyper.stripeCustomerId!,
    unitAmount: 900,
    states: [{ at: "2026-06-04T00:00:00Z", status: "active" }],
  });
});
afterAll(() => ctx.destroy());

describe("BI pack", () => {
  it("keeps customers pseudonymous: no e-mail or name unless PII is asked for", async () => {
    const { files, csv } = await biZip(analyst);
    const dim = csvObjects(csv("dim_customer.csv"));
    expect(Object.keys(dim[0]!)).not.toContain("email");
    expect(Object.keys(dim[0]!)).not.toContain("name");
    for (const [name, bytes] of files) {
      expect({
        name,
        email: bytes.includes("hyper@example.test"),
        name_: bytes.includes("HYPERLINK"),
      }).toEqual({
        name,
        email: false,
        name_: false,
      });
    }
  });

  it("keys customers by an HMAC of their id under the session secret, the same in every fact", async () => {
    const { csv } = await biZip(analyst);
    const expected = createHmac("sha256", ctx.config.sessionSecret)
      .update(`customer:${customerId}`)
      .digest("hex")
      .slice(0, 32);
    expect(csvObjects(csv("dim_customer.csv"))[0]!.customer_key).toBe(expected);
    expect(csvObjects(csv("fact_order_line.csv"))[0]!.customer_key).toBe(expected);
    expect(csvObjects(csv("fact_payment.csv"))[0]!.customer_key).toBe(expected);
  });

  it("adds e-mail and name, formula-neutralised, for an admin who asks; refuses an analyst", async () => {
    const { csv, manifest } = await biZip(admin, true);
    expect(manifest.pii).toBe(true);
    expect(csv("dim_customer.csv")).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csvObjects(csv("dim_customer.csv"))[0]).toMatchObject({ email: "hyper@example.test" });
    await expect(biZip(analyst, true)).rejects.toThrow(/permission/);
  });

  it("writes order-line facts with cost and the product dimension", async () => {
    const { csv } = await biZip(analyst);
    expect(csvObjects(csv("fact_order_line.csv"))).toEqual([
      expect.objectContaining({
        date_key: "2026-06-02",
        product_key: String(productId),
        quantity: "3",
        line_amount: "3000",
        line_amount_decimal: "30.00",
        line_cost_amount: "1200", // 3 × 400
        line_cost_decimal: "12.00",
      }),
    ]);
    expect(csvObjects(csv("dim_product.csv"))[0]).toMatchObject({
      product_key: String(productId),
      margin_ready: "true",
    });
  });

  it("writes daily MRR per subscription as the KPI sees it at the end of each day", async () => {
    const { csv } = await biZip(analyst);
    const rows = csvObjects(csv("fact_subscription_mrr_daily.csv")).map((r) => `${r.date_key} ${r.mrr}`);
    expect(rows.sort()).toEqual([
      "2026-06-01 2000",
      "2026-06-02 2000",
      "2026-06-03 900",
      "2026-06-04 900",
      "2026-06-05 900",
    ]);
    const kpis = await computeKpisRaw(ctx, {
      from: "2026-06-02",
      to: "2026-06-02",
      currency: "usd",
      timezone: "UTC",
    });
    expect(kpis.mrr).toBe(2000);
  });

  it("writes one dim_date row per day with ISO calendar attributes", async () => {
    const { csv } = await biZip(analyst);
    const days = csvObjects(csv("dim_date.csv"));
    expect(days.map((d) => d.date_key)).toEqual([
      "2026-06-01",
      "2026-06-02",
      "2026-06-03",
      "2026-06-04",
      "2026-06-05",
    ]);
    // 2026-06-01 is a Monday in ISO week 23 (week 1 began Monday 2025-12-29; 154 days later).
    expect(days[0]).toMatchObject({
      day_of_week: "1",
      day_name: "Monday",
      iso_week: "23",
      quarter: "2",
      is_weekend: "false",
    });
  });

  it("has a manifest with schema version, period, row counts and SHA-256 values matching the files", async () => {
    const { manifest, files } = await biZip(analyst);
    const inZip = JSON.parse(files.get("manifest.json")!.toString("utf8")) as Manifest;
    expect(inZip).toEqual(manifest);
    expect(inZip).toMatchObject({
      schema_version: "1.3.0",
      pack: "bi",
      period: { from: "2026-06-01", to: "2026-06-05" },
    });
    expect(inZip.generated_at).toBe("2026-06-15T12:00:00.000Z");
    for (const file of inZip.files) {
      const bytes = files.get(file.name)!;
      expect(file.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    }
    expect(inZip.files.find((f) => f.name === "dim_date.csv")!.rows).toBe(5);
  });

  it("audits each export with its row counts and the PII choice", async () => {
    const { rows } = await listAuditEvents(ctx, { action: "export.bi" });
    expect(rows.length).toBeGreaterThan(0);
    const pii = rows.find((r) => (r.after as { pii: boolean }).pii === true)!;
    expect(pii.actorRole).toBe("admin");
    expect(pii.after).toMatchObject({ rows: { "dim_customer.csv": 1, "fact_order_line.csv": 1 } });
  });
});
