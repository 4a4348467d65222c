import { sql } from "drizzle-orm";
import { z } from "zod";
import { type Actor, audit } from "../../audit/index.ts";
import type { AppContext } from "../../context.ts";
import { queryOne, queryRows } from "../../db/sql.ts";
import { AppError, NotFoundError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/validate.ts";
import { getPaymentProvider } from "../index.ts";
import { mergeUpsert } from "../ledger/merge.ts";
import { mergeRefund } from "../ledger/refunds.ts";
import { formatRestockLines } from "../orders-port.ts";
import type { RefundStart } from "../provider.ts";
import { refunds } from "../schema.ts";
import { keepRefundAnswer, keptRefundAnswer, type RefundAnswer, refundFingerprint } from "./idempotency.ts";
import { refundableNow, validateRestock } from "./rules.ts";

export const refundInputSchema = z.object({
  orderId: z.number().int().positive(),
  amount: z.number().int().positive("must be a positive amount in minor units"),
  reason: z.enum(["duplicate", "fraudulent", "requested_by_customer"]).default("requested_by_customer"),
  note: z.string().trim().max(500).optional(),
  restock: z
    .union([
      z.boolean(),
      z.object({
        lines: z
          .array(z.object({ lineId: z.number().int().positive(), quantity: z.number().int().min(1) }))
          .min(1),
      }),
    ])
    .default(false),
  /** A retried form post with the same key never refunds twice at the provider. */
  idempotencyKey: z.string().min(8).max(200).optional(),
});
export type RefundInput = z.input<typeof refundInputSchema>;

export class RefundExceedsRefundableError extends AppError {
  constructor(amount: number, refundable: number) {
    super(
      "refund.exceeds_refundable",
      `amount: ${amount} is more than the ${refundable} still refundable`,
      400,
      {
        field: "amount",
        refundable,
      },
    );
  }
}

/**
 * Starts a refund (refund_policy.md). The order row is locked while the refundable amount is
 * checked (succeeded and pending refunds count), the provider is called and the refund is recorded
 * as pending, so concurrent refunds never exceed the total. The ledger, the order's refund total and
 * any restock then follow from the webhook — the same path as a refund made in Stripe's dashboard.
 *
 * An idempotency key is looked up before anything else, in both payment modes and across restarts:
 * the same key with the same parameters answers the first refund again (nothing is checked, sent
 * or recorded twice), the same key with other parameters is refused (`refund.idempotency_error`).
 */
export async function createRefund(ctx: AppContext, input: RefundInput, actor: Actor): Promise<RefundAnswer> {
  const data = parseInput(refundInputSchema, input);
  const { idempotencyKey, ...parameters } = data;
  const fingerprint = refundFingerprint(parameters);
  let started: RefundStart | undefined;
  const result = await ctx.db.transaction(async (tx): Promise<RefundAnswer> => {
    if (idempotencyKey) {
      const kept = await keptRefundAnswer(tx, idempotencyKey, fingerprint, ctx.clock.now());
      if (kept) return kept;
    }
    const order = await queryOne<{ id: number; status: string; currency: string; fulfilled_at: Date | null }>(
      tx,
      sql`SELECT id, status, currency, fulfilled_at FROM orders WHERE id = ${data.orderId} FOR UPDATE`,
    );
    if (!order) throw new NotFoundError("Order");
    if (order.status !== "paid" && order.status !== "fulfilled") {
      throw new AppError("refund.not_refundable", `A ${order.status} order cannot be refunded`, 409);
    }
    const refundable = await refundableNow(tx, data.orderId);
    if (data.amount > refundable) throw new RefundExceedsRefundableError(data.amount, refundable);
    const restock = await validateRestock(tx, data.orderId, order.fulfilled_at !== null, data.restock);
    const [charge] = await queryRows<{ id: string; remaining: number }>(
      tx,
      sql`SELECT id, amount - amount_refunded AS remaining FROM charges
          WHERE order_id = ${data.orderId} AND status = 'succeeded'
          ORDER BY amount - amount_refunded DESC, created DESC LIMIT 1`,
    );
    if (!charge)
      throw new AppError("refund.no_charge", "No succeeded payment is recorded for this order", 409);
    if (data.amount > Number(charge.remaining)) {
      throw new RefundExceedsRefundableError(data.amount, Number(charge.remaining));
    }
    const metadata: Record<string, string> = {
      order_id: String(data.orderId),
      restock: restock.mode,
      requested_by: actor.id ? `${actor.type}:${actor.id}` : actor.type,
    };
    if (restock.mode === "lines") metadata.restock_lines = formatRestockLines(restock.lines);
    if (data.note) metadata.note = data.note;
    started = await getPaymentProvider(ctx).createRefund(ctx, {
      orderId: data.orderId,
      chargeId: charge.id,
      amount: data.amount,
      currency: order.currency,
      reason: data.reason,
      metadata,
      ...(data.idempotencyKey ? { idempotencyKey: data.idempotencyKey } : {}),
    });
    // Recorded as pending with the oldest possible source time: every webhook about it wins.
    await mergeUpsert(
      tx,
      refunds,
      {
        id: started.refundId,
        chargeId: charge.id,
        paymentIntentId: null,
        orderId: data.orderId,
        amount: data.amount,
        currency: order.currency,
        status: "pending",
        reason: data.reason,
        created: ctx.clock.now(),
        livemode: ctx.config.livemode,
        note: data.note ?? null,
        restock: restock.mode !== "none",
        requestedBy: metadata.requested_by ?? null,
        metadata,
        sourceEventCreated: new Date(0),
      },
      mergeRefund,
    );
    await audit(
      tx,
      actor,
      "refund.create",
      { type: "order", id: String(data.orderId) },
      {
        refundId: started.refundId,
        amount: data.amount,
        currency: order.currency,
        reason: data.reason,
        restock: restock.mode,
        ...(restock.mode === "lines" ? { restockLines: metadata.restock_lines } : {}),
        providerStatus: started.status,
      },
    );
    const answer = {
      refundId: started.refundId,
      status: started.status,
      amount: data.amount,
      refundable: refundable - data.amount,
    };
    if (idempotencyKey) {
      await keepRefundAnswer(tx, idempotencyKey, fingerprint, data.orderId, answer, ctx.clock.now());
    }
    return answer;
  });
  if (started?.deliver) await started.deliver();
  return result;
}
