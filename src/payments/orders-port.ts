/**
 * The orders service as the payments side uses it (contract owned by the commerce area): every
 * order move goes through it so the state machine, order events and audit stay in one place.
 */
import { and, asc, eq, or, type SQL, sql } from "drizzle-orm";
import { type Actor, audit, webhookActor } from "../audit/index.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/client.ts";
import { param, statement } from "../db/prepared.ts";
import { auditLog, orders } from "../db/schema.ts";
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
  const values = linkValues(link);
  if (values === null) return null;
  const [row] = await (options.lock ? resolveLocked : resolve).run(tx, values);
  return row?.id ?? null;
}

const resolveQuery = (db: Db) =>
  db.select({ id: orders.id }).from(orders).where(candidatesWhere()).orderBy(candidatesRank).limit(1);
const resolve = statement<LinkValues>()((db) => resolveQuery(db));
const resolveLocked = statement<LinkValues>()((db) => resolveQuery(db).for("update"));

/**
 * `resolveOrderId(…, { lock: true })`, then `then` (an expression taking a lock of its own) in the
 * same statement: the order's row is locked as the join reads it, `then` is evaluated in the
 * projection after it, so the two locks are taken in this order in one round trip. `orElse` is one
 * more candidate order id ranked last (e.g. a subquery for the order of a stored charge). Both may
 * take values of their own (`param`), given at each run; the statements are built once.
 */
export function lockOrderThen<Extra extends Record<string, unknown>>(then: SQL, orElse?: SQL) {
  const thenOnly = statement<Extra>()((db) => db.execute(sql`SELECT ${then}`));
  const linked = statement<LinkValues & Extra>()((db) =>
    db.execute(
      sql`WITH linked AS (
            SELECT ${orders.id} AS id FROM ${orders} WHERE ${candidatesWhere(orElse)}
            ORDER BY ${candidatesRank} LIMIT 1 FOR UPDATE
          )
          SELECT linked.id AS order_id, ${then} AS locked FROM (SELECT 1) one LEFT JOIN linked ON true`,
    ),
  );
  return async (tx: Db, link: OrderLink, extra: Extra): Promise<number | null> => {
    const values = linkValues(link);
    if (values === null && orElse === undefined) {
      await thenOnly.run(tx, extra);
      return null;
    }
    const [row] = await linked.rows<{ order_id: number | null }>(tx, { ...(values ?? NO_LINK), ...extra });
    return row?.order_id ?? null;
  };
}

/** What a link names: an order id, a payment intent, a checkout session (any may be null). */
type LinkValues = { metaId: number | null; intent: string | null; session: string | null };
const NO_LINK: LinkValues = { metaId: null, intent: null, session: null };

/** `null`: the link names no order. */
function linkValues(link: OrderLink): LinkValues | null {
  const raw = link.metadata?.order_id;
  const metaId = raw && /^\d{1,10}$/.test(raw) && Number(raw) <= MAX_ORDER_ID ? Number(raw) : null;
  const intent = link.paymentIntentId ?? null;
  const session = link.checkoutSessionId ?? null;
  return metaId === null && intent === null && session === null ? null : { metaId, intent, session };
}

/** The orders a link can name (its LinkValues as params); `orElse` is one more candidate. */
function candidatesWhere(orElse?: SQL): SQL {
  return or(
    sql`${orders.id} = ${param("metaId")}::integer`,
    sql`${orders.stripePaymentIntentId} = ${param("intent")}::text`,
    sql`${orders.stripeCheckoutSessionId} = ${param("session")}::text`,
    orElse === undefined ? sql`false` : sql`${orders.id} = ${orElse}`,
  )!;
}

/** Their rank, lowest first (`orElse` last). */
const candidatesRank = sql`CASE WHEN ${orders.id} = ${param("metaId")}::integer THEN 0
                   WHEN ${orders.stripePaymentIntentId} = ${param("intent")}::text THEN 1
                   WHEN ${orders.stripeCheckoutSessionId} = ${param("session")}::text THEN 2 ELSE 3 END`;

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
