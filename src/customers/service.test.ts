import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { createCustomer, findCustomerByStripeId, getCustomer, requireCustomer } from "./service.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

describe("customers service", () => {
  it("creates, gets and finds a customer by Stripe id", async () => {
    const c = await createCustomer(
      ctx.db,
      { email: " ada@example.test ", name: "Ada", country: "GB", stripeCustomerId: "cus_1" },
      ctx.clock.now(),
    );
    expect(c).toMatchObject({ email: "ada@example.test", name: "Ada", country: "GB", livemode: false });
    expect((await getCustomer(ctx.db, c.id))?.id).toBe(c.id);
    expect((await findCustomerByStripeId(ctx.db, "cus_1"))?.id).toBe(c.id);
    expect(await findCustomerByStripeId(ctx.db, "cus_nope")).toBeUndefined();
    await expect(requireCustomer(ctx.db, 987_654)).rejects.toMatchObject({ status: 404 });
  });

  it("names the bad field", async () => {
    await expect(
      createCustomer(ctx.db, { email: "not-an-email", name: "X" }, ctx.clock.now()),
    ).rejects.toMatchObject({
      details: { field: "email" },
    });
  });
});
