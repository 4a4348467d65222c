import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../../tests/support/builders/catalog.ts";
import { makeCustomer } from "../../../tests/support/builders/customers.ts";
import { makeCharge } from "../../../tests/support/builders/ledger.ts";
import { makeOrder } from "../../../tests/support/builders/orders.ts";
import type { TestContext } from "../../../tests/support/context.ts";
import { createTestApp, sessionClientFor, type TestClient } from "../../../tests/support/http.ts";
import { cliActor } from "../../audit/index.ts";
import { createUser } from "../../auth/index.ts";
import { orderEvents } from "../../orders/schema.ts";
import type { AppEnv } from "../request-context.ts";

/**
 * Who did what, as a person reads it (issue 19): the order's history, the audit log and the
 * customer's profile name Olivia as "Olivia Ops (ops)", never "user:3", and machines by what they
 * are ("System", "Stripe webhook", "CLI"), never "system system".
 */
let ctx: TestContext;
let app: Hono<AppEnv>;
let olivia: TestClient;
let admin: TestClient;
let orderNumber: string;
let customerId: number;

beforeAll(async () => {
  ({ ctx, app } = await createTestApp());
  const password = "correct horse battery staple";
  const ops = await createUser(
    ctx,
    { email: "olivia@example.test", password, role: "ops", displayName: "Olivia Ops" },
    cliActor,
  );
  const boss = await createUser(
    ctx,
    { email: "adam@example.test", password, role: "admin", displayName: "Adam Admin" },
    cliActor,
  );
  olivia = await sessionClientFor(app, ctx, ops.id);
  admin = await sessionClientFor(app, ctx, boss.id);
  const customer = await makeCustomer(ctx.db, { name: "Mina Okafor" });
  customerId = customer.id;
  const product = await makeProduct(ctx.db, { priceAmount: 1800, stockOnHand: 5 });
  const order = await makeOrder(ctx.db, {
    customerId,
    createdAt: "2026-06-10T10:00:00Z",
    lines: [{ productId: product.id, quantity: 2, unitPrice: 1800 }],
  });
  await makeCharge(ctx.db, { amount: 3600, orderId: order.id, created: "2026-06-10T10:00:00Z" });
  orderNumber = order.number;
  await ctx.db.insert(orderEvents).values([
    {
      orderId: order.id,
      toStatus: "pending",
      at: new Date("2026-06-10T10:00:00Z"),
      actorType: "system",
      actorId: "system",
    },
    {
      orderId: order.id,
      fromStatus: "pending",
      toStatus: "paid",
      at: new Date("2026-06-10T10:00:05Z"),
      actorType: "webhook",
      actorId: "stripe",
    },
  ]);
  await olivia.primeCsrf(`/admin/orders/${orderNumber}`);
  expect(
    (await olivia.postForm(`/admin/orders/${orderNumber}/refunds`, { amount: "5.00", reason: "duplicate" }))
      .status,
  ).toBe(303);
  expect((await olivia.postForm(`/admin/orders/${orderNumber}/fulfill`, { reason: "packed" })).status).toBe(
    303,
  );
}, 60_000);
afterAll(() => ctx.destroy());

async function page(client: TestClient, path: string): Promise<string> {
  const res = await client.get(path);
  expect(res.status, path).toBe(200);
  return res.text();
}

describe("actors named as a person reads them", () => {
  it("the order's history says System, Stripe webhook and Olivia Ops (ops)", async () => {
    const html = await page(olivia, `/admin/orders/${orderNumber}`);
    const history = html.slice(html.indexOf("<h2>History</h2>"));
    expect(history).toMatch(/created \(pending\)<\/strong> <span class="muted">[^<]* · by System<\/span>/);
    expect(history).toMatch(/pending → paid<\/strong> <span class="muted">[^<]* · by Stripe webhook<\/span>/);
    expect(history).toMatch(
      /paid → fulfilled<\/strong> <span class="muted">[^<]* · by Olivia Ops \(ops\)<\/span>/,
    );
    expect(history).toMatch(/Refund \$5\.00[\s\S]*?by Olivia Ops \(ops\)/);
    expect(history).not.toMatch(/system system|user:\d|by user|webhook stripe/);
  });

  it("the audit log and the customer's profile name the same person", async () => {
    const audit = await page(admin, "/audit?action=order.fulfill");
    expect(audit).toContain("Olivia Ops (ops)");
    expect(audit).not.toMatch(/>user \d+</);
    const profile = await page(admin, `/customers/${customerId}`);
    const events = profile.slice(profile.indexOf('id="audit"'));
    expect(events).toContain("Olivia Ops (ops)");
    expect(events).not.toMatch(/<td>user( \(ops\))?<\/td>/);
  });
});
