import { sql } from "drizzle-orm";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { onPostgres } from "../../tests/support/db.ts";
import { signedInClient, type TestClient } from "../../tests/support/http.ts";
import { createApp } from "../web/app.ts";
import type { AppEnv } from "../web/request-context.ts";
import { type Database, openDatabase } from "./client.ts";
import { asCaller, waitingTurns } from "./fair-pool.ts";
import { queryRows } from "./sql.ts";

const until = async (ready: () => boolean) => {
  for (let i = 0; !ready(); i++) {
    if (i > 2_000) throw new Error("gave up waiting");
    await new Promise((r) => setTimeout(r, 1));
  }
};

/*
 * Pools of ONE connection on the test database, so every statement but one waits for its turn and
 * the order they finish in is the order of their turns.
 */
describe.skipIf(!onPostgres)("fair pools: callers take turns for connections (PostgreSQL)", () => {
  let ctx: TestContext;
  let url: string;
  const opened: Database[] = [];
  const pool = async (fair: boolean) => {
    const database = await openDatabase({ databaseUrl: url, poolSize: 1, fair });
    opened.push(database);
    return database;
  };
  beforeAll(async () => {
    ctx = await createTestContext();
    url = ctx.database.pool!.options.connectionString!;
  });
  afterAll(async () => {
    for (const database of opened) await database.close();
    await ctx?.destroy();
  });

  /** Caller a sends six reads at once, then caller b one: the order the reads finish in. */
  async function sixThenOne(database: Database): Promise<string[]> {
    const finished: string[] = [];
    const read = (name: string) =>
      database.db.execute(sql`SELECT pg_sleep(0.05)`).then(() => void finished.push(name));
    const a = asCaller(() => Promise.all(["a1", "a2", "a3", "a4", "a5", "a6"].map(read)));
    await until(() => database.pool!.waitingCount + waitingTurns(database.pool!) === 5);
    const b = asCaller(() => read("b1"));
    await Promise.all([a, b]);
    return finished;
  }

  it("gives a caller's read the next turn instead of the end of another caller's queue", async () => {
    expect(await sixThenOne(await pool(true))).toEqual(["a1", "a2", "b1", "a3", "a4", "a5", "a6"]);
    // The same on a pool without turns: b waits behind all of a's reads.
    expect(await sixThenOne(await pool(false))).toEqual(["a1", "a2", "a3", "a4", "a5", "a6", "b1"]);
  });

  it("counts a transaction's connection as a turn and gives it back, also after a failure", async () => {
    const database = await pool(true);
    const order: string[] = [];
    const tx = asCaller(() =>
      database.db.transaction(async (t) => {
        await t.execute(sql`SELECT pg_sleep(0.02)`);
        order.push("transaction");
      }),
    );
    await until(() => waitingTurns(database.pool!) === 0 && database.pool!.totalCount === 1);
    const read = asCaller(() => database.db.execute(sql`SELECT 1`).then(() => void order.push("read")));
    await Promise.all([tx, read]);
    expect(order).toEqual(["transaction", "read"]);
    await expect(asCaller(() => database.db.execute(sql`SELECT 1 / 0`))).rejects.toThrow();
    await expect(
      asCaller(() =>
        database.db.transaction(async (t) => {
          await t.execute(sql`SELECT 1 / 0`);
        }),
      ),
    ).rejects.toThrow();
    // Every turn came back: the one connection still serves a read.
    expect(await queryRows(database.db, sql`SELECT 2 AS two`)).toEqual([{ two: 2 }]);
    expect(waitingTurns(database.pool!)).toBe(0);
  });

  describe("each HTTP request is a caller of its own", () => {
    let app: Hono<AppEnv>;
    let analyst: TestClient;
    let reads: Database;
    beforeAll(async () => {
      reads = await pool(true);
      const { app: built } = createApp({ ...ctx, readDb: reads.db });
      app = built;
      ({ client: analyst } = await signedInClient(app, ctx, "analyst"));
    });

    it("answers the API while a dashboard's reads still wait for their turns", async () => {
      const finished: string[] = [];
      const range = "from=2026-03-01&to=2026-05-29";
      const dashboard = analyst.get(`/dashboard?preset=custom&${range}`).then((res) => {
        expect(res.status).toBe(200);
        finished.push("dashboard");
      });
      // The dashboard's first reads (the currency of two KPI sets and eight series) queue on the one connection.
      await until(() => waitingTurns(reads.pool!) >= 8);
      const api = analyst.get(`/api/v1/kpis?${range}`).then((res) => {
        expect(res.status).toBe(200);
        finished.push("api");
      });
      await Promise.all([dashboard, api]);
      expect(finished).toEqual(["api", "dashboard"]);
    });
  });
});
