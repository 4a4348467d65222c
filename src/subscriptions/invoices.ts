import { and, eq, or, sql } from "drizzle-orm";
import { markDaysDirty, NO_PAID_ORDERS } from "../analytics/dirty.ts";
import type { AppContext } from "../context.ts";
import { type Db, withoutAnswer } from "../db/client.ts";
import { isNewer, later, type MergeResult, mergeUpsert, pickByRank } from "../db/merge-upsert.ts";
import { param, statement } from "../db/prepared.ts";
import { charges } from "../db/schema.ts";
import { invoicePayments, invoices } from "./schema.ts";
import type { InvoicePaymentRead, InvoiceRead } from "./stripe-inputs.ts";

export type InvoiceRow = typeof invoices.$inferSelect;

const INVOICE_RANK: Record<string, number> = { draft: 0, open: 1, paid: 2, void: 2, uncollectible: 2 };
const invoiceRank = (status: string): number => INVOICE_RANK[status] ?? 1;

export function mergeInvoice(stored: InvoiceRow, incoming: InvoiceRow): InvoiceRow {
  const newer = isNewer(stored, incoming);
  return {
    ...stored,
    subscriptionId: stored.subscriptionId ?? incoming.subscriptionId,
    stripeCustomerId: stored.stripeCustomerId ?? incoming.stripeCustomerId,
    status: pickByRank(invoiceRank, stored.status, incoming.status, newer),
    amountDue: newer ? incoming.amountDue : stored.amountDue,
    amountPaid: Math.max(stored.amountPaid, incoming.amountPaid),
    chargeId: stored.chargeId ?? incoming.chargeId,
    paymentIntentId: stored.paymentIntentId ?? incoming.paymentIntentId,
    paidAt: stored.paidAt ?? incoming.paidAt,
    sourceEventCreated: later(stored.sourceEventCreated, incoming.sourceEventCreated),
  };
}

/**
 * Records an invoice. The money of a paid invoice is counted once, from its charge
 * (charge.succeeded with `invoice` set); the invoice row is the billing record.
 */
export async function upsertInvoice(
  ctx: AppContext,
  tx: Db,
  invoice: InvoiceRead,
  sourceEventCreated: Date,
  paidAt: Date | null,
): Promise<MergeResult<InvoiceRow>> {
  for (const payment of invoice.payments) await upsertInvoicePayment(tx, payment, sourceEventCreated);
  const row: InvoiceRow = {
    id: invoice.id,
    subscriptionId: invoice.subscriptionId,
    stripeCustomerId: invoice.stripeCustomerId,
    status: invoice.status,
    currency: invoice.currency,
    amountDue: invoice.amountDue,
    amountPaid: invoice.amountPaid,
    chargeId: invoice.chargeId,
    paymentIntentId: invoice.paymentIntentId,
    created: invoice.created,
    // When Stripe says when it was paid, that instant, whichever path (webhook or sync) brought it.
    paidAt: invoice.status === "paid" ? (invoice.paidAt ?? paidAt) : null,
    livemode: invoice.livemode,
    sourceEventCreated,
  };
  const result = await mergeUpsert(tx, invoices, row, mergeInvoice);
  await linkInvoicePayments(tx, row.id);
  if (result.outcome !== "unchanged") {
    await markDaysDirty({ ...ctx, db: tx }, [row.created, row.paidAt], NO_PAID_ORDERS);
  }
  return result;
}

export type InvoicePaymentRow = typeof invoicePayments.$inferSelect;

const PAYMENT_RANK: Record<string, number> = { open: 0, paid: 1, canceled: 1 };

export function mergeInvoicePayment(
  stored: InvoicePaymentRow,
  incoming: InvoicePaymentRow,
): InvoicePaymentRow {
  const newer = isNewer(stored, incoming);
  return {
    ...stored,
    status: pickByRank((s) => PAYMENT_RANK[s] ?? 0, stored.status, incoming.status, newer),
    amountPaid:
      incoming.amountPaid === null
        ? stored.amountPaid
        : Math.max(stored.amountPaid ?? 0, incoming.amountPaid),
    chargeId: stored.chargeId ?? incoming.chargeId,
    paymentIntentId: stored.paymentIntentId ?? incoming.paymentIntentId,
    paidAt: stored.paidAt ?? incoming.paidAt,
    sourceEventCreated: later(stored.sourceEventCreated, incoming.sourceEventCreated),
  };
}

/**
 * Records an InvoicePayment (`invoice_payment.paid`, or an invoice's expanded `payments`): the link
 * from an invoice to the payment that paid it. Its own row, so it converges whichever of the
 * invoice and the payment arrives first. The money is counted from the charge, never here.
 */
