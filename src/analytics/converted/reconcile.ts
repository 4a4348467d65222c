import type { ServiceContext } from "../../context.ts";
import { queryRows } from "../../db/sql.ts";
import { loadRateBook } from "../../fx/index.ts";
import { eachDay } from "../core/periods.ts";
import { loadHistory } from "../mrr/history.ts";
import { AMOUNT_KINDS, type AmountCount, amountCounts } from "./amounts.ts";
import { type ConvertResult, convertPeriod } from "./core.ts";
import {
  type ResolvedConverted,
  resolveConverted,
  snapshotAmounts,
  snapshotSubscriptionMrr,
} from "./load.ts";
import { subscriptionMrrChanges } from "./subscription-mrr.ts";

export interface ConvertedDayDifference {
  day: string;
  reportingCurrency: string;
  differences: Record<string, { snapshot: number | null; raw: number | null }>;
}

/**
 * The snapshot reconciliation of the converted view: each day's converted amounts (per kind) and
 * converted MRR at its end, from the snapshots and from the raw tables (the same conversion, the
 * same rates), one entry per day that differs. Counts are not compared here: they come from the
 * per-currency snapshots, which the per-currency reconciliation checks.
 */
export async function convertedDifferences(
  ctx: ServiceContext,
  params: { from: string; to: string; livemode: boolean; reportingCurrency?: string },
): Promise<ConvertedDayDifference[]> {
  const db = ctx.db;
  const p = await resolveConverted({ ...ctx, readDb: db }, params);
  const [snapAmounts, snapSubs, rawAmounts, history] = await Promise.all([
    snapshotAmounts(db, p),
    snapshotSubscriptionMrr(db, p),
    queryRows<AmountCount>(db, amountCounts(p.start, p.end, p.timezone)),
    loadHistory(db, p.livemode),
  ]);
  const rawSubs = subscriptionMrrChanges(history, p.timezone).filter((c) => c.day <= p.to);
  const currencies = [...new Set([...snapAmounts, ...snapSubs, ...rawSubs].map((r) => r.currency))];
  const book = await loadRateBook({ db }, [...currencies, p.reporting], p.to);
  const convert = (amounts: AmountCount[], subscriptions: typeof rawSubs) =>
    convertPeriod({ from: p.from, to: p.to, reporting: p.reporting, book, amounts, subscriptions });
  const snapshot = convert(snapAmounts, snapSubs);
  const raw = convert(
    rawAmounts.filter((a) => a.livemode === p.livemode).map((a) => ({ ...a, day: dayText(a.day) })),
    rawSubs,
  );
  return compareDays(p, snapshot, raw);
}

function compareDays(
  p: ResolvedConverted,
  snapshot: ConvertResult,
  raw: ConvertResult,
): ConvertedDayDifference[] {
  const out: ConvertedDayDifference[] = [];
  for (const day of eachDay(p.from, p.to)) {
    const differences: ConvertedDayDifference["differences"] = {};
    for (const kind of AMOUNT_KINDS) {
      const a = snapshot.ledgerByDay.get(day)?.[kind] ?? 0;
      const b = raw.ledgerByDay.get(day)?.[kind] ?? 0;
      if (a !== b) differences[kind] = { snapshot: a, raw: b };
    }
    const a = snapshot.mrr?.byDay.get(day)?.mrr ?? null;
    const b = raw.mrr?.byDay.get(day)?.mrr ?? null;
    if (a !== b) differences.mrr = { snapshot: a, raw: b };
    if (Object.keys(differences).length > 0) out.push({ day, reportingCurrency: p.reporting, differences });
  }
  return out;
}

/** A `date` column comes back as text or as a Date depending on the driver. */
function dayText(day: unknown): string {
  return day instanceof Date ? day.toISOString().slice(0, 10) : String(day);
}
