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
  };
}
