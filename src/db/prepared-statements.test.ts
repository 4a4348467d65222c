import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { onPostgres } from "../../tests/support/db.ts";
import { buildEventStream, signAll } from "../../tests/support/stripe-stream.ts";
import { receiveWebhook } from "../payments/inbox/receive.ts";
import { MAX_PREPARED_PER_CONNECTION, withPreparedStatements } from "./client.ts";
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
});
