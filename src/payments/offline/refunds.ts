import { eq } from "drizzle-orm";
import type { AppContext } from "../../context.ts";
import { NotFoundError } from "../../shared/errors.ts";
import type { RefundRequest, RefundStart } from "../provider.ts";
import { charges } from "../schema.ts";
import { chargeObjectFromRow } from "./charge-object-from-row.ts";
import { emit, simulatorFactory } from "./emit.ts";
import { offlineId } from "./ids.ts";

/**
 * Offline refunds answer like Stripe's refunds API (a `re_` id, pending) and, once the caller's
 * transaction has committed, deliver refund.created and charge.refunded as signed webhooks.
 * The idempotency key is honoured before the provider is called, by the refund service, which keeps
 * it in the database for both payment modes (refunds/idempotency.ts).
 */
export async function simulateRefund(ctx: AppContext, request: RefundRequest): Promise<RefundStart> {
  return startRefund(ctx, request);
}

function startRefund(ctx: AppContext, request: RefundRequest): RefundStart {
  const refundId = offlineId("re");
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
