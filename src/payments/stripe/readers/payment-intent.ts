import { idOf, num, PayloadShapeError, record, requiredText, text, unix } from "./billing-fields.ts";
import { metadataOf } from "./refund.ts";

/** A PaymentIntent of any API version, in our shape. */
export interface PaymentIntentRead {
  id: string;
  status: string;
  amount: number;
  amountReceived: number;
  amountCapturable: number;
  captureMethod: string | null;
  currency: string;
  created: Date;
  livemode: boolean;
  stripeCustomerId: string | null;
  /** `latest_charge` (since 2022-11-15; earlier versions listed `charges` instead). */
  latestChargeId: string | null;
  metadata: Record<string, string>;
  lastPaymentErrorCode: string | null;
}

export function readPaymentIntent(raw: unknown): PaymentIntentRead {
  const p = record(raw);
  if (!p) throw new PayloadShapeError("payment intent is not an object");
  const id = requiredText(p, "id", "payment intent");
  const amount = num(p.amount);
  const created = unix(p.created);
  if (amount === null) throw new PayloadShapeError(`payment intent ${id} has no amount`);
  if (created === null) throw new PayloadShapeError(`payment intent ${id} has no created`);
  return {
    id,
    status: requiredText(p, "status", `payment intent ${id}`),
    amount,
    amountReceived: num(p.amount_received) ?? 0,
    amountCapturable: num(p.amount_capturable) ?? 0,
    captureMethod: text(p.capture_method),
    currency: requiredText(p, "currency", `payment intent ${id}`).toLowerCase(),
    created,
    livemode: p.livemode === true,
    stripeCustomerId: idOf(p.customer),
    latestChargeId: idOf(p.latest_charge),
    metadata: metadataOf(p.metadata),
    lastPaymentErrorCode: text(record(p.last_payment_error)?.code),
  };
}
