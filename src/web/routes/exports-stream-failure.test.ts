import { get, type Server } from "node:http";
import { serve } from "@hono/node-server";
import { sql } from "drizzle-orm";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { makeCharge } from "../../../tests/support/builders/ledger.ts";
import type { TestContext } from "../../../tests/support/context.ts";
import { createTestApp, sessionCookieFor, type TestClient } from "../../../tests/support/http.ts";
import { type LoggedError, recordErrors } from "../../../tests/support/log-recorder.ts";
import type { AppEnv } from "../request-context.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
let analyst: TestClient;
let analystId: number;
let errors: LoggedError[];

beforeAll(async () => {
  ({
    ctx,
    app,
    clients: { analyst },
    users: {
      analyst: { id: analystId },
    },
  } = await createTestApp(["analyst"]));
  // Every request logs through a child of ctx.logger: record what the export route reports.
  errors = recordErrors(ctx.logger);
  await makeCharge(ctx.db, { amount: 1234, created: new Date("2026-06-02T10:00:00Z") });
});
afterAll(() => ctx.destroy());

describe("an export that fails after its first byte", () => {
  it("errors the download instead of ending a short zip, and logs the failure", async () => {
    // The finance pack writes orders.csv … payments.csv first and invoices.csv last: take the
    // invoices table away so the export fails once the zip is well under way.
    await ctx.db.execute(sql`ALTER TABLE invoices RENAME TO invoices_away`);
    try {
      const res = await analyst.get("/exports/finance.zip?from=2026-06-01&to=2026-06-07");
      expect(res.status).toBe(200); // the headers went out before the failure
      await expect(res.arrayBuffer()).rejects.toThrow();
    } finally {
      await ctx.db.execute(sql`ALTER TABLE invoices_away RENAME TO invoices`);
    }
    expect(errors.map((e) => e.message)).toContain("export failed while streaming");
    expect(errors.find((e) => e.message === "export failed while streaming")?.fields).toMatchObject({
      pack: "finance",
    });
  });

  // Only a socket shows what a browser or curl sees: the connection is cut, not a clean end of a short file.
  it("over a real connection, the client sees the response aborted", async () => {
    const server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s as Server));
    });
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const cookie = await sessionCookieFor(ctx, analystId);
    // The Node adapter also prints the stream's error to the console; our logger was checked above.
    const consoleError = vi.spyOn(console, "error").mockImplementation(() => {});
    await ctx.db.execute(sql`ALTER TABLE invoices RENAME TO invoices_away`);
    try {
      const outcome = await new Promise<{ status?: number; ended: "end" | "aborted" }>((resolve) => {
        get(
          {
            host: "127.0.0.1",
            port,
            path: "/exports/finance.zip?from=2026-06-01&to=2026-06-07",
            headers: { cookie },
          },
          (res) => {
            res.on("data", () => {});
            res.on("end", () => resolve({ status: res.statusCode, ended: "end" }));
            res.on("error", () => resolve({ status: res.statusCode, ended: "aborted" }));
            res.on("aborted", () => resolve({ status: res.statusCode, ended: "aborted" }));
          },
        ).on("error", () => resolve({ ended: "aborted" }));
      });
      expect(outcome).toEqual({ status: 200, ended: "aborted" });
    } finally {
      await ctx.db.execute(sql`ALTER TABLE invoices_away RENAME TO invoices`);
      await new Promise((resolve) => server.close(resolve));
      consoleError.mockRestore();
    }
  });

  it("a later download of the same pack completes", async () => {
    const res = await analyst.get("/exports/finance.zip?from=2026-06-01&to=2026-06-07");
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(100);
  });
});
