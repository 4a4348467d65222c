import { and, asc, eq, inArray } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { snapCustomerMrr } from "../schema.ts";

/** A day on which the customer's end-of-day MRR in one currency changed, with its movement. */
export interface CustomerMrrPoint {
  currency: string;
  day: string;
  mrr: number;
  prevMrr: number;
  /** Paying subscriptions at the end of the day. */
  subscriptions: number;
  /** kpis.md `mrr_movements` type of the change; null when only the count of subscriptions changed. */
  movement: string | null;
}

/**
 * One customer's MRR timeline in the configured Stripe mode, from the daily snapshot the MRR KPIs
 * read (`snap_customer_mrr`: customer MRR at the end of each day it changed, per kpis.md), so the
 * profile's figures are the ones the dashboards add up. A customer's rows are keyed by their id,
 * or by their Stripe customer id while a subscription is not yet linked; both keys are read.
 */
export async function customerMrrTimeline(
  ctx: ServiceContext,
  customer: { id: number; stripeCustomerId: string | null },
): Promise<CustomerMrrPoint[]> {
  const m = snapCustomerMrr;
  const keys = [String(customer.id), ...(customer.stripeCustomerId ? [customer.stripeCustomerId] : [])];
  return ctx.readDb
    .select({
      currency: m.currency,
      day: m.day,
      mrr: m.mrr,
      prevMrr: m.prevMrr,
      subscriptions: m.subscriptions,
      movement: m.movement,
    })
    .from(m)
    .where(and(inArray(m.customerKey, keys), eq(m.livemode, ctx.config.livemode)))
    .orderBy(asc(m.currency), asc(m.day));
}
