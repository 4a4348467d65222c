import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestContext } from "../../../tests/support/context.ts";
import { createTestApp, type TestClient } from "../../../tests/support/http.ts";

/** Every date a user can type is checked against one documented range (2000-01-01..2100-12-31). */
let ctx: TestContext;
let admin: TestClient;

beforeAll(async () => {
  ({
    ctx,
    clients: { admin },
  } = await createTestApp(["admin"]));
});
afterAll(() => ctx.destroy());

const OUT_OF_RANGE: Array<[string, string]> = [
  ["from", "from=0000-01-01&to=2026-06-07"],
  ["to", "from=2026-06-01&to=9999-12-31"],
  ["from", "from=1999-12-31&to=2026-06-07"],
  ["to", "from=2026-06-01&to=2101-01-01"],
  ["from", "from=2026123456-01-01&to=2026-06-07"],
];

async function expect400Naming(res: Response, field: string): Promise<void> {
  const text = await res.text();
  expect(res.status, text.slice(0, 300)).toBe(400);
  expect(text).toContain(`${field}:`);
  expect(text).toContain("2000-01-01");
}

describe("dates outside the supported range", () => {
  it.each(OUT_OF_RANGE)("the read API answers 400 naming %s (%s)", async (field, query) => {
    const json = { accept: "application/json" };
    await expect400Naming(await admin.get(`/api/v1/kpis?${query}`, json), field);
    await expect400Naming(await admin.get(`/api/v1/series?metric=net_revenue&${query}`, json), field);
  });

  it.each(OUT_OF_RANGE)(
    "the four dashboards' custom range answers 400 naming %s (%s)",
    async (field, query) => {
      for (const path of [
        "/dashboard",
        "/dashboard/subscriptions",
        "/dashboard/products",
        "/dashboard/ops",
      ]) {
        await expect400Naming(await admin.get(`${path}?range=custom&${query}`), field);
      }
    },
  );

  it.each(OUT_OF_RANGE)(
    "the audit log and its CSV export answer 400 naming %s (%s)",
    async (field, query) => {
      await expect400Naming(await admin.get(`/audit?${query}`), field);
      await expect400Naming(await admin.get(`/audit/export.csv?${query}`), field);
    },
  );

  it.each(OUT_OF_RANGE)("an export download answers 400 before any byte (%s, %s)", async (field, query) => {
    for (const pack of ["finance", "ops", "bi"]) {
      const res = await admin.get(`/exports/${pack}.zip?${query}`);
      expect(res.headers.get("content-type")).not.toBe("application/zip");
      await expect400Naming(res, field);
    }
  });

  it.each(["0000-01-01", "9999-12-31", "1999-12-31", "2101-01-01"])(
    "the product form refuses preorderShipDate %s with 400 naming it",
    async (day) => {
      await admin.primeCsrf("/admin/products/new");
      const res = await admin.postForm("/admin/products", {
        sku: `PRE-${day}`,
        name: "Preorder mug",
        price: "12.50",
        currency: "usd",
        stockOnHand: "0",
        allowPreorder: "on",
        preorderShipDate: day,
      });
      const text = await res.text();
      expect(res.status, text.slice(0, 300)).toBe(400);
      expect(text).toContain("preorderShipDate:");
    },
  );

  it("still accepts both ends of the range", async () => {
    const res = await admin.get("/api/v1/kpis?from=2000-01-01&to=2000-01-31", { accept: "application/json" });
    expect(res.status).toBe(200);
    const audit = await admin.get("/audit?from=2000-01-01&to=2100-12-31");
    expect(audit.status).toBe(200);
  });
});
