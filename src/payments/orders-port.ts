/**
 * The orders service as the payments side uses it (contract owned by the commerce area): every
 * order move goes through it so the state machine, order events and audit stay in one place.
 */
import { and, asc, eq, or, type SQL, sql } from "drizzle-orm";
import { type Actor, audit, webhookActor } from "../audit/index.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/client.ts";
import { auditLog, orders } from "../db/schema.ts";
import { queryRows } from "../db/sql.ts";
import { applyOrderRefundTotal, restockOrderLines } from "../orders/index.ts";
import { markOrderPaidInTransaction } from "../orders/payment-hooks.ts";
import { AppError } from "../shared/errors.ts";
import { refunds } from "./schema.ts";

export interface OrderLink {
  metadata?: Record<string, string> | null;
  paymentIntentId?: string | null;
  checkoutSessionId?: string | null;
}

const MAX_ORDER_ID = 2_147_483_647;

/**
 * The order a Stripe object belongs to: `metadata.order_id`, else its payment intent, else its
 * checkout session (one indexed query). With `lock`, the same query locks it for payment (the lock of
 * `lockOrderForPayment`): ledger writes about an order take that lock first (one lock order everywhere).
 */
export async function resolveOrderId(
  tx: Db,
  link: OrderLink,
  options: { lock?: boolean } = {},
): Promise<number | null> {
  const candidates = orderCandidates(link);
  if (candidates === null) return null;
  const query = tx
    .select({ id: orders.id })
    .from(orders)
    .where(candidates.where)
    .orderBy(candidates.rank)
    .limit(1);
  const [row] = options.lock ? await query.for("update") : await query;
  return row?.id ?? null;
}

/**
 * `resolveOrderId(…, { lock: true })`, then `then` (an expression taking a lock of its own) in the
 * same statement: the order's row is locked as the join reads it, `then` is evaluated in the
 * projection after it, so the two locks are taken in this order in one round trip. `orElse` is one
 * more candidate order id ranked last (e.g. a subquery for the order of a stored charge).
 */
export async function lockOrderThen(
  tx: Db,
  link: OrderLink,
  then: SQL,
  orElse?: SQL,
): Promise<number | null> {
  const candidates = orderCandidates(link, orElse);
  if (candidates === null) {
    await tx.execute(sql`SELECT ${then}`);
    return null;
  }
  const [row] = await queryRows<{ order_id: number | null }>(
    tx,
    sql`WITH linked AS (
          SELECT ${orders.id} AS id FROM ${orders} WHERE ${candidates.where}
          ORDER BY ${candidates.rank} LIMIT 1 FOR UPDATE
        )
        SELECT linked.id AS order_id, ${then} AS locked FROM (SELECT 1) one LEFT JOIN linked ON true`,
  );
  return row?.order_id ?? null;
}

/**
 * The orders a link can name and their rank (lowest first); `orElse` is one more candidate ranked
 * last. `null`: neither the link nor `orElse` names any order.
 */
function orderCandidates(link: OrderLink, orElse?: SQL): { where: SQL; rank: SQL } | null {
  const raw = link.metadata?.order_id;
  const metaId = raw && /^\d{1,10}$/.test(raw) && Number(raw) <= MAX_ORDER_ID ? Number(raw) : null;
  const intent = link.paymentIntentId ?? null;
  const session = link.checkoutSessionId ?? null;
  if (metaId === null && intent === null && session === null && orElse === undefined) return null;
  const last = orElse === undefined ? sql`false` : sql`${orders.id} = ${orElse}`;
  return {
    where: or(
      sql`${orders.id} = ${metaId}::integer`,
      sql`${orders.stripePaymentIntentId} = ${intent}::text`,
      sql`${orders.stripeCheckoutSessionId} = ${session}::text`,
      last,
    )!,
    rank: sql`CASE WHEN ${orders.id} = ${metaId}::integer THEN 0
                   WHEN ${orders.stripePaymentIntentId} = ${intent}::text THEN 1
                   WHEN ${orders.stripeCheckoutSessionId} = ${session}::text THEN 2 ELSE 3 END`,
  };
}

/**
 * Marks the order paid. A payment for a canceled order is real money: the charge stays in the
 * ledger and the event is not failed; the monitoring checks flag the mismatch. Runs in the
 * webhook's transaction: `ctx` is `{ ...ctx, db: tx }`.
 */
export async function payOrder(
  ctx: AppContext,
  input: { orderId: number; at: Date; paymentIntentId?: string; checkoutSessionId?: string },
  actor: Actor = webhookActor,
): Promise<boolean> {
  try {
    // Inside the webhook's transaction: no savepoint, and the order is not read back (unused here).
    await markOrderPaidInTransaction(ctx, input, actor);
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

interface RefundForOrder {
  id: string;
  amount: number;
  created: Date;
  /** The refund's Stripe metadata (string values). */
  metadata: unknown;
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
  const succeeded: RefundForOrder[] = await tx
    .select({ id: refunds.id, amount: refunds.amount, created: refunds.created, metadata: refunds.metadata })
    .from(refunds)
    .where(and(eq(refunds.orderId, orderId), eq(refunds.status, "succeeded")))
    .orderBy(asc(refunds.created), asc(refunds.id));
  // Most charges have no refund: nothing more to read.
  if (succeeded.length === 0) return;
  const [order] = await tx
    .select({ amountTotal: orders.amountTotal })
    .from(orders)
    .where(eq(orders.id, orderId));
  if (!order) return;
  const total = succeeded.reduce((sum, r) => sum + r.amount, 0);
  const at = succeeded[succeeded.length - 1]!.created;
  await applyOrderRefundTotal(
    { ...ctx, db: tx },
    { orderId, amountRefunded: Math.min(total, order.amountTotal), at },
    actor,
  );
  for (const refund of succeeded) {
    const lines = restockLinesFor(metadataOf(refund));
    if (lines === null) continue;
    try {
      // Keyed by refund id and line in the orders service: a replay never restocks twice.
      await restockOrderLines({ ...ctx, db: tx }, { orderId, refundKey: refund.id, lines, at }, actor);
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
  const [seen] = await tx
    .select({ seq: auditLog.seq })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.action, "order.restock_skipped"),
        eq(auditLog.targetType, "order"),
        eq(auditLog.targetId, String(orderId)),
        sql`${auditLog.after}->>'refundId' = ${refund.id}`,
      ),
    )
    .limit(1);
  if (seen) return;
  const metadata = metadataOf(refund);
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

function metadataOf(refund: RefundForOrder): Record<string, string> {
  return (refund.metadata ?? {}) as Record<string, string>;
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
