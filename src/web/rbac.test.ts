import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { sessionClientFor } from "../../tests/support/http.ts";
import { cliActor } from "../audit/index.ts";
import { can, createUser, ROLES, type Role } from "../auth/index.ts";
import { createApp } from "./app.ts";
import type { AppEnv } from "./request-context.ts";
import type { Router } from "./route-access.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
let router: Router;
const userIds = new Map<Role, number>();

beforeAll(async () => {
  ctx = await createTestContext();
  ({ app, router } = createApp(ctx));
  for (const role of ROLES) {
    const user = await createUser(
      ctx,
      { email: `rbac-${role}@example.test`, password: "x".repeat(16), role },
      cliActor,
    );
    userIds.set(role, user.id);
  }
});
afterAll(() => ctx.destroy());

/** Fill path parameters with a plausible id so the route's own checks run. */
function concrete(path: string): string {
  return path.replace(/:[a-zA-Z]+(\{[^}]*\})?/g, "1");
}

describe("RBAC: every route × every role × anonymous", () => {
  it("has an access rule for every route the app serves", () => {
    const declared = new Set(router.routes.map((r) => `${r.method} ${r.path}`));
    const served = app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`);
    const undeclared = [...new Set(served)].filter((r) => !declared.has(r));
    expect(undeclared).toEqual([]);
    expect(router.routes.length).toBeGreaterThan(0);
  });

  it("answers each caller as the policy says", async () => {
    const mismatches: string[] = [];
    let cases = 0;
    for (const route of router.routes) {
      for (const who of ["anonymous", ...ROLES] as const) {
        cases++;
        // The CSRF token is bound to the session, so each caller primes it on its own session.
        const client = await sessionClientFor(app, ctx, who === "anonymous" ? null : userIds.get(who)!);
        const res = await client.request(concrete(route.path), {
          method: route.method,
          headers: {
            "x-csrf-token": client.csrf,
            accept: "application/json",
            ...(route.method === "POST" ? { "content-type": "application/x-www-form-urlencoded" } : {}),
          },
          body: route.method === "POST" ? `_csrf=${encodeURIComponent(client.csrf)}` : undefined,
        });
        const denied =
          res.status === 401 ||
          res.status === 403 ||
          (res.status === 302 && res.headers.get("location")?.startsWith("/login"));
        const allowed =
          route.access === "public" ||
          (who !== "anonymous" && (route.access === "signed_in" || can(who, route.access)));
        if (allowed === Boolean(denied)) {
          mismatches.push(`${route.method} ${route.path} as ${who}: ${res.status} (access ${route.access})`);
        }
        if (res.status >= 500) mismatches.push(`${route.method} ${route.path} as ${who}: ${res.status}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(cases).toBe(router.routes.length * (ROLES.length + 1));
  }, 120_000);
});
