import { sql } from "drizzle-orm";
import type { ServiceContext } from "../context.ts";
import { withoutAnswer } from "../db/client.ts";
import { param, statement } from "../db/prepared.ts";
import { bareList } from "../db/sql.ts";
import { dayOf } from "./core/periods.ts";
import { dirtyDays, snapPending } from "./schema.ts";

/** What marking needs: the caller's transaction as `db`, the reporting zone and the clock. */
export type DirtyDaysContext = Pick<ServiceContext, "db" | "clock"> & {
  config: Pick<ServiceContext["config"], "reportingTimezone">;
};

/**
 * What a change touched on its days, so the rebuild can stay as small as the change:
 * - `{ paidOrdersOf: [ids] }`: the paid orders (paid time, amount, currency, mode, customer) of these
 *   customers, and possibly anything that is not a paid order;
 * - `{ paidOrdersOf: [] }`: no paid order (a charge, refund, dispute, subscription or rate);
 * - `"anything"` (the default): the whole day is rebuilt.
 * A change to a paid order must name its customer (both, if it moved between customers): the
 * rebuild recomputes the customer-day rows of the named customers only.
 *
 * `arrived`, when given, says the change's whole effect on the product and amount counts is that
 * these records count now and did not before: orders just paid (they had no paid time) and charges
 * just stored (no row before). Their days' counts then take in those records alone; without it the
 * counts of every day marked are recounted.
 */
export type DayChange = { paidOrdersOf: number[]; arrived?: Arrivals } | "anything";

/** Records that count from now on, each with the instant it counts at (see `DayChange`). */
export interface Arrivals {
  orders?: Array<{ id: number; paidAt: Date }>;
  charges?: Array<{ id: string; created: Date }>;
}

/** A change that touched no paid order (money, subscriptions, rates). */
export const NO_PAID_ORDERS: DayChange = { paidOrdersOf: [] };

/**
 * Mark the reporting days (in `ctx.config.reportingTimezone`) touched by these instants as needing a
 * snapshot rebuild, stamped `ctx.clock.now()`, with what the change touched. Call it in the same
 * transaction as the change (a webhook handler, a refund, an order transition): pass `{ ...ctx, db: tx }`.
 */
export async function markDaysDirty(
  ctx: DirtyDaysContext,
  instants: Array<Date | null | undefined>,
  change: DayChange = "anything",
): Promise<void> {
  const timezone = ctx.config.reportingTimezone;
  const arrived = change === "anything" ? undefined : change.arrived;
  const orders = arrived?.orders ?? [];
  const charges = arrived?.charges ?? [];
  const all = [...instants, ...orders.map((o) => o.paidAt), ...charges.map((c) => c.created)];
  const days = [...new Set(all.filter((d): d is Date => d instanceof Date).map((d) => dayOf(d, timezone)))];
  if (days.length === 0) return;
  const customers = change === "anything" ? null : `{${[...new Set(change.paidOrdersOf)].join(",")}}`;
  // An order counts in the products and the amounts, a charge in the amounts.
  const pending = JSON.stringify([
    ...orders.flatMap((o) => [
      { target: "products", at: o.paidAt, orderId: o.id },
      { target: "amounts", at: o.paidAt, orderId: o.id },
    ]),
    ...charges.map((c) => ({ target: "amounts", at: c.created, chargeId: c.id })),
  ]);
  const values = {
    days,
    at: ctx.clock.now().toISOString(),
    customers,
    arrivalsOnly: arrived !== undefined,
    pending,
  };
  // A plain insert: no conflict target, so no row lock that concurrent transactions would queue on.
  // Nothing reads its answer: on the webhook path it travels with the transaction's next statement.
  await withoutAnswer(() => insertDirtyDays.run(ctx.db, values));
}

/**
 * The marks and the arrivals' pending rows (none unless the change says what arrived), in one
 * statement whose text is the same whatever the number of days (built once, see Statement).
 */
const insertDirtyDays = statement<{
  days: string[];
  at: string;
  customers: string | null;
  arrivalsOnly: boolean;
  pending: string;
}>()((db) => {
  const p = snapPending;
  return db.execute(
    sql`WITH pending AS (
          INSERT INTO ${p} (${bareList(p.target, p.at, p.orderId, p.chargeId)})
          SELECT target, at, "orderId", "chargeId"
          FROM json_to_recordset(${param("pending")}::json)
            AS r(target text, at timestamptz, "orderId" int, "chargeId" text)
        )
        INSERT INTO ${dirtyDays} (${bareList(dirtyDays.day, dirtyDays.markedAt, dirtyDays.paidOrdersOf, dirtyDays.arrivalsOnly)})
        SELECT unnest(${param("days")}::date[]), ${param("at")}::timestamptz, ${param("customers")}::int[],
               ${param("arrivalsOnly")}::boolean`,
  );
});
