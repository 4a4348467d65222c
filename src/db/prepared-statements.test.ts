import { sql } from "drizzle-orm";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { onPostgres } from "../../tests/support/db.ts";
import { buildEventStream, signAll } from "../../tests/support/stripe-stream.ts";
import { receiveWebhook } from "../payments/inbox/receive.ts";
import type { Db } from "./client.ts";
import { MAX_PREPARED_PER_CONNECTION, withoutAnswer, withPreparedStatements } from "./client.ts";
import { queryOne } from "./sql.ts";

/*
 * Webhook deliveries send named statements (DATABASE_PREPARED_STATEMENTS, default true): each
 * connection parses a statement text once. One connection per pool here, so the prepared
 * statements listed are those of the connection every statement ran on.
 */
describe.skipIf(!onPostgres)("named statements on the webhook path (PostgreSQL)", () => {
  let ctx: TestContext;
  let off: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ poolSize: 1 });
    off = await createTestContext({ poolSize: 1, preparedStatements: false });
  });
  afterAll(async () => {
    await ctx?.destroy();
    await off?.destroy();
  });

  const prepared = async (c: TestContext) =>
    (await queryOne<{ n: number; inbox: number }>(
      c.db,
      sql`SELECT count(*)::int AS n,
                 count(*) FILTER (WHERE statement LIKE 'insert into "stripe_events"%')::int AS inbox
          FROM pg_prepared_statements`,
    ))!;

  /** The same stream's first events (customers, charges, payment intents), delivered in order. */
  async function deliver(c: TestContext, from: number, to: number) {
    const events = buildEventStream({ seed: 7, events: to }).slice(from, to);
    for (const d of signAll(events, c.config.stripeWebhookSecrets[0]!)) {
      const result = await receiveWebhook(c, d.payload, d.header);
      expect(result.outcome).toBe("processed");
    }
  }

  it("prepares a delivery's statements once per connection and binds them for the next ones", async () => {
    expect((await prepared(ctx)).n).toBe(0);
    await deliver(ctx, 0, 30);
    const first = await prepared(ctx);
    expect(first.inbox).toBe(1);
    expect(first.n).toBeGreaterThan(3);
    await deliver(ctx, 30, 60);
    // More events of the same types: their statement texts were all prepared already.
    const after = await prepared(ctx);
    expect(after.inbox).toBe(1);
    expect(after.n).toBeLessThanOrEqual(first.n + 5);
    const stored = await queryOne<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM stripe_events`);
    expect(stored!.n).toBe(60);
  });

  it("leaves statements outside the webhook path unnamed", async () => {
    const before = (await prepared(ctx)).n;
    await ctx.db.execute(sql`SELECT count(*) FROM customers WHERE email LIKE ${"%@example.com"}`);
    expect((await prepared(ctx)).n).toBe(before);
  });

  it("sends none with DATABASE_PREPARED_STATEMENTS=false", async () => {
    await deliver(off, 0, 20);
    expect((await prepared(off)).n).toBe(0);
  });

  it(`names at most ${MAX_PREPARED_PER_CONNECTION} texts per connection; the rest run unnamed and answer`, async () => {
    const before = (await prepared(off)).n;
    expect(before).toBe(0);
    // `off` names nothing; `ctx` names up to the cap, then runs the rest as before.
    const start = (await prepared(ctx)).n;
    const texts = MAX_PREPARED_PER_CONNECTION - start + 10;
    const answers = await withPreparedStatements(async () => {
      const out: number[] = [];
      for (let i = 0; i < texts; i++) {
        const row = await queryOne<{ v: number }>(
          ctx.db,
          sql`SELECT ${sql.raw(String(i))}::int + ${1}::int AS v`,
        );
        out.push(row!.v);
      }
      return out;
    });
    expect(answers).toEqual(Array.from({ length: texts }, (_, i) => i + 1));
    expect((await prepared(ctx)).n).toBe(MAX_PREPARED_PER_CONNECTION);
  });

  describe("a transaction's begin and answerless writes, held for its next statement", () => {
    let one: TestContext;
    beforeAll(async () => {
      one = await createTestContext({ poolSize: 1 });
      await one.db.execute(sql`CREATE TABLE held_begin_probe (n int NOT NULL)`);
    });
    afterAll(async () => {
      await one?.destroy();
    });

    /** The pool's one connection, to count PostgreSQL's answers (one ReadyForQuery per round trip). */
    async function connection(c: TestContext) {
      const client = await c.database.pool!.connect();
      client.release();
      return (client as unknown as { connection: NodeJS.EventEmitter }).connection;
    }
    const probe = async (c: TestContext) =>
      (await queryOne<{ n: number }>(c.db, sql`SELECT count(*)::int AS n FROM held_begin_probe`))!.n;
    const insertTwice = (c: TestContext, fail?: Error) =>
      withPreparedStatements(() =>
        c.db.transaction(async (tx) => {
          await tx.execute(sql`INSERT INTO held_begin_probe (n) VALUES (${1})`);
          await tx.execute(sql`INSERT INTO held_begin_probe (n) VALUES (${2})`);
          if (fail) throw fail;
        }),
      );

    /** PostgreSQL's answers (round trips) while `work` runs on the pool's one connection. */
    async function roundTrips(work: () => Promise<unknown>): Promise<number> {
      const conn = await connection(one);
      let answers = 0;
      const count = () => answers++;
      conn.on("readyForQuery", count);
      try {
        await work();
      } finally {
        conn.off("readyForQuery", count);
      }
      return answers;
    }

    it("saves one round trip per transaction once the connection has prepared begin", async () => {
      // The first prepares begin, sent on its own; then begin + first insert, second insert, commit.
      expect(await roundTrips(() => insertTwice(one))).toBe(4);
      expect(await roundTrips(() => insertTwice(one))).toBe(3);
      expect(await probe(one)).toBe(4);
    });

    it("keeps the statement after it inside the transaction: a failure rolls both inserts back", async () => {
      const before = await probe(one);
      await expect(insertTwice(one, new Error("handler failed"))).rejects.toThrow("handler failed");
      expect(await probe(one)).toBe(before);
      await insertTwice(one);
      expect(await probe(one)).toBe(before + 2);
    });

    const heldInsert = (tx: Db, n: number | null) =>
      withoutAnswer(() => tx.execute(sql`INSERT INTO held_begin_probe (n) VALUES (${n})`));

    it("sends a write without an answer with the next statement, or with the commit", async () => {
      const before = await probe(one);
      const seen: number[] = [];
      const trips = await roundTrips(() =>
        withPreparedStatements(() =>
          one.db.transaction(async (tx) => {
            await heldInsert(tx, 7);
            // The held insert runs first: the read behind it sees its row.
            const row = await queryOne<{ n: number }>(
              tx,
              sql`SELECT count(*)::int AS n FROM held_begin_probe`,
            );
            seen.push(row!.n);
            await heldInsert(tx, 8);
          }),
        ),
      );
      expect(seen).toEqual([before + 1]);
      expect(await probe(one)).toBe(before + 2);
      // begin + insert + read, then insert + commit (the insert prepared already by the line above).
      expect(trips).toBe(2);
    });

    it("fails the transaction when a held write fails, at its next statement or at the commit", async () => {
      const before = await probe(one);
      const atRead = withPreparedStatements(() =>
        one.db.transaction(async (tx) => {
          await heldInsert(tx, 9);
          await heldInsert(tx, null); // NOT NULL violated, noticed only with the read below
          await queryOne(tx, sql`SELECT count(*)::int AS n FROM held_begin_probe`);
        }),
      );
      const readFailure = await atRead.then(
        () => undefined,
        (err: Error) => err,
      );
      expect((readFailure?.cause as Error | undefined)?.message).toMatch(/null value in column "n"/);
      const atCommit = withPreparedStatements(() =>
        one.db.transaction(async (tx) => {
          await heldInsert(tx, 10);
          await heldInsert(tx, null);
        }),
      );
      await expect(atCommit).rejects.toThrow();
      expect(await probe(one)).toBe(before);
    });

    it("drops what it holds when the transaction rolls back, and leaves the connection clean", async () => {
      const before = await probe(one);
      const trips = await roundTrips(async () => {
        const failing = withPreparedStatements(() =>
          one.db.transaction(async (tx) => {
            await heldInsert(tx, 12);
            await heldInsert(tx, null); // would fail, but is rolled back unsent
            throw new Error("handler failed");
          }),
        );
        await expect(failing).rejects.toThrow("handler failed");
      });
      // begin, the two inserts and the rollback: nothing sent, the transaction never started.
      expect(trips).toBe(0);
      const failingLater = withPreparedStatements(() =>
        one.db.transaction(async (tx) => {
          await tx.execute(sql`INSERT INTO held_begin_probe (n) VALUES (${13})`);
          await heldInsert(tx, null);
          throw new Error("handler failed");
        }),
      );
      await expect(failingLater).rejects.toThrow("handler failed");
      expect(await probe(one)).toBe(before);
      await insertTwice(one);
      expect(await probe(one)).toBe(before + 2);
    });

    it("sends what it holds with a statement of text alone too (no name, no values)", async () => {
      const before = await probe(one);
      const seen = await withPreparedStatements(() =>
        one.db.transaction(async (tx) => {
          await heldInsert(tx, 14);
          // The transaction's connection asked directly, as pg's simple-query form: it must not
          // leave the held insert behind.
          const client = (tx as unknown as { session: { client: pg.PoolClient } }).session.client;
          const result = await client.query("SELECT count(*)::int AS n FROM held_begin_probe");
          return result.rows[0].n as number;
        }),
      );
      expect(seen).toBe(before + 1);
      expect(await probe(one)).toBe(before + 1);
    });

    it("runs a write without an answer at once outside a transaction", async () => {
      const before = await probe(one);
      const trips = await roundTrips(() => withPreparedStatements(() => heldInsert(one.db, 11)));
      expect(trips).toBe(1);
      expect(await probe(one)).toBe(before + 1);
    });

    // Last: it leaves this connection's prepared begin unusable.
    it("never runs the statement when begin itself fails", async () => {
      const before = await probe(one);
      // Drop the connection's prepared begin behind pg's back: the next held begin is refused by
      // PostgreSQL, which must then skip the insert written behind it.
      const begin = await queryOne<{ name: string }>(
        one.db,
        sql`SELECT name FROM pg_prepared_statements WHERE statement = 'begin'`,
      );
      await one.db.execute(sql.raw(`DEALLOCATE ${begin!.name}`));
      const failure = await insertTwice(one).then(
        () => undefined,
        (err: Error) => err,
      );
      expect((failure?.cause as Error | undefined)?.message).toMatch(/prepared statement .* does not exist/);
      expect(await probe(one)).toBe(before);
    });
  });
});
