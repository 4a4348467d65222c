import { createHmac } from "node:crypto";
import { and, asc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import { type Actor, audit } from "../audit/index.ts";
import { sessions, users } from "../auth/schema.ts";
import type { Db } from "../db/client.ts";
import { orders } from "../orders/schema.ts";
import { NotFoundError } from "../shared/errors.ts";
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
  secret: string;
  actor: Actor;
  now: Date;
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
 * their sessions. Idempotent.
 */
export async function anonymizeCustomer(
  db: Db,
  customerId: number,
  options: AnonymizeOptions,
): Promise<AnonymizeOutcome> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(customers).where(eq(customers.id, customerId)).for("update");
    if (!row) throw new NotFoundError("Customer");
    if (row.anonymizedAt) return { customerId, changed: false, logins: 0 };
    const alias = pseudonymFor(options.secret, customerId);
    await tx
      .update(customers)
      .set({ email: alias.email, name: alias.name, country: null, anonymizedAt: options.now })
      .where(eq(customers.id, customerId));
    // The auth domain has no e-mail change yet; the login's e-mail is the same PII, so it goes too.
    const logins = await tx
      .update(users)
      .set({ email: alias.email, displayName: alias.name, active: false })
      .where(eq(users.customerId, customerId))
      .returning({ id: users.id });
    if (logins.length > 0)
      await tx.delete(sessions).where(
        inArray(
          sessions.userId,
          logins.map((l) => l.id),
        ),
      );
    // No PII in the audit log: the event names the fields, never their old or new values.
    await audit(
      tx,
      options.actor,
      "customer.anonymize",
      { type: "customer", id: customerId },
      {
        anonymized: true,
        fields: ["email", "name", "country"],
        logins: logins.length,
        reason: options.reason,
      },
      { anonymized: false },
      options.now,
    );
    return { customerId, changed: true, logins: logins.length };
  });
}

/**
 * Retention: customers not yet anonymized, created more than `days` ago, with no order placed in the
 * last `days` days (a customer who never ordered counts from their sign-up).
 */
export async function customersInactiveFor(db: Db, days: number, now: Date): Promise<number[]> {
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  const rows = await db
    .select({ id: customers.id })
    .from(customers)
    .where(
      and(
        isNull(customers.anonymizedAt),
        lt(customers.createdAt, cutoff),
        sql`NOT EXISTS (SELECT 1 FROM ${orders} WHERE ${orders.customerId} = ${customers.id} AND ${orders.createdAt} >= ${cutoff})`,
      ),
    )
    .orderBy(asc(customers.id));
  return rows.map((r) => r.id);
}

/** Anonymize every customer inactive for `days`; one transaction (and audit event) per customer. */
export async function anonymizeInactiveCustomers(
  db: Db,
  days: number,
  options: Omit<AnonymizeOptions, "reason">,
): Promise<AnonymizeOutcome[]> {
  const ids = await customersInactiveFor(db, days, options.now);
  const outcomes: AnonymizeOutcome[] = [];
  for (const id of ids) outcomes.push(await anonymizeCustomer(db, id, { ...options, reason: "retention" }));
  return outcomes;
}
