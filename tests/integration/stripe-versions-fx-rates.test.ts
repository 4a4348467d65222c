/**
 * Stripe's realised exchange rates in every API version family (issue 20): charges and their
 * balance transactions written from Stripe's published objects per family (see
 * tests/support/stripe-versions/balance-transaction.ts: `balance_type` only from 2025-05-28.basil),
 * served by the local fake Stripe API to the real SDK; `stripe sync` must record the payment's
 * conversion rate as the day's Stripe rate, and nothing for a refund's or an unconverted payment's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listRates } from "../../src/fx/index.ts";
import { type FakeStripe, startFakeStripe, stripeClientFor } from "../../src/offline/stripe-api/server.ts";
import type { FakeStripeSeed } from "../../src/offline/stripe-api/store.ts";
import { syncRealisedRates } from "../../src/payments/sync-fx-rates.ts";
import { createTestContext, type TestContext } from "../support/context.ts";
import { balanceTransaction } from "../support/stripe-versions/balance-transaction.ts";
import { charge } from "../support/stripe-versions/charge.ts";
import { at, FAMILIES, type Family } from "../support/stripe-versions/versions.ts";

const PAID = at("2026-06-10T09:00:00Z");

/** 10.00 EUR paid into a USD balance as 12.34 USD (the reference's example), a USD payment, and a refund. */
function account(family: Family): FakeStripeSeed {
  const eur = charge(family, {
    id: "ch_eur1",
    amount: 1000,
    currency: "eur",
    created: PAID,
    customer: null,
    paymentIntent: null,
  });
  const usd = charge(family, {
    id: "ch_usd1",
    amount: 500,
    currency: "usd",
    created: PAID + 60,
    customer: null,
    paymentIntent: null,
  });
  const transactions = [
    balanceTransaction(family, {
      id: "txn_eur1",
      source: "ch_eur1",
      type: "charge",
      amount: 1234,
      currency: "usd",
      exchangeRate: 1.234,
      fee: 66,
      created: PAID,
    }),
    balanceTransaction(family, {
      id: "txn_usd1",
      source: "ch_usd1",
      type: "charge",
      amount: 500,
      currency: "usd",
      exchangeRate: null,
      fee: 45,
      created: PAID + 60,
    }),
    // A refund of the EUR charge two days later, converted back at another rate: not a payment's rate.
    balanceTransaction(family, {
      id: "txn_ref1",
      source: "ch_eur1",
      type: "refund",
      amount: -1250,
      currency: "usd",
      exchangeRate: 1.25,
      fee: 0,
      created: PAID + 2 * 86_400,
    }),
  ];
  return { charges: [eur, usd], balanceTransactions: transactions } as unknown as FakeStripeSeed;
}

describe.each(FAMILIES)("realised exchange rates at API version family %s", (family: Family) => {
  let ctx: TestContext;
  let fake: FakeStripe;
  beforeAll(async () => {
    ctx = await createTestContext();
    fake = await startFakeStripe(account(family));
  });
  afterAll(async () => {
    await fake?.close();
    await ctx?.destroy();
  });

  it("carries balance_type only where Stripe's reference has it", () => {
    const [txn] = account(family).balanceTransactions as unknown as Array<Record<string, unknown>>;
    expect("balance_type" in txn!).toBe(family === "clover" || family === "newest");
  });

  it("records the payment's rate as the day's Stripe rate, and nothing for the refund or the USD payment", async () => {
    const client = stripeClientFor(fake);
    expect(await syncRealisedRates(ctx, client, { limit: 100 })).toEqual({ rates: 1, changed: 1 });
    expect(await listRates(ctx, { base: "eur", quote: "usd" })).toEqual([
      { day: "2026-06-10", base: "eur", quote: "usd", rate: "1.234", source: "stripe_balance_transaction" },
    ]);
    expect(await listRates(ctx, { base: "usd", quote: "eur" })).toEqual([]);
  });
});
