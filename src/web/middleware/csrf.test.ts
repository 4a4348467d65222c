import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../../tests/support/builders/catalog.ts";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { signedInClient, TEST_PASSWORD, TestClient } from "../../../tests/support/http.ts";
import { cliActor } from "../../audit/index.ts";
import { createApiToken, createUser } from "../../auth/index.ts";
import { getProduct } from "../../catalog/index.ts";
import { createApp } from "../app.ts";
import type { AppEnv } from "../request-context.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;

beforeAll(async () => {
  ctx = await createTestContext();
  ({ app } = createApp(ctx));
});
afterAll(() => ctx.destroy());

describe("CSRF token bound to the session", () => {
  it("refuses an anonymous seed cookie and its token planted on a signed-in ops session", async () => {
    const product = await makeProduct(ctx.db, { priceAmount: 1000, stockOnHand: 5 });
    const { client: ops } = await signedInClient(app, ctx, "ops");
    // The attacker fetches a form anonymously: a seed cookie and the token that goes with it.
    const attacker = new TestClient(app);
    await attacker.primeCsrf();
    // ...and plants both on the victim's browser, which still holds its signed-in session.
    ops.plantCookie("ri_csrf", attacker.cookie("ri_csrf")!);
    ops.csrf = attacker.csrf;
    const forged = await ops.postForm(`/admin/products/${product.id}/stock`, {
      delta: "-5",
      reason: "planted",
    });
    expect(forged.status).toBe(403);
    expect((await getProduct(ctx, product.id))!.stockOnHand).toBe(5);

    // The same session with a token from its own pages still works.
    await ops.primeCsrf("/admin/products");
    const own = await ops.postForm(`/admin/products/${product.id}/stock`, { delta: "-2", reason: "count" });
    expect(own.status).toBe(303);
    expect((await getProduct(ctx, product.id))!.stockOnHand).toBe(3); // 5 − 2
  });

  it("gives a new token at login, and the one from before sign-in is refused after it", async () => {
    const user = await createUser(
      ctx,
      { email: "rotate@example.test", password: TEST_PASSWORD, role: "ops" },
      cliActor,
    );
    const client = new TestClient(app);
    const before = await client.primeCsrf();
    const seedBefore = client.cookie("ri_csrf")!;
    await client.postForm("/login", { email: user.email, password: TEST_PASSWORD });
    const after = await client.primeCsrf("/login");
    expect(after).not.toBe("");
    expect(after).not.toBe(before);
    // Even with the old seed put back, the pre-login token does not pass on the new session.
    client.plantCookie("ri_csrf", seedBefore);
    client.csrf = before;
    expect((await client.postForm("/logout", {})).status).toBe(403);
  });
});

describe("CSRF seed cookie", () => {
  it("is not set on a Stripe delivery or an API call with a bearer token (no forms there)", async () => {
    const webhook = await app.request("/webhooks/stripe", { method: "POST", body: "{}" });
    expect(webhook.status).toBe(400);
    expect(webhook.headers.getSetCookie()).toEqual([]);
    const { token } = await createApiToken(
      ctx,
      { name: "csrf-probe", role: "analyst", createdBy: null },
      cliActor,
    );
    const api = await app.request("/api/v1/kpis?from=2026-05-01&to=2026-05-31", {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(api.status).toBe(200);
    expect(api.headers.getSetCookie()).toEqual([]);
    // A page still gets its seed.
    expect((await app.request("/login")).headers.getSetCookie().some((c) => c.startsWith("ri_csrf="))).toBe(
      true,
    );
  });

  it("is HttpOnly, SameSite and plain in development, so http://127.0.0.1 works", async () => {
    const res = await app.request("/login");
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("ri_csrf="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
  });

  it("is named __Host-ri_csrf, Secure, Path=/ and host-only when cookies are secure (production)", async () => {
    const secure = await createTestContext({ env: { SECURE_COOKIES: "true" } });
    try {
      const secureApp = createApp(secure).app;
      const res = await secureApp.request("/login");
      const cookies = res.headers.getSetCookie();
      const cookie = cookies.find((c) => c.startsWith("__Host-ri_csrf="))!;
      expect(cookie).toBeDefined();
      expect(cookie).toMatch(/; Secure/i);
      expect(cookie).toMatch(/; Path=\//i);
      expect(cookie).not.toMatch(/Domain=/i);
      expect(cookies.some((c) => c.startsWith("ri_csrf="))).toBe(false);

      // A plain `ri_csrf` cookie (which a sibling host can set) is not read as the seed.
      const client = new TestClient(secureApp);
      const token = await client.primeCsrf();
      const seed = client.cookie("__Host-ri_csrf")!;
      const planted = await secureApp.request("/login", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: `ri_csrf=${seed}` },
        body: new URLSearchParams({ _csrf: token, email: "x@example.test", password: "x" }).toString(),
      });
      expect(planted.status).toBe(403);
    } finally {
      await secure.destroy();
    }
  });
});
