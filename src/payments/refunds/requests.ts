/**
 * The two transactions around a refund's provider call: `acceptRefundRequest` checks it under the
 * order lock and writes it down (refund_requests) before the provider is asked; `recordRefundRequest`
 * records the provider's answer once. Neither holds a lock across the network call between them.
 */
import { and, desc, eq, gt, sql } from "drizzle-orm";
import { type Actor, audit } from "../../audit/index.ts";
import type { AppContext } from "../../context.ts";
import type { Db } from "../../db/client.ts";
import { mergeUpsert } from "../../db/merge-upsert.ts";
import { lockOrderForPayment } from "../../orders/index.ts";
import { AppError } from "../../shared/errors.ts";
import { offlineId } from "../../shared/stripe-ids.ts";
import { mergeRefund } from "../ledger/refunds.ts";
import { formatRestockLines } from "../orders-port.ts";
import type { RefundStart } from "../provider.ts";
import { charges, refunds } from "../schema.ts";
import { RefundExceedsRefundableError } from "./errors.ts";
import {
  IdempotencyKeyReusedError,
  keepRefundAnswer,
  keptRefundAnswer,
  lockRefundKey,
  REFUND_KEY_TTL_MS,
  type RefundAnswer,
} from "./idempotency.ts";
import { refundableNow, validateRestock } from "./rules.ts";
import { refundRequests } from "./schema.ts";

export type RefundRequestRow = typeof refundRequests.$inferSelect;

export interface AcceptInput {
  orderId: number;
  amount: number;
  reason: "duplicate" | "fraudulent" | "requested_by_customer";
  note?: string;
  restock: boolean | { lines: Array<{ lineId: number; quantity: number }> };
  idempotencyKey?: string;
}

export type Accepted = { answer: RefundAnswer } | { request: RefundRequestRow };

/**
 * Transaction 1. A kept answer for the key is returned as is; a request with the key still in flight
 * (its caller died, or is still waiting for the provider) is handed back to be completed. Otherwise
 * the order is locked, the refundable amount checked (pending requests count), and the request
 * written as `pending`: from then on it counts against the refundable amount until it is recorded.
 */
