import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../src/auth/index.ts";
import { type E2e, navHrefs, PHONE, shoot, signIn, startE2e } from "./support/app.ts";

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e();
});
afterAll(() => e2e?.stop());

/** What each role may open, written out from the RBAC matrix (docs/rbac_matrix.md), not computed. */
const NAV: Record<Role, string[]> = {
  customer: ["/", "/cart", "/orders", "/wishlist"],
  ops: [
    "/dashboard/ops",
    "/dashboard/products",
    "/admin/orders",
    "/admin/products",
    "/monitoring/issues",
    "/webhooks/events",
    "/exports",
  ],
  analyst: [
    "/dashboard",
    "/dashboard/ops",
    "/dashboard/products",
    "/dashboard/subscriptions",
    "/admin/orders",
    "/monitoring/issues",
    "/exports",
  ],
  admin: [
    "/dashboard",
    "/dashboard/ops",
    "/dashboard/products",
    "/dashboard/subscriptions",
    "/admin/orders",
    "/admin/products",
    "/monitoring/issues",
    "/webhooks/events",
    "/exports",
    "/audit",
    "/admin/users",
  ],
};
const STAFF_PAGES = [
  "/dashboard",
  "/dashboard/ops",
  "/dashboard/products",
  "/dashboard/subscriptions",
  "/audit",
  "/admin/users",
  "/monitoring/issues",
  "/webhooks/events",
  "/exports",
];

function pageName(path: string): string {
  return path === "/" ? "shop" : path.slice(1).replaceAll("/", "-");
}

describe.each(["admin", "analyst", "ops", "customer"] as const)("as %s", (role) => {
  it("sees exactly the navigation of the role, can open each staff page in it and is refused the others", async () => {
    const page = await signIn(e2e, role);
    await page.goto("/login");
    expect(await navHrefs(page)).toEqual(NAV[role]);
    for (const path of STAFF_PAGES) {
      const res = await page.goto(path);
      const allowed = NAV[role].includes(path);
      if (allowed) {
        expect(res?.status(), `${role} ${path}`).toBe(200);
        await expect(page.locator("h1").first().textContent()).resolves.toBeTruthy();
        await shoot(page, `${role}-${pageName(path)}`);
      } else {
        expect(res?.status(), `${role} ${path}`).toBe(403);
      }
    }
    await page.context().close();
  });
});

describe("controls per role", () => {
  it("shows the webhook replay button to the admin only", async () => {
    const admin = await signIn(e2e, "admin");
    await admin.goto("/dashboard/ops");
    await expect(admin.getByRole("button", { name: "Replay" }).count()).resolves.toBeGreaterThan(0);
    const analyst = await signIn(e2e, "analyst");
    await analyst.goto("/dashboard/ops");
    await expect(
      analyst.locator("#failed-events code", { hasText: "evt_e2e_failed_1" }).count(),
    ).resolves.toBe(1);
    await expect(analyst.getByRole("button", { name: "Replay" }).count()).resolves.toBe(0);
    await admin.context().close();
    await analyst.context().close();
  });

  it("offers user management controls only on the admin's users page", async () => {
    const admin = await signIn(e2e, "admin");
    await admin.goto("/admin/users");
    await expect(admin.getByRole("button", { name: "Create user" }).count()).resolves.toBe(1);
    await expect(admin.getByRole("button", { name: "Deactivate" }).count()).resolves.toBe(3); // the other demo users
    await admin.context().close();
  });

  it("fits a phone screen (390 px) without sideways scrolling on the executive dashboard", async () => {
    const page = await signIn(e2e, "analyst", PHONE);
    await page.goto("/dashboard");
    await shoot(page, "analyst-dashboard-phone");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.context().close();
  });
});

describe("screenshots for the docs", () => {
  it("captures the first screen of each dashboard at laptop size", async () => {
    const page = await signIn(e2e, "admin", { width: 1280, height: 820 });
    for (const path of [
      "/dashboard",
      "/dashboard/ops",
      "/dashboard/products",
      "/dashboard/subscriptions",
      "/audit",
    ]) {
      await page.goto(path);
      await shoot(page, `docs-${pageName(path)}`, { fullPage: false });
    }
    await page.context().close();
  });
});
