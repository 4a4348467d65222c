import { sql } from "drizzle-orm";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataQualityIssues } from "../../src/monitoring/schema.ts";
import { createStripeFactory } from "../../src/offline/objects/event-factory.ts";
import { makeStripeEvent } from "../support/builders/events.ts";
import { makeIssue } from "../support/builders/monitoring.ts";
import { eventRow, insertPendingOrder, signedNow, webhookIssuesOf } from "../support/webhooks.ts";
import { DESKTOP, type E2e, PHONE, shoot, signIn, startE2e } from "./support/app.ts";

/** A long table pages; a page taller than this at phone width is one that grows with its data. */
const MAX_PHONE_HEIGHT = 6000;

let e2e: E2e;
const f = createStripeFactory({ seed: "e2e-webhook-events", now: new Date("2026-06-15T11:30:00Z") });

beforeAll(async () => {
  e2e = await startE2e();
  // Long tables: hundreds of stored events and issues, more than any page may show at once.
  for (let i = 0; i < 120; i++)
    await makeStripeEvent(e2e.ctx.db, { type: "customer.updated", receivedAt: "2026-06-14T08:00:00Z" });
  for (let i = 0; i < 120; i++) await makeIssue(e2e.ctx.db, { lastSeen: new Date("2026-06-14T00:00:00Z") });
});
afterAll(() => e2e?.stop());

/** The database refuses charges of 1,000.00 or more, as a tightened rule would: such events fail. */
async function capCharges(on: boolean): Promise<void> {
  await e2e.ctx.db.execute(
    on
      ? sql`ALTER TABLE charges ADD CONSTRAINT e2e_charge_cap CHECK (amount < 100000) NOT VALID`
      : sql`ALTER TABLE charges DROP CONSTRAINT IF EXISTS e2e_charge_cap`,
  );
}

/** Stripe delivers a charge.succeeded for a pending order to the running server, signed. */
async function deliverCharge(amount: number): Promise<{ eventId: string; status: string }> {
  const { orderId } = await insertPendingOrder(e2e.ctx, [{ unitPrice: amount, quantity: 1 }]);
  const { charge } = f.makePayment({ amount, metadata: { order_id: String(orderId) } });
  const event = f.makeEvent("charge.succeeded", charge);
  const { payload, header } = signedNow(e2e.ctx, event);
  const res = await fetch(`${e2e.server.url}/webhooks/stripe`, {
    method: "POST",
    body: payload,
    headers: { "content-type": "application/json", "stripe-signature": header },
  });
  expect(res.status).toBe(200);
  return { eventId: event.id, status: ((await res.json()) as { status: string }).status };
}

const issueOf = (eventId: string) => webhookIssuesOf(e2e.ctx, eventId);

async function size(page: Page): Promise<{ width: number; height: number }> {
  return page.evaluate(() => ({
    width: document.documentElement.scrollWidth,
    height: document.documentElement.scrollHeight,
  }));
}

describe("a failed webhook replayed by ops", () => {
  it("fails, shows up at once with its error in plain words, and ops replay it from the events page", async () => {
    await capCharges(true);
    const { eventId, status } = await deliverCharge(150_000);
    expect(status).toBe("failed");
    // The issue is open now, not at the next hourly run.
    expect((await issueOf(eventId)).map((i) => i.status)).toEqual(["open"]);

    const page = await signIn(e2e, "ops", DESKTOP);
    await page.goto("/webhooks/events?status=failed");
    const row = page.locator(`tr[data-event="${eventId}"]`);
    await expect(row.textContent()).resolves.toContain("break a rule the database enforces");
    await shoot(page, "ops-webhook-events");
    await Promise.all([page.waitForURL(`**/webhooks/events/${eventId}`), row.getByRole("link").click()]);
    await expect(page.locator("[data-error-kind]").getAttribute("data-error-kind")).resolves.toBe("rule");
    await expect(page.locator("details.raw-error").getAttribute("open")).resolves.toBeNull();
    await shoot(page, "ops-webhook-event-failed");

    // Ops fix the cause, then replay.
    await capCharges(false);
    await Promise.all([
      page.waitForURL(`**/webhooks/events/${eventId}?replayed=processed`),
      page.getByRole("button", { name: "Replay" }).click(),
    ]);
    await expect(page.locator('[role="status"]').textContent()).resolves.toContain("the event was applied");
    await expect(page.locator(".page-head .badge").textContent()).resolves.toBe("processed");
    await expect(page.locator("#records").textContent()).resolves.toContain("yes, latest");
    await shoot(page, "ops-webhook-event-replayed");
    expect((await eventRow(e2e.ctx, eventId))?.status).toBe("processed");

    // The issue resolves as the workflow expects: by the system, once the condition is gone.
    const [issue] = await issueOf(eventId);
    expect(issue).toMatchObject({ status: "resolved", resolvedBy: "system" });
    await page.goto(`/monitoring/issues/${issue!.id}`);
    await expect(page.locator(".page-head .badge.resolved").count()).resolves.toBe(1);
    await expect(page.locator("[data-issue-error]").textContent()).resolves.toContain("processed");
    await page.context().close();
  }, 90_000);
});

describe("on a phone (390 × 844)", () => {
  const PAGES = ["/dashboard/ops", "/monitoring/issues", "/audit", "/webhooks/events"];

  it.each(PAGES)(
    "%s fits the width and pages its long tables",
    async (path) => {
      const page = await signIn(e2e, "admin", PHONE);
      await page.goto(path);
      const { width, height } = await size(page);
      expect(width).toBeLessThanOrEqual(PHONE.width);
      expect(height).toBeLessThanOrEqual(MAX_PHONE_HEIGHT);
      await shoot(page, `admin-phone${path.replaceAll("/", "-")}`);
      await page.context().close();
    },
    60_000,
  );

  it("an issue's page and an event's page fit too", async () => {
    const page = await signIn(e2e, "ops", PHONE);
    const [issue] = await e2e.ctx.db.select().from(dataQualityIssues).limit(1);
    await page.goto(`/monitoring/issues/${issue!.id}`);
    expect((await size(page)).width).toBeLessThanOrEqual(PHONE.width);
    await capCharges(true);
    const { eventId } = await deliverCharge(170_000);
    await capCharges(false);
    await page.goto("/webhooks/events");
    await shoot(page, "ops-webhook-events-phone", { fullPage: false });
    await page.goto(`/webhooks/events/${eventId}`);
    expect((await size(page)).width).toBeLessThanOrEqual(PHONE.width);
    await shoot(page, "ops-webhook-event-phone", { fullPage: false });
    await page.context().close();
  }, 60_000);
});
