import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { systemActor } from "../audit/index.ts";
import { InvalidTransitionError } from "./errors.ts";
import { ALLOWED_TRANSITIONS, applyTransition, transition } from "./lifecycle.ts";
import { type OrderStatus, orderEvents, orders } from "./schema.ts";

// ARCHITECTURE §7, written out by hand: exactly these five pairs are allowed.
const ALLOWED = new Set([
  "pending>paid",
  "pending>canceled",
  "paid>fulfilled",
  "paid>refunded",
  "fulfilled>refunded",
]);
const STATUSES: OrderStatus[] = ["pending", "paid", "fulfilled", "canceled", "refunded"];
const PAIRS = STATUSES.flatMap((from) =>
  STATUSES.map((to) => ({ from, to, ok: ALLOWED.has(`${from}>${to}`) })),
);
const STAMP: Record<string, string> = {
  paid: "paidAt",
  fulfilled: "fulfilledAt",
  canceled: "canceledAt",
  refunded: "refundedAt",
};
const AT = new Date("2026-06-15T12:00:00Z");

describe("order state machine (pure)", () => {
  it("covers all 25 pairs, 5 allowed", () => {
    expect(PAIRS).toHaveLength(25);
    expect(PAIRS.filter((p) => p.ok)).toHaveLength(5);
    const table = STATUSES.flatMap((f) => ALLOWED_TRANSITIONS[f].map((t) => `${f}>${t}`));
    expect(new Set(table)).toEqual(ALLOWED);
  });

  it.each(PAIRS.filter((p) => p.ok))("allows $from → $to and stamps the time", ({ from, to }) => {
    const patch = transition({ status: from }, to, AT);
    expect(patch.status).toBe(to);
    expect((patch as Record<string, unknown>)[STAMP[to]!]).toEqual(AT);
  });

  it.each(PAIRS.filter((p) => !p.ok))("rejects $from → $to with order.invalid_transition", ({ from, to }) => {
    expect(() => transition({ status: from }, to, AT)).toThrow(InvalidTransitionError);
    try {
      transition({ status: from }, to, AT);
    } catch (err) {
      expect((err as InvalidTransitionError).code).toBe("order.invalid_transition");
      expect((err as InvalidTransitionError).status).toBe(409);
    }
  });
});

describe("applyTransition on the database", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.destroy());

  async function orderIn(status: OrderStatus) {
    const [o] = await ctx.db
      .insert(orders)
      .values({
        number: `T-${status}-${Math.random()}`,
        customerId: 1,
        status,
        currency: "usd",
        amountSubtotal: 500,
        amountTotal: 500,
        createdAt: AT,
        updatedAt: AT,
      })
      .returning();
    return o!;
  }

  it.each(PAIRS)("$from → $to: allowed=$ok, and a rejected one changes nothing", async ({ from, to, ok }) => {
    const order = await orderIn(from);
    const run = applyTransition(ctx, order, to, systemActor, { at: AT });
    if (ok) await expect(run).resolves.toMatchObject({ status: to });
    else await expect(run).rejects.toThrow(InvalidTransitionError);
    const [after] = await ctx.db.select().from(orders).where(eq(orders.id, order.id));
    const events = await ctx.db.select().from(orderEvents).where(eq(orderEvents.orderId, order.id));
    expect(after!.status).toBe(ok ? to : from);
    expect(events).toHaveLength(ok ? 1 : 0);
    if (ok) expect(events[0]).toMatchObject({ fromStatus: from, toStatus: to, actorType: "system" });
  });

  it("a stale read cannot overwrite a status that changed meanwhile", async () => {
    const order = await orderIn("pending");
    await applyTransition(ctx, order, "canceled", systemActor, { at: AT });
    // `order` still says pending; paying it now must fail and leave it canceled.
    await expect(applyTransition(ctx, order, "paid", systemActor, { at: AT })).rejects.toThrow(
      InvalidTransitionError,
    );
    const [after] = await ctx.db.select().from(orders).where(eq(orders.id, order.id));
    expect(after!.status).toBe("canceled");
  });
});
