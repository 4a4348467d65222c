import { eq } from "drizzle-orm";
import { z } from "zod";
import type { ServiceContext } from "../context.ts";
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

/**
 * Create a shop customer (the only place PII is written; see `customers anonymize`), signed up at
 * `ctx.clock.now()`.
 */
export async function createCustomer(
  ctx: Pick<ServiceContext, "db" | "clock">,
  input: CreateCustomerInput,
): Promise<Customer> {
  const data = parseInput(createSchema, input);
  const now = ctx.clock.now();
  const [row] = await ctx.db
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
  ctx: Pick<ServiceContext, "db">,
  id: number,
  options: { forUpdate?: boolean } = {},
): Promise<Customer | undefined> {
  const query = ctx.db.select().from(customers).where(eq(customers.id, id));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  return row;
}

/** Like getCustomer, but a missing customer is a 404. */
export async function requireCustomer(ctx: Pick<ServiceContext, "db">, id: number): Promise<Customer> {
  const row = await getCustomer(ctx, id);
  if (!row) throw new NotFoundError("Customer");
  return row;
}

export async function findCustomerByStripeId(
  ctx: Pick<ServiceContext, "db">,
  stripeCustomerId: string,
): Promise<Customer | undefined> {
  const [row] = await ctx.db.select().from(customers).where(eq(customers.stripeCustomerId, stripeCustomerId));
  return row;
}
