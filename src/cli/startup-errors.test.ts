import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliRunner } from "../../tests/support/cli.ts";

const runner = cliRunner("startup-errors");
afterAll(runner.cleanup);

/** A local port with nothing listening on it (bound once to pick it, then closed). */
let closedPort = 0;
beforeAll(async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closedPort = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("commands that need the database, when it cannot be reached", () => {
  it.each([
    ["serve", ["serve"]],
    ["start", ["start"]],
    ["migrate", ["migrate"]],
    ["kpis", ["kpis", "--from", "2026-01-01", "--to", "2026-01-31"]],
  ])(
    "%s exits 2 naming host:port, with no password and no query",
    (_, args) => {
      const r = runner.run(args, {
        DATABASE_URL: `postgres://revintel:hunter2-secret@127.0.0.1:${closedPort}/revintel`,
        PORT: "0",
      });
      expect(r.code).toBe(2);
      expect(r.err).toBe(
        `revintel: the database at 127.0.0.1:${closedPort} cannot be reached (ECONNREFUSED)\n`,
      );
      expect(r.err + r.out).not.toContain("hunter2-secret");
      expect(r.err).not.toContain("Failed query");
    },
    60_000,
  );
});

describe("start-up in production", () => {
  const production = {
    NODE_ENV: "production",
    SESSION_SECRET: "s".repeat(48),
    PAYMENTS_MODE: "stripe",
    STRIPE_SECRET_KEY: "sk_live_placeholder",
    STRIPE_WEBHOOK_SECRET: "whsec_placeholder",
    PORT: "0",
  };

  it.each([
    [{ PAYMENTS_MODE: "offline", STRIPE_SECRET_KEY: "", STRIPE_WEBHOOK_SECRET: "" }, "PAYMENTS_MODE"],
    [{ SESSION_SECRET: "dev-only-session-secret-change-me-0123456789" }, "SESSION_SECRET"],
    [{ SESSION_SECRET: "short" }, "SESSION_SECRET"],
    [{ STRIPE_WEBHOOK_SECRET: "whsec_offline_simulator_not_secret" }, "STRIPE_WEBHOOK_SECRET"],
  ])(
    "refuses %o with exit 2 naming %s",
    (change, variable) => {
      const r = runner.run(["serve"], { ...production, ...change });
      expect(r.code).toBe(2);
      expect(r.err).toMatch(new RegExp(`^revintel: Invalid configuration: ${variable} `));
    },
    60_000,
  );
});
