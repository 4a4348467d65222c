import { and, eq } from "drizzle-orm";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { signedInClient, TestClient } from "../../tests/support/http.ts";
import { cliActor } from "../audit/index.ts";
import { auditLog } from "../audit/schema.ts";
import { createApp } from "../web/app.ts";
import type { AppEnv } from "../web/request-context.ts";
import { createApiToken, listApiTokens, setUserActive, setUserRole } from "./index.ts";
import { LAST_USED_GRANULARITY_MS } from "./sessions.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;

beforeAll(async () => {
  ctx = await createTestContext();
  ({ app } = createApp(ctx));
}, 60_000);
afterAll(() => ctx.destroy());

const KPIS = "/api/v1/kpis?from=2026-05-01&to=2026-05-31";
const asToken = (token: string) => ({ authorization: `Bearer ${token}` });
const apiStatus = async (token: string) => (await new TestClient(app).get(KPIS, asToken(token))).status;

/** An admin signed in on the web, and an admin-role token that admin made on /admin/users. */
async function adminWithToken() {
  const { client, user } = await signedInClient(app, ctx, "admin");
  await client.primeCsrf("/admin/users");
  const page = await (await client.postForm("/admin/tokens", { name: "bi", role: "admin" })).text();
  const token = page.match(/ri_[\w-]+/)![0];
  return { client, user, token };
}

describe("API tokens", () => {
  it("open the read API only: with a token alone, no page, form or export answers", async () => {
    const { token } = await adminWithToken();
    expect(await apiStatus(token)).toBe(200);
    const bearerOnly = new TestClient(app);
    const mint = await bearerOnly.request("/admin/tokens", {
      method: "POST",
      body: new URLSearchParams({ name: "second", role: "admin" }),
      headers: { "content-type": "application/x-www-form-urlencoded", ...asToken(token) },
    });
    expect(mint.status).toBe(403); // judged as an anonymous form post: no CSRF token, no session
    const createUser = await bearerOnly.request("/admin/users", {
      method: "POST",
      body: JSON.stringify({ email: "mallory@example.test", password: "x".repeat(16), role: "admin" }),
      headers: { "content-type": "application/json", ...asToken(token) },
    });
    expect(createUser.status).toBe(403);
    for (const path of ["/admin/users", "/exports", "/audit"]) {
      expect((await bearerOnly.get(path, asToken(token))).status).not.toBe(200);
    }
    expect((await listApiTokens(ctx)).map((t) => t.name)).not.toContain("second");
  });

  it("stop working when the admin who made them is deactivated or no longer an admin", async () => {
    const { user, token } = await adminWithToken();
    expect(await apiStatus(token)).toBe(200);
    await setUserActive(ctx, { userId: user.id, active: false }, cliActor);
    expect(await apiStatus(token)).toBe(401);
    await setUserActive(ctx, { userId: user.id, active: true }, cliActor);
    await setUserRole(ctx, { userId: user.id, role: "analyst" }, cliActor);
    expect(await apiStatus(token)).toBe(401);
  });

  it("are revoked at once from /admin/users, audited, and listed as revoked", async () => {
    const { token, id } = await createApiToken(
      ctx,
      { name: "cli-made", role: "analyst", createdBy: null },
      cliActor,
    );
    expect(await apiStatus(token)).toBe(200);
    const { client } = await signedInClient(app, ctx, "admin");
    await client.primeCsrf("/admin/users");
    const page = await (await client.get("/admin/users")).text();
    expect(page).toContain(`action="/admin/tokens/${id}/revoke"`);
    const res = await client.postForm(`/admin/tokens/${id}/revoke`, {});
    expect(res.status).toBe(303);
    expect(await apiStatus(token)).toBe(401);
    const rows = await ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "api_token.revoke"), eq(auditLog.targetId, String(id))));
    expect(rows).toHaveLength(1);
    expect((await listApiTokens(ctx)).find((t) => t.id === id)?.revokedAt).not.toBeNull();
    expect(await (await client.get("/admin/users?notice=revoked")).text()).toContain("API token revoked.");
  });

  it("record when they were last used, to the minute: one write a minute however often they are read", async () => {
    const { token } = await adminWithToken();
    const id = Math.max(...(await listApiTokens(ctx)).filter((t) => t.name === "bi").map((t) => t.id));
    const lastUsed = async () => (await listApiTokens(ctx)).find((t) => t.id === id)!.lastUsedAt?.getTime();
    const start = ctx.clock.now();
    try {
      expect(await lastUsed()).toBeUndefined();
      expect(await apiStatus(token)).toBe(200);
      const first = start.getTime();
      expect(await lastUsed()).toBe(first);
      // Within the minute: read again, nothing written.
      ctx.clock.advance(LAST_USED_GRANULARITY_MS - 1);
      expect(await apiStatus(token)).toBe(200);
      expect(await lastUsed()).toBe(first);
      // A minute on: the next read moves it.
      ctx.clock.advance(1);
      expect(await apiStatus(token)).toBe(200);
      expect(await lastUsed()).toBe(first + LAST_USED_GRANULARITY_MS);
    } finally {
      ctx.clock.set(start);
    }
  });
});
