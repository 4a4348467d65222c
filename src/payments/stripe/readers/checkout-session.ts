import { idOf, num, PayloadShapeError, record, requiredText, text, unix } from "./billing-fields.ts";
import { metadataOf } from "./refund.ts";

/** A Checkout Session of any API version, in our shape. */
export interface CheckoutSessionRead {
  id: string;
  mode: string;
  status: string | null;
  paymentStatus: string;
  paymentIntentId: string | null;
  stripeCustomerId: string | null;
  subscriptionId: string | null;
  amountTotal: number | null;
  currency: string | null;
  created: Date;
  livemode: boolean;
  metadata: Record<string, string>;
  /** The address collected by Checkout's shipping address collection, null when none was asked. */
  shipping: ShippingDetailsRead | null;
}

export interface ShippingDetailsRead {
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  state: string | null;
  postalCode: string | null;
  country: string;
}

/**
 * The session's shipping details, wherever its API version keeps them: `shipping_details` on the
 * session up to 2025-02-24.acacia (which added `collected_information.shipping_details` beside it),
 * only `collected_information.shipping_details` from 2025-03-31.basil, which removed the old field.
 */
export function readShippingDetails(s: Record<string, unknown>): ShippingDetailsRead | null {
  const collected = record(s.collected_information);
  const details = record(collected?.shipping_details) ?? record(s.shipping_details);
  const address = record(details?.address);
  if (!details || !address) return null;
  return {
    name: text(details.name) ?? "",
    line1: text(address.line1) ?? "",
    line2: text(address.line2),
    city: text(address.city) ?? "",
    state: text(address.state),
    postalCode: text(address.postal_code),
    country: text(address.country) ?? "",
  };
}

export function readCheckoutSession(raw: unknown): CheckoutSessionRead {
  const s = record(raw);
  if (!s) throw new PayloadShapeError("checkout session is not an object");
  const id = requiredText(s, "id", "checkout session");
  const created = unix(s.created);
  if (created === null) throw new PayloadShapeError(`checkout session ${id} has no created`);
  return {
    id,
    mode: requiredText(s, "mode", `checkout session ${id}`),
    status: text(s.status),
    paymentStatus: requiredText(s, "payment_status", `checkout session ${id}`),
    paymentIntentId: idOf(s.payment_intent),
    stripeCustomerId: idOf(s.customer),
    subscriptionId: idOf(s.subscription),
    amountTotal: num(s.amount_total),
    currency: text(s.currency)?.toLowerCase() ?? null,
    created,
    livemode: s.livemode === true,
    metadata: metadataOf(s.metadata),
    shipping: readShippingDetails(s),
  };
}
