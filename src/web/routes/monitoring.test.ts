import { and, eq } from "drizzle-orm";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestContext } from "../../../tests/support/context.ts";
import { createTestApp, signedInClient, type TestClient } from "../../../tests/support/http.ts";
import { auditLog } from "../../audit/schema.ts";
import type { Check } from "../../monitoring/index.ts";
import { runChecks } from "../../monitoring/index.ts";
import { dataQualityIssues } from "../../monitoring/schema.ts";
import type { AppEnv } from "../request-context.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
let ops: TestClient;
let analyst: TestClient;
const ids: Record<string, number> = {};

/** Two issues from stand-in checks with real registry names, so the page's filters accept them. */
const stand = (name: string, severity: Check["severity"], fingerprint: string): Check => ({
  name,
  description: name,
  severity,
  fix: "n/a",
  run: async () => [{ fingerprint, title: `${name} ${fingerprint}`, details: { orderId: 42, amount: 1500 } }],
});

beforeAll(async () => {
  ({ ctx, app } = await createTestApp());
  await runChecks(ctx, {
    checks: [
      stand("payment-reconciliation", "critical", "order:42"),
      stand("fulfillment-backlog", "warning", "order:43"),
    ],
  });
  for (const row of await ctx.db.select().from(dataQualityIssues)) ids[row.check] = row.id;
  ({ client: ops } = await signedInClient(app, ctx, "ops"));
  ({ client: analyst } = await signedInClient(app, ctx, "analyst"));
});
afterAll(() => ctx.destroy());

describe("/monitoring/issues", () => {
  it("lists open issues and filters by check, severity and status", async () => {
    const all = await (await ops.get("/monitoring/issues")).text();
    expect(all).toContain("payment-reconciliation order:42");
    expect(all).toContain("fulfillment-backlog order:43");
    const critical = await (await ops.get("/monitoring/issues?severity=critical")).text();
    expect(critical).toContain("payment-reconciliation order:42");
    expect(critical).not.toContain("fulfillment-backlog order:43");
    const byCheck = await (await ops.get("/monitoring/issues?check=fulfillment-backlog")).text();
    expect(byCheck).not.toContain("payment-reconciliation order:42");
    expect(byCheck).toContain("fulfillment-backlog order:43");
    const resolved = await (await ops.get("/monitoring/issues?status=resolved")).text();
    expect(resolved).toContain("No issues match");
  });

  it("rejects an unknown filter value with 400 naming the field", async () => {
    const res = await ops.get("/monitoring/issues?severity=urgent");
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("severity");
  });

  it("shows an issue's details, and the triage form only to a role that may resolve", async () => {
    const page = await (await ops.get(`/monitoring/issues/${ids["payment-reconciliation"]}`)).text();
    expect(page).toContain("orderId");
    expect(page).toContain("1500");
    expect(page).toContain(`/monitoring/issues/${ids["payment-reconciliation"]}/resolve`);
    const readOnly = await (await analyst.get(`/monitoring/issues/${ids["payment-reconciliation"]}`)).text();
    expect(readOnly).toContain("orderId");
    expect(readOnly).not.toContain("/resolve");
  });

  it("resolves with a note (audited) and rejects a missing note with 400", async () => {
    const id = ids["payment-reconciliation"]!;
    const empty = await ops.postForm(`/monitoring/issues/${id}/resolve`, { note: "" });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("note");
    const res = await ops.postForm(`/monitoring/issues/${id}/resolve`, { note: "charge replayed" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/monitoring/issues/${id}?notice=resolved`);
    const [row] = await ctx.db.select().from(dataQualityIssues).where(eq(dataQualityIssues.id, id));
    expect(row).toMatchObject({ status: "resolved", resolutionNote: "charge replayed" });
    const [event] = await ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "monitoring.issue.resolve"), eq(auditLog.targetId, String(id))));
    expect(event).toMatchObject({ actorType: "user", actorRole: "ops" });
    const again = await ops.postForm(`/monitoring/issues/${id}/ignore`, { note: "twice" });
    expect(again.status).toBe(409);
  });

  it("requires the CSRF token to ignore", async () => {
    const id = ids["fulfillment-backlog"]!;
    const forged = await ops.postForm(`/monitoring/issues/${id}/ignore`, { note: "x" }, { csrf: false });
    expect(forged.status).toBe(403);
    const ok = await ops.postForm(`/monitoring/issues/${id}/ignore`, { note: "carrier strike, known" });
    expect(ok.status).toBe(303);
    const [row] = await ctx.db.select().from(dataQualityIssues).where(eq(dataQualityIssues.id, id));
    expect(row!.status).toBe("ignored");
  });

  it("denies customers (403) and analysts' triage (403)", async () => {
    const { client: customer } = await signedInClient(app, ctx, "customer");
    expect((await customer.get("/monitoring/issues")).status).toBe(403);
    expect(
      (await analyst.postForm(`/monitoring/issues/${ids["fulfillment-backlog"]}/resolve`, { note: "x" }))
        .status,
    ).toBe(403);
  });

  it("answers 404 for an unknown issue", async () => {
    expect((await ops.get("/monitoring/issues/999999")).status).toBe(404);
  });
});
