/**
 * Stripe objects and events as Stripe sends them at API version 2024-06-20 (the shapes in
 * shared/fixtures/stripe-event-examples.json), limited to the fields we send and read.
 *
 * Typed here rather than with the SDK's types: stripe v23 types the latest API version, where fields
 * we receive at 2024-06-20 (invoice.charge, invoice.subscription, subscription.current_period_*)
 * no longer exist.
 */
export const STRIPE_API_VERSION = "2024-06-20";

export type Metadata = Record<string, string>;
export type Interval = "day" | "week" | "month" | "year";

export interface Address {
  city: string | null;
  country: string | null;
  line1: string | null;
  line2: string | null;
  postal_code: string | null;
  state: string | null;
}

export interface CustomerObject {
  id: string;
  object: "customer";
  address: Address | null;
  balance: number;
  created: number;
  currency: string | null;
  default_source: string | null;
  delinquent: boolean;
  description: string | null;
  discount: DiscountObject | null;
  email: string | null;
  invoice_prefix: string;
  invoice_settings: {
    custom_fields: null;
    default_payment_method: string | null;
    footer: string | null;
    rendering_options: null;
  };
  livemode: boolean;
  metadata: Metadata;
  name: string | null;
  next_invoice_sequence: number;
  phone: string | null;
  preferred_locales: string[];
  shipping: null;
  tax_exempt: "none" | "exempt" | "reverse";
  test_clock: string | null;
}

export type ChargeStatus = "succeeded" | "pending" | "failed";

export interface ChargeOutcome {
  network_status:
    | "approved_by_network"
    | "declined_by_network"
    | "not_sent_to_network"
    | "reversed_after_approval";
  reason: string | null;
  risk_level: "normal" | "elevated" | "highest" | "not_assessed" | "unknown";
  seller_message: string;
  type: "authorized" | "manual_review" | "issuer_declined" | "blocked" | "invalid";
}

export interface ChargeObject {
  id: string;
  object: "charge";
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  application_fee_amount: number | null;
  balance_transaction: string | null;
  billing_details: { address: Address; email: string | null; name: string | null; phone: string | null };
  calculated_statement_descriptor: string | null;
  captured: boolean;
  created: number;
  currency: string;
  customer: string | null;
  description: string | null;
  disputed: boolean;
  failure_code: string | null;
  failure_message: string | null;
  invoice: string | null;
  livemode: boolean;
  metadata: Metadata;
  outcome: ChargeOutcome | null;
  paid: boolean;
  payment_intent: string | null;
  payment_method: string | null;
  receipt_email: string | null;
  refunded: boolean;
  /**
   * Embedded refunds: always sent before 2022-11-15, only when expanded since. Our readers
   * (readers/charge.ts) accept the charge with or without it, and without `invoice` (removed in
   * 2025-03-31.basil).
   */
  refunds?: ListObject<RefundObject>;
  status: ChargeStatus;
}

export type RefundReason = "duplicate" | "fraudulent" | "requested_by_customer" | "expired_uncaptured_charge";

export interface RefundObject {
  id: string;
  object: "refund";
  amount: number;
  balance_transaction: string | null;
  charge: string | null;
  created: number;
  currency: string;
  destination_details: {
    card: { reference_status: string; type: "refund" | "reversal" };
    type: "card";
  } | null;
  metadata: Metadata;
  payment_intent: string | null;
  reason: RefundReason | null;
  receipt_number: string | null;
  source_transfer_reversal: string | null;
  status: "pending" | "requires_action" | "succeeded" | "failed" | "canceled";
  transfer_reversal: string | null;
}

export type DisputeStatus =
  | "warning_needs_response"
  | "warning_under_review"
  | "warning_closed"
  | "needs_response"
  | "under_review"
  | "won"
  | "lost";

export interface DisputeObject {
  id: string;
  object: "dispute";
  amount: number;
  balance_transactions: BalanceTransactionObject[];
  charge: string;
  created: number;
  currency: string;
  evidence: Record<string, unknown>;
  evidence_details: {
    due_by: number | null;
    has_evidence: boolean;
    past_due: boolean;
    submission_count: number;
  };
  is_charge_refundable: boolean;
  livemode: boolean;
  metadata: Metadata;
  payment_intent: string | null;
  reason: string;
  status: DisputeStatus;
}

export type PaymentIntentStatus =
  | "requires_payment_method"
  | "requires_confirmation"
  | "requires_action"
  | "processing"
  | "requires_capture"
  | "canceled"
  | "succeeded";

