import { Cron } from "croner";
import { z } from "zod";
import { isKnownCurrency } from "../shared/currencies.ts";
import { isTimeZone } from "../shared/dates.ts";

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

function isCronPattern(pattern: string): boolean {
  try {
    new Cron(pattern, { timezone: "UTC", paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}

/** Every environment variable the app reads, parsed once at start-up. `.env.example` documents each. */
/** DATABASE_PREPARED_STATEMENTS when unset: named statements on the webhook path. */
export const DEFAULT_PREPARED_STATEMENTS = true;

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL (unset it to use the embedded database)")
    .optional(),
  DATABASE_REPLICA_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional(),
  /** Named (prepared) statements on the webhook path; false behind a pooler that cannot keep them. */
  DATABASE_PREPARED_STATEMENTS: bool.optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  /** Where uploaded product images are kept (default: product-images under DATA_DIR). */
  PRODUCT_IMAGES_DIR: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  /** Reverse proxies in front of the app that append to X-Forwarded-For (0: use the socket's peer). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  BASE_URL: z.url().optional(),
  SESSION_SECRET: z.string().min(1).optional(),
  PAYMENTS_MODE: z.enum(["offline", "stripe"]).default("offline"),
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_/, "must start with sk_test_, sk_live_, rk_test_ or rk_live_")
    .optional(),
  /** Comma-separated during a rotation: every listed secret is accepted. */
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  /** Hostname of the Stripe API (only tests and local fakes change it). */
  STRIPE_API_BASE: z.url().optional(),
  REPORTING_TIMEZONE: z
    .string()
    .default("UTC")
    .refine(isTimeZone, "must be an IANA time zone such as Europe/Berlin"),
  /** Currency of the converted view (kpis.md "Reporting currency"); unset: the shop's main currency. */
  REPORTING_CURRENCY: z
    .string()
    .trim()
    .toLowerCase()
    .refine(
      (c) => /^[a-z]{3}$/.test(c) && isKnownCurrency(c),
      "must be a 3-letter ISO currency code such as USD",
    )
    .optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** One info line per HTTP request; unset: on in production, off otherwise (then at debug level). */
  LOG_REQUESTS: bool.optional(),
  SECURE_COOKIES: bool.optional(),
  PENDING_ORDER_TTL_MINUTES: z.coerce.number().int().min(1).default(60),
  FULFILLMENT_SLA_HOURS: z.coerce.number().int().min(1).default(72),
  /** Scheduled jobs on another schedule than the built-in one: `name=pattern;name=pattern` (croner, UTC). */
  JOB_SCHEDULES: z
    .string()
    .transform((value, zctx) => {
      const schedules: Record<string, string> = {};
      for (const entry of value
        .split(";")
        .map((e) => e.trim())
        .filter(Boolean)) {
        const at = entry.indexOf("=");
        const name = entry.slice(0, at).trim();
        const pattern = entry.slice(at + 1).trim();
        if (at <= 0 || pattern === "" || !isCronPattern(pattern)) {
          zctx.addIssue({
            code: "custom",
            message: `entry "${entry}" must be job=pattern with a cron pattern such as */15 * * * *`,
          });
          return z.NEVER;
        }
        schedules[name] = pattern;
      }
      return schedules;
    })
    .optional(),
  TEST_DATABASE_URL: z.string().optional(),
  CHROMIUM_PATH: z.string().optional(),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env["NODE_ENV"];
  production: boolean;
  databaseUrl: string | undefined;
  replicaUrl: string | undefined;
  /** PostgreSQL: the webhook path sends named (prepared) statements (DATABASE_PREPARED_STATEMENTS). */
  databasePreparedStatements: boolean;
  dataDir: string;
  /** Uploaded product images; null when DATA_DIR is in memory and no directory is set (uploads refused). */
  productImagesDir: string | null;
  port: number;
  host: string;
  trustProxyHops: number;
  baseUrl: string;
  sessionSecret: string;
  sessionSecretIsDefault: boolean;
  secureCookies: boolean;
  paymentsMode: "offline" | "stripe";
  stripeSecretKey: string | undefined;
  stripeWebhookSecrets: string[];
  stripeApiBase: string | undefined;
  livemode: boolean;
  reportingTimezone: string;
  /** The converted view's default currency (lower case); undefined: the shop's main currency. */
  reportingCurrency: string | undefined;
  logLevel: Env["LOG_LEVEL"];
  /** Log each HTTP request at info (otherwise at debug). */
  logRequests: boolean;
  pendingOrderTtlMinutes: number;
  fulfillmentSlaHours: number;
  /** Schedule overrides by job name (JOB_SCHEDULES); jobs not named keep their built-in schedule. */
  jobSchedules: Record<string, string>;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`Invalid configuration: ${variable} ${detail}`);
    this.name = "ConfigError";
  }
}

/** Local-only secrets so the demo runs with no setup; production refuses them (check-deploy and start-up). */
export const DEV_SESSION_SECRET = "dev-only-session-secret-change-me-0123456789";
export const OFFLINE_WEBHOOK_SECRET = "whsec_offline_simulator_not_secret";
/** Shortest SESSION_SECRET production accepts (README, docs/security.md). */
export const MIN_SESSION_SECRET_LENGTH = 32;

