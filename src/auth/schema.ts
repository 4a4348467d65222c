import { boolean, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const users = pgTable("users", {
  id: integer().primaryKey().generatedAlwaysAsIdentity(),
  /** Stored lower-cased; unique. */
  email: text().notNull().unique(),
  passwordHash: text().notNull(),
  role: text({ enum: ["customer", "ops", "analyst", "admin"] }).notNull(),
  displayName: text().notNull(),
  active: boolean().notNull().default(true),
  /** The shop customer this login buys as (role customer). */
  customerId: integer(),
  isDemo: boolean().notNull().default(false),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  lastLoginAt: timestamp({ withTimezone: true }),
});

export const sessions = pgTable(
  "sessions",
  {
    /** SHA-256 of the cookie token: a database leak does not yield usable sessions. */
    idHash: text().primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const apiTokens = pgTable("api_tokens", {
  id: integer().primaryKey().generatedAlwaysAsIdentity(),
  name: text().notNull(),
  tokenHash: text().notNull().unique(),
  role: text({ enum: ["analyst", "admin"] }).notNull(),
  createdBy: integer().references(() => users.id),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp({ withTimezone: true }),
  revokedAt: timestamp({ withTimezone: true }),
});

export const loginAttempts = pgTable(
  "login_attempts",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    /** HMAC of the e-mail or of the IP: rate limiting without storing PII. */
    keyHash: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull(),
    success: boolean().notNull(),
  },
  (t) => [index("login_attempts_key_at_idx").on(t.keyHash, t.at)],
);
