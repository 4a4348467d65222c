import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { insertPendingOrder } from "../../tests/support/webhooks.ts";
import { cliActor } from "../audit/index.ts";
import { auditLog, customers } from "../db/schema.ts";
import { getShippingAddress, saveShippingAddress } from "../orders/index.ts";
import { anonymizeCustomerData } from "./anonymize-customer.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

describe("anonymizeCustomerData", () => {
  it("pseudonymises the customer and removes their orders' shipping addresses, keeping the orders", async () => {
    const { orderId, customerId } = await insertPendingOrder(ctx, [{ unitPrice: 1000, quantity: 1 }]);
    const other = await insertPendingOrder(ctx, [{ unitPrice: 1000, quantity: 1 }]);
    const address = { name: "Ada Buyer", line1: "1 Harbour Road", city: "Dublin", country: "IE" };
    await saveShippingAddress(ctx, orderId, address, "offline_checkout");
    await saveShippingAddress(ctx, other.orderId, address, "offline_checkout");

    const outcome = await anonymizeCustomerData(ctx, customerId, { actor: cliActor, reason: "request" });
    expect(outcome).toMatchObject({ changed: true, shippingAddresses: 1 });
    expect(await getShippingAddress(ctx, orderId)).toBeUndefined();
    expect(await getShippingAddress(ctx, other.orderId)).toBeDefined();
    const [row] = await ctx.db.select().from(customers).where(eq(customers.id, customerId));
    expect(row?.anonymizedAt).not.toBeNull();
    const [entry] = await ctx.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "customer.shipping_addresses_remove"));
    expect(entry?.after).toEqual({ removed: 1 });
    expect(JSON.stringify(entry)).not.toContain("Harbour");

    // Again: nothing left to change.
    expect(
      await anonymizeCustomerData(ctx, customerId, { actor: cliActor, reason: "request" }),
    ).toMatchObject({
      changed: false,
      shippingAddresses: 0,
    });
  });
});
