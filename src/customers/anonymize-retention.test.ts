import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { cliActor, systemActor } from "../audit/index.ts";
import { createProduct } from "../catalog/index.ts";
import { createOrderFromCart } from "../orders/index.ts";
import { charges } from "../payments/schema.ts";
import { fixedClock } from "../shared/clock.ts";
import { invoices, subscriptions } from "../subscriptions/schema.ts";
import { anonymizeCustomer, anonymizeInactiveCustomers, customersInactiveFor } from "./anonymize.ts";
import { createCustomer, getCustomer } from "./service.ts";

// Retention must only erase customers who are inactive everywhere: shop orders, subscriptions, charges
// and invoices. Every case runs against the same `now` and a 365-day window (cutoff 2026-03-01).
const SECRET = "test-secret-for-pseudonyms-0123456789";
const DAY = 86_400_000;
const NOW = new Date("2027-03-01T00:00:00Z");
const DAYS = 365;
const LONG_AGO = new Date(NOW.getTime() - 700 * DAY);
const BEFORE_CUTOFF = new Date(NOW.getTime() - 400 * DAY);
const RECENT = new Date(NOW.getTime() - 2 * DAY);

let ctx: TestContext;
let productId: number;
let seq = 0;

beforeAll(async () => {
  ctx = await createTestContext({ env: { SESSION_SECRET: SECRET } });
  const product = await createProduct(
    ctx,
    { sku: "RET-1", name: "Mug", priceAmount: 1500, currency: "usd", stockOnHand: 100 },
    cliActor,
  );
  productId = product.id;
}, 60_000);
afterAll(() => ctx.destroy());

/** The test context with its clock stopped at `time`. */
const at = (time: Date) => ({ ...ctx, clock: fixedClock(time) });

async function customer(email: string, stripeCustomerId: string | null = null): Promise<number> {
  const c = await createCustomer(at(LONG_AGO), { email, name: `Name of ${email}`, stripeCustomerId });
  return c.id;
}

async function order(customerId: number, at: Date): Promise<number> {
  ctx.clock.set(at);
  const o = await createOrderFromCart(ctx, { customerId, items: [{ productId, quantity: 1 }] }, systemActor);
  return o.id;
}

async function subscription(input: {
  stripeCustomerId: string;
  customerId: number | null;
  status: string;
  created: Date;
  endedAt?: Date;
}): Promise<string> {
  const id = `sub_ret_${++seq}`;
  await ctx.db.insert(subscriptions).values({
    id,
    stripeCustomerId: input.stripeCustomerId,
    customerId: input.customerId,
    status: input.status,
    currency: "usd",
    items: [],
    created: input.created,
    canceledAt: input.endedAt ?? null,
    endedAt: input.endedAt ?? null,
    livemode: false,
    mrr: input.status === "active" ? 1000 : 0,
    sourceEventCreated: input.endedAt ?? input.created,
  });
  return id;
}

async function charge(input: { created: Date; stripeCustomerId?: string; orderId?: number }) {
  await ctx.db.insert(charges).values({
    id: `ch_ret_${++seq}`,
    amount: 1000,
    currency: "usd",
    status: "succeeded",
    paid: true,
    created: input.created,
    livemode: false,
    stripeCustomerId: input.stripeCustomerId ?? null,
    orderId: input.orderId ?? null,
    sourceEventCreated: input.created,
  });
}

async function invoice(input: {
  created: Date;
  paidAt?: Date;
  stripeCustomerId?: string;
  subscriptionId?: string;
}) {
  await ctx.db.insert(invoices).values({
    id: `in_ret_${++seq}`,
    subscriptionId: input.subscriptionId ?? null,
    stripeCustomerId: input.stripeCustomerId ?? null,
    status: input.paidAt ? "paid" : "open",
    currency: "usd",
    amountDue: 1000,
    amountPaid: input.paidAt ? 1000 : 0,
    created: input.created,
    paidAt: input.paidAt ?? null,
    livemode: false,
    sourceEventCreated: input.paidAt ?? input.created,
  });
}

