/** Subscriptions: plans, subscriptions, discounts and coupons, invoices, the state at an instant. */
export {
  type CouponTerms,
  discountBoundaries,
  discountIdsOfCoupon,
  hasTerms,
  type KnownDiscount,
  loadKnownDiscounts,
  upsertCoupon,
  upsertDiscount,
} from "./discounts.ts";
export { invoicePaymentLink, linkChargeToInvoice, upsertInvoice, upsertInvoicePayment } from "./invoices.ts";
export { type DiscountedState, mrrAt } from "./state.ts";
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
