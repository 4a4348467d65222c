import { sql } from "drizzle-orm";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { onPostgres } from "../../tests/support/db.ts";
import type { Db } from "./client.ts";
import { queryOne } from "./sql.ts";

/*
 * Transactions on a pool of ONE connection (a fresh database each test): a connection a transaction
 * failed to give back leaves nothing for the next one, which would wait forever (here: fail after 5 s).
 */
describe.skipIf(!onPostgres)("pooled transactions give their connection back (PostgreSQL)", () => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await createTestContext({ poolSize: 1 });
  });
  // A connection never given back would keep the pool from closing: fail in 20 s rather than hang.
  afterEach(async () => {
    await ctx?.destroy();
  }, 20_000);

  const backend = async (db: Db) =>
    (await queryOne<{ pid: number }>(db, sql`SELECT pg_backend_pid() AS pid`))!.pid;

  /** The pid of the connection a new transaction gets, or a failure if none comes within 5 s. */
  async function nextTransactionBackend(): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("no connection for a transaction within 5 s")), 5_000);
    });
    try {
      return await Promise.race([ctx.db.transaction((tx) => backend(tx)), waited]);
    } finally {
      clearTimeout(timer);
    }
  }

  const codeOf = (err: unknown): unknown => {
    let current = err;
    while (current instanceof Error) {
      if ("code" in current) return current.code;
      current = current.cause;
    }
    return undefined;
  };

  it("keeps a connection after a commit and after a rollback", async () => {
    const first = await nextTransactionBackend();
    expect(await nextTransactionBackend()).toBe(first);
    await expect(
      ctx.db.transaction(async (tx) => {
        await backend(tx);
        throw new Error("the work failed");
      }),
    ).rejects.toThrow("the work failed");
    expect(await nextTransactionBackend()).toBe(first);
    expect(ctx.database.pool!.totalCount).toBe(1);
  });

  it("gives back (and closes) a connection whose begin failed, so the next transaction runs", async () => {
    // A connection left inside an aborted transaction refuses `begin` (25P02), as a dead one would.
    const client = await ctx.database.pool!.connect();
    const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    await client.query("begin");
    await expect(client.query("SELECT 1 / 0")).rejects.toThrow("division by zero");
    client.release();

    let ran = false;
    const failed = await ctx.db
      .transaction(async () => {
        ran = true;
      })
      .catch((err: unknown) => err);
    expect(codeOf(failed)).toBe("25P02");
    expect(ran).toBe(false);
    // The next transaction gets a connection, and not the one in an unknown state.
    const next = await nextTransactionBackend();
    expect(next).not.toBe(rows[0]!.pid);
    expect(ctx.database.pool!.totalCount).toBe(1);
  });

  it("lives on when a connection dies while checked out and idle (a job's lock connection)", async () => {
    const pool = ctx.database.pool!;
    const client = await pool.connect();
    const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    const ended = new Promise((resolve) => client.once("end", resolve));
    const admin = new pg.Client({ connectionString: pool.options.connectionString });
    await admin.connect();
    try {
      await admin.query("SELECT pg_terminate_backend($1)", [rows[0]!.pid]);
    } finally {
      await admin.end();
    }
    // pg emits `error` on the client now; unheard, it would be an uncaught exception (failing this run).
    await ended;
    client.release();
    expect(await nextTransactionBackend()).not.toBe(rows[0]!.pid);
    expect(pool.totalCount).toBe(1);
  }, 20_000);

  it("throws the transaction's own error when the rollback fails too, and drops that connection", async () => {
    const before = await nextTransactionBackend();
    const failed = await ctx.db
      .transaction(async (tx) => {
        // The connection dies under the transaction: its rollback cannot be sent.
        await tx.execute(sql`SELECT pg_terminate_backend(pg_backend_pid())`);
      })
      .catch((err: unknown) => err);
    // 57P01: terminated by the administrator command above, not "Client was closed" from the rollback.
    expect(codeOf(failed)).toBe("57P01");
    const next = await nextTransactionBackend();
    expect(next).not.toBe(before);
    expect(ctx.database.pool!.totalCount).toBe(1);
  });
});
