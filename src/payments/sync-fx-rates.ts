import type Stripe from "stripe";
import { dayOf, startOfDay } from "../analytics/core/periods.ts";
import { markDaysDirty, NO_PAID_ORDERS } from "../analytics/dirty.ts";
import type { AppContext } from "../context.ts";
import { type FxRateRow, recordRealisedRates } from "../fx/index.ts";
import { type BalanceTransactionRead, readBalanceTransaction } from "./stripe/readers/balance-transaction.ts";

/** The balance transactions of money coming in, whose rate converts a payment into the balance currency. */
const PAYMENT_TYPES = new Set(["charge", "payment"]);

/**
 * `stripe sync`: Stripe's realised exchange rates, from the balance transactions of the period
 * (through the balance transaction reader), recorded as the best rate source of their day and pair
 * (kpis.md "Reporting currency"); the days whose rate changed are marked for a snapshot rebuild.
 * A day with several conversions of one pair keeps the latest. Returns rates recorded and changed.
 */
export async function syncRealisedRates(
  ctx: AppContext,
  stripe: Stripe,
  params: { limit: number; created?: { gte: number } },
): Promise<{ rates: number; changed: number }> {
  const tz = ctx.config.reportingTimezone;
  const latest = new Map<string, { read: BalanceTransactionRead; row: FxRateRow }>();
  for await (const raw of stripe.balanceTransactions.list({ ...params, expand: ["data.source"] })) {
    const read = readBalanceTransaction(raw);
    const row = realisedRate(read, tz);
    if (!row) continue;
    const key = `${row.base}/${row.quote}/${row.day}`;
    const current = latest.get(key);
    if (!current || later(read, current.read)) latest.set(key, { read, row });
  }
  const rows = [...latest.values()].map((v) => v.row);
  const changed = await ctx.db.transaction(async (tx) => {
    const saved = await recordRealisedRates({ ...ctx, db: tx }, rows);
    await markDaysDirty(
      { ...ctx, db: tx },
      saved.map((r) => startOfDay(r.day, tz)),
      NO_PAID_ORDERS,
    );
    return saved;
  });
  return { rates: rows.length, changed: changed.length };
}

/** The rate a payment's balance transaction realised: units of the balance currency per unit paid. */
export function realisedRate(b: BalanceTransactionRead, tz: string): FxRateRow | null {
  if (!PAYMENT_TYPES.has(b.type) || b.exchangeRate === null || b.sourceCurrency === null) return null;
  if (b.sourceCurrency === b.currency) return null;
  return {
    day: dayOf(b.created, tz),
    base: b.sourceCurrency,
    quote: b.currency,
    rate: b.exchangeRate,
    source: "stripe_balance_transaction",
  };
}

function later(a: BalanceTransactionRead, b: BalanceTransactionRead): boolean {
  return (
    a.created.getTime() > b.created.getTime() || (a.created.getTime() === b.created.getTime() && a.id > b.id)
  );
}
