import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { customers } from "./schema.ts";
import { type StripeCustomerFields, upsertCustomerFromStripe } from "./stripe-customers.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

const at = (iso: string) => new Date(iso);
const stripeCustomer = (id: string, over: Partial<StripeCustomerFields> = {}): StripeCustomerFields => ({
  id,
  email: `${id}@example.test`,
  name: "Ada",
  country: "GB",
  created: at("2026-06-01T08:00:00Z"),
  livemode: false,
  ...over,
});
const rowOf = async (stripeId: string) =>
  (await ctx.db.select().from(customers).where(eq(customers.stripeCustomerId, stripeId))).map((c) => ({
    id: c.id,
    email: c.email,
    name: c.name,
    stripeUpdatedAt: c.stripeUpdatedAt?.toISOString(),
  }));

describe("upsertCustomerFromStripe, insert first (likelyNew) or look up first", () => {
  it("creates a new customer once, whichever order it tries", async () => {
    const first = await upsertCustomerFromStripe(
      ctx,
      stripeCustomer("cus_new_a"),
      at("2026-06-01T08:00:01Z"),
      {
        likelyNew: true,
      },
    );
    const second = await upsertCustomerFromStripe(
      ctx,
      stripeCustomer("cus_new_b"),
      at("2026-06-01T08:00:01Z"),
    );
    expect([first.outcome, second.outcome]).toEqual(["created", "created"]);
    // A redelivery of either, in either order, finds the row and changes nothing.
    for (const likelyNew of [true, false]) {
      const again = await upsertCustomerFromStripe(
        ctx,
        stripeCustomer("cus_new_a"),
        at("2026-06-01T08:00:01Z"),
        {
          likelyNew,
        },
      );
      expect(again).toEqual({ outcome: "unchanged", customerId: first.customerId });
    }
    expect(await rowOf("cus_new_a")).toHaveLength(1);
  });

  it("ends in the same row as the look-up order: a newer event updates, an older one does not", async () => {
    const ends: unknown[] = [];
    for (const [id, likelyNew] of [
      ["cus_order_insert", true],
      ["cus_order_lookup", false],
    ] as const) {
      await upsertCustomerFromStripe(ctx, stripeCustomer(id), at("2026-06-01T08:00:01Z"));
      // customer.created delivered after the customer.updated it preceded: stale, kept out.
      const newer = await upsertCustomerFromStripe(
        ctx,
        stripeCustomer(id, { name: "Ada Lovelace" }),
        at("2026-06-02T08:00:00Z"),
      );
      const stale = await upsertCustomerFromStripe(
        ctx,
        stripeCustomer(id, { name: "Old name" }),
        at("2026-06-01T09:00:00Z"),
        { likelyNew },
      );
      expect([newer.outcome, stale.outcome]).toEqual(["updated", "unchanged"]);
      const [row] = await rowOf(id);
      ends.push({ ...row, id: undefined, email: row?.email.replace(id, "cus") });
    }
    expect(ends[0]).toEqual(ends[1]);
    expect(ends[0]).toMatchObject({ name: "Ada Lovelace", stripeUpdatedAt: "2026-06-02T08:00:00.000Z" });
  });
});
