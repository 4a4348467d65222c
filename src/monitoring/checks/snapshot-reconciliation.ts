import { sql } from "drizzle-orm";
import { addDays, dayOf, eachDay } from "../../analytics/core/periods.ts";
import {
  computeKpis,
  computeKpisRaw,
  convertedDifferences,
  type Kpis,
  type RawHistory,
  readRawHistory,
} from "../../analytics/index.ts";
import { charges, orders, subscriptions } from "../../db/schema.ts";
import { queryRows } from "../../db/sql.ts";
import type { Check, CheckContext, Finding } from "../types.ts";

export const RECONCILED_DAYS = 90;
/** Labels of the period, not numbers: they are equal by construction. */
const LABELS = new Set(["from", "to", "timezone", "currency"]);

/**
 * kpis.md: the KPI of a period from snapshots equals the KPI from raw data. Checked one reporting
 * day at a time over the last 90 complete days, per currency, so the finding names the days to
 * rebuild (two wrong days can cancel out in a longer period).
 */
export const snapshotReconciliation: Check = {
  name: "snapshot-reconciliation",
  description: `Snapshot KPIs equal the raw-data KPIs for each of the last ${RECONCILED_DAYS} complete days, per currency and in the converted view (all currencies in the reporting currency).`,
  severity: "critical",
  fix: "Rebuild the days named in the issue: `revintel snapshots build --from D --to D` (the issue details carry the exact command). If a rebuild does not clear it, a snapshot builder and the raw path disagree: file a bug with the day and the KPIs that differ.",
  run: (ctx) => reconcileSnapshots(ctx),
};

/**
 * The check's work. `afterHistoryRead` runs once the raw path's subscription history has been read
 * (tests use it to land a subscription change the read cannot see, as a webhook may during a run).
 */
export async function reconcileSnapshots(
  ctx: CheckContext,
  hooks: { afterHistoryRead?: () => Promise<void> } = {},
): Promise<Finding[]> {
  const { db, now, config } = ctx;
  // Both paths read the primary, as every check does (a replica may lag behind the last build).
  const primary = { ...ctx, readDb: db };
  const timezone = config.reportingTimezone;
  const to = addDays(dayOf(now, timezone), -1);
  const from = addDays(to, -(RECONCILED_DAYS - 1));
  const currencies = await activeCurrencies(db, config.livemode);
  // The raw path's subscription history, read once for every day rather than once per day.
  const history = await readRawHistory(primary, config.livemode);
  await hooks.afterHistoryRead?.();
  const findings: Finding[] = [];
  for (const currency of currencies) {
    for (const day of eachDay(from, to)) {
      const params = { from: day, to: day, currency, livemode: config.livemode };
      const kpisOf = (raw?: RawHistory) =>
        Promise.all([computeKpis(primary, params), computeKpisRaw(primary, params, raw)]);
      let differences = differingKpis(...(await kpisOf(history)));
      if (Object.keys(differences).length === 0) continue;
      // Both again from a fresh read: subscription events may have landed since the history was read.
      differences = differingKpis(...(await kpisOf()));
      if (Object.keys(differences).length === 0) continue;
      findings.push({
        fingerprint: `${currency}:${day}`,
        title: `Snapshots for ${day} (${currency}) differ from raw data in ${Object.keys(differences).join(", ")}`,
        details: {
          day,
          currency,
          differences,
          fix: `revintel snapshots build --from ${day} --to ${day}`,
        },
      });
    }
  }
  // The converted view: each day's converted amounts and MRR, snapshots against raw tables.
  for (const d of await convertedDifferences(primary, { from, to, livemode: config.livemode })) {
    findings.push({
      fingerprint: `all:${d.day}`,
      title: `Converted snapshots for ${d.day} (all currencies in ${d.reportingCurrency}) differ from raw data in ${Object.keys(d.differences).join(", ")}`,
      details: {
        day: d.day,
        currency: "all",
        differences: d.differences,
        fix: `revintel snapshots build --from ${d.day} --to ${d.day}`,
      },
    });
  }
  return findings;
}

/** Each KPI whose snapshot value differs from the raw value, with both values. */
export function differingKpis(
  snapshot: Kpis,
  raw: Kpis,
): Record<string, { snapshot: unknown; raw: unknown }> {
  const out: Record<string, { snapshot: unknown; raw: unknown }> = {};
  for (const key of Object.keys(raw) as Array<keyof Kpis>) {
    if (LABELS.has(key)) continue;
    if (JSON.stringify(snapshot[key]) !== JSON.stringify(raw[key])) {
      out[key] = { snapshot: snapshot[key], raw: raw[key] };
    }
  }
  return out;
}

/** Currencies with any ledger, order or subscription row in the configured Stripe mode. */
async function activeCurrencies(db: Parameters<Check["run"]>[0]["db"], livemode: boolean): Promise<string[]> {
  const rows = await queryRows<{ currency: string }>(
    db,
    sql`SELECT DISTINCT lower(currency) AS currency FROM (
          SELECT ${charges.currency} AS currency FROM ${charges} WHERE ${charges.livemode} = ${livemode}
          UNION SELECT ${orders.currency} FROM ${orders} WHERE ${orders.livemode} = ${livemode}
          UNION SELECT ${subscriptions.currency} FROM ${subscriptions} WHERE ${subscriptions.livemode} = ${livemode}
        ) c ORDER BY 1`,
  );
  return rows.map((r) => r.currency);
}
