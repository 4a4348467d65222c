import { idOf, num, PayloadShapeError, record, requiredText, text, unix } from "./billing-fields.ts";

/** Statuses of an inquiry (a card network's question, no money withdrawn): not a chargeback. */
export const INQUIRY_STATUSES: readonly string[] = [
  "warning_needs_response",
  "warning_under_review",
  "warning_closed",
];

/** A Dispute of any API version, in our shape. */
export interface DisputeRead {
  id: string;
  chargeId: string;
  paymentIntentId: string | null;
  amount: number;
  currency: string;
  status: string;
  reason: string | null;
  created: Date;
  livemode: boolean;
  /** An inquiry, not a chargeback: shown in ops, never counted in `disputes` (kpis.md). */
  isInquiry: boolean;
  /** Closed as lost: counts in `disputes_lost` from the first event that shows it. */
  isLost: boolean;
  /** `evidence_details.due_by` (null when absent, or 0: the bank allows no response). */
  evidenceDueBy: Date | null;
}

export function readDispute(raw: unknown): DisputeRead {
  const d = record(raw);
  if (!d) throw new PayloadShapeError("dispute is not an object");
  const id = requiredText(d, "id", "dispute");
  const chargeId = idOf(d.charge);
  const amount = num(d.amount);
  const created = unix(d.created);
  if (chargeId === null) throw new PayloadShapeError(`dispute ${id} has no charge`);
  if (amount === null) throw new PayloadShapeError(`dispute ${id} has no amount`);
  if (created === null) throw new PayloadShapeError(`dispute ${id} has no created`);
  const status = requiredText(d, "status", `dispute ${id}`);
  return {
    id,
    chargeId,
    paymentIntentId: idOf(d.payment_intent),
    amount,
    currency: requiredText(d, "currency", `dispute ${id}`).toLowerCase(),
    status,
    reason: text(d.reason),
    created,
    livemode: d.livemode === true,
    isInquiry: isInquiryStatus(status),
    isLost: status === "lost",
    evidenceDueBy: dueBy(d.evidence_details),
  };
}

function dueBy(details: unknown): Date | null {
  const seconds = num(record(details)?.due_by);
  return seconds ? unix(seconds) : null;
}

export function isInquiryStatus(status: string): boolean {
  return INQUIRY_STATUSES.includes(status);
}
