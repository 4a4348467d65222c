/**
 * Exchange rates (kpis.md "Reporting currency"): the daily rates table, its sources (Stripe's
 * realised rates, imported ECB files, the demo seed) and the exact lookup the converted view uses.
 * The only module that reads or writes `fx_rates`.
 */
import { type Actor, audit } from "../audit/index.ts";
import type { ServiceContext } from "../context.ts";
import { parseEcbCsv } from "./ecb-csv.ts";
import type { FxRateRow } from "./rate-book.ts";
import { saveRates } from "./store.ts";

export { parseEcbCsv } from "./ecb-csv.ts";
export {
  FX_SOURCES,
  type FxRateRow,
  type FxSource,
  RateBook,
  type RateLeg,
  type ResolvedRate,
} from "./rate-book.ts";
export { convertMinor, parseDecimal, type Rational, toDecimal } from "./rational.ts";
export { type ListRatesInput, listRates, loadRateBook, saveRates } from "./store.ts";

export interface ImportResult {
  /** Rates in the file. */
  rates: number;
  /** Rates that were new or changed (0 when the same file is imported again). */
  changed: FxRateRow[];
}

/**
 * Imports an ECB reference-rate CSV (all rows or none: a bad cell throws before anything is
 * written), audited as `fx.import` with the counts. Run it inside the caller's transaction to mark
 * the changed days for a snapshot rebuild in the same commit (flows/import-fx-rates.ts).
 */
export async function importEcbRates(
  ctx: ServiceContext,
  input: { text: string; name: string },
  actor: Actor,
): Promise<ImportResult> {
  const rows = parseEcbCsv(input.text, input.name);
  const now = ctx.clock.now();
  const changed = await saveRates(ctx, rows);
  const days = changed.map((r) => r.day).sort();
  await audit(
    ctx.db,
    actor,
    "fx.import",
    { type: "fx_rates", id: input.name },
    { rates: rows.length, changed: changed.length, from: days[0] ?? null, to: days[days.length - 1] ?? null },
    null,
    now,
  );
  return { rates: rows.length, changed };
}

/** Realised rates from Stripe balance transactions (`stripe sync`): the best source of a day. */
export async function recordRealisedRates(ctx: ServiceContext, rows: FxRateRow[]): Promise<FxRateRow[]> {
  return saveRates(ctx, rows);
}
export { affectedDays } from "./affected-days.ts";
