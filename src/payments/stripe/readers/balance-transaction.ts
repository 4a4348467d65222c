import { idOf, num, PayloadShapeError, record, requiredText, text, unix } from "./billing-fields.ts";

/** A BalanceTransaction, in our shape: what the converted view needs of it (its realised rate). */
export interface BalanceTransactionRead {
  id: string;
  type: string;
  created: Date;
  /** The balance's currency: what the money was converted into. */
  currency: string;
  /**
   * Stripe: when money was converted from currency A to currency B, the amount in A times
   * `exchange_rate` is the amount in B. Kept as the decimal text Stripe sent (never a float sum).
   */
  exchangeRate: string | null;
  sourceId: string | null;
  /** Currency A: the currency of the charge or refund behind it (needs `expand[]=data.source`). */
  sourceCurrency: string | null;
}

export function readBalanceTransaction(raw: unknown): BalanceTransactionRead {
  const b = record(raw);
  if (!b) throw new PayloadShapeError("balance transaction is not an object");
  const id = requiredText(b, "id", "balance transaction");
  const created = unix(b.created);
  if (created === null) throw new PayloadShapeError(`balance transaction ${id} has no created`);
  const rate = num(b.exchange_rate);
  const source = record(b.source);
  return {
    id,
    type: requiredText(b, "type", `balance transaction ${id}`),
    created,
    currency: requiredText(b, "currency", `balance transaction ${id}`).toLowerCase(),
    exchangeRate: rate === null || rate <= 0 ? null : decimalText(rate),
    sourceId: idOf(b.source),
    sourceCurrency: source ? (text(source.currency)?.toLowerCase() ?? null) : null,
  };
}

/** JSON numbers print in their shortest exact form; an exponent form is spelled out. */
function decimalText(rate: number): string {
  const plain = String(rate);
  return /e/i.test(plain) ? rate.toFixed(12).replace(/0+$/, "") : plain;
}
