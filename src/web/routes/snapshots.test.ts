import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCharge } from "../../../tests/support/builders/ledger.ts";
import type { TestContext } from "../../../tests/support/context.ts";
import { createTestApp, type TestClient } from "../../../tests/support/http.ts";
import { markDaysDirty } from "../../analytics/dirty.ts";
import { computeKpis } from "../../analytics/index.ts";
import { listAuditEvents } from "../../audit/index.ts";
import { type Check, runChecks } from "../../monitoring/index.ts";
import { dataQualityIssues } from "../../monitoring/schema.ts";

let ctx: TestContext;
let admin: TestClient;
let ops: TestClient;
let adminId: number;

beforeAll(async () => {
  ({
    ctx,
    clients: { admin, ops },
    users: {
      admin: { id: adminId },
    },
  } = await createTestApp(["admin", "ops"]));
  // A charge on 2026-06-10 that no snapshot counts yet (the test clock is 2026-06-15).
  await makeCharge(ctx.db, { amount: 4200, created: "2026-06-10T10:00:00Z" });
  await markDaysDirty(ctx, [new Date("2026-06-10T10:00:00Z")]);
});
afterAll(() => ctx.destroy());

const june10 = { from: "2026-06-10", to: "2026-06-10", currency: "usd" };

describe("/admin/snapshots", () => {
  it("shows an admin what waits for the worker and a rebuild form for the last 30 days", async () => {
    const res = await admin.get("/admin/snapshots");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<h1>Snapshots</h1>");
    expect(html).toMatch(/data-waiting="1"/);
    expect(html).toContain('action="/admin/snapshots/rebuild"');
    expect(html).toMatch(/name="from" type="date" value="2026-05-17"/);
    expect(html).toMatch(/name="to" type="date" value="2026-06-15"/);
    expect(html).toContain("data-working=");
  });

  it("fills the form from an issue's link, and ignores days that are not days", async () => {
    const filled = await (await admin.get("/admin/snapshots?from=2026-06-01&to=2026-06-03")).text();
    expect(filled).toMatch(/name="from" type="date" value="2026-06-01"/);
    expect(filled).toMatch(/name="to" type="date" value="2026-06-03"/);
    const bad = await (await admin.get("/admin/snapshots?from=%3Cscript%3E&to=2026-06-03")).text();
    expect(bad).toMatch(/name="from" type="date" value="2026-05-17"/);
    expect(bad).not.toContain("<script>");
  });

  it("is refused to ops (snapshots.rebuild is an admin permission)", async () => {
    expect((await ops.get("/admin/snapshots")).status).toBe(403);
    expect(
      (await ops.postForm("/admin/snapshots/rebuild", { from: "2026-06-10", to: "2026-06-10" })).status,
    ).toBe(403);
  });

  it("rebuilds the range, says what it wrote, and audits the admin as the actor", async () => {
    expect((await computeKpis(ctx, june10)).gross_revenue).toBe(0);
    const res = await admin.postForm("/admin/snapshots/rebuild", { from: "2026-06-01", to: "2026-06-14" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/Rebuilt 14 day\(s\), 1 Jun 2026 to 14 Jun 2026: [\d,]+ row\(s\) written/);
    expect((await computeKpis(ctx, june10)).gross_revenue).toBe(4200);
    const { rows } = await listAuditEvents(ctx, { action: "snapshots.build" });
    expect(rows[0]).toMatchObject({
      actorType: "user",
      actorId: String(adminId),
      after: { from: "2026-06-01", to: "2026-06-14", days: 14 },
    });
    // The latest rebuilds name the admin.
    expect(html).toMatch(/snapshot-builds[\s\S]*\(admin\)/);
  });

  it("answers a bad day or range with 400 naming the field, and builds nothing", async () => {
    const before = (await listAuditEvents(ctx, { action: "snapshots.build" })).total;
    const bad = await admin.postForm("/admin/snapshots/rebuild", { from: "2026-13-01", to: "2026-06-10" });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain("from: ");
    expect(badHtml).toMatch(
      /name="from" type="date" value="2026-13-01"[^>]*aria-invalid="true" aria-describedby="from-error"\/><span class="field-error" id="from-error" role="alert">from: /,
    );
    const reversed = await admin.postForm("/admin/snapshots/rebuild", {
      from: "2026-06-10",
      to: "2026-06-01",
    });
    expect(reversed.status).toBe(400);
    expect(await reversed.text()).toContain("to: must be on or after from");
    expect((await listAuditEvents(ctx, { action: "snapshots.build" })).total).toBe(before);
  });

  it("refuses a post without the CSRF token", async () => {
    const before = (await listAuditEvents(ctx, { action: "snapshots.build" })).total;
    const res = await admin.postForm(
      "/admin/snapshots/rebuild",
      { from: "2026-06-10", to: "2026-06-10" },
      { csrf: false },
    );
    expect(res.status).toBe(403);
    expect((await listAuditEvents(ctx, { action: "snapshots.build" })).total).toBe(before);
  });
});

describe("snapshot issues lead an admin to the rebuild", () => {
  /** Stand-ins with the real checks' names and the `fix` their details carry. */
  const stand = (name: string, fix: string): Check => ({
    name,
    description: name,
    severity: "warning",
    fix: "n/a",
    run: async () => [{ fingerprint: "x", title: `${name} x`, details: { fix } }],
  });

  it("links the issue's days for an admin only, and the list page to the rebuild page", async () => {
    await runChecks(ctx, {
      checks: [
        stand("snapshot-reconciliation", "revintel snapshots build --from 2026-06-10 --to 2026-06-10"),
        stand("stale-snapshots", "revintel snapshots build --from <first day> --to 2026-06-14"),
      ],
    });
    const ids = new Map((await ctx.db.select().from(dataQualityIssues)).map((r) => [r.check, r.id]));
    const reconciliation = await (
      await admin.get(`/monitoring/issues/${ids.get("snapshot-reconciliation")}`)
    ).text();
    expect(reconciliation).toContain('href="/admin/snapshots?from=2026-06-10&amp;to=2026-06-10"');
    const stale = await (await admin.get(`/monitoring/issues/${ids.get("stale-snapshots")}`)).text();
    expect(stale).toContain('href="/admin/snapshots?to=2026-06-14"');
    const asOps = await (await ops.get(`/monitoring/issues/${ids.get("snapshot-reconciliation")}`)).text();
    expect(asOps).toContain("snapshot-reconciliation x");
    expect(asOps).not.toContain("/admin/snapshots");
    expect(await (await admin.get("/monitoring/issues")).text()).toContain('href="/admin/snapshots"');
    expect(await (await ops.get("/monitoring/issues")).text()).not.toContain('href="/admin/snapshots"');
  });
});
