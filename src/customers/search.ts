import { asc, or, sql } from "drizzle-orm";
import type { ServiceContext } from "../context.ts";
import { startsWith } from "../db/prefix.ts";
import { customers } from "./schema.ts";
import type { Customer } from "./service.ts";

/**
 * Customers whose e-mail or name starts with `prefix`, case-insensitively, at most `limit`, by name.
 * Each side is a range scan of its `lower(…) text_pattern_ops` index (customers/schema.ts), so the
 * cost follows the matches, not the number of customers. Anonymised customers match only their
 * pseudonym, which is what their rows hold.
 */
export async function findCustomersByPrefix(
  ctx: ServiceContext,
  prefix: string,
  limit: number,
): Promise<Customer[]> {
  const needle = prefix.trim().toLowerCase();
  if (needle === "") return [];
  return (
    ctx.readDb
      .select()
      .from(customers)
      .where(
        or(
          startsWith(sql`lower(${customers.email})`, needle),
          startsWith(sql`lower(${customers.name})`, needle),
        ),
      )
      // Not by id alone: walking the primary key and filtering would read every customer.
      .orderBy(sql`lower(${customers.name})`, asc(customers.id))
      .limit(limit)
  );
}
