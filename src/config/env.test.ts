import { describe, expect, it } from "vitest";
import { ConfigError, DEV_SESSION_SECRET, loadConfig, OFFLINE_WEBHOOK_SECRET } from "./env.ts";

/** What production needs to start: real payments, its own webhook secret, a long session secret. */
const PRODUCTION = {
  NODE_ENV: "production",
  SESSION_SECRET: "x".repeat(40),
  PAYMENTS_MODE: "stripe",
  STRIPE_SECRET_KEY: "sk_live_placeholder",
  STRIPE_WEBHOOK_SECRET: "whsec_placeholder",
};

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("gives working defaults for the local demo", () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.paymentsMode).toBe("offline");
    expect(config.databaseUrl).toBeUndefined();
    expect(config.reportingTimezone).toBe("UTC");
    expect(config.secureCookies).toBe(false);
  });

  it.each([
    [{ PORT: "eighty" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ REPORTING_TIMEZONE: "Mars/Olympus" }, "REPORTING_TIMEZONE"],
    [{ PAYMENTS_MODE: "paypal" }, "PAYMENTS_MODE"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ BASE_URL: "not a url" }, "BASE_URL"],
    [{ STRIPE_SECRET_KEY: "pk_test_123" }, "STRIPE_SECRET_KEY"],
    [{ NODE_ENV: "production" }, "SESSION_SECRET"],
    [{ PAYMENTS_MODE: "stripe", PENDING_ORDER_TTL_MINUTES: "10" }, "PENDING_ORDER_TTL_MINUTES"],
    [{ TRUST_PROXY_HOPS: "-1" }, "TRUST_PROXY_HOPS"],
    [{ JOB_SCHEDULES: "snapshots.rebuild-dirty" }, "JOB_SCHEDULES"],
    [{ JOB_SCHEDULES: "snapshots.rebuild-dirty=every minute" }, "JOB_SCHEDULES"],
  ])("rejects %o naming %s", (env, variable) => {
    expect(errorOf(env)).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
  });

  it("logs each request in production and keeps requests quiet elsewhere unless LOG_REQUESTS says so", () => {
    expect(loadConfig(PRODUCTION).logRequests).toBe(true);
    expect(loadConfig({}).logRequests).toBe(false);
    expect(loadConfig({ LOG_REQUESTS: "true" }).logRequests).toBe(true);
    expect(loadConfig({ ...PRODUCTION, LOG_REQUESTS: "false" }).logRequests).toBe(false);
    expect(errorOf({ LOG_REQUESTS: "loud" })).toMatch(/^Invalid configuration: LOG_REQUESTS /);
  });

  it("keeps the built-in job schedules unless JOB_SCHEDULES names a job", () => {
    expect(loadConfig({}).jobSchedules).toEqual({});
    const config = loadConfig({
      JOB_SCHEDULES: "snapshots.rebuild-dirty=*/15 * * * * *; orders.expire-pending=0 * * * *",
    });
    expect(config.jobSchedules).toEqual({
      "snapshots.rebuild-dirty": "*/15 * * * * *",
      "orders.expire-pending": "0 * * * *",
    });
  });

  it("accepts several webhook secrets during a rotation", () => {
    const config = loadConfig({ STRIPE_WEBHOOK_SECRET: "whsec_old, whsec_new" });
    expect(config.stripeWebhookSecrets).toEqual(["whsec_old", "whsec_new"]);
  });

  it("makes cookies Secure in production", () => {
    const config = loadConfig(PRODUCTION);
    expect(config.secureCookies).toBe(true);
  });

  it.each([
    [{ SESSION_SECRET: DEV_SESSION_SECRET }, "SESSION_SECRET", /development value/],
    [{ SESSION_SECRET: "short" }, "SESSION_SECRET", /shorter than 32/],
    [{ SESSION_SECRET: "x".repeat(31) }, "SESSION_SECRET", /shorter than 32/],
    [{ PAYMENTS_MODE: "offline" }, "PAYMENTS_MODE", /offline/],
    [{ STRIPE_WEBHOOK_SECRET: OFFLINE_WEBHOOK_SECRET }, "STRIPE_WEBHOOK_SECRET", /public secret/],
    [{ STRIPE_WEBHOOK_SECRET: `whsec_new,${OFFLINE_WEBHOOK_SECRET}` }, "STRIPE_WEBHOOK_SECRET", /public/],
  ])("refuses to start in production with %o, naming %s", (change, variable, detail) => {
    const message = errorOf({ ...PRODUCTION, ...change });
    expect(message).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
    expect(message).toMatch(detail);
  });

  it("starts in production with a 32-character secret, and allows the demo's defaults outside it", () => {
    expect(loadConfig({ ...PRODUCTION, SESSION_SECRET: "x".repeat(32) }).production).toBe(true);
    expect(loadConfig({ NODE_ENV: "development" }).stripeWebhookSecrets).toEqual([OFFLINE_WEBHOOK_SECRET]);
  });
});
