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
    const c = await createCustomer(ctx, {
      email: " ada@example.test ",
      name: "Ada",
      country: "GB",
      stripeCustomerId: "cus_1",
    });
    expect(c).toMatchObject({ email: "ada@example.test", name: "Ada", country: "GB", livemode: false });
    expect((await getCustomer(ctx, c.id))?.id).toBe(c.id);
    expect((await findCustomerByStripeId(ctx, "cus_1"))?.id).toBe(c.id);
    expect(await findCustomerByStripeId(ctx, "cus_nope")).toBeUndefined();
    await expect(requireCustomer(ctx, 987_654)).rejects.toMatchObject({ status: 404 });
  });

  it("names the bad field", async () => {
    await expect(createCustomer(ctx, { email: "not-an-email", name: "X" })).rejects.toMatchObject({
      details: { field: "email" },
    });
  });
});
