import type { AppContext } from "../context.ts";
import { installedPaymentProvider, type PaymentProvider } from "./provider.ts";
import { stripeProvider } from "./stripe-provider.ts";

export {
  type ChargeRow,
  type CustomerLedger,
  type DisputeRow,
  type LedgerOwner,
  ledgerOfCustomer,
  type RefundRow,
} from "./customer-ledger.ts";
export { findPaymentRecord, type PaymentRecord } from "./find-record.ts";
export {
  DISPUTE_VIEWS,
  type DisputeListRow,
  type DisputeView,
  listDisputes,
  OPEN_DISPUTE_STATUSES,
} from "./ledger/dispute-list.ts";
export type { CheckoutRequest, CheckoutStart, PaymentProvider, RefundRequest } from "./provider.ts";
export { installPaymentProvider } from "./provider.ts";
export { listOrderRefunds, type OrderRefundEntry } from "./refunds/history.ts";
export { INQUIRY_STATUSES, isInquiryStatus } from "./stripe/readers/dispute.ts";

/** The configured payment provider: Stripe's API (`PAYMENTS_MODE=stripe`) or the offline simulator. */
export function getPaymentProvider(ctx: Pick<AppContext, "config">): PaymentProvider {
  return ctx.config.paymentsMode === "stripe" ? stripeProvider : installedPaymentProvider("offline");
}

/**
 * After an operator cancels a pending order: close its payment page, so the customer cannot pay for
 * stock we have released. Best effort (the cancel stands either way); `false` when it stayed open.
 */
export async function closeCheckoutOf(
  ctx: AppContext,
  order: { status: string; stripeCheckoutSessionId: string | null },
): Promise<boolean> {
  if (order.status !== "canceled" || !order.stripeCheckoutSessionId) return true;
  return getPaymentProvider(ctx).closeCheckout(ctx, order.stripeCheckoutSessionId);
}
