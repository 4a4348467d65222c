import type { AppContext } from "../context.ts";

/** What checkout hands to the payment side. Amounts are minor units; prices were re-read server-side. */
export interface CheckoutRequest {
  orderId: number;
  orderNumber: string;
  amount: number;
  currency: string;
  customer: { id: number; email: string; name: string; stripeCustomerId: string | null };
  lines: Array<{ name: string; quantity: number; unitAmount: number }>;
  successUrl: string;
  cancelUrl: string;
}

export interface CheckoutStart {
  /** Where to send the buyer: Stripe Checkout, or the offline simulator's pay page. */
  redirectUrl: string;
  checkoutSessionId?: string;
  paymentIntentId?: string;
}

export interface RefundRequest {
  orderId: number;
  chargeId: string;
  amount: number;
  currency: string;
  reason?: "duplicate" | "fraudulent" | "requested_by_customer";
  /** Stored on the Stripe refund so the webhook can link it back (order_id, restock, note, requested_by). */
  metadata: Record<string, string>;
  /** Same key → same refund at the provider (a retried form post never refunds twice). */
  idempotencyKey?: string;
}

export interface RefundStart {
  refundId: string;
  status: string;
  /**
   * Offline only: delivers the simulator's webhooks. Called by the refund service after its
   * transaction commits, because the events go through the same inbox path as real deliveries.
   */
  deliver?: () => Promise<void>;
}

/**
 * The payment provider: Stripe's API in `stripe` mode, the offline simulator otherwise. Either way
 * the outcome arrives as signed events through POST /webhooks/stripe, so both modes end in the same records.
 */
export interface PaymentProvider {
  mode: "offline" | "stripe";
  startCheckout(ctx: AppContext, request: CheckoutRequest): Promise<CheckoutStart>;
  createRefund(ctx: AppContext, request: RefundRequest): Promise<RefundStart>;
  /**
   * Closes the payment page of a checkout whose order we canceled, so the customer can no longer pay
   * for it. `false` when it could not be closed (already paid or expired, or the provider failed).
   */
  closeCheckout(ctx: AppContext, checkoutSessionId: string): Promise<boolean>;
}

const installed = new Map<PaymentProvider["mode"], PaymentProvider>();

/**
 * Wires the provider of a payment mode. Stripe's is part of payments; the offline mode's lives with
 * the simulator (src/offline/), which sends its events into payments, so payments cannot import it:
 * the code that makes a context (createContext, the tests' context) installs it.
 */
export function installPaymentProvider(provider: PaymentProvider): void {
  installed.set(provider.mode, provider);
}

export function installedPaymentProvider(mode: PaymentProvider["mode"]): PaymentProvider {
  const provider = installed.get(mode);
  if (!provider) throw new Error(`No ${mode} payment provider installed (createContext installs it)`);
  return provider;
}
