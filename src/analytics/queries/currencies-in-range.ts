import { and, between, eq, lt, sql } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { queryRows } from "../../db/sql.ts";
import { checkDateRange } from "../../shared/dates.ts";
import { snapDailyLedger, snapDailyMrr, snapDailyOrders } from "../schema.ts";

/**
 * The currencies with any data in `from`..`to` (Stripe mode `livemode`), from the snapshots: a
 * charge, refund or dispute, a paid order, an MRR change, or MRR > 0 carried in from before the
 * period. Sorted; a dashboard says "no data" for a currency not in it instead of showing zeros.
 */
export async function currenciesWithData(
  ctx: ServiceContext,
  params: { from: string; to: string; livemode?: boolean },
): Promise<string[]> {
  const { from, to } = checkDateRange(params);
  const livemode = params.livemode ?? false;
  const found = new Set<string>();
  const l = snapDailyLedger;
  const o = snapDailyOrders;
  const m = snapDailyMrr;
  const inRange = <T extends typeof l | typeof o | typeof m>(t: T) =>
    and(eq(t.livemode, livemode), between(t.day, from, to));
  const ledger = await ctx.readDb
    .selectDistinct({ currency: l.currency })
    .from(l)
    .where(
      and(
        inRange(l),
        sql`(${l.charges} > 0 OR ${l.refunds} <> 0 OR ${l.disputes} <> 0 OR ${l.disputesLost} <> 0)`,
      ),
    );
  const orders = await ctx.readDb
    .selectDistinct({ currency: o.currency })
    .from(o)
    .where(and(inRange(o), sql`${o.orders} > 0`));
  const changes = await ctx.readDb.selectDistinct({ currency: m.currency }).from(m).where(inRange(m));
  // MRR > 0 at the start: each currency's latest total before the period.
  const carried = await queryRows<{ currency: string }>(
    ctx.readDb,
    sql`
    SELECT currency FROM (
      SELECT DISTINCT ON (${m.currency}) ${m.currency} AS currency, ${m.mrr} AS mrr FROM ${m}
      WHERE ${and(eq(m.livemode, livemode), lt(m.day, from))}
      ORDER BY ${m.currency}, ${m.day} DESC
    ) latest WHERE mrr > 0`,
  );
  for (const r of [...ledger, ...orders, ...changes]) found.add(r.currency);
  for (const r of carried) found.add(r.currency);
  return [...found].sort();
}
