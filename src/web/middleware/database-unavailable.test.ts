import net from "node:net";
import { sql } from "drizzle-orm";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../../bench/lib/processes.ts";
import { createTestContext } from "../../../tests/support/context.ts";
import { onPostgres } from "../../../tests/support/db.ts";
import { type LoggedError, recordErrors } from "../../../tests/support/log-recorder.ts";
import { buildEventStream, signAll } from "../../../tests/support/stripe-stream.ts";
import { testConfig } from "../../config/env.ts";
import { type AppContext, closeContext, createContext } from "../../context.ts";
import {
  assertReachable,
  DatabaseUnreachableError,
  databaseUnavailable,
  TimedClient,
} from "../../db/client.ts";
import { queryOne } from "../../db/sql.ts";
import { createApp } from "../app.ts";
import type { AppEnv } from "../request-context.ts";
import { UNAVAILABLE_RETRY_AFTER_S } from "./error-handler.ts";
import { sessionCookieName } from "./session.ts";

const SECRET = "whsec_database_unavailable";

/** One signed delivery of a generated event (`seed`) to the webhook endpoint. */
function deliverOne(app: Hono<AppEnv>, seed: number) {
  const [delivery] = signAll(buildEventStream({ seed, events: 1 }).slice(0, 1), SECRET);
  return app.request("/webhooks/stripe", {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": delivery!.header },
    body: delivery!.payload,
  });
}

/** The app on a PostgreSQL address where nothing listens (a closed port on this machine). */
describe("when the database cannot be reached", () => {
  let ctx: AppContext;
  let app: Hono<AppEnv>;
  let errors: LoggedError[];
  beforeAll(async () => {
    const port = await freePort();
    ctx = await createContext(
      testConfig({
        DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/nowhere`,
        STRIPE_WEBHOOK_SECRET: SECRET,
      }),
    );
    errors = recordErrors(ctx.logger);
    app = createApp(ctx).app;
  });
  afterAll(async () => {
    await closeContext(ctx);
  });

  it("answers the read API 503 with Retry-After and a code, and logs no error", async () => {
    const res = await app.request("/api/v1/kpis?from=2026-06-01&to=2026-06-30", {
      headers: { authorization: "Bearer rit_anything" },
    });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe(String(UNAVAILABLE_RETRY_AFTER_S));
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("database.unavailable");
    expect(body.error.message).toMatch(/database cannot be reached/);
    expect(errors).toEqual([]);
  });

  it("answers a signed webhook delivery 503, so Stripe delivers it again", async () => {
    const res = await deliverOne(app, 3);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe(String(UNAVAILABLE_RETRY_AFTER_S));
  });

  it("shows a signed-in page as temporarily unavailable", async () => {
    const res = await app.request("/dashboard", {
      headers: { cookie: `${sessionCookieName(ctx.config)}=some-session`, accept: "text/html" },
    });
    expect(res.status).toBe(503);
    const html = await res.text();
    expect(html).toContain("Temporarily unavailable");
    expect(html).toContain("The database cannot be reached right now. Try again in a moment.");
  });

  it("still serves the stylesheets and scripts to a signed-in browser, so that page is styled", async () => {
    const cookie = `${sessionCookieName(ctx.config)}=some-session`;
    for (const name of ["app.css", "app.js"]) {
      const res = await app.request(`/assets/${name}`, { headers: { cookie } });
      expect(res.status, name).toBe(200);
    }
  });

  it("names a refused connection as the reason, and only the database's", async () => {
    const failed = await ctx.db.execute(sql`SELECT 1`).catch((err: unknown) => err);
    expect(databaseUnavailable(failed)).toBe("ECONNREFUSED");
    const inTransaction = await ctx.db.transaction(async () => {}).catch((err: unknown) => err);
    expect(databaseUnavailable(inTransaction)).toBe("ECONNREFUSED");
    // Another service refusing (Stripe, a rates source) is not the database being away.
    const elsewhere = await fetch(`http://127.0.0.1:${await freePort()}/`).catch((err: unknown) => err);
    expect((elsewhere as Error).cause).toMatchObject({ code: "ECONNREFUSED" });
    expect(databaseUnavailable(elsewhere)).toBeUndefined();
  });
});

/**
 * The app on an address where something accepts connections and never answers (a stuck proxy): the
 * attempt ends after the connect timeout (shortened here) instead of holding requests for good.
 */
describe("when the database server accepts a connection and never answers", () => {
  let ctx: AppContext;
  let app: Hono<AppEnv>;
  let silent: net.Server;
  const sockets = new Set<net.Socket>();
  const defaultTimeout = TimedClient.connectTimeoutMs;
  beforeAll(async () => {
    TimedClient.connectTimeoutMs = 300;
    silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as net.AddressInfo;
    ctx = await createContext(
      testConfig({
        DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/silent`,
        STRIPE_WEBHOOK_SECRET: SECRET,
      }),
    );
    app = createApp(ctx).app;
  });
  afterAll(async () => {
    await closeContext(ctx);
    TimedClient.connectTimeoutMs = defaultTimeout;
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it("answers the API, a webhook delivery and readiness 503 once the attempt times out", async () => {
    const api = await app.request("/api/v1/kpis?from=2026-06-01&to=2026-06-30", {
      headers: { authorization: "Bearer rit_anything" },
    });
    expect(api.status).toBe(503);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("database.unavailable");
    expect((await deliverOne(app, 4)).status).toBe(503);
    expect((await app.request("/readyz")).status).toBe(503);
  });

  it("names the timeout as the reason, and start-up reports the database unreachable", async () => {
    const failed = await ctx.db.execute(sql`SELECT 1`).catch((err: unknown) => err);
    expect(databaseUnavailable(failed)).toBe("ETIMEDOUT");
    expect((failed as Error).cause).toMatchObject({
      message: "the database server did not complete the connection within 300 ms",
    });
    await expect(assertReachable(ctx.database)).rejects.toBeInstanceOf(DatabaseUnreachableError);
    await expect(assertReachable(ctx.database)).rejects.toThrow(/cannot be reached \(ETIMEDOUT\)/);
  });
});

describe.skipIf(!onPostgres)("what counts as the database being unavailable (PostgreSQL)", () => {
  it("a connection the server ended (57P01) does; a statement's own failure does not", async () => {
    const ctx = await createTestContext({ poolSize: 1 });
    try {
      const divided = await ctx.db.execute(sql`SELECT 1 / 0`).catch((err: unknown) => err);
      expect(divided).toBeInstanceOf(Error);
      expect(databaseUnavailable(divided)).toBeUndefined();
      const twoRows = await ctx.db
        .execute(sql`SELECT (SELECT n FROM (VALUES (1), (2)) v(n)) AS one`)
        .catch((err: unknown) => err);
      expect(twoRows).toBeInstanceOf(Error);
      expect(databaseUnavailable(twoRows)).toBeUndefined();
      const ended = await ctx.db
        .execute(sql`SELECT pg_terminate_backend(pg_backend_pid())`)
        .catch((err: unknown) => err);
      expect(databaseUnavailable(ended)).toBe("57P01");
      // The pool opens a new connection for what comes next.
      expect(await queryOne(ctx.db, sql`SELECT 1 AS one`)).toEqual({ one: 1 });
    } finally {
      await ctx.destroy();
    }
  });
});
