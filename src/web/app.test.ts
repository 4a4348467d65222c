import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { TEST_PASSWORD, TestClient } from "../../tests/support/http.ts";
import { cliActor } from "../audit/index.ts";
import { createUser, MAX_FAILURES_PER_EMAIL, MAX_FAILURES_PER_IP } from "../auth/index.ts";
import { createApp } from "./app.ts";
import type { AppEnv } from "./request-context.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;

beforeAll(async () => {
  ctx = await createTestContext();
  ({ app } = createApp(ctx));
  await createUser(ctx, { email: "ops@example.test", password: TEST_PASSWORD, role: "ops" }, cliActor);
  await createUser(
    ctx,
    { email: "limited@example.test", password: TEST_PASSWORD, role: "analyst" },
    cliActor,
  );
});
afterAll(() => ctx.destroy());

describe("web foundation", () => {
  it("reports health and readiness", async () => {
    expect((await app.request("/healthz")).status).toBe(200);
    const ready = await app.request("/readyz");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready" });
  });

  it("sends security headers and a request id", async () => {
    const res = await app.request("/login");
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(res.headers.get("x-request-id")).toMatch(/^[\w-]{8,}$/);
  });

  it("renders a 404 page that leaks nothing", async () => {
    const res = await app.request("/no/such/page");
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain("Page not found");
    expect(html).not.toMatch(/at .*\.ts:\d+/);
  });

  it("signs in with HttpOnly SameSite cookies and a new session id each time", async () => {
    const client = new TestClient(app);
    await client.primeCsrf();
    const res = await client.postForm("/login", { email: "OPS@example.test", password: TEST_PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/dashboard/ops");
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("ri_session="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    const first = cookie.split(";")[0];
    const again = new TestClient(app);
    await again.primeCsrf();
    const res2 = await again.postForm("/login", { email: "ops@example.test", password: TEST_PASSWORD });
    expect(
      res2.headers
        .getSetCookie()
        .find((c) => c.startsWith("ri_session="))!
        .split(";")[0],
    ).not.toBe(first);
  });

  it("marks cookies Secure with the __Host- prefix in production", async () => {
    // Production starts only with real payments and a webhook secret of its own.
    const prod = await createTestContext({
      env: {
        NODE_ENV: "production",
        SESSION_SECRET: "p".repeat(40),
        PAYMENTS_MODE: "stripe",
        STRIPE_WEBHOOK_SECRET: "whsec_production_test",
      },
    });
    try {
      await createUser(
        prod,
        { email: "admin@example.test", password: TEST_PASSWORD, role: "admin" },
        cliActor,
      );
      const client = new TestClient(createApp(prod).app);
      await client.primeCsrf();
      const res = await client.postForm("/login", { email: "admin@example.test", password: TEST_PASSWORD });
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith("__Host-ri_session="))!;
      expect(cookie).toMatch(/Secure/);
      expect(cookie).toMatch(/HttpOnly/);
    } finally {
      await prod.destroy();
    }
  });

  it("ignores a session id planted before login (no fixation)", async () => {
    const client = new TestClient(app);
    await client.primeCsrf();
    const planted = "planted-session-token";
    const res = await client.request("/login", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        cookie: `ri_session=${planted}; ri_csrf=${seedOf(client)}`,
      },
      body: new URLSearchParams({
        _csrf: client.csrf,
        email: "ops@example.test",
        password: TEST_PASSWORD,
      }).toString(),
    });
    const issued = res.headers.getSetCookie().find((c) => c.startsWith("ri_session="))!;
    expect(issued).not.toContain(planted);
  });

  it("rejects a state-changing form without a valid CSRF token", async () => {
    const client = new TestClient(app);
    await client.primeCsrf();
    const missing = await client.postForm(
      "/login",
      { email: "ops@example.test", password: TEST_PASSWORD },
      { csrf: false },
    );
    expect(missing.status).toBe(403);
    client.csrf = "forged-token";
    const forged = await client.postForm("/login", { email: "ops@example.test", password: TEST_PASSWORD });
    expect(forged.status).toBe(403);
  });

  it("rate-limits repeated failed sign-ins for an e-mail", async () => {
    const client = new TestClient(app);
    await client.primeCsrf();
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) {
      const res = await client.postForm("/login", {
        email: "limited@example.test",
        password: "wrong password!",
      });
      expect(res.status).toBe(401);
    }
    const blocked = await client.postForm("/login", {
      email: "limited@example.test",
      password: TEST_PASSWORD,
    });
    expect(blocked.status).toBe(429);
    expect(await blocked.text()).toContain("Too many failed sign-in attempts");
  });

  it("redirects anonymous page visits to the login form with a safe next", async () => {
    const res = await app.request("/login?next=//evil.example.com");
    expect(await res.text()).not.toContain("evil.example.com");
  });
});

describe("client address for throttling and the audit log", () => {
  /** What the Node adapter passes: the proxy on loopback is every request's socket peer. */
  const viaProxy = {
    incoming: { socket: { remoteAddress: "127.0.0.1", remotePort: 40000, remoteFamily: "IPv4" } },
  };

  /** Fails `MAX_FAILURES_PER_IP` sign-ins (each for a different unknown e-mail) with these headers. */
  async function failFromOneAddress(client: TestClient, forwardedFor: (i: number) => string) {
    for (let i = 0; i < MAX_FAILURES_PER_IP; i++) {
      const res = await client.request("/login", {
        method: "POST",
        body: new URLSearchParams({
          _csrf: client.csrf,
          email: `nobody${i}@example.test`,
          password: "wrong password!",
        }),
        headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": forwardedFor(i) },
      });
      expect(res.status).toBe(401);
    }
  }

  function signIn(client: TestClient, forwardedFor: string) {
    return client.request("/login", {
      method: "POST",
      body: new URLSearchParams({ _csrf: client.csrf, email: "ops@example.test", password: TEST_PASSWORD }),
      headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": forwardedFor },
    });
  }

  /** A shop with ops@example.test and `env`, reached through the loopback proxy; destroyed after `body`. */
  async function withShop(
    env: Record<string, string>,
    body: (client: () => Promise<TestClient>) => Promise<void>,
  ) {
    const shop = await createTestContext({ env });
    try {
      await createUser(shop, { email: "ops@example.test", password: TEST_PASSWORD, role: "ops" }, cliActor);
      const { app: shopApp } = createApp(shop);
      await body(async () => {
        const client = new TestClient(shopApp, viaProxy);
        await client.primeCsrf();
        return client;
      });
    } finally {
      await shop.destroy();
    }
  }

  it("behind one trusted proxy, throttles the client nginx saw, not everyone and not a spoofed address", async () => {
    await withShop({ TRUST_PROXY_HOPS: "1" }, async (client) => {
      const attacker = await client();
      // The attacker writes a new address of its own each time; nginx appends the real one.
      await failFromOneAddress(attacker, (i) => `198.51.100.${i + 1}, 203.0.113.7`);
      expect((await signIn(attacker, "192.0.2.99, 203.0.113.7")).status).toBe(429);
      expect((await signIn(await client(), "203.0.113.8")).status).toBe(303);
    });
  });

  it("with no trusted proxy, ignores X-Forwarded-For (a client cannot pick its own address)", async () => {
    await withShop({}, async (client) => {
      const attacker = await client();
      await failFromOneAddress(attacker, (i) => `198.51.100.${i + 1}`);
      expect((await signIn(attacker, "203.0.113.250")).status).toBe(429);
    });
  });
});

function seedOf(client: TestClient): string {
  return (client as unknown as { cookies: Map<string, string> }).cookies.get("ri_csrf") ?? "";
}
