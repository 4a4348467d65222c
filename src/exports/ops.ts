import { sql } from "drizzle-orm";
import { keyset } from "./keyset.ts";
import { fixed, type PackFile } from "./pack.ts";
import { asDate, asNumber, asText, decimal } from "./values.ts";

type Row = Record<string, unknown>;
const HOUR_MS = 3_600_000;

/** Paid orders not yet fulfilled (status `paid` now), paid before the end of the period, with age. */
export const unfulfilledOrdersFile: PackFile = {
  name: "unfulfilled_orders.csv",
  columns: fixed([
    "order_id",
    "order_number",
    "customer_id",
    "currency",
    "amount_total",
    "amount_total_decimal",
    "paid_at",
    "paid_day",
    "age_hours",
    "sla_hours",
    "over_sla",
    "lines",
    "units",
    "has_preorder",
  ]),
  async *rows(scope) {
    const rows = keyset<Row>(
      scope.db,
      scope.pageSize,
      (last) => sql`
        SELECT o.id, o.number, o.customer_id, o.currency, o.amount_total, o.paid_at,
          l.lines, l.units, l.has_preorder
        FROM orders o
        LEFT JOIN LATERAL (
          SELECT count(*)::int AS lines, coalesce(sum(quantity), 0)::int AS units,
            coalesce(bool_or(is_preorder), false) AS has_preorder
          FROM order_lines WHERE order_id = o.id
        ) l ON true
        WHERE o.status = 'paid' AND o.paid_at < ${scope.end} AND o.livemode = ${scope.livemode}
          AND o.id > ${last ? Number(last.id) : 0}
        ORDER BY o.id LIMIT ${scope.pageSize}`,
    );
    for await (const o of rows) {
      const currency = String(o.currency);
      const paidAt = asDate(o.paid_at)!;
      // Whole hours since payment at generation time; "over SLA" uses the same FULFILLMENT_SLA_HOURS as the ops dashboard.
      const ageHours = Math.floor((scope.generatedAt.getTime() - paidAt.getTime()) / HOUR_MS);
      yield {
        order_id: asNumber(o.id),
        order_number: asText(o.number),
        customer_id: asNumber(o.customer_id),
        currency,
        amount_total: asNumber(o.amount_total),
        amount_total_decimal: decimal(asNumber(o.amount_total), currency),
        paid_at: paidAt,
        paid_day: scope.days.dayOf(paidAt),
        age_hours: ageHours,
        sla_hours: scope.fulfillmentSlaHours,
        over_sla: ageHours >= scope.fulfillmentSlaHours,
        lines: asNumber(o.lines),
        units: asNumber(o.units),
        has_preorder: Boolean(o.has_preorder),
      };
    }
  },
};

/** Issues open (or ignored) now, plus those resolved during the period. */
export const dataQualityIssuesFile: PackFile = {
  name: "data_quality_issues.csv",
  columns: fixed([
    "issue_id",
    "check",
    "fingerprint",
    "severity",
    "status",
    "title",
    "first_seen",
    "last_seen",
    "occurrences",
    "resolved_at",
    "resolved_by",
    "details_json",
  ]),
  async *rows(scope) {
    const rows = keyset<Row>(
      scope.db,
      scope.pageSize,
      (last) => sql`
        SELECT * FROM data_quality_issues
        WHERE (status IN ('open', 'ignored') OR (resolved_at >= ${scope.start} AND resolved_at < ${scope.end}))
          AND id > ${last ? Number(last.id) : 0}
        ORDER BY id LIMIT ${scope.pageSize}`,
    );
    for await (const i of rows) {
      yield {
        issue_id: asNumber(i.id),
        check: asText(i.check),
        fingerprint: asText(i.fingerprint),
        severity: asText(i.severity),
        status: asText(i.status),
        title: asText(i.title),
        first_seen: asDate(i.first_seen),
        last_seen: asDate(i.last_seen),
        occurrences: asNumber(i.occurrences),
        resolved_at: asDate(i.resolved_at),
        resolved_by: asText(i.resolved_by),
        // The monitoring domain keeps details to ids and amounts (no PII); the resolution note is free text and left out.
        details_json: typeof i.details === "string" ? i.details : JSON.stringify(i.details ?? {}),
      };
    }
  },
};

/** Stripe events whose handler failed and that still wait for a replay, whenever they arrived. */
export const failedWebhookEventsFile: PackFile = {
  name: "failed_webhook_events.csv",
  columns: fixed([
    "event_id",
    "type",
    "created_at",
    "received_at",
    "attempts",
    "last_error",
    "next_attempt_at",
    "livemode",
    "source",
  ]),
  async *rows(scope) {
    const rows = keyset<Row>(
      scope.db,
      scope.pageSize,
      (last) => sql`
        SELECT id, type, created, received_at, attempts, last_error, next_attempt_at, livemode, source
        FROM stripe_events
        WHERE status = 'failed' AND livemode = ${scope.livemode} AND id > ${last ? String(last.id) : ""}
        ORDER BY id LIMIT ${scope.pageSize}`,
    );
    for await (const e of rows) {
      yield {
        event_id: asText(e.id),
        type: asText(e.type),
        created_at: asDate(e.created),
        received_at: asDate(e.received_at),
        attempts: asNumber(e.attempts),
        last_error: asText(e.last_error),
        next_attempt_at: asDate(e.next_attempt_at),
        livemode: Boolean(e.livemode),
        source: asText(e.source),
      };
    }
  },
};
