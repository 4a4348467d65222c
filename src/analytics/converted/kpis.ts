import type { ServiceContext } from "../../context.ts";
import { loadRateBook } from "../../fx/index.ts";
import { assembleConverted } from "./assemble.ts";
import { convertPeriod } from "./core.ts";
import { crossCurrencyCounts, resolveConverted, snapshotAmounts, snapshotSubscriptionMrr } from "./load.ts";
import type { ConvertedKpis, ConvertedParams } from "./types.ts";

/**
 * The converted view (`currency=all`): every amount of the per-currency snapshots converted into the
 * reporting currency at its day's rate (kpis.md "Reporting currency"). No second ledger: the
 * snapshots keep amounts per currency, the rates table says what they are worth.
 */
export async function computeConvertedKpis(
  ctx: ServiceContext,
  params: ConvertedParams,
): Promise<ConvertedKpis> {
  const db = ctx.readDb;
  const p = await resolveConverted(ctx, params);
  const [amounts, subscriptions, counts] = await Promise.all([
    snapshotAmounts(db, p),
    snapshotSubscriptionMrr(db, p),
    crossCurrencyCounts(db, p),
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
