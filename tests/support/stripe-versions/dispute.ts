/**
 * Dispute payloads per API version family.
 *
 * - Every family: `amount`, `charge` (an id: webhooks do not expand it), `currency`, `created`,
 *   `status`, `reason`, `payment_intent`, `balance_transactions` (the debit when a chargeback opens;
 *   inquiries move no money), `is_charge_refundable`.
 * - Inquiries are disputes whose status is `warning_needs_response`, `warning_under_review` or
 *   `warning_closed` (API reference, Dispute object `status`).
 * - `enhanced_eligibility_types` is present from 2025-03-31.basil (added in 2024-10-28.acacia,
 *   stripe-node 17.3.0 "Add support for `enhanced_eligibility_types` on `Dispute`"), so absent at
 *   2024-06-20; `intended_submission_method` only in the newest family
 *   (stripe-node 23.1.0 "Add support for `intended_submission_method` on … `Dispute`").
 * - `evidence_details` (API reference, Dispute object) in every family: `due_by` (Unix seconds, the
 *   deadline for evidence; 0 when the bank allows no response), `has_evidence` (evidence staged),
 *   `past_due` (the last submission came after `due_by`; false before any), `submission_count`.
 *   `evidence_details.enhanced_eligibility` from basil (stripe-node 17.3.0, 2024-10-28.acacia: "Add
 *   support for `enhanced_eligibility` on `Dispute.evidence_details`"; `{}` when no enhanced evidence
 *   type applies, as `enhanced_eligibility_types` is `[]`), and `evidence_details.submission_method`
 *   only in the newest family (stripe-node 23.1.0, 2026-10-28.endive: `manual`, `not_submitted` or
 *   `smart_disputes`).
 */
import { basilOrLater, type Family, isNewest } from "./versions.ts";

export type DisputeStatus =
  | "warning_needs_response"
  | "warning_under_review"
  | "warning_closed"
  | "needs_response"
  | "under_review"
  | "won"
  | "lost";

export function dispute(
  family: Family,
  d: {
    id: string;
    charge: string;
    paymentIntent: string | null;
    amount: number;
    currency: string;
    created: number;
    status: DisputeStatus;
    /** `evidence_details.due_by` (Unix seconds; 0: no response allowed); a week after opening unless told. */
    dueBy?: number;
    /** Evidence submitted so far (a response moves `needs_response` to `under_review`). */
    submissions?: number;
  },
): Record<string, unknown> {
  const inquiry = d.status.startsWith("warning_");
  const dueBy = d.dueBy ?? d.created + 7 * 86_400;
  const submissions = d.submissions ?? 0;
  return {
    id: d.id,
    object: "dispute",
    amount: d.amount,
    balance_transactions: inquiry
      ? []
      : [
          {
            id: `txn_${d.id.slice(3)}`,
            object: "balance_transaction",
            amount: -d.amount,
            created: d.created,
            currency: d.currency,
            description: `Chargeback withdrawal for ${d.charge}`,
            fee: 1500,
            net: -d.amount - 1500,
            reporting_category: "dispute",
            source: d.id,
            status: "available",
            type: "adjustment",
          },
        ],
    charge: d.charge,
    created: d.created,
    currency: d.currency,
    ...(basilOrLater(family) ? { enhanced_eligibility_types: [] } : {}),
    evidence: {},
    evidence_details: {
      due_by: dueBy,
      ...(basilOrLater(family) ? { enhanced_eligibility: {} } : {}),
      has_evidence: submissions > 0,
      past_due: false,
      submission_count: submissions,
      ...(isNewest(family) ? { submission_method: submissions > 0 ? "manual" : "not_submitted" } : {}),
    },
    ...(isNewest(family) ? { intended_submission_method: null } : {}),
    is_charge_refundable: inquiry,
    livemode: false,
    metadata: {},
    payment_intent: d.paymentIntent,
    reason: "fraudulent",
    status: d.status,
  };
}