export interface PaymentIntentObject {
  id: string;
  object: "payment_intent";
  amount: number;
  amount_capturable: number;
  amount_received: number;
  canceled_at: number | null;
  cancellation_reason: string | null;
  capture_method: "automatic" | "automatic_async" | "manual";
  created: number;
  currency: string;
  customer: string | null;
  description: string | null;
  invoice: string | null;
  last_payment_error: { code: string; message: string; type: "card_error" } | null;
  latest_charge: string | null;
  livemode: boolean;
  metadata: Metadata;
  payment_method: string | null;
  payment_method_types: string[];
  status: PaymentIntentStatus;
}

export interface CheckoutSessionObject {
  id: string;
  object: "checkout.session";
  amount_subtotal: number | null;
  amount_total: number | null;
  cancel_url: string | null;
  client_reference_id: string | null;
  created: number;
  currency: string | null;
  customer: string | null;
  customer_details: { email: string | null; name: string | null } | null;
  customer_email: string | null;
  expires_at: number;
  invoice: string | null;
  livemode: boolean;
  metadata: Metadata;
  mode: "payment" | "setup" | "subscription";
  payment_intent: string | null;
  payment_method_types: string[];
  payment_status: "paid" | "unpaid" | "no_payment_required";
  status: "open" | "complete" | "expired";
  subscription: string | null;
  success_url: string | null;
  total_details: { amount_discount: number; amount_shipping: number; amount_tax: number };
  ui_mode: "hosted" | "embedded";
  url: string | null;
}

export interface RecurringObject {
  aggregate_usage: null;
  interval: Interval;
  interval_count: number;
  meter: null;
  trial_period_days: number | null;
  usage_type: "licensed" | "metered";
}

export interface PriceObject {
  id: string;
  object: "price";
  active: boolean;
  billing_scheme: "per_unit" | "tiered";
  created: number;
  currency: string;
  custom_unit_amount: null;
  livemode: boolean;
  lookup_key: string | null;
  metadata: Metadata;
  nickname: string | null;
  product: string;
  recurring: RecurringObject | null;
  tax_behavior: "exclusive" | "inclusive" | "unspecified";
  tiers_mode: null;
  transform_quantity: null;
  type: "one_time" | "recurring";
  unit_amount: number;
  unit_amount_decimal: string;
}

/** The legacy `plan` Stripe still mirrors from a recurring price on subscriptions and their items. */
export interface PlanObject {
  id: string;
  object: "plan";
  active: boolean;
  aggregate_usage: null;
  amount: number;
  amount_decimal: string;
  billing_scheme: "per_unit" | "tiered";
  created: number;
  currency: string;
  interval: Interval;
  interval_count: number;
  livemode: boolean;
  metadata: Metadata;
  meter: null;
  nickname: string | null;
  product: string;
  tiers_mode: null;
  transform_usage: null;
  trial_period_days: number | null;
  usage_type: "licensed" | "metered";
}

export interface CouponObject {
  id: string;
  object: "coupon";
  amount_off: number | null;
  created: number;
  currency: string | null;
  duration: "forever" | "once" | "repeating";
  duration_in_months: number | null;
  livemode: boolean;
  max_redemptions: number | null;
  metadata: Metadata;
  name: string | null;
  percent_off: number | null;
  redeem_by: number | null;
  times_redeemed: number;
  valid: boolean;
}

export interface DiscountObject {
  id: string;
  object: "discount";
  checkout_session: string | null;
  coupon: CouponObject;
  customer: string | null;
  end: number | null;
  invoice: string | null;
  invoice_item: string | null;
  promotion_code: string | null;
  start: number;
  subscription: string | null;
  subscription_item: string | null;
}

export interface ListObject<T> {
  object: "list";
  data: T[];
  has_more: boolean;
  total_count?: number;
  url: string;
}

export interface SubscriptionItemObject {
  id: string;
  object: "subscription_item";
  billing_thresholds: null;
  created: number;
  discounts: string[];
  metadata: Metadata;
  plan: PlanObject;
  price: PriceObject;
  quantity: number;
  subscription: string;
  tax_rates: unknown[];
}

export type SubscriptionStatus =
  | "trialing"
  | "active"
  | "past_due"
  | "unpaid"
  | "canceled"
  | "incomplete"
  | "incomplete_expired"
  | "paused";

