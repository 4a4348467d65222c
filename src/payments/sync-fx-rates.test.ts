import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { dirtyDays } from "../analytics/schema.ts";
import { listRates, loadRateBook, toDecimal } from "../fx/index.ts";
import { createStripeFactory } from "../offline/objects/event-factory.ts";
import { type FakeStripe, startFakeStripe, stripeClientFor } from "../offline/stripe-api/server.ts";
import { syncRealisedRates } from "./sync-fx-rates.ts";

let ctx: TestContext;
let fake: FakeStripe;
const f = createStripeFactory({ seed: "fx-sync", now: new Date("2026-06-10T09:00:00Z") });

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await fake?.close();
  await ctx.destroy();
});

describe("stripe sync: realised exchange rates", () => {
  it("records a payment's balance transaction rate as the day's Stripe rate, once", async () => {
    // Stripe's reference example: 10.00 EUR charged, 12.34 USD in the balance, exchange_rate 1.234.
    const eur = f.makeCharge({ amount: 1000, currency: "eur" });
    const converted = {
      ...f.makeBalanceTransaction({
        id: eur.balance_transaction ?? "",
        amount: 1234,
        currency: "usd",
        source: eur.id,
      }),
      exchange_rate: 1.234,
    };
    // Same currency: no conversion, no rate.
    const usd = f.makeCharge({ amount: 500, currency: "usd" });
    const plain = f.makeBalanceTransaction({
      id: usd.balance_transaction ?? "",
      amount: 500,
      source: usd.id,
    });
    fake = await startFakeStripe({ charges: [eur, usd], balanceTransactions: [converted, plain] });
    const client = stripeClientFor(fake);

    expect(await syncRealisedRates(ctx, client, { limit: 100 })).toEqual({ rates: 1, changed: 1 });
    expect(await listRates(ctx, { base: "eur", quote: "usd" })).toEqual([
      { day: "2026-06-10", base: "eur", quote: "usd", rate: "1.234", source: "stripe_balance_transaction" },
    ]);
    const marks = await ctx.db
      .select({ day: dirtyDays.day, paidOrdersOf: dirtyDays.paidOrdersOf })
      .from(dirtyDays);
    // A rate changes no paid order: the rebuild keeps every customer's rows of the day.
    expect(marks.map((m) => [m.day, m.paidOrdersOf])).toContainEqual(["2026-06-10", []]);
    // The converted view reads it both ways: USD→EUR is 1 ÷ 1.234.
    const book = await loadRateBook(ctx, ["usd", "eur"], "2026-06-12");
    expect(toDecimal(book.resolve("usd", "eur", "2026-06-12")!.rate, 6)).toBe("0.810373");

    expect(await syncRealisedRates(ctx, client, { limit: 100 })).toEqual({ rates: 1, changed: 0 });
  });
});
