import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Shop customers. PII lives here only (email, name); `customers anonymize` replaces it. */
export const customers = pgTable(
  "customers",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    email: text().notNull(),
    name: text().notNull(),
    country: text(),
    stripeCustomerId: text().unique(),
    livemode: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    /** `created` of the Stripe event that last wrote this row (out-of-order guard). */
    stripeUpdatedAt: timestamp({ withTimezone: true }),
    anonymizedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("customers_email_idx").on(t.email),
    // Staff search matches the start of an e-mail or a name, case-insensitively, through these.
    index("customers_email_search_idx").on(sql`lower(${t.email}) text_pattern_ops`),
    index("customers_name_search_idx").on(sql`lower(${t.name}) text_pattern_ops`),
  ],
);
