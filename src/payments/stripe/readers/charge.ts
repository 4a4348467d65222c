import {
  idOf,
  listData,
  num,
  PayloadShapeError,
  record,
  requiredText,
  text,
  unix,
} from "./billing-fields.ts";
import { metadataOf, type RefundRead, readRefund } from "./refund.ts";

/** A Charge of any API version from 2024-06-20 to the newest the SDK knows, in our shape. */
export interface ChargeRead {
  id: string;
  /** Amount authorized. */
  amount: number;
  /**
   * Amount captured (kpis.md `gross_revenue`): `amount_captured`, or for a payload without it
   * `amount` when `captured` is true; 0 for an authorization not (yet) captured or expired.
   */
  amountCaptured: number;
  /** Stripe's cumulative figure: refunds plus authorized money released without capture. */
  amountRefunded: number;
  captured: boolean;
  currency: string;
  status: string;
  paid: boolean;
  created: Date;
  livemode: boolean;
  stripeCustomerId: string | null;
  paymentIntentId: string | null;
  /** Until 2025-03-31.basil only; later versions link invoices through invoice payments. */
  invoiceId: string | null;
  /** Stripe fee when the balance transaction came expanded, else unknown. */
  fee: number | null;
  failureCode: string | null;
  metadata: Record<string, string>;
  /**
   * The refunds embedded in the charge (`refunds.data`: always before 2022-11-15, when expanded
   * since); `null` when the payload does not carry the list, which says nothing about refunds.
   */
  refunds: RefundRead[] | null;
}

export function readCharge(raw: unknown): ChargeRead {
  const c = record(raw);
  if (!c) throw new PayloadShapeError("charge is not an object");
  const id = requiredText(c, "id", "charge");
  const amount = num(c.amount);
  const created = unix(c.created);
  if (amount === null) throw new PayloadShapeError(`charge ${id} has no amount`);
  if (created === null) throw new PayloadShapeError(`charge ${id} has no created`);
  const captured = c.captured === true;
  const refundList = record(c.refunds);
  return {
    id,
    amount,
    amountCaptured: num(c.amount_captured) ?? (captured ? amount : 0),
    amountRefunded: num(c.amount_refunded) ?? 0,
    captured,
    currency: requiredText(c, "currency", `charge ${id}`).toLowerCase(),
    status: requiredText(c, "status", `charge ${id}`),
    paid: c.paid === true,
    created,
    livemode: c.livemode === true,
    stripeCustomerId: idOf(c.customer),
    paymentIntentId: idOf(c.payment_intent),
    invoiceId: idOf(c.invoice),
    fee: num(record(c.balance_transaction)?.fee),
    failureCode: text(c.failure_code),
    metadata: metadataOf(c.metadata),
    refunds: refundList || Array.isArray(c.refunds) ? listData(c.refunds).map(embeddedRefund(id)) : null,
  };
}

/** An embedded refund may leave out `charge` (it is the charge it sits in). */
const embeddedRefund = (chargeId: string) => (raw: unknown) => {
  const refund = readRefund(raw);
  return { ...refund, chargeId: refund.chargeId ?? chargeId };
};
