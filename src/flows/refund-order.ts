import type { Actor } from "../audit/index.ts";
import type { AppContext } from "../context.ts";
import { createRefundFromForm } from "../payments/refunds/form.ts";
import type { RefundAnswer } from "../payments/refunds/idempotency.ts";
import { createRefund, type RefundInput } from "../payments/refunds/service.ts";

/**
 * The one refund use case routes and the CLI call. The refund is checked under the order lock and
 * written down, the provider is asked after that commit (no network call under a lock), and the
 * answer recorded; the ledger, the order's refund total and the restock follow from the provider's
 * webhook, exactly once per refund, as for a refund made in Stripe's dashboard.
 */
export function refundOrder(ctx: AppContext, input: RefundInput, actor: Actor): Promise<RefundAnswer> {
  return createRefund(ctx, input, actor);
}

/** The ops refund form (amount in major units, restock none / all / lines), then `refundOrder`. */
export function refundOrderFromForm(
  ctx: AppContext,
  orderId: number,
  body: Record<string, unknown>,
  actor: Actor,
): Promise<RefundAnswer> {
  return createRefundFromForm(ctx, orderId, body, actor);
}