/**
 * Why this environment must not run in production, one entry per variable (empty: it may). Shared by
 * start-up (the first one stops it, exit 2) and check-deploy (each one fails its check).
 */
export function productionRefusals(e: {
  SESSION_SECRET?: string;
  PAYMENTS_MODE?: string;
  STRIPE_WEBHOOK_SECRET?: string;
}): Array<{ variable: string; detail: string }> {
  const refusals: Array<{ variable: string; detail: string }> = [];
  const secret = e.SESSION_SECRET ?? "";
  if (secret === "")
    refusals.push({ variable: "SESSION_SECRET", detail: "is required when NODE_ENV=production" });
  else if (secret === DEV_SESSION_SECRET)
    refusals.push({
      variable: "SESSION_SECRET",
      detail: "is the built-in development value: generate one (openssl rand -base64 48)",
    });
  else if (secret.length < MIN_SESSION_SECRET_LENGTH)
    refusals.push({
      variable: "SESSION_SECRET",
      detail: `is shorter than ${MIN_SESSION_SECRET_LENGTH} characters`,
    });
  if ((e.PAYMENTS_MODE ?? "offline") === "offline")
    refusals.push({
      variable: "PAYMENTS_MODE",
      detail:
        "is offline: its simulator marks orders paid with no money and accepts webhooks signed with a public secret; set PAYMENTS_MODE=stripe (or NODE_ENV=development for a trial)",
    });
  const webhookSecrets = (e.STRIPE_WEBHOOK_SECRET ?? "").split(",").map((s) => s.trim());
  if (webhookSecrets.includes(OFFLINE_WEBHOOK_SECRET))
    refusals.push({
      variable: "STRIPE_WEBHOOK_SECRET",
      detail: "lists the offline simulator's public secret: anyone could sign webhooks with it",
    });
  return refusals;
}

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? "environment"), issue.message);
  }
  const e = result.data;
  const production = e.NODE_ENV === "production";
  const refusal = production ? productionRefusals(e)[0] : undefined;
  if (refusal) throw new ConfigError(refusal.variable, refusal.detail);
  if (production && e.PAYMENTS_MODE === "stripe" && !e.STRIPE_WEBHOOK_SECRET) {
    throw new ConfigError(
      "STRIPE_WEBHOOK_SECRET",
      "is required when NODE_ENV=production and PAYMENTS_MODE=stripe",
    );
  }
  if (e.PAYMENTS_MODE === "stripe" && e.PENDING_ORDER_TTL_MINUTES < 30) {
    // Stripe keeps a Checkout page open at least 30 minutes: an order must not expire before it closes.
    throw new ConfigError("PENDING_ORDER_TTL_MINUTES", "must be at least 30 with PAYMENTS_MODE=stripe");
  }
  const webhookSecrets = (
    e.STRIPE_WEBHOOK_SECRET ?? (e.PAYMENTS_MODE === "offline" ? OFFLINE_WEBHOOK_SECRET : "")
  )
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    env: e.NODE_ENV,
    production,
    databaseUrl: e.DATABASE_URL,
    replicaUrl: e.DATABASE_REPLICA_URL,
    databasePreparedStatements: e.DATABASE_PREPARED_STATEMENTS ?? DEFAULT_PREPARED_STATEMENTS,
    dataDir: e.DATA_DIR,
    productImagesDir:
      e.PRODUCT_IMAGES_DIR ?? (e.DATA_DIR.startsWith("memory://") ? null : `${e.DATA_DIR}/product-images`),
    port: e.PORT,
    host: e.HOST,
    trustProxyHops: e.TRUST_PROXY_HOPS,
    baseUrl: e.BASE_URL ?? `http://${e.HOST}:${e.PORT}`,
    sessionSecret: e.SESSION_SECRET ?? DEV_SESSION_SECRET,
    sessionSecretIsDefault: !e.SESSION_SECRET,
    secureCookies: e.SECURE_COOKIES ?? production,
    paymentsMode: e.PAYMENTS_MODE,
    stripeSecretKey: e.STRIPE_SECRET_KEY,
    stripeWebhookSecrets: webhookSecrets,
    stripeApiBase: e.STRIPE_API_BASE,
    livemode: e.PAYMENTS_MODE === "stripe" && (e.STRIPE_SECRET_KEY?.includes("_live_") ?? false),
    reportingTimezone: e.REPORTING_TIMEZONE,
    reportingCurrency: e.REPORTING_CURRENCY,
    logLevel: e.LOG_LEVEL,
    logRequests: e.LOG_REQUESTS ?? production,
    pendingOrderTtlMinutes: e.PENDING_ORDER_TTL_MINUTES,
    fulfillmentSlaHours: e.FULFILLMENT_SLA_HOURS,
    jobSchedules: e.JOB_SCHEDULES ?? {},
  };
}

/** Config for tests: fixed secrets, silent logs, embedded database unless told otherwise. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", DATA_DIR: "memory://", ...overrides });
}
