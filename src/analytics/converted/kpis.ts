import type { ServiceContext } from "../../context.ts";
import { loadRateBook } from "../../fx/index.ts";
import { assembleConverted } from "./assemble.ts";
import { convertPeriod } from "./core.ts";
import { crossCurrencyCounts, resolveConverted, snapshotAmounts, snapshotSubscriptionMrr } from "./load.ts";
import type { ConvertedKpis, ConvertedParams } from "./types.ts";

/**
 * The parts of the snapshots the converted view reads: the ledger's amounts, the subscriptions' MRR,
 * the orders count and the customer counts. A figure's records page reads only its figure's part;
 * the figures of a part left out are then 0 and mean nothing.
 */
export interface ConvertedParts {
  amounts: boolean;
  subscriptions: boolean;
  orders: boolean;
  customers: boolean;
}
const ALL_PARTS: ConvertedParts = { amounts: true, subscriptions: true, orders: true, customers: true };

/**
 * The converted view (`currency=all`): every amount of the per-currency snapshots converted into the
 * reporting currency at its day's rate (kpis.md "Reporting currency"). No second ledger: the
 * snapshots keep amounts per currency, the rates table says what they are worth.
 */
export async function computeConvertedKpis(
  ctx: ServiceContext,
  params: ConvertedParams,
  parts: ConvertedParts = ALL_PARTS,
): Promise<ConvertedKpis> {
  const db = ctx.readDb;
  const p = await resolveConverted(ctx, params);
  const [amounts, subscriptions, counts] = await Promise.all([
    parts.amounts ? snapshotAmounts(db, p) : [],
    parts.subscriptions ? snapshotSubscriptionMrr(db, p) : [],
    crossCurrencyCounts(db, p, { orders: parts.orders, customers: parts.customers }),
  ]);
  const currencies = [...new Set([...amounts, ...subscriptions].map((r) => r.currency))];
  const book = await loadRateBook({ db }, [...currencies, p.reporting], p.to);
  const result = convertPeriod({
    from: p.from,
    to: p.to,
    reporting: p.reporting,
    book,
    amounts,
    subscriptions,
  });
  return assembleConverted(p, result, counts);
}
