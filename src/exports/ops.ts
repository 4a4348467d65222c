import { sql } from "drizzle-orm";
import {
  stripeEvents as events,
  dataQualityIssues as issues,
  orderLines,
  orders,
  products,
} from "../db/schema.ts";
import { fulfillmentDueAt } from "../monitoring/index.ts";
import { bool, col, day, int, money, text, time } from "./columns.ts";
import { keyset } from "./keyset.ts";
import { type PackScope, packFile } from "./pack.ts";
import { asDate } from "./values.ts";

type Row = Record<string, unknown>;
const HOUR_MS = 3_600_000;

/** Whole hours since payment at generation time. */
const ageHours = (scope: PackScope, o: Row) =>
  Math.floor((scope.generatedAt.getTime() - asDate(o.paid_at)!.getTime()) / HOUR_MS);

function overSla(scope: PackScope, o: Row): boolean {
  if (o.nothing_to_ship === true) return false;
  const due = fulfillmentDueAt(
    {
      paidAt: asDate(o.paid_at)!,
      shipDate: (o.ship_date as string | null) ?? null,
      undatedPreorder: o.undated_preorder === true,
    },
    scope.fulfillmentSlaHours,
  );
  return due !== null && scope.generatedAt.getTime() >= due.getTime();
}

/** Paid orders not yet fulfilled (status `paid` now), paid before the end of the period, with age. */
export const unfulfilledOrdersFile = packFile<Row>({
  name: "unfulfilled_orders.csv",
  columns: (scope) => [
    int("order_id", (o) => o.id),
    text("order_number", (o) => o.number),
    int("customer_id", (o) => o.customer_id),
    text("currency", (o) => o.currency),
    money("amount_total", (o) => o.amount_total),
    time("paid_at", (o) => o.paid_at),
    day(scope, "paid_day", (o) => o.paid_at),
    col("age_hours", (o) => ageHours(scope, o)),
    col("sla_hours", () => scope.fulfillmentSlaHours),
    // "Over SLA" is the fulfillment-backlog check's rule (a preorder is due from its ship date; one
    // with nothing left to ship is never late), so the file, the ops dashboard and the check agree.
    col("over_sla", (o) => overSla(scope, o)),
    int("lines", (o) => o.lines),
    int("units", (o) => o.units),
    bool("has_preorder", (o) => o.has_preorder),
  ],
  rows: (scope) =>
    keyset<Row>(
      scope.db,
      scope.pageSize,
      (last) => sql`
        SELECT ${orders.id}, ${orders.number}, ${orders.customerId}, ${orders.currency}, ${orders.amountTotal},
          ${orders.paidAt}, l.lines, l.units, l.has_preorder, l.ship_date, l.undated_preorder, l.nothing_to_ship
        FROM ${orders}
        LEFT JOIN LATERAL (
          SELECT count(*)::int AS lines, coalesce(sum(${orderLines.quantity}), 0)::int AS units,
            coalesce(bool_or(${orderLines.isPreorder}), false) AS has_preorder,
            max(CASE WHEN ${orderLines.isPreorder} THEN ${products.preorderShipDate} END)::text AS ship_date,
            coalesce(bool_or(${orderLines.isPreorder} AND ${products.preorderShipDate} IS NULL), false) AS undated_preorder,
            coalesce(bool_and(${orderLines.restockedQuantity} >= ${orderLines.quantity}), false) AS nothing_to_ship
          FROM ${orderLines} LEFT JOIN ${products} ON ${products.id} = ${orderLines.productId}
          WHERE ${orderLines.orderId} = ${orders.id}
        ) l ON true
        WHERE ${orders.status} = 'paid' AND ${orders.paidAt} < ${scope.end} AND ${orders.livemode} = ${scope.livemode}
          AND ${orders.id} > ${last ? Number(last.id) : 0}
        ORDER BY ${orders.id} LIMIT ${scope.pageSize}`,
    ),
});

/** Issues open (or ignored) now, plus those resolved during the period. */
export const dataQualityIssuesFile = packFile<Row>({
  name: "data_quality_issues.csv",
  columns: [
    int("issue_id", (i) => i.id),
    text("check", (i) => i.check),
    text("fingerprint", (i) => i.fingerprint),
    text("severity", (i) => i.severity),
    text("status", (i) => i.status),
    text("title", (i) => i.title),
    time("first_seen", (i) => i.first_seen),
    time("last_seen", (i) => i.last_seen),
    int("occurrences", (i) => i.occurrences),
    time("resolved_at", (i) => i.resolved_at),
    text("resolved_by", (i) => i.resolved_by),
    // The monitoring domain keeps details to ids and amounts (no PII); the resolution note is free text and left out.
    col("details_json", (i) => (typeof i.details === "string" ? i.details : JSON.stringify(i.details ?? {}))),
  ],
  rows: (scope) =>
    keyset<Row>(
      scope.db,
      scope.pageSize,
      (last) => sql`
        SELECT * FROM ${issues}
        WHERE (${issues.status} IN ('open', 'ignored')
            OR (${issues.resolvedAt} >= ${scope.start} AND ${issues.resolvedAt} < ${scope.end}))
          AND ${issues.id} > ${last ? Number(last.id) : 0}
        ORDER BY ${issues.id} LIMIT ${scope.pageSize}`,
    ),
});

/** Stripe events whose handler failed and that still wait for a replay, whenever they arrived. */
export const failedWebhookEventsFile = packFile<Row>({
  name: "failed_webhook_events.csv",
  columns: [
    text("event_id", (e) => e.id),
    text("type", (e) => e.type),
    time("created_at", (e) => e.created),
    time("received_at", (e) => e.received_at),
    int("attempts", (e) => e.attempts),
    text("last_error", (e) => e.last_error),
    time("next_attempt_at", (e) => e.next_attempt_at),
    bool("livemode", (e) => e.livemode),
    text("source", (e) => e.source),
  ],
  rows: (scope) =>
    keyset<Row>(
      scope.db,
      scope.pageSize,
      (last) => sql`
        SELECT ${events.id}, ${events.type}, ${events.created}, ${events.receivedAt}, ${events.attempts},
          ${events.lastError}, ${events.nextAttemptAt}, ${events.livemode}, ${events.source}
        FROM ${events}
        WHERE ${events.status} = 'failed' AND ${events.livemode} = ${scope.livemode}
          AND ${events.id} > ${last ? String(last.id) : ""}
        ORDER BY ${events.id} LIMIT ${scope.pageSize}`,
    ),
});
