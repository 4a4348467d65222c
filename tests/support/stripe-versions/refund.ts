/**
 * Refund payloads per API version family. The Refund object's money fields (`amount`, `charge`,
 * `currency`, `status`, `created`, `payment_intent`) are the same in every family; `destination_details`
 * is present in all of them (added before 2024-06-20); `pending_reason` is added in
 * 2025-04-30.basil (stripe-node 18.1.0 "Add support for `pending_reason` on `Refund`"), so it is absent
 * at 2025-03-31.basil and present from clover on.
 */
import { cloverOrLater, type Family } from "./versions.ts";

export function refund(
  family: Family,
  r: {
    id: string;
    charge: string;
    paymentIntent: string | null;
    amount: number;
    currency: string;
    created: number;
  },
): Record<string, unknown> {
  return {
    id: r.id,
    object: "refund",
    amount: r.amount,
    balance_transaction: `txn_${r.id.slice(3)}`,
    charge: r.charge,
    created: r.created,
    currency: r.currency,
    destination_details: {
      card: { reference_status: "pending", reference_type: "acquirer_reference_number", type: "refund" },
      type: "card",
    },
    metadata: {},
    payment_intent: r.paymentIntent,
    ...(cloverOrLater(family) ? { pending_reason: null } : {}),
    reason: "requested_by_customer",
    receipt_number: null,
    source_transfer_reversal: null,
    status: "succeeded",
    transfer_reversal: null,
  };
}
