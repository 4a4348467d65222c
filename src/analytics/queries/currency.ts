import { and, asc, count, desc, eq, gt, isNotNull, type SQL, sql, sum } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import type { Db } from "../../db/client.ts";
import { charges, orders } from "../../db/schema.ts";
import { queryOne } from "../../db/sql.ts";
import { snapDailyLedger, snapDailyOrders } from "../schema.ts";

/**
 * kpis.md: the default currency is the one with the most succeeded charges (ties: alphabetical).
 * Without charges, the currency of the most paid orders; "usd" on an empty database. Reads `ctx.readDb`.
 */
export function defaultCurrency(ctx: ServiceContext, livemode = false): Promise<string> {
  return defaultCurrencyOf(ctx.readDb, livemode);
}

/** `defaultCurrency` on a given database handle. */
async function defaultCurrencyOf(db: Db, livemode: boolean): Promise<string> {
  const charge = await mostUsed(
    db,
    charges,
    charges.currency,
    and(eq(charges.status, "succeeded"), eq(charges.livemode, livemode)),
  );
  if (charge) return charge;
  const order = await mostUsed(
    db,
    orders,
    orders.currency,
    and(isNotNull(orders.paidAt), eq(orders.livemode, livemode)),
  );
  return order ?? "usd";
}

/** The lower-cased currency of the most rows of `table` matching `where` (ties: alphabetical). */
async function mostUsed(
  db: Db,
  table: typeof charges | typeof orders,
  currency: typeof charges.currency | typeof orders.currency,
  where: SQL | undefined,
): Promise<string | undefined> {
  const lowered = sql<string>`lower(${currency})`;
  const [row] = await db
    .select({ currency: lowered })
    .from(table)
    .where(where)
    .groupBy(lowered)
    .orderBy(desc(count()), asc(lowered))
    .limit(1);
  return row?.currency;
}

/**
 * `defaultCurrency` read from the snapshots (dashboards and the snapshot KPI path never scan raw
 * tables): the currency with the most succeeded charges over the built days, else the most paid
 * orders. Equal to `defaultCurrency` when the snapshots cover the history; before any snapshot is
 * built it falls back to `defaultCurrency`. Reads `ctx.readDb`.
 */
export function snapshotDefaultCurrency(ctx: ServiceContext, livemode = false): Promise<string> {
  return snapshotDefaultCurrencyOf(ctx.readDb, livemode);
}

/** `snapshotDefaultCurrency` on a given database handle. */
async function snapshotDefaultCurrencyOf(db: Db, livemode: boolean): Promise<string> {
  const l = snapDailyLedger;
  const o = snapDailyOrders;
  const byCharges = db
    .select({ currency: l.currency })
    .from(l)
    .where(eq(l.livemode, livemode))
    .groupBy(l.currency)
    .having(gt(sum(l.charges), 0))
    .orderBy(desc(sum(l.charges)), l.currency)
    .limit(1);
  const byOrders = db
    .select({ currency: o.currency })
    .from(o)
    .where(eq(o.livemode, livemode))
    .groupBy(o.currency)
    .having(gt(sum(o.orders), 0))
    .orderBy(desc(sum(o.orders)), o.currency)
    .limit(1);
  const row = await queryOne<{ currency: string | null }>(
    db,
    sql`SELECT coalesce(${byCharges}, ${byOrders}) AS currency`,
  );
  return row?.currency ?? defaultCurrencyOf(db, livemode);
}
