import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeStripeEvent } from "../../../tests/support/builders/events.ts";
import type { TestContext } from "../../../tests/support/context.ts";
import { createTestApp, signedInClient, type TestClient } from "../../../tests/support/http.ts";
import { deliver, eventRow, insertPendingOrder, webhookIssuesOf } from "../../../tests/support/webhooks.ts";
import { systemActor } from "../../audit/index.ts";
import { auditLog } from "../../audit/schema.ts";
import { runChecks } from "../../monitoring/index.ts";
import { createStripeFactory } from "../../offline/objects/event-factory.ts";
import { replayFailed } from "../../payments/replay.ts";
import type { createApp } from "../app.ts";

let ctx: TestContext;
let app: ReturnType<typeof createApp>["app"];
let ops: TestClient;
const f = createStripeFactory({ seed: "webhook-events-page", now: new Date("2026-06-15T11:30:00Z") });

beforeAll(async () => {
  ({
    ctx,
    app,
    clients: { ops },
  } = await createTestApp(["ops"]));
  await ops.primeCsrf("/webhooks/events");
});
afterAll(() => ctx.destroy());

/** The ledger refuses charges of 1,000.00 or more, as a database rule would: such events fail. */
async function capCharges(on: boolean): Promise<void> {
  await ctx.db.execute(
    on
      ? sql`ALTER TABLE charges ADD CONSTRAINT test_charge_cap CHECK (amount < 100000) NOT VALID`
      : sql`ALTER TABLE charges DROP CONSTRAINT IF EXISTS test_charge_cap`,
  );
}

/** A charge.succeeded for a fresh pending order of `amount`, delivered through the real path. */
async function chargeEvent(amount: number) {
  const { orderId } = await insertPendingOrder(ctx, [{ unitPrice: amount, quantity: 1 }]);
  const { charge } = f.makePayment({ amount, metadata: { order_id: String(orderId) } });
  const event = f.makeEvent("charge.succeeded", charge);
  return { orderId, event, charge, result: await deliver(ctx, event) };
}

const issuesOf = (eventId: string) => webhookIssuesOf(ctx, eventId);

