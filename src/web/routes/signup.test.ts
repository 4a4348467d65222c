import { count, eq } from "drizzle-orm";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestContext } from "../../../tests/support/context.ts";
import { createTestApp, TestClient } from "../../../tests/support/http.ts";
import { MAX_FAILURES_PER_EMAIL } from "../../auth/index.ts";
import { auditLog, customers, users } from "../../db/schema.ts";
import type { AppEnv } from "../request-context.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;

const PASSWORD = "a long enough passphrase";

async function visitor(): Promise<TestClient> {
  const client = new TestClient(app);
  await client.primeCsrf("/signup");
  return client;
}

const customersWith = async (email: string) =>
  (await ctx.db.select({ n: count() }).from(customers).where(eq(customers.email, email)))[0]!.n;

beforeAll(async () => {
  ({ ctx, app } = await createTestApp());
}, 60_000);
afterAll(() => ctx.destroy());

describe("shopper sign-up", () => {
  it("creates the customer, a customer login and a session, then returns to the product", async () => {
    const client = await visitor();
    const res = await client.postForm("/signup", {
      name: "Ada Shopper",
      email: "Ada@Example.test",
      password: PASSWORD,
      next: "/products/7",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/products/7");
    const [user] = await ctx.db.select().from(users).where(eq(users.email, "ada@example.test"));
    expect(user).toMatchObject({ role: "customer", displayName: "Ada Shopper" });
    const [customer] = await ctx.db.select().from(customers).where(eq(customers.id, user!.customerId!));
    expect(customer).toMatchObject({ email: "ada@example.test", name: "Ada Shopper" });
    // Signed in: the shopper's own pages answer.
    expect((await client.get("/orders")).status).toBe(200);
    const [audited] = await ctx.db.select().from(auditLog).where(eq(auditLog.action, "user.create"));
    expect(audited?.targetId).toBe(String(user!.id));
  });

  it("applies the staff password rule and names the field, keeping what was typed", async () => {
    const client = await visitor();
    const res = await client.postForm("/signup", { name: "Bo", email: "bo@example.test", password: "short" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/id="signup-password-error"[^>]*>must be at least 12 characters/);
    expect(html).toContain('value="bo@example.test"');
    expect(await customersWith("bo@example.test")).toBe(0);
    const bad = await client.postForm("/signup", { name: "Bo", email: "not-an-email", password: PASSWORD });
    expect(await bad.text()).toMatch(/id="signup-email-error"[^>]*>must be an e-mail address/);
  });

  it("refuses an e-mail that has an account, creating nothing", async () => {
    const client = await visitor();
    const res = await client.postForm("/signup", {
      name: "Ada Again",
      email: "ada@example.test",
      password: PASSWORD,
    });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain(
      "we could not create an account with this e-mail. If it is yours, sign in instead.",
    );
    expect(await customersWith("ada@example.test")).toBe(1);
  });

  it("counts sign-ups against the login throttle of the e-mail", async () => {
    const email = "probe@example.test";
    await (await visitor()).postForm("/signup", { name: "Probe", email, password: PASSWORD });
    const client = await visitor();
    const statuses: number[] = [];
    for (let i = 0; i <= MAX_FAILURES_PER_EMAIL; i++)
      statuses.push((await client.postForm("/signup", { name: "Probe", email, password: PASSWORD })).status);
    expect(statuses).toEqual([...Array(MAX_FAILURES_PER_EMAIL).fill(409), 429]);
    // The same allowance guards sign-in with that e-mail, even with the right password.
    expect((await client.postForm("/login", { email, password: PASSWORD })).status).toBe(429);
  });

  it("needs the form's CSRF token", async () => {
    const client = await visitor();
    const res = await client.postForm(
      "/signup",
      { name: "Eve", email: "eve@example.test", password: PASSWORD },
      { csrf: false },
    );
    expect(res.status).toBe(403);
    expect(await customersWith("eve@example.test")).toBe(0);
  });
});
