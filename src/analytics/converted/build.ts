import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { bareList, inTexts } from "../../db/sql.ts";
import { type HistoryState, loadHistory } from "../mrr/history.ts";
import { addArrivals, type DayRange, rewriteDays } from "../snapshots/facts.ts";
import { amountCounts } from "./amounts.ts";
import { snapDailyAmounts, snapSubscriptionMrr } from "./schema.ts";
import { subscriptionMrrChanges } from "./subscription-mrr.ts";

const BATCH = 20_000;

/**
 * The converted view's amount counts of the range's days (replaced, like the ledger snapshot; on the
 * worker's dirty days only the counts that changed are written).
 */
export async function buildAmounts(
  db: Db,
  r: DayRange,
  /** The range's changes are arrivals only, on days built in its zone: add those orders and charges. */
  arrivalsOnly = false,
): Promise<number> {
  const a = snapDailyAmounts;
  const columns = { key: [a.livemode, a.currency, a.day, a.kind, a.amount], values: [a.records] };
  if (arrivalsOnly) {
    const arrivals = {
      orders: sql`(SELECT order_id FROM taken)`,
      charges: sql`(SELECT charge_id FROM taken)`,
    };
    const counts = amountCounts(r.start, r.end, r.timezone, arrivals);
    return addArrivals(db, a, columns, counts, "amounts", r);
  }
  return rewriteDays(db, a, columns, amountCounts(r.start, r.end, r.timezone), r, "amounts");
}

/**
 * Subscription MRR change rows for the whole history (a late event moves MRR onward), rewritten
 * whole; from the histories the customer MRR stage already read when given. With `scope` (mode →
 * subscription ids), only those subscriptions' rows are replaced, from `histories` (their states).
 */
export async function buildSubscriptionMrr(
  db: Db,
  timezone: string,
  histories?: ReadonlyMap<boolean, HistoryState[]>,
  scope?: ReadonlyMap<boolean, readonly string[]>,
): Promise<number> {
  const s = snapSubscriptionMrr;
  if (scope) {
    for (const [livemode, ids] of scope)
      await db.delete(s).where(and(eq(s.livemode, livemode), inTexts(s.subscriptionId, ids)));
  } else await db.delete(s);
  let rows = 0;
  for (const livemode of scope ? [...scope.keys()] : [false, true]) {
    const states = histories?.get(livemode) ?? (await loadHistory(db, livemode));
    const changes = subscriptionMrrChanges(states, timezone);
    for (let i = 0; i < changes.length; i += BATCH) {
      const json = JSON.stringify(changes.slice(i, i + BATCH));
      await db.execute(sql`
        INSERT INTO ${s} (${bareList(s.livemode, s.currency, s.subscriptionId, s.customerKey, s.day, s.mrr)})
        SELECT livemode, currency, "subscriptionId", "customerKey", day, mrr
        FROM json_to_recordset(${json}::json)
          AS r(livemode boolean, currency text, "subscriptionId" text, "customerKey" text, day date, mrr bigint)`);
    }
    rows += changes.length;
  }
  return rows;
}