describe("webhook events list", () => {
  it("filters by status, type family and day, newest first, one keyset page at a time", async () => {
    for (let i = 0; i < 30; i++)
      await makeStripeEvent(ctx.db, { type: "customer.updated", receivedAt: "2026-06-01T10:00:00Z" });
    const failed = await makeStripeEvent(ctx.db, {
      type: "charge.refunded",
      receivedAt: "2026-06-02T09:00:00Z",
      status: "failed",
      attempts: 3,
      lastError: 'new row for relation "orders" violates check constraint "orders_refund_bounds"',
    });

    const first = await (await ops.get("/webhooks/events?type=customer.")).text();
    expect(first.match(/data-event="/g)).toHaveLength(25);
    const older = /href="(\/webhooks\/events\?type=customer\.&amp;after=\d+)"/.exec(first);
    expect(older).not.toBeNull();
    const second = await (await ops.get(older![1]!.replaceAll("&amp;", "&"))).text();
    expect(second.match(/data-event="/g)).toHaveLength(5);
    expect(second).not.toContain("Older →");
    // Back to the newer page: the same 25 events, in the same order, and no page before it.
    const newer = /href="(\/webhooks\/events\?type=customer\.&amp;before=\d+)" rel="prev"/.exec(second);
    expect(newer).not.toBeNull();
    const back = await (await ops.get(newer![1]!.replaceAll("&amp;", "&"))).text();
    const ids = (html: string) => [...html.matchAll(/data-event="([^"]+)"/g)].map((m) => m[1]);
    expect(ids(back)).toEqual(ids(first));
    expect(back).not.toContain('rel="prev"');
    expect(back).toContain("Older →");

    const onlyFailed = await (
      await ops.get("/webhooks/events?status=failed&from=2026-06-02&to=2026-06-02")
    ).text();
    expect(onlyFailed.match(/data-event="/g)).toHaveLength(1);
    expect(onlyFailed).toContain(`data-event="${failed.id}"`);
    // The plain sentence, not the database's words.
    expect(onlyFailed).toContain("refunded total would go below zero or above the order total");

    const none = await (await ops.get("/webhooks/events?status=failed&from=2026-06-03")).text();
    expect(none).toContain("No stored event matches these filters.");
  });

  it("names the bad field of a filter (400)", async () => {
    const res = await ops.get("/webhooks/events?from=2026-13-01", { accept: "application/json" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("from");
  });

  it("is for ops and admin: analysts and customers are refused, visitors sent to sign in", async () => {
    const event = await makeStripeEvent(ctx.db);
    for (const role of ["analyst", "customer"] as const) {
      const { client } = await signedInClient(app, ctx, role);
      expect((await client.get("/webhooks/events")).status).toBe(403);
      expect((await client.get(`/webhooks/events/${event.id}`)).status).toBe(403);
    }
    const { client: admin } = await signedInClient(app, ctx, "admin");
    expect((await admin.get(`/webhooks/events/${event.id}`)).status).toBe(200);
    const anonymous = await app.request(`/webhooks/events/${event.id}`);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe(
      `/login?next=${encodeURIComponent(`/webhooks/events/${event.id}`)}`,
    );
    // Stripe's endpoint keeps its JSON contract.
    const stripe = await app.request("/webhooks/stripe", { method: "POST", body: "{}" });
    expect(stripe.status).toBe(400);
    expect(await stripe.json()).toMatchObject({ error: { code: "webhook.missing_signature" } });
  });
});

describe("webhook event page", () => {
  it("shows the payload as escaped, indented JSON and the records the event changed", async () => {
    const { orderId, event, charge, result } = await chargeEvent(4200);
    expect(result.outcome).toBe("processed");
    const html = await (await ops.get(`/webhooks/events/${event.id}`)).text();
    expect(html).toContain(`href="/admin/orders/${orderId}"`);
    expect(html).toContain(`>${charge.id}</code>`);
    expect(html).toContain("yes, latest");
    // Indented JSON, two spaces per level.
    expect(html).toContain(`\n  &quot;id&quot;: &quot;${event.id}&quot;`);

    const hostile = await makeStripeEvent(ctx.db, {
      payload: { id: "evt_x", data: { object: { id: "cus_x", description: "<script>alert(1)</script>" } } },
    });
    const page = await (await ops.get(`/webhooks/events/${hostile.id}`)).text();
    expect(page).not.toContain("<script>alert(1)</script>");
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page).toContain("No stored record refers to this event");
  });

  it("never shows a value the database echoed back in an error (personal data)", async () => {
    const event = await makeStripeEvent(ctx.db, {
      status: "failed",
      lastError: 'invalid input syntax for type integer: "jane.doe@example.test"',
    });
    const html = await (await ops.get(`/webhooks/events/${event.id}`)).text();
    expect(html).toContain('data-error-kind="bad_value"');
    expect(html).toContain("invalid input syntax for type integer: [not logged]");
    expect(html).not.toContain("jane.doe@example.test");
  });

  it("answers 404 for an unknown event and 400 for an id that is not one", async () => {
    expect((await ops.get("/webhooks/events/evt_nothing", { accept: "application/json" })).status).toBe(404);
    expect((await ops.get("/webhooks/events/1", { accept: "application/json" })).status).toBe(400);
  });
});

describe("a failed event", () => {
  it("raises its data-quality issue when it fails, once, and the hourly check agrees", async () => {
    await capCharges(true);
    const { event, result } = await chargeEvent(150_000);
    expect(result.outcome).toBe("failed");
    let issues = await issuesOf(event.id);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ status: "open", severity: "critical", occurrences: 1 });
    expect(issues[0]!.title).toBe(`Stripe event ${event.id} (charge.succeeded) failed after 1 attempt(s)`);

    // The worker's retry fails again: the same issue, seen twice, with the new attempt count.
    await replayFailed(ctx, systemActor);
    issues = await issuesOf(event.id);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ status: "open", occurrences: 2 });
    expect(issues[0]!.title).toContain("failed after 2 attempt(s)");

    // The hourly run finds the issue already open: it updates it, opens nothing.
    const run = await runChecks(ctx, { check: "webhook-health" });
    expect(run.outcomes[0]).toMatchObject({ opened: 0, autoResolved: 0 });
    expect(await issuesOf(event.id)).toHaveLength(1);
    await capCharges(false);
  });

  it("shows the error in plain words with the raw message folded, and ops replay it (audited, CSRF)", async () => {
    await capCharges(true);
    const { orderId, event } = await chargeEvent(120_000);
    await capCharges(false);
    const html = await (await ops.get(`/webhooks/events/${event.id}`)).text();
    expect(html).toContain('data-error-kind="rule"');
    expect(html).toContain("rule &quot;test_charge_cap&quot;");
    expect(html).toMatch(/<details class="raw-error"><summary>Technical message<\/summary>/);
    expect(html).toContain("violates check constraint");
    expect(html).toContain("A failed event changed nothing");
    expect(html).toContain(`href="/admin/orders/${orderId}"`);

    // Without the CSRF token: refused, nothing replayed, nothing audited.
    const forged = await ops.postForm(
      `/admin/webhooks/${event.id}/replay`,
      { next: "event" },
      { csrf: false },
    );
    expect(forged.status).toBe(403);
    expect((await eventRow(ctx, event.id))?.status).toBe("failed");

    const res = await ops.postForm(`/admin/webhooks/${event.id}/replay`, { next: "event" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/webhooks/events/${event.id}?replayed=processed`);
    expect((await eventRow(ctx, event.id))?.status).toBe("processed");
    const after = await (await ops.get(res.headers.get("location")!)).text();
    expect(after).toContain("Replayed: the event was applied.");
    expect(after).toContain("No error: the event is processed.");

    const audits = await ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "webhook.replay"), eq(auditLog.targetId, event.id)));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorRole: "ops", before: { status: "failed" } });

    // Its issue is resolved by the system at once, as a rerun would; the rerun opens nothing again.
    const [issue] = await issuesOf(event.id);
    expect(issue).toMatchObject({ status: "resolved", resolvedBy: "system" });
    await runChecks(ctx, { check: "webhook-health" });
    expect((await issuesOf(event.id)).filter((i) => i.status === "open")).toHaveLength(0);
  });

  it("the issue page shows the fix as formatted text and the event's error it refers to", async () => {
    await capCharges(true);
    const { event } = await chargeEvent(130_000);
    await capCharges(false);
    const [issue] = await issuesOf(event.id);
    const html = await (await ops.get(`/monitoring/issues/${issue!.id}`)).text();
    expect(html).toContain("<code>revintel stripe replay --failed</code>");
    expect(html).not.toContain("`revintel stripe replay --failed`");
    expect(html).toContain("data-issue-error");
    expect(html).toContain("rule &quot;test_charge_cap&quot;");
    expect(html).toContain(`href="/webhooks/events/${event.id}"`);
  });

  it("the ops dashboard lists it with its error in plain words, linked to its page", async () => {
    await capCharges(true);
    const { event } = await chargeEvent(140_000);
    await capCharges(false);
    const html = await (await ops.get("/dashboard/ops")).text();
    const section = html.slice(html.indexOf('id="failed-events"'));
    expect(section).toContain(`href="/webhooks/events/${event.id}"`);
    expect(section).toContain("Applying the event would break a rule the database enforces");
    expect(section).not.toContain("violates check constraint");
  });
});
