import { eq } from "drizzle-orm";
import type { AppContext } from "../context.ts";
import type { RefundRequest, RefundStart } from "../payments/provider.ts";
import { charges } from "../payments/schema.ts";
import { NotFoundError } from "../shared/errors.ts";
import { offlineId, offlineIdFromKey } from "../shared/stripe-ids.ts";
import { emit, simulatorFactory } from "./emit.ts";
import { chargeObjectFromRow } from "./objects/charge-from-row.ts";

/**
 * Offline refunds answer like Stripe's refunds API (a `re_` id, pending) and, once the caller's
 * transaction has committed, deliver refund.created and charge.refunded as signed webhooks.
 * The caller's idempotency key is honoured before the provider is called, by the refund service,
 * which keeps it in the database for both payment modes (refunds/idempotency.ts); the key it sends
 * here (its request's id) always names the same refund id.
 */
export async function simulateRefund(ctx: AppContext, request: RefundRequest): Promise<RefundStart> {
  return startRefund(ctx, request);
}

function startRefund(ctx: AppContext, request: RefundRequest): RefundStart {
  // Same key, same refund id (as at Stripe): a request sent again after a crash is the same refund.
  const refundId = request.idempotencyKey ? offlineIdFromKey("re", request.idempotencyKey) : offlineId("re");
  return {
    refundId,
    status: "pending",
    deliver: () => deliverRefund(ctx, request, refundId),
  };
}

async function deliverRefund(ctx: AppContext, request: RefundRequest, refundId: string): Promise<void> {
  const [row] = await ctx.db.select().from(charges).where(eq(charges.id, request.chargeId));
  if (!row) throw new NotFoundError(`Charge ${request.chargeId}`);
  const f = simulatorFactory(ctx);
  const amountRefunded = Math.min(row.amount, row.amountRefunded + request.amount);
  const charge = chargeObjectFromRow(f, row, amountRefunded);
  const refund = f.makeRefund({
    id: refundId,
    charge,
    amount: request.amount,
    reason: request.reason ?? null,
    metadata: request.metadata,
    status: "succeeded",
  });
  await emit(ctx, f.makeEvent("refund.created", refund));
  await emit(ctx, f.makeEvent("charge.refunded", charge));
}
