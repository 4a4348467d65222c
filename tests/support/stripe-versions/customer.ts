/**
 * Customer payloads per API version family. The fields the product reads (`id`, `email`, `name`,
 * `address.country`, `created`) are the same in every family. `discount` (a customer-level discount)
 * stays on Customer in every family (stripe-node 18.0.0 removes `discount` only from Invoice and
 * Subscription); `customer_account` appears in the newest family only.
 */
import { type Family, isNewest } from "./versions.ts";

export function customer(
  family: Family,
  c: { id: string; email: string; name: string; country: string; created: number },
): Record<string, unknown> {
  return {
    id: c.id,
    object: "customer",
    address: { city: null, country: c.country, line1: null, line2: null, postal_code: null, state: null },
    balance: 0,
    created: c.created,
    currency: null,
    ...(isNewest(family) ? { customer_account: null } : {}),
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: c.email,
    invoice_prefix: c.id.slice(4, 12).toUpperCase(),
    invoice_settings: {
      custom_fields: null,
      default_payment_method: null,
      footer: null,
      rendering_options: null,
    },
    livemode: false,
    metadata: {},
    name: c.name,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: "none",
    test_clock: null,
  };
}
