import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { onPostgres } from "../../../tests/support/db.ts";
import { deliver } from "../../../tests/support/webhooks.ts";
import { customers } from "../../customers/schema.ts";
import { withoutAnswer, withPreparedStatements } from "../../db/client.ts";
import { TransactionRolledBackError } from "../../db/pooled-transaction.ts";
import { queryOne } from "../../db/sql.ts";
import { createStripeFactory } from "../../offline/objects/event-factory.ts";
import { subscriptionHistory } from "../../subscriptions/schema.ts";
import { stripeEvents } from "../schema.ts";
import { isDuplicateEvent, storeEvent } from "./store.ts";

/*
 * The webhook path writes the inbox row without waiting for its answer (it travels with the handler's
 * first statement), so a duplicate is found by that insert failing, after the handler has started.
 * On PostgreSQL the pool has one connection, warmed first, so the insert really is held there.
 */
describe("a duplicate delivery changes nothing", () => {
  let ctx: TestContext;
  const f = createStripeFactory({ seed: "duplicate-delivery", now: new Date("2026-06-15T11:00:00Z") });
  beforeEach(async () => {
    ctx = await createTestContext({ poolSize: 1 });
    // Prepares the inbox insert on the connection: from now on it is held (PostgreSQL).
    await deliver(ctx, f.makeEvent("customer.created", f.makeCustomer({ email: "warm@example.test" })));
  });
  afterEach(async () => {
    await ctx?.destroy();
  });

  const customersWithEmail = async (email: string) =>
    (await queryOne<{ n: number }>(
      ctx.db,
      sql`SELECT count(*)::int AS n FROM ${customers} WHERE ${customers.email} = ${email}`,
    ))!.n;

  it("an event already in the inbox (stored by sync, not applied yet) is not applied by a delivery", async () => {
    const event = f.makeEvent("customer.created", f.makeCustomer({ email: "stored-first@example.test" }));
    expect(await storeEvent(ctx, event, { source: "sync" })).toBe(true);
    const warn = vi.spyOn(ctx.logger, "warn");
    const result = await deliver(ctx, event);
    expect(result).toMatchObject({ duplicate: true, outcome: "skipped" });
    // Known as a duplicate, not taken for a handler failure (which would be logged and retried).
    expect(warn).not.toHaveBeenCalled();
    // The handler ran up to its first statement, which failed with the insert: its writes are gone.
    expect(await customersWithEmail("stored-first@example.test")).toBe(0);
    const [row] = await ctx.db.select().from(stripeEvents).where(eq(stripeEvents.id, event.id));
    expect(row).toMatchObject({ status: "received", source: "sync", attempts: 0 });
  });

  it("a transaction whose failed statement was caught does not pass for committed (either engine)", async () => {
    const email = "swallowed@example.test";
    const attempt = ctx.db.transaction(async (tx) => {
      await tx.insert(customers).values({ email, name: "Kept?", createdAt: ctx.clock.now() });
      await tx.execute(sql`SELECT 1 / 0`).catch(() => undefined);
    });
    await expect(attempt).rejects.toBeInstanceOf(TransactionRolledBackError);
    expect((await ctx.db.select().from(customers).where(eq(customers.email, email))).length).toBe(0);
  });

  it("a second delivery of an applied event: skipped, applied once", async () => {
    const event = f.makeEvent("customer.created", f.makeCustomer({ email: "twice@example.test" }));
    expect(await deliver(ctx, event)).toMatchObject({ duplicate: false, outcome: "processed" });
    expect(await deliver(ctx, event)).toMatchObject({ duplicate: true, outcome: "skipped" });
    expect(await customersWithEmail("twice@example.test")).toBe(1);
  });

  it("a subscription's history row carries its event's arrival number", async () => {
    const price = { id: "price_dup_m", unit_amount: 2900, currency: "usd", recurring: { interval: "month" } };
    const subscription = f.makeSubscription({ items: [{ price: price as never }] });
    const event = f.makeEvent("customer.subscription.created", subscription);
    expect(await deliver(ctx, event)).toMatchObject({ outcome: "processed" });
    const [stored] = await ctx.db.select().from(stripeEvents).where(eq(stripeEvents.id, event.id));
    const [history] = await ctx.db
      .select()
      .from(subscriptionHistory)
      .where(eq(subscriptionHistory.eventId, event.id));
    expect(history!.receivedSeq).toBe(stored!.receivedSeq);
    expect(stored!.receivedSeq).toBeGreaterThan(1);
  });

  it("a unique violation of the handler's own is a failure, not a duplicate", () => {
    const violation = (constraint: string) =>
      new Error("insert failed", {
        cause: Object.assign(new Error("duplicate key"), { code: "23505", constraint }),
      });
    expect(isDuplicateEvent(violation("stripe_events_pkey"))).toBe(true);
    expect(isDuplicateEvent(violation("customers_stripe_customer_id_unique"))).toBe(false);
    expect(isDuplicateEvent(new Error("other"))).toBe(false);
  });
});

describe.skipIf(!onPostgres)("concurrent duplicates and silent rollbacks (PostgreSQL)", () => {
  let ctx: TestContext;
  const f = createStripeFactory({ seed: "duplicate-concurrent", now: new Date("2026-06-15T11:00:00Z") });
  beforeEach(async () => {
    ctx = await createTestContext({ poolSize: 6 });
  });
  afterEach(async () => {
    await ctx?.destroy();
  });

  it("the same event delivered 12 times at once is applied once", async () => {
    // Warm every connection so that most inserts are held.
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        deliver(ctx, f.makeEvent("customer.created", f.makeCustomer({ email: `warm${i}@example.test` }))),
      ),
    );
    const event = f.makeEvent("customer.created", f.makeCustomer({ email: "storm@example.test" }));
    const results = await Promise.all(Array.from({ length: 12 }, () => deliver(ctx, event)));
    expect(results.filter((r) => r.outcome === "processed")).toHaveLength(1);
    expect(results.filter((r) => r.duplicate && r.outcome === "skipped")).toHaveLength(11);
    const n = await queryOne<{ n: number }>(
      ctx.db,
      sql`SELECT count(*)::int AS n FROM ${customers} WHERE ${customers.email} = 'storm@example.test'`,
    );
    expect(n!.n).toBe(1);
  });

  it("a held write that fails fails the commit that took it along", async () => {
    const event = f.makeEvent("customer.created", f.makeCustomer({ email: "held@example.test" }));
    expect(await deliver(ctx, event)).toMatchObject({ outcome: "processed" });
    const again = (tx: Parameters<Parameters<typeof ctx.db.transaction>[0]>[0]) =>
      withoutAnswer(() =>
        tx.execute(sql`INSERT INTO ${stripeEvents} (id, type, created, livemode, payload, received_at, status)
          SELECT id, type, created, livemode, payload, received_at, status FROM ${stripeEvents} WHERE id = ${event.id}`),
      );
    const attempt = withPreparedStatements(() => ctx.db.transaction(async (tx) => again(tx)));
    await expect(attempt).rejects.toSatisfy(isDuplicateEvent);
  });
});
