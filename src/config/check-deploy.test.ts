import { describe, expect, it } from "vitest";
import { deployChecks } from "./check-deploy.ts";
import { DEV_SESSION_SECRET, OFFLINE_WEBHOOK_SECRET } from "./env.ts";

const good = {
  NODE_ENV: "production",
  SESSION_SECRET: "s".repeat(48),
  BASE_URL: "https://shop.example.com",
  DATABASE_URL: "postgres://app@db:5432/revintel",
  PAYMENTS_MODE: "stripe",
  STRIPE_SECRET_KEY: "sk_live_abc",
  STRIPE_WEBHOOK_SECRET: "whsec_abc",
};

const failing = (env: Record<string, string | undefined>, demo: number | null = 0) =>
  deployChecks(env, demo)
    .filter((c) => !c.ok)
    .map((c) => c.name);

describe("deployChecks", () => {
  it("passes a production-like environment", () => {
    expect(failing(good)).toEqual([]);
  });

  it.each([
    [{ SESSION_SECRET: undefined }, "SESSION_SECRET"],
    [{ SESSION_SECRET: "short" }, "SESSION_SECRET"],
    [{ BASE_URL: "http://shop.example.com" }, "BASE_URL"],
    [{ STRIPE_SECRET_KEY: undefined }, "Stripe keys"],
    [{ STRIPE_WEBHOOK_SECRET: undefined }, "Stripe keys"],
    [{ DATABASE_URL: undefined }, "DATABASE_URL"],
    [{ SECURE_COOKIES: "false" }, "cookies"],
    [{ NODE_ENV: "development" }, "NODE_ENV"],
    [{ SESSION_SECRET: DEV_SESSION_SECRET }, "SESSION_SECRET"],
    [{ PAYMENTS_MODE: "offline" }, "PAYMENTS_MODE"],
    [{ PAYMENTS_MODE: undefined }, "PAYMENTS_MODE"],
    [{ STRIPE_WEBHOOK_SECRET: OFFLINE_WEBHOOK_SECRET }, "Stripe keys"],
  ])("fails on %o naming %s", (change, name) => {
    expect(failing({ ...good, ...change })).toContain(name);
  });

  it("fails while demo users are present or the database cannot be read", () => {
    expect(failing(good, 4)).toEqual(["demo users"]);
    expect(failing(good, null)).toEqual(["demo users"]);
  });

  it("fails offline payments with the development secrets, naming each variable", () => {
    const checks = deployChecks(
      {
        ...good,
        PAYMENTS_MODE: "offline",
        SESSION_SECRET: DEV_SESSION_SECRET,
        STRIPE_SECRET_KEY: undefined,
        STRIPE_WEBHOOK_SECRET: OFFLINE_WEBHOOK_SECRET,
      },
      0,
    );
    const failed = checks.filter((c) => !c.ok);
    expect(failed.map((c) => c.name)).toEqual(["SESSION_SECRET", "PAYMENTS_MODE"]);
    expect(failed[0]!.message).toMatch(/^the built-in development value/);
    expect(failed[1]!.message).toMatch(/^offline: .*; STRIPE_WEBHOOK_SECRET lists the offline simulator's/);
  });
});
