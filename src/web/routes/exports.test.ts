import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCustomer } from "../../../tests/support/builders/customers.ts";
import { makeCharge } from "../../../tests/support/builders/ledger.ts";
import type { TestContext } from "../../../tests/support/context.ts";
import { csvObjects, readZip } from "../../../tests/support/export-read.ts";
import { createTestApp, signedInClient, type TestClient } from "../../../tests/support/http.ts";
import { listAuditEvents } from "../../audit/index.ts";
import type { Role } from "../../auth/index.ts";
import type { AppEnv } from "../request-context.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
const clients = new Map<Role, TestClient>();
const PERIOD = "from=2026-06-01&to=2026-06-07";

beforeAll(async () => {
  ({ ctx, app } = await createTestApp());
  await makeCustomer(ctx.db, { name: '=HYPERLINK("x")', email: "hyper@example.test" });
  await makeCharge(ctx.db, { amount: 1234, created: new Date("2026-06-02T10:00:00Z") });
  for (const role of ["customer", "ops", "analyst", "admin"] as const) {
    clients.set(role, (await signedInClient(app, ctx, role)).client);
  }
});
afterAll(() => ctx.destroy());

async function download(role: Role, pack: string, query = PERIOD) {
  return clients.get(role)!.get(`/exports/${pack}.zip?${query}`);
}

describe("export downloads over HTTP", () => {
  it.each<[Role, Record<string, number>]>([
    ["ops", { finance: 403, ops: 200, bi: 403 }],
    ["analyst", { finance: 200, ops: 403, bi: 200 }],
    ["admin", { finance: 200, ops: 200, bi: 200 }],
    ["customer", { finance: 403, ops: 403, bi: 403 }],
  ])("lets %s download exactly the packs its role allows", async (role, expected) => {
    const statuses: Record<string, number> = {};
    for (const pack of ["finance", "ops", "bi"]) {
      const res = await download(role, pack);
      statuses[pack] = res.status;
      await res.arrayBuffer();
    }
    expect(statuses).toEqual(expected);
  });

  it("allows customer PII in the BI pack to an admin only", async () => {
    const analyst = await download("analyst", "bi", `${PERIOD}&pii=1`);
    expect(analyst.status).toBe(403);
    const admin = await download("admin", "bi", `${PERIOD}&pii=1`);
    expect(admin.status).toBe(200);
    const files = readZip(Buffer.from(await admin.arrayBuffer()));
    const customers = csvObjects(files.get("dim_customer.csv")!.toString("utf8"));
    expect(customers[0]).toMatchObject({ email: "hyper@example.test", name: `'=HYPERLINK("x")` });
  });

  it("streams a zip whose manifest and audit event describe what was sent", async () => {
    const res = await download("analyst", "finance");
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toContain('filename="finance_2026-06-01_2026-06-07.zip"');
    const files = readZip(Buffer.from(await res.arrayBuffer()));
    const manifest = JSON.parse(files.get("manifest.json")!.toString("utf8"));
    expect(manifest.files.find((f: { name: string }) => f.name === "payments.csv").rows).toBe(1);
    const payments = csvObjects(files.get("payments.csv")!.toString("utf8"));
    expect(payments[0]).toMatchObject({ amount: "1234", amount_decimal: "12.34" });
    const { rows } = await listAuditEvents(ctx, { action: "export.finance" });
    const last = rows[0]!;
    expect(last.actorRole).toBe("analyst");
    expect(last.after).toMatchObject({ format: "zip", rows: { "payments.csv": 1 } });
  });

  it("answers 400 naming the field for a bad period, 404 for an unknown pack", async () => {
    const bad = await download("admin", "finance", "from=2026-06-07&to=2026-06-01");
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("to");
    expect((await download("admin", "finance", "from=2026-02-30&to=2026-03-01")).status).toBe(400);
    expect((await download("admin", "finance", "")).status).toBe(400);
    expect((await download("admin", "payroll")).status).toBe(404);
  });

  it("shows a form for each pack the role may use, and the PII option to admins only", async () => {
    const page = async (role: Role) => (await clients.get(role)!.get("/exports")).text();
    const ops = await page("ops");
    expect(ops).toContain('action="/exports/ops.zip"');
    expect(ops).not.toContain('action="/exports/finance.zip"');
    const analyst = await page("analyst");
    expect(analyst).toContain('action="/exports/finance.zip"');
    expect(analyst).toContain('action="/exports/bi.zip"');
    expect(analyst).not.toContain('name="pii"');
    expect(await page("admin")).toContain('name="pii"');
    expect((await clients.get("customer")!.get("/exports")).status).toBe(403);
  });
});
