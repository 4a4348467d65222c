/**
 * BalanceTransaction payloads per API version family, from Stripe's API reference ("The Balance
 * Transaction object") and changelog:
 *
 * - Every family: `id`, `object`, `amount` and `currency` of the balance (after conversion),
 *   `available_on`, `created`, `description`, `exchange_rate` (amount in the payment's currency ×
 *   `exchange_rate` = amount in the balance currency; null when nothing was converted), `fee`,
 *   `fee_details` (`amount`, `application`, `currency`, `description`, `type`), `net`,
 *   `reporting_category`, `source` (an id unless `expand[]=data.source`), `status`, `type`.
 * - `balance_type` (`payments`, …) from 2025-05-28.basil (stripe-node 18.2.0, which pins that
 *   version: "Add support for `balance_type` on `BalanceTransaction`"); absent before, so absent
 *   at 2024-06-20 and 2025-03-31.basil.
 */
import { cloverOrLater, type Family } from "./versions.ts";

export interface BalanceTransactionInput {
  id: string;
  /** The charge or refund behind it (an id; the fake expands it from its store). */
  source: string;
  type: "charge" | "payment" | "refund";
  /** In the balance currency, after conversion (negative for a refund). */
  amount: number;
  currency: string;
  exchangeRate: number | null;
  fee: number;
  created: number;
}

export function balanceTransaction(family: Family, b: BalanceTransactionInput): Record<string, unknown> {
  return {
    id: b.id,
    object: "balance_transaction",
    amount: b.amount,
    available_on: b.created + 2 * 86_400,
    ...(cloverOrLater(family) ? { balance_type: "payments" } : {}),
    created: b.created,
    currency: b.currency,
    description: null,
    exchange_rate: b.exchangeRate,
    fee: b.fee,
    fee_details:
      b.fee === 0
        ? []
        : [
            {
              amount: b.fee,
              application: null,
              currency: b.currency,
              description: "Stripe processing fees",
              type: "stripe_fee",
            },
          ],
    net: b.amount - b.fee,
    reporting_category: b.type === "refund" ? "refund" : "charge",
    source: b.source,
    status: "available",
    type: b.type,
  };
}
