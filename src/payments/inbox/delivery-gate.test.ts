import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { onPostgres } from "../../../tests/support/db.ts";
import { buildEventStream, signAll } from "../../../tests/support/stripe-stream.ts";
import { queryOne } from "../../db/sql.ts";
import { CONNECTIONS_KEPT_FROM_DELIVERIES, deliveryGate, receiveWebhook } from "./receive.ts";

/*
 * A burst of deliveries must not take every pooled connection: while deliveries wait on the
 * database (here: on a lock another session holds on the inbox), a page's read still gets a
 * connection at once.
 */
describe.skipIf(!onPostgres)("a burst of deliveries on PostgreSQL", () => {
  const POOL = 5;
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ poolSize: POOL });
  });
  afterAll(() => ctx?.destroy());

  it("applies at most pool − 2 deliveries at once; a read meanwhile is answered before they are", async () => {
    const gate = deliveryGate(ctx.database)!;
    expect(gate.limit).toBe(POOL - CONNECTIONS_KEPT_FROM_DELIVERIES);

    // Another session holds the inbox: every delivery's first insert waits for it.
    const locker = new pg.Client({ connectionString: ctx.database.pool!.options.connectionString });
    await locker.connect();
    const order: string[] = [];
    try {
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE stripe_events IN EXCLUSIVE MODE");
      const events = buildEventStream({ seed: 5, events: 8 }).slice(0, 8);
      const deliveries = signAll(events, ctx.config.stripeWebhookSecrets[0]!).map((d) =>
        receiveWebhook(ctx, d.payload, d.header),
      );
      // Three are applying (blocked on the lock, one connection each), five wait at the gate.
      expect(gate.queued).toBe(events.length - gate.limit);

      // Let the lock go after a while whatever happens, so a read stuck behind it ends the test.
      const release = new Promise<void>((done) =>
        setTimeout(() => {
          order.push("lock released");
          void locker.query("COMMIT").then(() => done());
        }, 3_000),
      );
      const read = await queryOne<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM customers`);
      order.push("read answered");
      expect(read!.n).toBe(0);
      await release;
      const results = await Promise.all(deliveries);
      expect(results.map((r) => r.outcome)).toEqual(events.map(() => "processed"));
      expect(order).toEqual(["read answered", "lock released"]);
      const stored = await queryOne<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM stripe_events`);
      expect(stored!.n).toBe(events.length);
    } finally {
      await locker.end();
    }
  });
});
