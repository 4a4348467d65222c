import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { signedInClient } from "../../tests/support/http.ts";
import { deliver, eventRow, insertPendingOrder, orderState } from "../../tests/support/webhooks.ts";
import { cliActor, verifyAuditChain } from "../audit/index.ts";
import { auditLog } from "../audit/schema.ts";
import { createStripeFactory } from "../offline/objects/event-factory.ts";
import { createApp } from "../web/app.ts";
import { webhookRedriveJob } from "./jobs.ts";
import { replayEvent, replayFailed } from "./replay.ts";

let ctx: TestContext;
let app: Awaited<ReturnType<typeof createApp>>["app"];
const f = createStripeFactory({ seed: "replay-audit", now: new Date("2026-06-15T10:00:00Z") });

beforeAll(async () => {
  ctx = await createTestContext();
  ({ app } = await createApp(ctx));
  await ctx.db.execute(sql`CREATE FUNCTION test_replay_fail() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'ledger unavailable'; END $$`);
});
afterAll(() => ctx.destroy());

async function breakLedger(broken: boolean): Promise<void> {
  await ctx.db.execute(
    broken
      ? sql`CREATE OR REPLACE TRIGGER test_replay_fail BEFORE INSERT ON charges FOR EACH ROW EXECUTE FUNCTION test_replay_fail()`
      : sql`DROP TRIGGER IF EXISTS test_replay_fail ON charges`,
  );
}

/** A charge.succeeded event for a fresh pending order, delivered while the ledger refuses it: `failed`. */
async function failedEvent() {
  const { orderId } = await insertPendingOrder(ctx, [{ unitPrice: 3000, quantity: 1 }]);
  const { charge } = f.makePayment({ amount: 3000, metadata: { order_id: String(orderId) } });
  const event = f.makeEvent("charge.succeeded", charge);
  expect((await deliver(ctx, event)).outcome).toBe("failed");
  return { orderId, eventId: event.id };
}

function replayRows(eventId: string) {
  return ctx.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, "webhook.replay"), eq(auditLog.targetId, eventId)))
    .orderBy(auditLog.seq);
}

describe("webhook replays are audited", () => {
  it("an admin's replay over HTTP writes one webhook.replay row by that admin, with the change", async () => {
    await breakLedger(true);
    const { orderId, eventId } = await failedEvent();
    await breakLedger(false);

    const { client, user } = await signedInClient(app, ctx, "admin");
    await client.primeCsrf("/");
    const res = await client.postForm(`/admin/webhooks/${eventId}/replay`, {});
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`Event ${eventId}: processed.`);
    expect((await orderState(ctx, orderId))?.status).toBe("paid");

    const rows = await replayRows(eventId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actorType: "user",
      actorId: String(user.id),
      actorRole: "admin",
      targetType: "stripe_event",
      targetId: eventId,
      before: { status: "failed", attempts: 1 },
      after: { type: "charge.succeeded", outcome: "processed", status: "processed", attempts: 2 },
    });
    expect(rows[0]?.requestId).toBeTruthy();
    expect((await verifyAuditChain(ctx)).ok).toBe(true);
  });

  it("CLI replays (--event, --failed) write one row per replayed event by the CLI, also when it fails again", async () => {
    await breakLedger(true);
    const first = await failedEvent();
    const second = await failedEvent();

    // `stripe replay --event`: still broken, so it fails again (attempt 2), audited as such.
    expect(await replayEvent(ctx, first.eventId, cliActor)).toBe("failed");
    const failedAgain = await replayRows(first.eventId);
    expect(failedAgain).toHaveLength(1);
    expect(failedAgain[0]).toMatchObject({
      actorType: "cli",
      actorId: "cli",
      after: { type: "charge.succeeded", outcome: "failed", status: "failed", attempts: 2 },
    });

    // `stripe replay --failed` once the cause is fixed: one row per event, by the CLI.
    await breakLedger(false);
    const report = await replayFailed(ctx, cliActor);
    expect(report).toMatchObject({ attempted: 2, processed: 2, failed: 0 });
    for (const { eventId, orderId } of [first, second]) {
      const rows = (await replayRows(eventId)).filter(
        (r) => (r.after as { outcome: string }).outcome !== "failed",
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actorType: "cli", after: { outcome: "processed" } });
      expect((await orderState(ctx, orderId))?.status).toBe("paid");
    }
    expect(await replayRows(first.eventId)).toHaveLength(2);
    expect(await replayRows(second.eventId)).toHaveLength(1);

    // Replaying an applied event changes nothing, and the attempt is on record.
    expect(await replayEvent(ctx, second.eventId, cliActor)).toBe("skipped");
    const again = await replayRows(second.eventId);
    expect(again).toHaveLength(2);
    expect(again[1]).toMatchObject({ after: { outcome: "skipped", status: "processed", attempts: 2 } });
    expect((await verifyAuditChain(ctx)).ok).toBe(true);
  });

  it("the worker's scheduled re-drive is audited as the system", async () => {
    await breakLedger(true);
    const { eventId } = await failedEvent();
    await breakLedger(false);
    ctx.clock.advance(61_000); // past the first backoff
    expect(await webhookRedriveJob.run(ctx)).toBe(1);
    const rows = await replayRows(eventId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actorType: "system",
      actorId: "system",
      after: { outcome: "processed" },
    });
  });

  it("the row commits with the replay: when it cannot be written, the event stays failed and unapplied", async () => {
    await breakLedger(true);
    const { orderId, eventId } = await failedEvent();
    await breakLedger(false);
    await ctx.db.execute(sql`CREATE TRIGGER test_replay_fail BEFORE INSERT ON audit_log
      FOR EACH ROW EXECUTE FUNCTION test_replay_fail()`);
    try {
      await expect(replayEvent(ctx, eventId, cliActor)).rejects.toThrow();
    } finally {
      await ctx.db.execute(sql`DROP TRIGGER test_replay_fail ON audit_log`);
    }
    expect(await eventRow(ctx, eventId)).toMatchObject({ status: "failed", attempts: 1 });
    expect((await orderState(ctx, orderId))?.status).toBe("pending");
    expect(await replayRows(eventId)).toHaveLength(0);
  });
});
