import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { refunds } from "../schema.ts";
import { refundRequests } from "./schema.ts";

/** One line of an order's refund history, as ops reads it on the order page. */
export interface OrderRefundEntry {
  /** The refund's id at the provider (`re_…`), or the request's id while the provider has not answered. */
  id: string;
  amount: number;
  currency: string;
  /**
   * Stripe's refund status (`pending`, `requires_action`, `succeeded`, `failed`, `canceled`), or
   * `requested` (written down, provider not answered yet) / `not_sent` (the provider refused it).
   */
  status: string;
  reason: string | null;
  note: string | null;
  restock: string | null;
  /** Who started it in the app (`user:12`, `cli`), null for a refund made in Stripe's dashboard. */
  requestedBy: string | null;
  created: Date;
  /** A provisional refund: money the charge showed refunded before the refund object was known. */
  provisional: boolean;
  /** The provider's last error, for a request it refused. */
  error: string | null;
}

/**
 * The refunds of an order, oldest first: every refund the ledger knows (whoever started it, with
 * Stripe's status) and the app's requests the provider has not answered yet or refused, so a refund
 * in flight is shown as such and never disappears between the click and the webhook.
 */
export async function listOrderRefunds(db: Db, orderId: number): Promise<OrderRefundEntry[]> {
  const known = await db
    .select()
    .from(refunds)
    .where(eq(refunds.orderId, orderId))
    .orderBy(asc(refunds.created), asc(refunds.id));
  const open = await db
    .select()
    .from(refundRequests)
    .where(and(eq(refundRequests.orderId, orderId), inArray(refundRequests.status, ["pending", "failed"])))
    .orderBy(asc(refundRequests.created), asc(refundRequests.id));
  const entries: OrderRefundEntry[] = known.map((r) => ({
    id: r.id,
    amount: r.amount,
    currency: r.currency,
    status: r.status,
    reason: r.reason,
    note: r.note ?? metaText(r.metadata, "note"),
    restock: metaText(r.metadata, "restock"),
    requestedBy: r.requestedBy ?? metaText(r.metadata, "requested_by"),
    created: r.created,
    provisional: r.provisional,
    error: null,
  }));
  const seen = new Set(known.map((r) => r.id));
  for (const q of open) {
    if (q.refundId && seen.has(q.refundId)) continue;
    entries.push({
      id: q.refundId ?? q.id,
      amount: q.amount,
      currency: q.currency,
      status: q.status === "failed" ? "not_sent" : "requested",
      reason: q.reason,
      note: q.metadata.note ?? null,
      restock: q.metadata.restock ?? null,
      requestedBy: q.metadata.requested_by ?? null,
      created: q.created,
      provisional: false,
      error: q.lastError,
    });
  }
  return entries.sort((a, b) => a.created.getTime() - b.created.getTime() || a.id.localeCompare(b.id));
}

function metaText(metadata: unknown, key: string): string | null {
  const value = (metadata as Record<string, unknown> | null)?.[key];
  return typeof value === "string" && value !== "" ? value : null;
}
