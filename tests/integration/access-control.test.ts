/**
 * Cross-cutting access control (the route × role matrix itself is src/web/rbac.test.ts; the single
 * fixation/CSRF cases are in src/web/app.test.ts):
 * - IDOR: a customer asking for another customer's order by number (page and pay action) gets 404,
 *   exactly like a number that does not exist; the owner gets 200.
 * - CSRF: every POST route, called by a signed-in user allowed to use it, without a token, with a
 *   forged token and with another session's token → 403 and no audit row.
 * - Session: a token from before sign-in is not the session after it; after sign-out the old
 *   session cookie no longer opens a staff page.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliActor } from "../../src/audit/index.ts";
import { can } from "../../src/auth/index.ts";
import { products } from "../../src/catalog/schema.ts";
import { customers } from "../../src/customers/schema.ts";
import { queryOne } from "../../src/db/sql.ts";
import { createOrderFromCart } from "../../src/orders/index.ts";
import { createApp } from "../../src/web/app.ts";
import { createTestContext, type TestContext } from "../support/context.ts";
import { signedInClient, TestClient } from "../support/http.ts";

let ctx: TestContext;
let app: ReturnType<typeof createApp>["app"];
let router: ReturnType<typeof createApp>["router"];

beforeAll(async () => {
  ctx = await createTestContext();
  ({ app, router } = createApp(ctx));
});
afterAll(() => ctx.destroy());

async function newCustomer(n: number): Promise<number> {
  const [row] = await ctx.db
    .insert(customers)
    .values({ email: `idor${n}@example.test`, name: `Buyer ${n}`, createdAt: ctx.clock.now() })
    .returning({ id: customers.id });
  return row!.id;
}

async function auditRows(): Promise<number> {
  const row = await queryOne<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM audit_log`);
  return Number(row?.n);
}

describe("access control across the app", () => {
  it("answers 404 to a customer fetching another customer's order (IDOR)", async () => {
    const [product] = await ctx.db
      .insert(products)
      .values({ sku: "IDOR-1", name: "Mug", priceAmount: 1200, currency: "usd", stockOnHand: 50 })
      .returning({ id: products.id });
    const alice = await newCustomer(1);
    const bob = await newCustomer(2);
    const orders = [];
    for (let i = 0; i < 5; i++) {
      orders.push(
        await createOrderFromCart(
          ctx,
          { customerId: alice, items: [{ productId: product!.id, quantity: 1 }] },
          cliActor,
        ),
      );
    }
    const asAlice = (await signedInClient(app, ctx, "customer", alice)).client;
    const asBob = (await signedInClient(app, ctx, "customer", bob)).client;
    let cases = 0;
    for (const order of orders) {
      expect((await asAlice.get(`/orders/${order.number}`)).status).toBe(200);
      const page = await asBob.get(`/orders/${order.number}`);
      expect(page.status).toBe(404);
      expect(await page.text()).not.toContain(order.number);
      expect((await asBob.postForm(`/orders/${order.number}/pay`, {})).status).toBe(404);
      expect((await asBob.get(`/admin/orders/${order.id}`)).status).toBe(403);
      cases += 3;
    }
    // Indistinguishable from an order that does not exist.
    expect((await asBob.get("/orders/RI-999999")).status).toBe(404);
    console.log(
      `access-control: IDOR ${cases} cross-customer requests on ${orders.length} orders → 404/403, owner 200`,
    );
  });

  it("refuses every POST route without a valid CSRF token and writes nothing", async () => {
    const admin = (await signedInClient(app, ctx, "admin")).client;
    const buyer = (await signedInClient(app, ctx, "customer", await newCustomer(3))).client;
    const other = (await signedInClient(app, ctx, "admin")).client;
    const posts = router.routes.filter((r) => r.method === "POST" && r.path !== "/webhooks/stripe");
    let cases = 0;
    for (const route of posts) {
      const client =
        route.access === "public" || route.access === "signed_in" || can("admin", route.access)
          ? admin
          : buyer;
      const path = route.path.replace(/:[a-zA-Z]+(\{[^}]*\})?/g, "1");
      const before = await auditRows();
      const saved = client.csrf;
      for (const token of [undefined, "forged-token", other.csrf]) {
        const res =
          token === undefined
            ? await client.postForm(path, {}, { csrf: false })
            : await client.postForm(path, { _csrf: token }, { csrf: false });
        expect(res.status, `${route.path} with token ${token ?? "none"}`).toBe(403);
        cases++;
      }
      client.csrf = saved;
      expect(await auditRows()).toBe(before);
    }
    console.log(
      `access-control: CSRF ${cases} POSTs (${posts.length} routes × missing/forged/other session's token) → 403, 0 audit rows`,
    );
  });

  it("issues a fresh session at sign-in and kills it at sign-out", async () => {
    const { client } = await signedInClient(app, ctx, "analyst");
    expect((await client.get("/dashboard")).status).toBe(200);
    const stolen = (client as unknown as { cookies: Map<string, string> }).cookies.get("ri_session");
    expect(stolen).toBeTruthy();
    expect((await client.postForm("/logout", {})).status).toBeLessThan(400);
    const replay = new TestClient(app);
    const res = await replay.get("/dashboard", { cookie: `ri_session=${stolen}` });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/login/);
    console.log(
      "access-control: session 1 sign-out replay → redirected to sign-in (fixation: src/web/app.test.ts)",
    );
  });
});