describe("customers anonymize --older-than: activity beyond shop orders", () => {
  // Built in the first test, checked across the file (one database for the whole file).
  const ids: Record<string, number> = {};

  it("a customer with only an active subscription and no orders is not anonymized", async () => {
    ids.subscriber = await customer("subscriber@example.test", "cus_ret_subscriber");
    await subscription({
      stripeCustomerId: "cus_ret_subscriber",
      customerId: ids.subscriber,
      status: "active",
      created: LONG_AGO,
    });
    // A subscription not yet linked by customer_id (only the Stripe customer id matches) counts too.
    ids.unlinked = await customer("unlinked@example.test", "cus_ret_unlinked");
    await subscription({
      stripeCustomerId: "cus_ret_unlinked",
      customerId: null,
      status: "past_due",
      created: LONG_AGO,
    });
    // Control: no activity at all since sign-up.
    ids.idle = await customer("idle@example.test");

    const picked = await customersInactiveFor(at(NOW), DAYS);
    expect(picked).not.toContain(ids.subscriber);
    expect(picked).not.toContain(ids.unlinked);
    expect(picked).toContain(ids.idle);
  });

  it("a customer whose subscription was canceled before the cutoff, with nothing since, is anonymized", async () => {
    ids.churned = await customer("churned@example.test", "cus_ret_churned");
    const sub = await subscription({
      stripeCustomerId: "cus_ret_churned",
      customerId: ids.churned,
      status: "canceled",
      created: LONG_AGO,
      endedAt: BEFORE_CUTOFF,
    });
    await invoice({
      created: LONG_AGO,
      paidAt: LONG_AGO,
      stripeCustomerId: "cus_ret_churned",
      subscriptionId: sub,
    });
    await charge({ created: LONG_AGO, stripeCustomerId: "cus_ret_churned" });
    await subscription({
      stripeCustomerId: "cus_ret_churned",
      customerId: ids.churned,
      status: "incomplete_expired",
      created: BEFORE_CUTOFF,
    });
    // A subscription that ended inside the window is recent activity.
    ids.justChurned = await customer("just-churned@example.test", "cus_ret_just_churned");
    await subscription({
      stripeCustomerId: "cus_ret_just_churned",
      customerId: ids.justChurned,
      status: "canceled",
      created: LONG_AGO,
      endedAt: RECENT,
    });

    const picked = await customersInactiveFor(at(NOW), DAYS);
    expect(picked).toContain(ids.churned);
    expect(picked).not.toContain(ids.justChurned);
  });

  it("a customer with a recent charge or invoice but old orders is not anonymized", async () => {
    // Charge by Stripe customer id.
    ids.charged = await customer("charged@example.test", "cus_ret_charged");
    await order(ids.charged, BEFORE_CUTOFF);
    await charge({ created: RECENT, stripeCustomerId: "cus_ret_charged" });
    // Charge linked only through an (old) order of the customer.
    ids.orderCharge = await customer("order-charge@example.test");
    const old = await order(ids.orderCharge, BEFORE_CUTOFF);
    await charge({ created: RECENT, orderId: old });
    // Invoice paid two days ago, by Stripe customer id, on an old invoice.
    ids.invoiced = await customer("invoiced@example.test", "cus_ret_invoiced");
    await order(ids.invoiced, BEFORE_CUTOFF);
    await invoice({ created: BEFORE_CUTOFF, paidAt: RECENT, stripeCustomerId: "cus_ret_invoiced" });
    // Invoice created recently, linked only through a subscription's customer_id.
    ids.subInvoice = await customer("sub-invoice@example.test");
    await order(ids.subInvoice, BEFORE_CUTOFF);
    const sub = await subscription({
      stripeCustomerId: "cus_ret_elsewhere",
      customerId: ids.subInvoice,
      status: "canceled",
      created: LONG_AGO,
      endedAt: BEFORE_CUTOFF,
    });
    await invoice({ created: RECENT, subscriptionId: sub });
    // Control: the same old order, nothing since.
    ids.oldBuyer = await customer("old-buyer@example.test", "cus_ret_old_buyer");
    await order(ids.oldBuyer, BEFORE_CUTOFF);
    await charge({ created: BEFORE_CUTOFF, stripeCustomerId: "cus_ret_old_buyer" });

    const picked = await customersInactiveFor(at(NOW), DAYS);
    for (const kept of ["charged", "orderCharge", "invoiced", "subInvoice"])
      expect(picked, kept).not.toContain(ids[kept]);
    expect(picked).toContain(ids.oldBuyer);
  });

  it("anonymizes exactly the inactive customers; --id still erases an active subscriber on request", async () => {
    const expected = [ids.idle, ids.churned, ids.oldBuyer].sort((a, b) => a! - b!);
    expect(await customersInactiveFor(at(NOW), DAYS)).toEqual(expected);

    const outcomes = await anonymizeInactiveCustomers(at(NOW), DAYS, { actor: systemActor });
    expect(outcomes.map((o) => o.customerId)).toEqual(expected);
    expect((await getCustomer(ctx, ids.subscriber!))?.anonymizedAt).toBeNull();
    expect((await getCustomer(ctx, ids.charged!))?.email).toBe("charged@example.test");

    // A data-subject request is explicit: activity does not protect against it.
    const outcome = await anonymizeCustomer(at(NOW), ids.subscriber!, { actor: cliActor, reason: "request" });
    expect(outcome).toMatchObject({ customerId: ids.subscriber, changed: true });
    expect((await getCustomer(ctx, ids.subscriber!))?.anonymizedAt).toEqual(NOW);
  });
});
