/** Subscriptions: plans, subscriptions, discounts and coupons, invoices, the state at an instant. */

// MRR at an instant is the KPI engine's (analytics/mrr/known-discounts.ts); re-exported for exports.
export {
  type DiscountedState,
  discountBoundaries,
  hasTerms,
  type KnownDiscount,
  loadKnownDiscounts,
  mrrAt,
} from "../analytics/mrr/known-discounts.ts";
export {
  type BillingRecord,
  type CustomerSubscription,
  findBillingRecord,
  type SubscriptionStateRow,
  subscriptionsOfCustomer,
} from "./customer-reads.ts";
export {
  type CouponTerms,
  discountIdsOfCoupon,
  upsertCoupon,
  upsertDiscount,
} from "./discounts.ts";
export { invoicePaymentLink, linkChargeToInvoice, upsertInvoice, upsertInvoicePayment } from "./invoices.ts";
export type {
  DiscountState,
  InvoicePaymentRead,
  InvoiceRead,
  PriceState,
  SubscriptionItemState,
  SubscriptionRead,
} from "./stripe-inputs.ts";
export { UNRESOLVED_DISCOUNTS_SQL } from "./unresolved-discounts.ts";
export {
  linkSubscriptionsToCustomer,
  refreshDiscountedMrr,
  type SubscriptionSource,
  upsertSubscription,
} from "./upsert.ts";
