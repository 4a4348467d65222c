import { and, asc, desc, eq, inArray, notInArray, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { orders } from "../../db/schema.ts";
import { disputes } from "../schema.ts";
import { isInquiryStatus } from "../stripe/readers/dispute.ts";

/** Stripe's dispute statuses that still wait for the merchant or the bank. */
export const OPEN_DISPUTE_STATUSES = [
  "warning_needs_response",
  "needs_response",
  "warning_under_review",
  "under_review",
] as const;
/** Statuses where Stripe waits for our evidence (the due date matters). */
const NEEDS_RESPONSE = new Set(["warning_needs_response", "needs_response"]);

export const DISPUTE_VIEWS = ["open", "closed", "all"] as const;
export type DisputeView = (typeof DISPUTE_VIEWS)[number];

export interface DisputeListRow {
  id: string;
  chargeId: string;
  orderId: number | null;
  orderNumber: string | null;
  amount: number;
  currency: string;
  status: string;
  reason: string | null;
  created: Date;
  evidenceDueBy: Date | null;
  inquiry: boolean;
  /** Evidence is asked for (needs_response) — the due date is a deadline, not history. */
  needsResponse: boolean;
}

/**
 * Disputes and inquiries for ops: open ones with the nearest evidence deadline first (no deadline
 * last), closed ones newest first; `orderId` narrows to one order's disputes.
 */
export async function listDisputes(
  db: Db,
  filter: { view?: DisputeView; orderId?: number; limit?: number } = {},
): Promise<DisputeListRow[]> {
  const where: SQL[] = [];
  const view = filter.view ?? "all";
  if (view === "open") where.push(inArray(disputes.status, [...OPEN_DISPUTE_STATUSES]));
  if (view === "closed") where.push(notInArray(disputes.status, [...OPEN_DISPUTE_STATUSES]));
  if (filter.orderId !== undefined) where.push(eq(disputes.orderId, filter.orderId));
  const open = sql`${disputes.status} IN (${sql.join(
    OPEN_DISPUTE_STATUSES.map((s) => sql`${s}`),
    sql`, `,
  )})`;
  const rows = await db
    .select({
      id: disputes.id,
      chargeId: disputes.chargeId,
      orderId: disputes.orderId,
      orderNumber: orders.number,
      amount: disputes.amount,
      currency: disputes.currency,
      status: disputes.status,
      reason: disputes.reason,
      created: disputes.created,
      evidenceDueBy: disputes.evidenceDueBy,
    })
    .from(disputes)
    .leftJoin(orders, eq(orders.id, disputes.orderId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(
      desc(open),
      sql`CASE WHEN ${open} THEN ${disputes.evidenceDueBy} END ASC NULLS LAST`,
      desc(disputes.created),
      asc(disputes.id),
    )
    .limit(Math.min(filter.limit ?? 100, 500));
  return rows.map((r) => ({
    ...r,
    inquiry: isInquiryStatus(r.status),
    needsResponse: NEEDS_RESPONSE.has(r.status),
  }));
}
