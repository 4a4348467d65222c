import { createHmac } from "node:crypto";
import { and, asc, eq, isNull, lt, sql } from "drizzle-orm";
import { type Actor, audit } from "../audit/index.ts";
import { anonymizeLoginsOfCustomer } from "../auth/index.ts";
import type { ServiceContext } from "../context.ts";
import { orders } from "../orders/schema.ts";
import { charges } from "../payments/schema.ts";
import { NotFoundError } from "../shared/errors.ts";
import { invoices, subscriptions } from "../subscriptions/schema.ts";
import { customers } from "./schema.ts";

/** Domain separation: the same secret never yields the same bytes for another purpose. */
const PSEUDONYM_LABEL = "revintel:customer-pseudonym:v1";
export const ANONYMIZED_DOMAIN = "anonymized.invalid";

/**
 * Deterministic pseudonym for a customer id: HMAC-SHA256 under the server secret, so the same
 * customer always gets the same pseudonym (stable join keys in exports) and nobody without the
 * secret can link it back. `.invalid` is reserved (RFC 2606): mail to it can never be delivered.
 */
export function pseudonymFor(secret: string, customerId: number): { email: string; name: string } {
  const tag = createHmac("sha256", secret)
    .update(`${PSEUDONYM_LABEL}:${customerId}`)
    .digest("hex")
    .slice(0, 16);
  return { email: `anon-${tag}@${ANONYMIZED_DOMAIN}`, name: `Anonymized ${tag.slice(0, 8)}` };
}

export interface AnonymizeOptions {
  actor: Actor;
  reason: "request" | "retention";
}

export interface AnonymizeOutcome {
  customerId: number;
  /** false when it was already anonymized (nothing changed, nothing audited). */
  changed: boolean;
  /** Logins linked to the customer that were pseudonymised and deactivated. */
  logins: number;
}

/**
 * Replace a customer's personal data (email, name, country) with a pseudonym, in one transaction with
 * its audit event. Orders, payments, refunds and the ledger keep their rows untouched (they reference
 * the customer by id only); the customer's logins get the same pseudonym, are deactivated and lose
 * their sessions. Idempotent. The pseudonym is keyed by the session secret (`ctx.config`), the time
 * is `ctx.clock.now()`.
 */
export async function anonymizeCustomer(
  ctx: ServiceContext,
  customerId: number,
  options: AnonymizeOptions,
): Promise<AnonymizeOutcome> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(customers).where(eq(customers.id, customerId)).for("update");
    if (!row) throw new NotFoundError("Customer");
    if (row.anonymizedAt) return { customerId, changed: false, logins: 0 };
    const alias = pseudonymFor(ctx.config.sessionSecret, customerId);
    await tx
      .update(customers)
      .set({ email: alias.email, name: alias.name, country: null, anonymizedAt: now })
      .where(eq(customers.id, customerId));
    // The login's e-mail is the same personal data, so it takes the pseudonym too (auth owns it).
    const logins = await anonymizeLoginsOfCustomer(tx, customerId, alias);
    // No PII in the audit log: the event names the fields, never their old or new values.
    await audit(
      tx,
      options.actor,
      "customer.anonymize",
      { type: "customer", id: customerId },
      {
        anonymized: true,
        fields: ["email", "name", "country"],
        logins,
        reason: options.reason,
      },
      { anonymized: false },
      now,
    );
    return { customerId, changed: true, logins };
  });
}

/** Subscription statuses that can no longer bill; any other status (including an unknown one) is live. */
const ENDED_SUBSCRIPTION_STATUSES = ["canceled", "incomplete_expired"] as const;

/**
 * Retention: customers not yet anonymized, created more than `days` ago, with no activity in the last
 * `days` days (a customer with no activity at all counts from their sign-up). Activity is any of:
 * an order placed; a live subscription (one that can still bill, whenever it started) or a subscription
 * created, canceled or ended in the window; a charge or an invoice created (or an invoice paid) in the
 * window. Subscriptions, charges and invoices are matched by `stripe_customer_id` and through the shop
 * links (`subscriptions.customer_id`, a charge's order, an invoice's subscription), so a row not yet
 * linked to the customer still counts. One NOT EXISTS per link keeps each a plain anti-join (no OR across links).
 */
export async function customersInactiveFor(ctx: ServiceContext, days: number): Promise<number[]> {
  const now = ctx.clock.now();
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  const ended = sql.join(
    ENDED_SUBSCRIPTION_STATUSES.map((s) => sql`${s}`),
    sql`, `,
  );
  // GREATEST ignores NULLs: the newest of created / canceled_at / ended_at.
  const subscriptionActive = sql`(${subscriptions.status} NOT IN (${ended}) OR GREATEST(${subscriptions.created}, ${subscriptions.canceledAt}, ${subscriptions.endedAt}) >= ${cutoff})`;
  const invoiceRecent = sql`(${invoices.created} >= ${cutoff} OR ${invoices.paidAt} >= ${cutoff})`;
  const rows = await ctx.db
    .select({ id: customers.id })
    .from(customers)
    .where(
      and(
        isNull(customers.anonymizedAt),
        lt(customers.createdAt, cutoff),
        sql`NOT EXISTS (SELECT 1 FROM ${orders} WHERE ${orders.customerId} = ${customers.id} AND ${orders.createdAt} >= ${cutoff})`,
        sql`NOT EXISTS (SELECT 1 FROM ${subscriptions} WHERE ${subscriptions.customerId} = ${customers.id} AND ${subscriptionActive})`,
        sql`NOT EXISTS (SELECT 1 FROM ${subscriptions} WHERE ${subscriptions.stripeCustomerId} = ${customers.stripeCustomerId} AND ${subscriptionActive})`,
        sql`NOT EXISTS (SELECT 1 FROM ${charges} WHERE ${charges.stripeCustomerId} = ${customers.stripeCustomerId} AND ${charges.created} >= ${cutoff})`,
        sql`NOT EXISTS (SELECT 1 FROM ${charges} JOIN ${orders} ON ${orders.id} = ${charges.orderId} WHERE ${orders.customerId} = ${customers.id} AND ${charges.created} >= ${cutoff})`,
        sql`NOT EXISTS (SELECT 1 FROM ${invoices} WHERE ${invoices.stripeCustomerId} = ${customers.stripeCustomerId} AND ${invoiceRecent})`,
        sql`NOT EXISTS (SELECT 1 FROM ${invoices} JOIN ${subscriptions} ON ${subscriptions.id} = ${invoices.subscriptionId} WHERE ${subscriptions.customerId} = ${customers.id} AND ${invoiceRecent})`,
      ),
    )
    .orderBy(asc(customers.id));
  return rows.map((r) => r.id);
}

/** Anonymize every customer inactive for `days` (see above); one transaction (and audit event) per customer. */
export async function anonymizeInactiveCustomers(
  ctx: ServiceContext,
  days: number,
  options: Omit<AnonymizeOptions, "reason">,
): Promise<AnonymizeOutcome[]> {
  const ids = await customersInactiveFor(ctx, days);
  const outcomes: AnonymizeOutcome[] = [];
  for (const id of ids) outcomes.push(await anonymizeCustomer(ctx, id, { ...options, reason: "retention" }));
  return outcomes;
}
