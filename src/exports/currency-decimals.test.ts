import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../tests/support/builders/catalog.ts";
import { makeCustomer } from "../../tests/support/builders/customers.ts";
import { makeCharge } from "../../tests/support/builders/ledger.ts";
import { makeOrder } from "../../tests/support/builders/orders.ts";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { csvObjects } from "../../tests/support/export-read.ts";
import { cliActor } from "../audit/index.ts";
import { directorySink, exportPack, type PackName } from "./index.ts";

/**
 * `…_decimal` columns follow Stripe's exponent of each currency: 1500 KWD minor units (fils) are
 * 1.500 dinars, 1000 JPY are 1000 yen, 1500 USD cents are 15.00 dollars.
 */
let ctx: TestContext;
const dirs = new Map<PackName, string>();

beforeAll(async () => {
  ctx = await createTestContext();
  const db = ctx.db;
  const customer = await makeCustomer(db);
  const product = await makeProduct(db, { currency: "kwd", priceAmount: 1500 });
  for (const [currency, amount] of [
    ["kwd", 1500],
    ["jpy", 1000],
    ["usd", 1500],
  ] as const) {
    await makeCharge(db, { amount, currency, created: new Date("2026-06-02T12:00:00Z") });
    await makeOrder(db, {
      customerId: customer.id,
      paidAt: "2026-06-02T12:00:00Z",
      currency,
      lines: [{ productId: product.id, quantity: 1, unitPrice: amount }],
    });
  }
  for (const pack of ["finance", "bi"] as const) {
    const dir = mkdtempSync(join(tmpdir(), `decimals-${pack}-`));
    await exportPack(ctx, { pack, from: "2026-06-02", to: "2026-06-02" }, await directorySink(dir), cliActor);
    dirs.set(pack, dir);
  }
});
afterAll(() => ctx.destroy());

const rows = (pack: PackName, file: string) => csvObjects(readFileSync(join(dirs.get(pack)!, file), "utf8"));
const byCurrency = (list: Array<Record<string, string>>, column: string) =>
  Object.fromEntries(list.map((r) => [r.currency, r[column]]));

describe("decimal export columns by currency exponent", () => {
  const expected = { kwd: "1.500", jpy: "1000", usd: "15.00" };

  it("payments, orders and the revenue summary", () => {
    expect(byCurrency(rows("finance", "payments.csv"), "amount_decimal")).toEqual(expected);
    expect(byCurrency(rows("finance", "orders.csv"), "amount_total_decimal")).toEqual(expected);
    expect(byCurrency(rows("finance", "revenue_summary.csv"), "gross_revenue_decimal")).toEqual(expected);
  });

  it("the BI facts and the product dimension", () => {
    expect(byCurrency(rows("bi", "fact_payment.csv"), "amount_decimal")).toEqual(expected);
    expect(byCurrency(rows("bi", "fact_order_line.csv"), "line_amount_decimal")).toEqual(expected);
    expect(rows("bi", "dim_product.csv")[0]).toMatchObject({ currency: "kwd", price_decimal: "1.500" });
  });
});
