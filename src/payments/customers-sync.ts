import { eq } from "drizzle-orm";
import { customers } from "../customers/schema.ts";
import type { Db } from "../db/client.ts";
import type { UpsertOutcome } from "./ledger/merge.ts";
import type { CustomerRead } from "./stripe/readers/customer.ts";

/**
 * Upserts a shop customer from a Stripe customer by `stripe_customer_id` (webhook and sync).
 * Written here until the customers service has an equivalent; an older event never overwrites a
 * newer one (`stripe_updated_at`), and an anonymized customer keeps its anonymized fields.
 */
export async function upsertStripeCustomer(
  tx: Db,
  customer: CustomerRead,
  sourceEventCreated: Date,
): Promise<{ outcome: UpsertOutcome; customerId: number }> {
  const [existing] = await tx
    .select()
    .from(customers)
    .where(eq(customers.stripeCustomerId, customer.id))
    .for("update");
  const fields = {
    email: customer.email ?? "",
    name: customer.name ?? "",
    country: customer.country,
  };
  if (!existing) {
    const [row] = await tx
      .insert(customers)
      .values({
        ...fields,
        stripeCustomerId: customer.id,
        livemode: customer.livemode,
        createdAt: customer.created,
        stripeUpdatedAt: sourceEventCreated,
      })
      .onConflictDoNothing()
      .returning({ id: customers.id });
    if (row) return { outcome: "created", customerId: row.id };
    return upsertStripeCustomer(tx, customer, sourceEventCreated);
  }
  const stale =
    existing.stripeUpdatedAt !== null && existing.stripeUpdatedAt.getTime() > sourceEventCreated.getTime();
  const same =
    existing.email === fields.email && existing.name === fields.name && existing.country === fields.country;
  if (stale || same || existing.anonymizedAt !== null)
    return { outcome: "unchanged", customerId: existing.id };
  await tx
    .update(customers)
    .set({ ...fields, stripeUpdatedAt: sourceEventCreated })
    .where(eq(customers.id, existing.id));
  return { outcome: "updated", customerId: existing.id };
}

/** The shop customer id of a Stripe customer, when we know it. */
export async function customerIdFor(tx: Db, stripeCustomerId: string | null): Promise<number | null> {
  if (!stripeCustomerId) return null;
  const [row] = await tx
    .select({ id: customers.id })
    .from(customers)
    .where(eq(customers.stripeCustomerId, stripeCustomerId));
  return row?.id ?? null;
}
