/**
 * Charge and PaymentIntent payloads per API version family.
 *
 * - Every family: `amount`, `amount_captured`, `amount_refunded`, `captured`, `refunded`, `paid`,
 *   `status`, `disputed`, `balance_transaction` as an id (webhooks do not expand it), no `refunds`
 *   list (Stripe API changelog 2022-11-15: a charge's `refunds` is no longer included unless expanded,
 *   and PaymentIntent's `charges` list gives way to `latest_charge`).
 * - A manual-capture authorization: `captured: false`, `amount_captured: 0`, `status: succeeded`;
 *   a partial capture sets `amount_captured` and puts the released rest in `amount_refunded`
 *   (API reference, Charge object and "Capture a payment": the remaining amount is refunded).
 * - `invoice` on Charge and PaymentIntent: present up to 2024-06-20, removed from 2025-03-31.basil
 *   (Stripe API changelog 2025-03-31.basil "Adds support for multiple partial payments on invoices";
 *   stripe-node 18.0.0: "Remove support for `invoice` on `Charge` and `PaymentIntent`").
 */
import { basilOrLater, type Family } from "./versions.ts";

export interface ChargeInput {
  id: string;
  amount: number;
  currency: string;
  created: number;
  customer: string | null;
  paymentIntent: string | null;
  /** The invoice this charge paid (only written where the version has `invoice`). */
  invoice?: string | null;
  /** Captured so far; default `amount` (an automatic capture). 0 = authorized only. */
  amountCaptured?: number;
  /** Refunded so far, including released authorization. */
  amountRefunded?: number;
  disputed?: boolean;
}

export function charge(family: Family, c: ChargeInput): Record<string, unknown> {
  const captured = c.amountCaptured ?? c.amount;
  const refunded = c.amountRefunded ?? 0;
  return {
    id: c.id,
    object: "charge",
    amount: c.amount,
    amount_captured: captured,
    amount_refunded: refunded,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: captured > 0 ? `txn_${c.id.slice(3)}` : null,
    billing_details: { address: null, email: null, name: null, phone: null },
    calculated_statement_descriptor: "REVINTEL",
    captured: captured > 0,
    created: c.created,
    currency: c.currency,
    customer: c.customer,
    description: null,
    disputed: c.disputed ?? false,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    fraud_details: {},
    ...(basilOrLater(family) ? {} : { invoice: c.invoice ?? null }),
    livemode: false,
    metadata: {},
    on_behalf_of: null,
    outcome: {
      network_status: "approved_by_network",
      reason: null,
      risk_level: "normal",
      seller_message: "Payment complete.",
      type: "authorized",
    },
    paid: true,
    payment_intent: c.paymentIntent,
    payment_method: `pm_${c.id.slice(3)}`,
    payment_method_details: { card: { brand: "visa", country: "US", last4: "4242" }, type: "card" },
    receipt_email: null,
    receipt_url: null,
    refunded: refunded > 0 && refunded === c.amount,
    review: null,
    shipping: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: "succeeded",
    transfer_data: null,
    transfer_group: null,
  };
}

export interface PaymentIntentInput {
  id: string;
  amount: number;
  currency: string;
  created: number;
  customer: string | null;
  latestCharge: string;
  amountReceived: number;
  captureMethod?: "automatic" | "manual";
  invoice?: string | null;
}

export function paymentIntent(family: Family, p: PaymentIntentInput): Record<string, unknown> {
  return {
    id: p.id,
    object: "payment_intent",
    amount: p.amount,
    amount_capturable: 0,
    amount_received: p.amountReceived,
    canceled_at: null,
    capture_method: p.captureMethod ?? "automatic",
    created: p.created,
    currency: p.currency,
    customer: p.customer,
    description: null,
    ...(basilOrLater(family) ? {} : { invoice: p.invoice ?? null }),
    last_payment_error: null,
    latest_charge: p.latestCharge,
    livemode: false,
    metadata: {},
    payment_method: `pm_${p.latestCharge.slice(3)}`,
    payment_method_types: ["card"],
    status: "succeeded",
  };
}
