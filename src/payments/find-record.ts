import { eq } from "drizzle-orm";
import type { ServiceContext } from "../context.ts";
import { charges, disputes, refunds, stripeEvents } from "./schema.ts";

/** A ledger or inbox row found by its Stripe id, with what owns it (an order, a Stripe customer). */
export interface PaymentRecord {
  kind: "charge" | "payment_intent" | "refund" | "dispute" | "event";
  id: string;
  status: string;
  created: Date;
  amount: number | null;
  currency: string | null;
  /** The event's type; the charge's id for a payment intent. */
  detail: string | null;
  orderId: number | null;
  stripeCustomerId: string | null;
}

type Charge = typeof charges.$inferSelect;

function fromCharge(c: Charge, kind: "charge" | "payment_intent", id: string): PaymentRecord {
  return {
    kind,
    id,
    status: c.status,
    created: c.created,
    amount: c.amount,
    currency: c.currency,
    detail: kind === "payment_intent" ? c.id : null,
    orderId: c.orderId,
    stripeCustomerId: c.stripeCustomerId,
  };
}

async function chargeById(ctx: ServiceContext, id: string | null): Promise<Charge | undefined> {
  if (!id) return undefined;
  const [row] = await ctx.readDb.select().from(charges).where(eq(charges.id, id));
  return row;
}

/**
 * The ledger row a `ch_`, `pi_`, `re_`, `dp_` or `evt_` id names, by primary key or the payment
 * intent index; a refund or dispute with no order of its own is owned through its charge.
 * `undefined` when the id is unknown (or of another kind).
 */
export async function findPaymentRecord(ctx: ServiceContext, id: string): Promise<PaymentRecord | undefined> {
  const db = ctx.readDb;
  const prefix = id.slice(0, id.indexOf("_") + 1);
  if (prefix === "ch_") {
    const c = await chargeById(ctx, id);
    return c && fromCharge(c, "charge", id);
  }
  if (prefix === "pi_") {
    const [c] = await db.select().from(charges).where(eq(charges.paymentIntentId, id)).limit(1);
    return c && fromCharge(c, "payment_intent", id);
  }
  if (prefix === "re_" || prefix === "dp_") {
    const table = prefix === "re_" ? refunds : disputes;
    const [row] = await db.select().from(table).where(eq(table.id, id));
    if (!row) return undefined;
    const charge = await chargeById(ctx, row.chargeId);
    return {
      kind: prefix === "re_" ? "refund" : "dispute",
      id,
      status: row.status,
      created: row.created,
      amount: row.amount,
      currency: row.currency,
      detail: row.chargeId,
      orderId: row.orderId ?? charge?.orderId ?? null,
      stripeCustomerId: charge?.stripeCustomerId ?? null,
    };
  }
  if (prefix === "evt_") {
    const [e] = await db
      .select({ status: stripeEvents.status, created: stripeEvents.created, type: stripeEvents.type })
      .from(stripeEvents)
      .where(eq(stripeEvents.id, id));
    return (
      e && {
        kind: "event",
        id,
        status: e.status,
        created: e.created,
        amount: null,
        currency: null,
        detail: e.type,
        orderId: null,
        stripeCustomerId: null,
      }
    );
  }
  return undefined;
}
