import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { NotFoundError } from "../shared/errors.ts";
import { parseInput } from "../shared/validate.ts";
import { customers } from "./schema.ts";

export type Customer = typeof customers.$inferSelect;

const createSchema = z.object({
  email: z.string().trim().email().max(320),
  name: z.string().trim().min(1).max(200),
  country: z.string().trim().length(2).nullish(),
  stripeCustomerId: z.string().min(1).max(255).nullish(),
  livemode: z.boolean().optional(),
});
export type CreateCustomerInput = z.input<typeof createSchema>;

/** Create a shop customer (the only place PII is written; see `customers anonymize`). */
export async function createCustomer(db: Db, input: CreateCustomerInput, now: Date): Promise<Customer> {
  const data = parseInput(createSchema, input);
  const [row] = await db
    .insert(customers)
    .values({
      email: data.email,
      name: data.name,
      country: data.country ?? null,
      stripeCustomerId: data.stripeCustomerId ?? null,
      livemode: data.livemode ?? false,
      createdAt: now,
    })
    .returning();
  return row!;
}

/** A customer by id; `forUpdate` also locks the row until the caller's transaction ends. */
export async function getCustomer(
  db: Db,
  id: number,
  options: { forUpdate?: boolean } = {},
): Promise<Customer | undefined> {
  const query = db.select().from(customers).where(eq(customers.id, id));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  return row;
}

/** Like getCustomer, but a missing customer is a 404. */
export async function requireCustomer(db: Db, id: number): Promise<Customer> {
  const row = await getCustomer(db, id);
  if (!row) throw new NotFoundError("Customer");
  return row;
}

export async function findCustomerByStripeId(
  db: Db,
  stripeCustomerId: string,
): Promise<Customer | undefined> {
  const [row] = await db.select().from(customers).where(eq(customers.stripeCustomerId, stripeCustomerId));
  return row;
}