export async function acceptRefundRequest(
  ctx: AppContext,
  input: AcceptInput,
  fingerprint: string,
  actor: Actor,
): Promise<Accepted> {
  return ctx.db.transaction(async (tx): Promise<Accepted> => {
    const now = ctx.clock.now();
    if (input.idempotencyKey) {
      const kept = await keptRefundAnswer(tx, input.idempotencyKey, fingerprint, now);
      if (kept) return { answer: kept };
      const inFlight = await pendingRequestWithKey(tx, input.idempotencyKey, now);
      if (inFlight && inFlight.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
      if (inFlight) return { request: inFlight };
    }
    const order = await lockOrderForPayment(tx, input.orderId);
    if (order.status !== "paid" && order.status !== "fulfilled") {
      throw new AppError("refund.not_refundable", `A ${order.status} order cannot be refunded`, 409);
    }
    const refundable = await refundableNow(tx, order);
    if (input.amount > refundable)
      throw new RefundExceedsRefundableError(input.amount, refundable, order.currency);
    const restock = await validateRestock(tx, order.id, order.fulfilledAt !== null, input.restock);
    const remaining = sql<number>`${charges.amount} - ${charges.amountRefunded}`;
    const [charge] = await tx
      .select({ id: charges.id, remaining })
      .from(charges)
      .where(and(eq(charges.orderId, order.id), eq(charges.status, "succeeded")))
      .orderBy(desc(remaining), desc(charges.created))
      .limit(1);
    if (!charge)
      throw new AppError("refund.no_charge", "No succeeded payment is recorded for this order", 409);
    if (input.amount > charge.remaining)
      throw new RefundExceedsRefundableError(input.amount, charge.remaining, order.currency);
    const metadata: Record<string, string> = {
      order_id: String(order.id),
      restock: restock.mode,
      requested_by: actor.id ? `${actor.type}:${actor.id}` : actor.type,
    };
    if (restock.mode === "lines") metadata.restock_lines = formatRestockLines(restock.lines);
    if (input.note) metadata.note = input.note;
    const [request] = await tx
      .insert(refundRequests)
      .values({
        // Drawn like the simulator's ids, so a seeded demo run sends the same keys.
        id: offlineId("refund_request"),
        idempotencyKey: input.idempotencyKey ?? null,
        fingerprint,
        orderId: order.id,
        chargeId: charge.id,
        amount: input.amount,
        currency: order.currency,
        reason: input.reason,
        metadata,
        actor,
        refundableAfter: refundable - input.amount,
        status: "pending",
        created: now,
        updated: now,
      })
      .returning();
    return { request: request! };
  });
}

async function pendingRequestWithKey(tx: Db, key: string, now: Date): Promise<RefundRequestRow | undefined> {
  const [row] = await tx
    .select()
    .from(refundRequests)
    .where(
      and(
        eq(refundRequests.idempotencyKey, key),
        eq(refundRequests.status, "pending"),
        gt(refundRequests.created, new Date(now.getTime() - REFUND_KEY_TTL_MS)),
      ),
    );
  return row;
}

/**
 * Transaction 2: the provider's answer, recorded once per request (`first` is false when another
 * caller or the worker recorded it already). The refund row is written as pending with the oldest
 * possible source time, so a webhook about the same refund that arrived first keeps what it wrote.
 */
export async function recordRefundRequest(
  ctx: AppContext,
  request: RefundRequestRow,
  started: RefundStart,
): Promise<{ answer: RefundAnswer; first: boolean }> {
  return ctx.db.transaction(async (tx) => {
    // The key's lock before the order's, as in acceptRefundRequest (see lockRefundKey).
    if (request.idempotencyKey) await lockRefundKey(tx, request.idempotencyKey);
    // Order row first, then the request and refund rows: the lock order of every payment path.
    await lockOrderForPayment(tx, request.orderId);
    const [stored] = await tx
      .select()
      .from(refundRequests)
      .where(eq(refundRequests.id, request.id))
      .for("update");
    const answer: RefundAnswer = {
      refundId: started.refundId,
      status: started.status,
      amount: request.amount,
      refundable: request.refundableAfter,
    };
    if (stored?.status === "recorded") return { answer, first: false };
    const now = ctx.clock.now();
    const { metadata } = request;
    await mergeUpsert(
      tx,
      refunds,
      {
        id: started.refundId,
        chargeId: request.chargeId,
        paymentIntentId: null,
        orderId: request.orderId,
        amount: request.amount,
        currency: request.currency,
        status: "pending",
        reason: request.reason,
        created: now,
        livemode: ctx.config.livemode,
        note: metadata.note ?? null,
        restock: metadata.restock !== "none",
        requestedBy: metadata.requested_by ?? null,
        metadata,
        sourceEventCreated: new Date(0),
      },
      mergeRefund,
    );
    await audit(
      tx,
      request.actor,
      "refund.create",
      { type: "order", id: String(request.orderId) },
      {
        refundId: started.refundId,
        amount: request.amount,
        currency: request.currency,
        reason: request.reason,
        restock: metadata.restock,
        ...(metadata.restock === "lines" ? { restockLines: metadata.restock_lines } : {}),
        providerStatus: started.status,
      },
    );
    if (request.idempotencyKey) {
      await keepRefundAnswer(tx, request.idempotencyKey, request.fingerprint, request.orderId, answer, now);
    }
    await tx
      .update(refundRequests)
      .set({ status: "recorded", refundId: started.refundId, updated: now })
      .where(eq(refundRequests.id, request.id));
    return { answer, first: true };
  });
}

/**
 * A provider call that failed. A refusal (a 4xx, or one of our errors) ends the request and frees
 * its amount; anything else (timeout, 5xx, connection) leaves it pending for the worker to send
 * again with the same key, since the provider may have made the refund.
 */
export async function noteProviderFailure(
  ctx: AppContext,
  request: RefundRequestRow,
  err: unknown,
): Promise<void> {
  const status = (err as { statusCode?: unknown }).statusCode;
  const refused =
    err instanceof AppError ||
    (typeof status === "number" && status >= 400 && status < 500 && status !== 409 && status !== 429);
  await ctx.db
    .update(refundRequests)
    .set({
      ...(refused ? { status: "failed" as const } : {}),
      attempts: sql`${refundRequests.attempts} + 1`,
      lastError: err instanceof Error ? err.message.slice(0, 500) : String(err),
      updated: ctx.clock.now(),
    })
    .where(and(eq(refundRequests.id, request.id), eq(refundRequests.status, "pending")));
}