export async function upsertInvoicePayment(
  tx: Db,
  payment: InvoicePaymentRead,
  sourceEventCreated: Date,
): Promise<MergeResult<InvoicePaymentRow>> {
  const result = await mergeUpsert(
    tx,
    invoicePayments,
    { ...payment, sourceEventCreated },
    mergeInvoicePayment,
  );
  await linkInvoicePayments(tx, payment.invoiceId);
  return result;
}

/**
 * Links an invoice and the payment that paid it, whichever arrived first: from API 2025-03-31 the
 * invoice names no charge or payment intent and the charge names no invoice; the InvoicePayment
 * names the payment intent (or the charge). Fills `invoices.payment_intent_id` / `charge_id` (the
 * charge found by its payment intent) where still empty. Idempotent. The charge side
 * (`charges.invoice_id`) is payments' to write, from `invoicePaymentLink`, after any invoice change.
 */
export async function linkInvoicePayments(tx: Db, invoiceId: string): Promise<void> {
  const link = await invoicePaymentLink(tx, invoiceId);
  if (!link) return;
  await withoutAnswer(() => fillPaymentLink.run(tx, { invoiceId, pi: link.pi, ch: link.ch }));
}

/** Fills the invoice's payment intent and charge where still empty (nothing when both are set). */
const fillPaymentLink = statement<{ invoiceId: string; pi: string | null; ch: string | null }>()((db) => {
  const i = invoices;
  return db
    .update(i)
    .set({
      paymentIntentId: sql`coalesce(${i.paymentIntentId}, ${param("pi")})`,
      chargeId: sql`coalesce(${i.chargeId}, ${param("ch")})`,
    })
    .where(
      and(
        eq(i.id, param("invoiceId")),
        or(
          sql`(${param("pi")}::text IS NOT NULL AND ${i.paymentIntentId} IS NULL)`,
          sql`(${param("ch")}::text IS NOT NULL AND ${i.chargeId} IS NULL)`,
        ),
      ),
    );
});

/**
 * The payment intent and charge that paid an invoice, from the invoice itself or its InvoicePayment
 * (the charge found by its payment intent when neither names it); null when nothing is known yet.
 */
export async function invoicePaymentLink(
  tx: Db,
  invoiceId: string,
): Promise<{ pi: string | null; ch: string | null } | null> {
  const [link] = await paymentLink.rows<{ pi: string | null; ch: string | null }>(tx, { invoiceId });
  if (!link || (link.pi === null && link.ch === null)) return null;
  return link;
}

const paymentLink = statement<{ invoiceId: string }>()((db) => {
  const p = invoicePayments;
  const i = invoices;
  const c = charges;
  return db.execute(
    sql`WITH payment AS (
          SELECT ${p.chargeId} AS charge_id, ${p.paymentIntentId} AS payment_intent_id FROM ${p}
          WHERE ${p.invoiceId} = ${param("invoiceId")}
          ORDER BY (${p.status} = 'paid') DESC, ${p.paidAt} DESC NULLS LAST, ${p.id} LIMIT 1
        ), ids AS (
          SELECT coalesce(${i.paymentIntentId}, payment.payment_intent_id) AS pi,
                 coalesce(${i.chargeId}, payment.charge_id) AS ch
          FROM (SELECT 1) one
          LEFT JOIN ${i} ON ${i.id} = ${param("invoiceId")}
          LEFT JOIN payment ON true
        )
        SELECT pi, coalesce(ch, (SELECT ${c.id} FROM ${c} WHERE ${c.paymentIntentId} = ids.pi AND ${c.status} = 'succeeded'
                                 ORDER BY ${c.created} DESC, ${c.id} LIMIT 1)) AS ch
        FROM ids`,
  );
});

/**
 * A charge that arrived after its invoice's InvoicePayment gets linked too (see `linkInvoicePayments`).
 * Returns the invoices it belongs to, whose charge side payments then links.
 */
export async function linkChargeToInvoice(
  tx: Db,
  charge: { id: string; paymentIntentId: string | null },
): Promise<string[]> {
  const rows = await invoicesOfCharge.run(tx, { id: charge.id, pi: charge.paymentIntentId });
  for (const r of rows) await linkInvoicePayments(tx, r.invoiceId);
  return rows.map((r) => r.invoiceId);
}

// `= NULL` is never true: a charge without a payment intent matches by its id alone.
const invoicesOfCharge = statement<{ id: string; pi: string | null }>()((db) =>
  db
    .select({ invoiceId: invoicePayments.invoiceId })
    .from(invoicePayments)
    .where(or(eq(invoicePayments.chargeId, param("id")), eq(invoicePayments.paymentIntentId, param("pi"))))
    .union(
      db
        .select({ invoiceId: invoices.id })
        .from(invoices)
        .where(or(eq(invoices.chargeId, param("id")), eq(invoices.paymentIntentId, param("pi")))),
    ),
);
