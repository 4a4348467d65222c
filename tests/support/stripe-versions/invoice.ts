/**
 * Invoice (with lines) and InvoicePayment payloads per API version family.
 *
 * - 2024-06-20: the invoice names its `subscription`, `charge`, `payment_intent`, `paid`, `discount`;
 *   lines carry `price`, `plan`, `proration`, `subscription`, `subscription_item`, `type`.
 * - From 2025-03-31.basil (stripe-node 18.0.0 "Remove support for `application_fee_amount`, `charge`,
 *   `paid_out_of_band`, `paid`, `payment_intent`, `quote`, `subscription`, `subscription_details`,
 *   `subscription_proration_date`, `tax`, `total_tax_amounts`, and `transfer_data` on `Invoice`",
 *   "Remove support for `discount` on `Invoice`"; Stripe API changelog 2025-03-31.basil "Adds the
 *   parent field to invoices and line items"): the subscription is at
 *   `parent.subscription_details.subscription`; a line's price is at `pricing.price_details.price`
 *   and its subscription item at `parent.subscription_item_details`; the payment is known from the
 *   separate InvoicePayment object (`invoice_payment.paid`), whose `payment` names the PaymentIntent
 *   (`type: "payment_intent"`) — never the charge when the charge has a PaymentIntent.
 * - `amount_overpaid` from basil (stripe-node 18.0.0); `customer_account` (2025-12-15.clover) and
 *   `status_details` (2026-09-30.endive) in the newest family.
 */
import { basilOrLater, type Family, isNewest } from "./versions.ts";

export interface InvoiceInput {
  id: string;
  customer: string;
  subscription: string;
  subscriptionItem: string;
  price: { id: string; product: string; unitAmount: number; interval: string };
  quantity: number;
  currency: string;
  created: number;
  paidAt: number;
  periodStart: number;
  periodEnd: number;
  /** Before discounts. */
  subtotal: number;
  discount: { id: string; amount: number } | null;
  charge: string;
  paymentIntent: string;
  billingReason: "subscription_create" | "subscription_cycle" | "subscription_update";
}

function line(family: Family, i: InvoiceInput): Record<string, unknown> {
  const common = {
    id: `il_${i.id.slice(3)}`,
    object: "line_item",
    amount: i.subtotal,
    currency: i.currency,
    description: `${i.quantity} × ${i.price.product}`,
    discount_amounts: i.discount ? [{ amount: i.discount.amount, discount: i.discount.id }] : [],
    discountable: true,
    discounts: i.discount ? [i.discount.id] : [],
    invoice: i.id,
    livemode: false,
    metadata: {},
    period: { end: i.periodEnd, start: i.periodStart },
    quantity: i.quantity,
  };
  if (basilOrLater(family)) {
    return {
      ...common,
      parent: {
        invoice_item_details: null,
        subscription_item_details: {
          invoice_item: null,
          proration: false,
          proration_details: { credited_items: null },
          subscription: i.subscription,
          subscription_item: i.subscriptionItem,
        },
        type: "subscription_item_details",
      },
      pretax_credit_amounts: [],
      pricing: {
        price_details: { price: i.price.id, product: i.price.product },
        type: "price_details",
        unit_amount_decimal: String(i.price.unitAmount),
      },
      taxes: [],
    };
  }
  return {
    ...common,
    plan: { id: i.price.id, object: "plan", amount: i.price.unitAmount, interval: i.price.interval },
    price: {
      id: i.price.id,
      object: "price",
      currency: i.currency,
      product: i.price.product,
      recurring: { interval: i.price.interval, interval_count: 1 },
      type: "recurring",
      unit_amount: i.price.unitAmount,
    },
    proration: false,
    proration_details: { credited_items: null },
    subscription: i.subscription,
    subscription_item: i.subscriptionItem,
    tax_amounts: [],
    tax_rates: [],
    type: "subscription",
  };
}

export function invoice(family: Family, i: InvoiceInput): Record<string, unknown> {
  const basil = basilOrLater(family);
  const total = i.subtotal - (i.discount?.amount ?? 0);
  return {
    id: i.id,
    object: "invoice",
    account_country: "US",
    amount_due: total,
    ...(basil ? { amount_overpaid: 0 } : {}),
    amount_paid: total,
    amount_remaining: 0,
    amount_shipping: 0,
    attempt_count: 1,
    attempted: true,
    billing_reason: i.billingReason,
    ...(basil ? {} : { charge: i.charge }),
    collection_method: "charge_automatically",
    created: i.created,
    currency: i.currency,
    customer: i.customer,
    ...(isNewest(family) ? { customer_account: null } : {}),
    ...(basil ? {} : { discount: null }),
    discounts: i.discount ? [i.discount.id] : [],
    effective_at: i.created,
    lines: {
      object: "list",
      data: [line(family, i)],
      has_more: false,
      total_count: 1,
      url: `/v1/invoices/${i.id}/lines`,
    },
    livemode: false,
    metadata: {},
    number: `${i.id.slice(3, 11).toUpperCase()}-0001`,
    ...(basil ? {} : { paid: true, paid_out_of_band: false, payment_intent: i.paymentIntent }),
    ...(basil
      ? {
          parent: {
            quote_details: null,
            subscription_details: { metadata: {}, subscription: i.subscription },
            type: "subscription_details",
          },
        }
      : {}),
    period_end: i.periodEnd,
    period_start: i.periodStart,
    status: "paid",
    ...(isNewest(family) ? { status_details: {} } : {}),
    status_transitions: {
      finalized_at: i.created,
      marked_uncollectible_at: null,
      paid_at: i.paidAt,
      voided_at: null,
    },
    ...(basil ? {} : { subscription: i.subscription, subscription_details: { metadata: {} } }),
    subtotal: i.subtotal,
    subtotal_excluding_tax: i.subtotal,
    ...(basil ? {} : { tax: null }),
    total,
    total_discount_amounts: i.discount ? [{ amount: i.discount.amount, discount: i.discount.id }] : [],
    total_excluding_tax: total,
    ...(basil ? { total_taxes: [] } : { total_tax_amounts: [] }),
  };
}

/** The InvoicePayment object (exists from 2025-03-31.basil; `invoice_payment.paid`). */
export function invoicePayment(
  _family: Family,
  p: {
    id: string;
    invoice: string;
    paymentIntent: string;
    amount: number;
    currency: string;
    created: number;
    paidAt: number;
  },
): Record<string, unknown> {
  return {
    id: p.id,
    object: "invoice_payment",
    amount_paid: p.amount,
    amount_requested: p.amount,
    created: p.created,
    currency: p.currency,
    invoice: p.invoice,
    is_default: true,
    livemode: false,
    payment: { payment_intent: p.paymentIntent, type: "payment_intent" },
    status: "paid",
    status_transitions: { canceled_at: null, paid_at: p.paidAt },
  };
}
