import { idOf, num, PayloadShapeError, record, requiredText, text, unix } from "./billing-fields.ts";

/** A Refund of any API version (refund.*, charge.refund.updated, a charge's `refunds.data`), in our shape. */
export interface RefundRead {
  id: string;
  chargeId: string | null;
  paymentIntentId: string | null;
  amount: number;
  currency: string;
  status: string;
  reason: string | null;
  created: Date;
  metadata: Record<string, string>;
  /**
   * Stripe's record of authorized money released without being captured (reason
   * `expired_uncaptured_charge`: an expired authorization or the rest of a partial capture). It is
   * not money given back, so the ledger does not count it as a refund (kpis.md `refunds`).
   */
  releasesAuthorization: boolean;
}

export function readRefund(raw: unknown): RefundRead {
  const r = record(raw);
  if (!r) throw new PayloadShapeError("refund is not an object");
  const id = requiredText(r, "id", "refund");
  const amount = num(r.amount);
  const created = unix(r.created);
  if (amount === null) throw new PayloadShapeError(`refund ${id} has no amount`);
  if (created === null) throw new PayloadShapeError(`refund ${id} has no created`);
  const reason = text(r.reason);
  return {
    id,
    // Expandable since it exists; the newest versions also carry `customer` and `payment_method`, unused here.
    chargeId: idOf(r.charge),
    paymentIntentId: idOf(r.payment_intent),
    amount,
    currency: requiredText(r, "currency", `refund ${id}`).toLowerCase(),
    status: requiredText(r, "status", `refund ${id}`),
    reason,
    created,
    metadata: metadataOf(r.metadata),
    releasesAuthorization: reason === "expired_uncaptured_charge",
  };
}

/** String values of a metadata object; anything else is dropped. */
export function metadataOf(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(record(value) ?? {})) if (typeof v === "string") out[key] = v;
  return out;
}
