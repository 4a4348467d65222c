import { date, index, numeric, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Daily exchange rates: `rate` units of `quote` per one unit of `base` on `day`. One row per day,
 * pair and source; a lookup prefers `stripe` (a balance transaction's realised rate) over `import`
 * (an ECB reference-rate file) over `seed` (the demo). Exact decimals (numeric), never floats.
 */
export const fxRates = pgTable(
  "fx_rates",
  {
    day: date().notNull(),
    /** Lower-case ISO code, as Stripe spells currencies. */
    base: text().notNull(),
    quote: text().notNull(),
    rate: numeric({ precision: 30, scale: 12 }).notNull(),
    /** `stripe_balance_transaction` | `import` | `seed`. */
    source: text().notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.base, t.quote, t.day, t.source] }), index("fx_rates_day_idx").on(t.day)],
);
