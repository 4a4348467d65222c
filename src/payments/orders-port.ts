/**
 * The orders service as the payments side uses it (contract owned by the commerce area): every
 * order move goes through it so the state machine, order events and audit stay in one place.
 */
import { sql } from "drizzle-orm";
import { type Actor, audit, webhookActor } from "../audit/index.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/client.ts";
import { queryOne, queryRows } from "../db/sql.ts";
import { applyOrderRefundTotal, lockOrderForPayment, restockOrderLines } from "../orders/index.ts";
import { markOrderPaidInTransaction } from "../orders/payment-hooks.ts";
import { AppError } from "../shared/errors.ts";

export interface OrderLink {
  metadata?: Record<string, string> | null;
  paymentIntentId?: string | null;
  checkoutSessionId?: string | null;
}

const MAX_ORDER_ID = 2_147_483_647;

/**
 * The order a Stripe object belongs to: `metadata.order_id`, else its payment intent, else its
 * checkout session (one indexed query). With `lock`, the order is then locked for payment
 * (`lockOrderForPayment`): ledger writes about an order take that lock first (one lock order everywhere).
 */
export async function resolveOrderId(
  tx: Db,
  link: OrderLink,
  options: { lock?: boolean } = {},
): Promise<number | null> {
  const raw = link.metadata?.order_id;
  const metaId = raw && /^\d{1,10}$/.test(raw) && Number(raw) <= MAX_ORDER_ID ? Number(raw) : null;
  const intent = link.paymentIntentId ?? null;
  const session = link.checkoutSessionId ?? null;
  if (metaId === null && intent === null && session === null) return null;
  const row = await queryOne<{ id: number }>(
    tx,
    sql`SELECT id FROM orders
        WHERE id = ${metaId}::integer OR stripe_payment_intent_id = ${intent}::text
           OR stripe_checkout_session_id = ${session}::text
        ORDER BY CASE WHEN id = ${metaId}::integer THEN 0
                      WHEN stripe_payment_intent_id = ${intent}::text THEN 1 ELSE 2 END
        LIMIT 1`,
  );
  if (!row) return null;
  const orderId = Number(row.id);
  if (options.lock) await lockOrderForPayment(tx, orderId);
  return orderId;
}

/**
 * Marks the order paid. A payment for a canceled order is real money: the charge stays in the
 * ledger and the event is not failed; the monitoring checks flag the mismatch.
 */
export async function payOrder(
  ctx: AppContext,
  tx: Db,
  input: { orderId: number; at: Date; paymentIntentId?: string; checkoutSessionId?: string },
  actor: Actor = webhookActor,
): Promise<boolean> {
  try {
    // Inside the webhook's transaction: no savepoint, and the order is not read back (unused here).
    await markOrderPaidInTransaction(tx, input, actor, { timezone: ctx.config.reportingTimezone });
    return true;
  } catch (err) {
    if (err instanceof AppError && err.code === "order.invalid_transition") {
      ctx.logger.warn(
        { orderId: input.orderId },
        "payment for an order that cannot be paid; kept in the ledger",
      );
      return false;
    }
    throw err;
  }
}

interface RefundForOrder extends Record<string, unknown> {
  id: string;
  amount: number;
  created: Date | string;
  metadata: Record<string, string> | null;
}

/**
 * Brings the order in line with the ledger: its refund total becomes the sum of its succeeded
 * refunds (monotonic in the orders service) and each succeeded refund with a restock choice puts
 * stock back once (the orders service keys it by refund id and line).
 */
export async function syncOrderRefunds(
  ctx: AppContext,
  tx: Db,
  orderId: number,
  actor: Actor = webhookActor,
): Promise<void> {
  const refunds = await queryRows<RefundForOrder>(
    tx,
    sql`SELECT id, amount, created, metadata FROM refunds
        WHERE order_id = ${orderId} AND status = 'succeeded' ORDER BY created, id`,
  );
  // Most charges have no refund: nothing more to read.
  if (refunds.length === 0) return;
  const order = await queryOne<{ amount_total: number }>(
    tx,
    sql`SELECT amount_total FROM orders WHERE id = ${orderId}`,
  );
  if (!order) return;
  const total = refunds.reduce((sum, r) => sum + Number(r.amount), 0);
  const at = new Date(refunds[refunds.length - 1]!.created);
  await applyOrderRefundTotal(
    tx,
    { orderId, amountRefunded: Math.min(total, Number(order.amount_total)), at },
    actor,
    { timezone: ctx.config.reportingTimezone },
  );
  for (const refund of refunds) {
    const lines = restockLinesFor(refund.metadata ?? {});
    if (lines === null) continue;
    try {
      // Keyed by refund id and line in the orders service: a replay never restocks twice.
      await restockOrderLines(tx, { orderId, refundKey: refund.id, lines, at }, actor);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      // The money is recorded either way; a restock the order no longer allows (e.g. it was shipped
      // before the refund succeeded) is for ops to handle: the units were not put back.
      ctx.logger.warn({ orderId, refundId: refund.id, code: err.code }, "restock skipped");
      await recordSkippedRestock(tx, { orderId, refund, error: err, at }, actor);
    }
  }
}

/**
 * Audits `order.restock_skipped` once per refund (the refund's events and later refunds of the same
 * order re-run the restocks): the order's audit trail shows which units were not put back and why.
 */
async function recordSkippedRestock(
  tx: Db,
  input: { orderId: number; refund: RefundForOrder; error: AppError; at: Date },
  actor: Actor,
): Promise<void> {
  const { orderId, refund, error, at } = input;
  const seen = await queryOne<{ found: number }>(
    tx,
    sql`SELECT 1 AS found FROM audit_log
        WHERE action = 'order.restock_skipped' AND target_type = 'order' AND target_id = ${String(orderId)}
          AND after->>'refundId' = ${refund.id}
        LIMIT 1`,
  );
  if (seen) return;
  const metadata = refund.metadata ?? {};
  await audit(
    tx,
    actor,
    "order.restock_skipped",
    { type: "order", id: orderId },
    {
      refundId: refund.id,
      restock: metadata.restock ?? null,
      ...(metadata.restock === "lines" ? { restockLines: metadata.restock_lines ?? "" } : {}),
      code: error.code,
      message: error.message,
    },
    null,
    at,
  );
}

/** `restock=all`: every remaining unit (unfulfilled orders); `restock=lines`: `restock_lines` as `lineId:qty,…`. */
export function restockLinesFor(
  metadata: Record<string, string>,
): Array<{ lineId: number; quantity: number }> | null {
  if (metadata.restock === "all") return [];
  if (metadata.restock === "lines") return parseRestockLines(metadata.restock_lines ?? "");
  return null;
}

export function parseRestockLines(text: string): Array<{ lineId: number; quantity: number }> {
  return text
    .split(",")
    .map((part) => part.trim().match(/^(\d+):(\d+)$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => ({ lineId: Number(m[1]), quantity: Number(m[2]) }))
    .filter((l) => l.quantity > 0);
}

export function formatRestockLines(lines: Array<{ lineId: number; quantity: number }>): string {
  return lines.map((l) => `${l.lineId}:${l.quantity}`).join(",");
}
