import { type Column, type SQL, sql } from "drizzle-orm";
import { charges, disputes, orders, refunds } from "../../db/schema.ts";
import { CAPTURED_AMOUNT, IS_CHARGEBACK, LOST_AT } from "../money-rules.ts";

/** The record kinds of `snap_daily_amounts`, one per converted money KPI. */
export const AMOUNT_KINDS = ["gross", "refund", "dispute", "dispute_lost", "fee", "order"] as const;
export type AmountKind = (typeof AMOUNT_KINDS)[number];

/** How many records of a kind had one amount on one day, in one currency and mode. */
export interface AmountCount {
  livemode: boolean;
  currency: string;
  day: string;
  kind: AmountKind;
  amount: number;
  records: number;
}

/**
 * A query of (livemode, currency, day, kind, amount, records) over the records of `start`..`end`
 * with the same kpis.md v2 rules as the ledger snapshot (captured money, chargebacks only, lost
 * disputes by when they were lost, paid orders by `paid_at`). Shared by the snapshot build and the
 * raw reference of the reconciliation, so both count the same records. With `arrivals` (the ids of
 * orders and charges that count from now on, as SQL lists), only those orders and charges.
 */
export function amountCounts(
  start: Date,
  end: Date,
  tz: string,
  arrivals?: { orders: SQL; charges: SQL },
): SQL {
  const day = (column: SQL | Column) => sql`(${column} AT TIME ZONE ${tz})::date`;
  const within = (column: SQL | Column) => sql`${column} >= ${start} AND ${column} < ${end}`;
  const chargesOf = arrivals ? sql` AND ${charges.id} IN ${arrivals.charges}` : sql``;
  const ordersOf = arrivals ? sql` AND ${orders.id} IN ${arrivals.orders}` : sql``;
  // An arrival is an order just paid or a charge just stored: no refund or dispute comes with it.
  const refundsAndDisputes = arrivals
    ? sql``
    : sql`
    UNION ALL
    SELECT ${refunds.livemode}, lower(${refunds.currency}), ${day(refunds.created)}, 'refund', ${refunds.amount}, count(*)::int
    FROM ${refunds} WHERE ${refunds.status} = 'succeeded' AND ${within(refunds.created)} GROUP BY 1, 2, 3, 4, 5
    UNION ALL
    SELECT ${disputes.livemode}, lower(${disputes.currency}), ${day(disputes.created)}, 'dispute', ${disputes.amount}, count(*)::int
    FROM ${disputes} WHERE ${IS_CHARGEBACK} AND ${within(disputes.created)} GROUP BY 1, 2, 3, 4, 5
    UNION ALL
    SELECT ${disputes.livemode}, lower(${disputes.currency}), ${day(LOST_AT)}, 'dispute_lost', ${disputes.amount}, count(*)::int
    FROM ${disputes} WHERE ${disputes.status} = 'lost' AND ${within(LOST_AT)} GROUP BY 1, 2, 3, 4, 5`;
  return sql`
    SELECT ${charges.livemode} AS livemode, lower(${charges.currency}) AS currency, ${day(charges.created)} AS day,
           k.kind, k.amount, count(*)::int AS records
    -- Each succeeded charge read once for both kinds: its gross, and its fee when known.
    FROM ${charges} CROSS JOIN LATERAL (VALUES ('gross', ${CAPTURED_AMOUNT}), ('fee', ${charges.fee})) k(kind, amount)
    WHERE ${charges.status} = 'succeeded' AND ${within(charges.created)}${chargesOf} AND (k.kind = 'gross' OR k.amount IS NOT NULL)
    GROUP BY 1, 2, 3, 4, 5${refundsAndDisputes}
    UNION ALL
    SELECT ${orders.livemode}, lower(${orders.currency}), ${day(orders.paidAt)}, 'order', ${orders.amountTotal}, count(*)::int
    FROM ${orders} WHERE ${within(orders.paidAt)}${ordersOf} GROUP BY 1, 2, 3, 4, 5`;
}
