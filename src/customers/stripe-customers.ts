import { eq } from "drizzle-orm";
import type { ServiceContext } from "../context.ts";
import type { UpsertOutcome } from "../db/merge-upsert.ts";
import { encodeRow, param, rowParams, statement } from "../db/prepared.ts";
import { customers } from "./schema.ts";

/** The fields of a Stripe customer the shop keeps, whichever API version sent them (payments reads them). */
export interface StripeCustomerFields {
  id: string;
  email: string | null;
  name: string | null;
  country: string | null;
  created: Date;
  livemode: boolean;
}

/**
 * Upserts a shop customer from a Stripe customer by `stripe_customer_id` (webhook and sync). An
 * older event never overwrites a newer one (`stripe_updated_at`), and an anonymized customer keeps
 * its anonymized fields. Inside a transaction, pass `{ ...ctx, db: tx }`.
 *
 * `likelyNew` (a `customer.created` event) tries the insert first, so a new customer costs one
 * statement instead of a lookup and an insert; either order ends in the same row.
 */
export async function upsertCustomerFromStripe(
  ctx: Pick<ServiceContext, "db">,
  customer: StripeCustomerFields,
  sourceEventCreated: Date,
  options: { likelyNew?: boolean } = {},
): Promise<{ outcome: UpsertOutcome; customerId: number }> {
  const fields = {
    email: customer.email ?? "",
    name: customer.name ?? "",
    country: customer.country,
  };
  const insert = async () => {
    const row = {
      ...fields,
      stripeCustomerId: customer.id,
      livemode: customer.livemode,
      createdAt: customer.created,
      stripeUpdatedAt: sourceEventCreated,
    };
    const [inserted] = await insertNew.run(ctx.db, encodeRow(customers, row, NEW_KEYS));
    return inserted;
  };
  if (options.likelyNew) {
    const row = await insert();
    if (row) return { outcome: "created", customerId: row.id };
  }
  const [existing] = await lockStored.run(ctx.db, { stripeCustomerId: customer.id });
  if (!existing) {
    const row = await insert();
    if (row) return { outcome: "created", customerId: row.id };
    return upsertCustomerFromStripe(ctx, customer, sourceEventCreated);
  }
  const stale =
    existing.stripeUpdatedAt !== null && existing.stripeUpdatedAt.getTime() > sourceEventCreated.getTime();
  const same =
    existing.email === fields.email && existing.name === fields.name && existing.country === fields.country;
  if (stale || same || existing.anonymizedAt !== null)
    return { outcome: "unchanged", customerId: existing.id };
  await ctx.db
    .update(customers)
    .set({ ...fields, stripeUpdatedAt: sourceEventCreated })
    .where(eq(customers.id, existing.id));
  return { outcome: "updated", customerId: existing.id };
}

// The statements of the webhook path, built once (see Statement).
const NEW_KEYS = [
  "email",
  "name",
  "country",
  "stripeCustomerId",
  "livemode",
  "createdAt",
  "stripeUpdatedAt",
] as const;
const insertNew = statement<Record<string, unknown>>()((db) =>
  db.insert(customers).values(rowParams(NEW_KEYS)).onConflictDoNothing().returning({ id: customers.id }),
);
const lockStored = statement<{ stripeCustomerId: string }>()((db) =>
  db
    .select()
    .from(customers)
    .where(eq(customers.stripeCustomerId, param("stripeCustomerId")))
    .for("update"),
);

/** The shop customer id of a Stripe customer, when we know it. */
export async function customerIdOfStripeCustomer(
  ctx: Pick<ServiceContext, "db">,
  stripeCustomerId: string | null,
): Promise<number | null> {
  if (!stripeCustomerId) return null;
  const [row] = await customerIdOf.run(ctx.db, { stripeCustomerId });
  return row?.id ?? null;
}

const customerIdOf = statement<{ stripeCustomerId: string }>()((db) =>
  db
    .select({ id: customers.id })
    .from(customers)
    .where(eq(customers.stripeCustomerId, param("stripeCustomerId"))),
);
