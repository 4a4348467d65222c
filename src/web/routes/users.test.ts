import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestContext } from "../../../tests/support/context.ts";
import { createTestApp, signedInClient, type TestClient } from "../../../tests/support/http.ts";
import { listAuditEvents } from "../../audit/index.ts";
import { findUserByEmail } from "../../auth/index.ts";
import type { AppEnv } from "../request-context.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
let admin: TestClient;
let adminId: number;

beforeAll(async () => {
  ({
    ctx,
    app,
    clients: { admin },
    users: {
      admin: { id: adminId },
    },
  } = await createTestApp(["admin"]));
});
afterAll(() => ctx.destroy());

describe("users admin", () => {
  it("lists users with role and status controls for an admin", async () => {
    const html = await (await admin.get("/admin/users")).text();
    expect(html).toContain("<h1>Users</h1>");
    expect(html).toContain(`action="/admin/users/${adminId}/role"`);
    expect(html).toContain('action="/admin/tokens"');
  });

  it("creates a user and writes a user.create audit event without the e-mail", async () => {
    const res = await admin.postForm("/admin/users", {
      email: "new.analyst@example.test",
      password: "a-long-enough-password",
      role: "analyst",
      displayName: "New Analyst",
    });
    expect(res.status).toBe(303);
    const created = await findUserByEmail(ctx, "new.analyst@example.test");
    expect(created?.role).toBe("analyst");
    const { rows } = await listAuditEvents(ctx, { action: "user.create", targetId: String(created!.id) });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actorId).toBe(String(adminId));
    expect(JSON.stringify(rows[0])).not.toContain("new.analyst@example.test");
  });

  it("re-renders the form with a 400 naming the field when the password is short", async () => {
    const res = await admin.postForm("/admin/users", {
      email: "x@example.test",
      password: "short",
      role: "ops",
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("password: must be at least 12 characters");
  });

  it("changes a role and audits before and after", async () => {
    const target = await findUserByEmail(ctx, "new.analyst@example.test");
    const res = await admin.postForm(`/admin/users/${target!.id}/role`, { role: "ops" });
    expect(res.status).toBe(303);
    expect((await findUserByEmail(ctx, "new.analyst@example.test"))?.role).toBe("ops");
    const { rows } = await listAuditEvents(ctx, { action: "user.set_role", targetId: String(target!.id) });
    expect(rows[0]).toMatchObject({
      before: { role: "analyst" },
      after: { role: "ops" },
      actorRole: "admin",
    });
  });

  it("refuses an admin demoting themselves with a 409 and keeps the role", async () => {
    const res = await admin.postForm(`/admin/users/${adminId}/role`, { role: "analyst" });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("cannot remove their own admin role");
    const { rows } = await listAuditEvents(ctx, { action: "user.set_role", targetId: String(adminId) });
    expect(rows).toHaveLength(0);
  });

  it("deactivates a user, ending their access", async () => {
    const { client: ops, user } = await signedInClient(app, ctx, "ops");
    expect((await ops.get("/admin/users")).status).toBe(403); // signed in, not allowed
    const res = await admin.postForm(`/admin/users/${user.id}/active`, { active: "false" });
    expect(res.status).toBe(303);
    const after = await ops.get("/admin/users");
    expect(after.status).toBe(302); // session ended: sent to the login form
    const { rows } = await listAuditEvents(ctx, { action: "user.deactivate", targetId: String(user.id) });
    expect(rows).toHaveLength(1);
  });

  it("shows a new API token once and stores only its hash", async () => {
    const res = await admin.postForm("/admin/tokens", { name: "BI refresh", role: "analyst" });
    expect(res.status).toBe(200);
    const token = (await res.text()).match(/value="(ri_[\w-]+)"/)?.[1];
    expect(token).toMatch(/^ri_/);
    expect(await (await admin.get("/admin/users")).text()).not.toContain(token!);
    const { rows } = await listAuditEvents(ctx, { action: "api_token.create" });
    expect(JSON.stringify(rows)).not.toContain(token!);
  });

  it("is not available to an analyst", async () => {
    const { client } = await signedInClient(app, ctx, "analyst");
    expect((await client.get("/admin/users")).status).toBe(403);
  });
});
