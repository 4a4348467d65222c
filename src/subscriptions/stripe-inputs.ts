/**
 * What subscriptions accepts from Stripe: subscriptions, prices, discounts, invoices and their
 * payments in one shape for every API version. Payments' readers (payments/stripe/readers/) produce
 * these from payloads; subscriptions states them so it imports nothing from payments.
 */
import type { BillingInterval } from "../analytics/core/mrr-formula.ts";

/** An item of a subscription: its price and quantity. */
export interface SubscriptionItemState {
  id: string;
  priceId: string;
  unitAmount: number;
  interval: BillingInterval;
  intervalCount: number;
  quantity: number;
}

/** A recurring price seen on an item (becomes a plan). */
export interface PriceState {
  id: string;
  productName: string;
  nickname: string | null;
  currency: string;
  unitAmount: number;
  interval: BillingInterval;
  intervalCount: number;
  active: boolean;
  livemode: boolean;
}

/** A subscription of any API version (2024-06-20 through the newest the SDK knows), in our shape. */
export interface SubscriptionRead {
  id: string;
  stripeCustomerId: string;
  status: string;
  currency: string;
  items: SubscriptionItemState[];
  prices: PriceState[];
  /** Ids of the discounts that apply, in order (`discounts`, and the single `discount` of old versions). */
  discountIds: string[];
  /** The discounts the payload carried expanded (stored so ids elsewhere resolve through them). */
  discounts: DiscountState[];
  /** The single `discount`'s percent (versions before 2025-03-31), kept for old readers of the row. */
  percentOff: number | null;
  /** Top-level before 2025-03-31.basil; from it on, the items' (the item whose period started last). */
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  canceledAt: Date | null;
  endedAt: Date | null;
  trialEnd: Date | null;
  created: Date;
  livemode: boolean;
}

/** A discount of any API version, in our shape: its coupon's terms flattened in. */
export interface DiscountState {
  id: string;
  subscriptionId: string | null;
  stripeCustomerId: string | null;
  couponId: string | null;
  /** Coupon terms; both null while only the coupon's id is known (not expanded). */
  percentOff: number | null;
  amountOff: number | null;
  /** Currency of `amountOff`. */
  currency: string | null;
  start: Date | null;
  end: Date | null;
}

/** An invoice of any API version, in our shape. */
export interface InvoiceRead {
  id: string;
  /** `subscription` before 2025-03-31.basil, `parent.subscription_details.subscription` from it on. */
  subscriptionId: string | null;
  stripeCustomerId: string | null;
  status: string;
  currency: string;
  amountDue: number;
  amountPaid: number;
  /** `charge` / `payment_intent` before basil; from basil on, from the expanded `payments` if any. */
  chargeId: string | null;
  paymentIntentId: string | null;
  created: Date;
  /** `status_transitions.paid_at` (every version), when Stripe sent it. */
  paidAt: Date | null;
  livemode: boolean;
  /** Expanded discounts the invoice carried. */
  discounts: DiscountState[];
  /** Expanded InvoicePayments (`payments`, basil on). */
  payments: InvoicePaymentRead[];
}

/** An InvoicePayment (API 2025-03-31.basil on; `invoice_payment.paid`), in our shape. */
export interface InvoicePaymentRead {
  id: string;
  invoiceId: string;
  status: string;
  currency: string;
  amountPaid: number | null;
  chargeId: string | null;
  paymentIntentId: string | null;
  paidAt: Date | null;
  livemode: boolean;
}
