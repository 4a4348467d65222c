/**
 * Checkout Session payloads per API version family (a paid one-off `payment` session).
 *
 * - Every family: `mode`, `status`, `payment_status`, `payment_intent` (an id), `amount_total`,
 *   `currency`, `customer`, `customer_details`, `metadata`, `created`, `expires_at`.
 * - `shipping_details` on the session: present up to 2024-06-20, removed from 2025-03-31.basil, where
 *   the collected address is `collected_information.shipping_details` (stripe-node 18.0.0 "Remove
 *   support for `shipping_details` on `Checkout.Session`", "Change `Checkout.Session.collected_information`
 *   to be required").
 * - Newest (2026-09-30.endive on): `allowed_payment_method_types` on the session (stripe-node 23.0.0).
 */
import { basilOrLater, type Family, isNewest } from "./versions.ts";

export function checkoutSession(
  family: Family,
  s: {
    id: string;
    amount: number;
    currency: string;
    created: number;
    customer: string;
    email: string;
    paymentIntent: string;
    metadata: Record<string, string>;
  },
): Record<string, unknown> {
  const shipping = {
    address: {
      city: "Springfield",
      country: "US",
      line1: "1 Main St",
      line2: null,
      postal_code: "12345",
      state: "IL",
    },
    name: "Story Buyer",
  };
  return {
    id: s.id,
    object: "checkout.session",
    ...(isNewest(family) ? { allowed_payment_method_types: null } : {}),
    amount_subtotal: s.amount,
    amount_total: s.amount,
    automatic_tax: { enabled: false, liability: null, status: null },
    billing_address_collection: null,
    cancel_url: "http://127.0.0.1:3000/cart",
    client_reference_id: null,
    ...(basilOrLater(family) ? { collected_information: { shipping_details: shipping } } : {}),
    created: s.created,
    currency: s.currency,
    customer: s.customer,
    customer_creation: null,
    customer_details: {
      address: shipping.address,
      email: s.email,
      name: shipping.name,
      phone: null,
      tax_exempt: "none",
      tax_ids: [],
    },
    customer_email: s.email,
    expires_at: s.created + 1800,
    invoice: null,
    livemode: false,
    metadata: s.metadata,
    mode: "payment",
    payment_intent: s.paymentIntent,
    payment_method_types: ["card"],
    payment_status: "paid",
    shipping_cost: null,
    ...(basilOrLater(family) ? {} : { shipping_details: shipping }),
    status: "complete",
    subscription: null,
    success_url: "http://127.0.0.1:3000/orders",
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    url: null,
  };
}
