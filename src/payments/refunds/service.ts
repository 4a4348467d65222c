import { z } from "zod";
import type { Actor } from "../../audit/index.ts";
import type { AppContext } from "../../context.ts";
import { parseInput } from "../../shared/validate.ts";
import { getPaymentProvider } from "../index.ts";
import type { PaymentProvider } from "../provider.ts";
import { type RefundAnswer, refundFingerprint } from "./idempotency.ts";
import {
  acceptRefundRequest,
  noteProviderFailure,
  type RefundRequestRow,
  recordRefundRequest,
} from "./requests.ts";

export { RefundExceedsRefundableError } from "./errors.ts";

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

/**
 * Starts a refund (refund_policy.md) in three steps, so that no network call waits under the order
 * lock: (1) under the order lock, the refundable amount is checked (succeeded, pending and requested
 * refunds count, so concurrent refunds never exceed the total) and the request is written down;
 * (2) after that commit, the provider is asked, with the request's id as its idempotency key;
 * (3) the answer is recorded as a pending refund and audited. The ledger, the order's refund total
 * and any restock then follow from the webhook — the same path as a refund made in Stripe's dashboard.
 * A crash between the steps leaves a pending request that the worker (or a retry with the same key)
 * sends again with the same key: the provider refunds it once.
 *
 * An idempotency key is looked up before anything else, in both payment modes and across restarts:
 * the same key with the same parameters answers the first refund again (nothing is checked, sent
 * or recorded twice), the same key with other parameters is refused (`refund.idempotency_error`).
 */
export async function createRefund(
  ctx: AppContext,
  input: RefundInput,
  actor: Actor,
  provider: PaymentProvider = getPaymentProvider(ctx),
): Promise<RefundAnswer> {
  const { idempotencyKey, ...parameters } = parseInput(refundInputSchema, input);
  const accepted = await acceptRefundRequest(
    ctx,
    { ...parameters, ...(idempotencyKey ? { idempotencyKey } : {}) },
    refundFingerprint(parameters),
    actor,
  );
  if ("answer" in accepted) return accepted.answer;
  return completeRefundRequest(ctx, accepted.request, provider);
}

/** Steps 2 and 3 for one written-down request; safe to run again, also concurrently. */
export async function completeRefundRequest(
  ctx: AppContext,
  request: RefundRequestRow,
  provider: PaymentProvider = getPaymentProvider(ctx),
): Promise<RefundAnswer> {
  const started = await provider
    .createRefund(ctx, {
      orderId: request.orderId,
      chargeId: request.chargeId,
      amount: request.amount,
      currency: request.currency,
      reason: request.reason,
      metadata: request.metadata,
      idempotencyKey: request.id,
    })
    .catch(async (err: unknown) => {
      await noteProviderFailure(ctx, request, err);
      throw err;
    });
  const { answer, first } = await recordRefundRequest(ctx, request, started);
  // Offline: the simulator's webhooks, once per refund, after the refund row is committed.
  if (first && started.deliver) await started.deliver();
  return answer;
}