export interface SubscriptionObject {
  id: string;
  object: "subscription";
  application: string | null;
  billing_cycle_anchor: number;
  cancel_at: number | null;
  cancel_at_period_end: boolean;
  canceled_at: number | null;
  cancellation_details: { comment: string | null; feedback: string | null; reason: string | null };
  collection_method: "charge_automatically" | "send_invoice";
  created: number;
  currency: string;
  current_period_end: number;
  current_period_start: number;
  customer: string;
  days_until_due: number | null;
  default_payment_method: string | null;
  description: string | null;
  discount: DiscountObject | null;
  discounts: string[];
  ended_at: number | null;
  items: ListObject<SubscriptionItemObject>;
  latest_invoice: string | null;
  livemode: boolean;
  metadata: Metadata;
  pause_collection: {
    behavior: "keep_as_draft" | "mark_uncollectible" | "void";
    resumes_at: number | null;
  } | null;
  /** Mirrors the single item's plan; null when the subscription has several items. */
  plan: PlanObject | null;
  quantity: number | null;
  schedule: string | null;
  start_date: number;
  status: SubscriptionStatus;
  test_clock: string | null;
  trial_end: number | null;
  trial_settings: { end_behavior: { missing_payment_method: "cancel" | "create_invoice" | "pause" } };
  trial_start: number | null;
}

export interface InvoiceLineObject {
  id: string;
  object: "line_item";
  amount: number;
  currency: string;
  description: string | null;
  discount_amounts: { amount: number; discount: string }[];
  period: { start: number; end: number };
  price: PriceObject | null;
  proration: boolean;
  quantity: number | null;
  subscription: string | null;
  subscription_item: string | null;
  type: "subscription" | "invoiceitem";
}

export type InvoiceStatus = "draft" | "open" | "paid" | "uncollectible" | "void";

export interface InvoiceObject {
  id: string;
  object: "invoice";
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  attempt_count: number;
  attempted: boolean;
  billing_reason:
    | "subscription_create"
    | "subscription_cycle"
    | "subscription_update"
    | "subscription_threshold"
    | "subscription"
    | "manual"
    | "upcoming";
  charge: string | null;
  collection_method: "charge_automatically" | "send_invoice";
  created: number;
  currency: string;
  customer: string;
  discount: DiscountObject | null;
  discounts: string[];
  lines: ListObject<InvoiceLineObject>;
  livemode: boolean;
  metadata: Metadata;
  number: string | null;
  paid: boolean;
  payment_intent: string | null;
  period_end: number;
  period_start: number;
  status: InvoiceStatus;
  subscription: string | null;
  subtotal: number;
  tax: number | null;
  total: number;
  total_discount_amounts: { amount: number; discount: string }[];
}

export interface BalanceTransactionObject {
  id: string;
  object: "balance_transaction";
  amount: number;
  available_on: number;
  created: number;
  currency: string;
  description: string | null;
  exchange_rate: number | null;
  fee: number;
  fee_details: {
    amount: number;
    application: null;
    currency: string;
    description: string;
    type: "stripe_fee";
  }[];
  net: number;
  reporting_category: string;
  source: string | null;
  status: "available" | "pending";
  type: "charge" | "payment" | "refund" | "payment_refund" | "adjustment" | "payout" | "stripe_fee";
}

export type StripeObject =
  | CustomerObject
  | ChargeObject
  | RefundObject
  | DisputeObject
  | PaymentIntentObject
  | CheckoutSessionObject
  | PriceObject
  | SubscriptionObject
  | InvoiceObject
  | BalanceTransactionObject;

/** The event types the product handles; any other Stripe type string is accepted too. */
export type StripeEventType =
  | "charge.succeeded"
  | "charge.failed"
  | "charge.refunded"
  | "charge.dispute.created"
  | "charge.dispute.closed"
  | "refund.created"
  | "refund.updated"
  | "customer.created"
  | "customer.updated"
  | "payment_intent.succeeded"
  | "payment_intent.payment_failed"
  | "checkout.session.completed"
  | "checkout.session.expired"
  | "customer.subscription.created"
  | "customer.subscription.updated"
  | "customer.subscription.deleted"
  | "invoice.paid"
  | "invoice.payment_failed"
  | (string & {});

export interface StripeEventObject<T = StripeObject> {
  id: string;
  object: "event";
  api_version: string;
  created: number;
  data: { object: T; previous_attributes?: Record<string, unknown> };
  livemode: boolean;
  pending_webhooks: number;
  /** `{ id: null, idempotency_key: null }` when Stripe acted on its own (renewals, retries). */
  request: { id: string | null; idempotency_key: string | null };
  type: StripeEventType;
}
