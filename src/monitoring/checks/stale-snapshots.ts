import { sql } from "drizzle-orm";
import { addDays, dayOf } from "../../analytics/core/periods.ts";
import { charges, orders, snapDailyLedger, snapDailyOrders } from "../../db/schema.ts";
import { queryOne } from "../../db/sql.ts";
import type { Check } from "../types.ts";

type Row = { newest_activity: string | null; newest_snapshot: string | null };

/**
 * Dashboards read snapshots, so a worker that stopped rebuilding shows old numbers silently. The
 * newest snapshot day must reach yesterday (reporting time zone) whenever there was activity by
 * then; snapshot rows exist only for days with activity, so a quiet day is not staleness, and an
 * empty database is clean.
 */
export const staleSnapshots: Check = {
  name: "stale-snapshots",
  description:
    "The newest KPI snapshot day is not older than yesterday (reporting time zone) when the ledger or orders have activity up to then.",
  severity: "warning",
  fix: "Check that the worker runs (`revintel worker`; job_runs shows `snapshots.rebuild-dirty`), then rebuild the gap: `revintel snapshots build --from <newest snapshot day> --to <yesterday>`.",
  async run({ db, now, config }) {
    const tz = config.reportingTimezone;
    const yesterday = addDays(dayOf(now, tz), -1);
    const end = addDays(yesterday, 1);
    // Activity and snapshots up to yesterday only: today's rebuild may legitimately trail by a minute.
    const row = await queryOne<Row>(
      db,
      sql`SELECT
            (SELECT max(d)::text FROM (
               SELECT max((${charges.created} AT TIME ZONE ${tz})::date) AS d FROM ${charges}
               WHERE ${charges.status} = 'succeeded' AND ${charges.livemode} = ${config.livemode}
                 AND (${charges.created} AT TIME ZONE ${tz})::date < ${end}::date
               UNION ALL
               SELECT max((${orders.paidAt} AT TIME ZONE ${tz})::date) FROM ${orders}
               WHERE ${orders.paidAt} IS NOT NULL AND ${orders.livemode} = ${config.livemode}
                 AND (${orders.paidAt} AT TIME ZONE ${tz})::date < ${end}::date
             ) a) AS newest_activity,
            (SELECT max(d)::text FROM (
               SELECT max(${snapDailyLedger.day}) AS d FROM ${snapDailyLedger}
               WHERE ${snapDailyLedger.livemode} = ${config.livemode} AND ${snapDailyLedger.day} < ${end}::date
               UNION ALL
               SELECT max(${snapDailyOrders.day}) FROM ${snapDailyOrders}
               WHERE ${snapDailyOrders.livemode} = ${config.livemode} AND ${snapDailyOrders.day} < ${end}::date
             ) s) AS newest_snapshot`,
    );
    const activity = row?.newest_activity ?? null;
    const snapshot = row?.newest_snapshot ?? null;
    if (activity === null || (snapshot !== null && snapshot >= activity)) return [];
    return [
      {
        fingerprint: "snapshots",
        title: snapshot
          ? `Newest snapshot is ${snapshot}, but there is activity up to ${activity}`
          : `No snapshots built, but there is activity up to ${activity}`,
        details: {
          newestSnapshotDay: snapshot,
          newestActivityDay: activity,
          yesterday,
          fix: `revintel snapshots build --from ${snapshot ?? "<first day>"} --to ${yesterday}`,
        },
      },
    ];
  },
};
