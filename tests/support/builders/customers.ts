/** Row builder for customers (inserted directly, test mode). */
import { customers } from "../../../src/customers/schema.ts";
import type { Db } from "../../../src/db/client.ts";
import { at, next, type Over } from "./sequence.ts";

/**
 * A customer `Customer <n>` <customer<n>@example.test> in DE with Stripe customer `cus_test<n>`,
 * created 2026-01-10, unless told (a shop buyer who never paid: `stripeCustomerId: null`).
 */
export async function makeCustomer(db: Db, over: Over<typeof customers.$inferInsert, "createdAt"> = {}) {
  const n = next();
  const [row] = await db
    .insert(customers)
    .values({
      email: `customer${n}@example.test`,
      name: `Customer ${n}`,
      country: "DE",
      stripeCustomerId: `cus_test${n}`,
      ...over,
      createdAt: at(over.createdAt ?? "2026-01-10T09:00:00Z"),
    })
    .returning();
  return row!;
}
