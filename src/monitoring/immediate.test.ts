import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { webhookIssuesOf } from "../../tests/support/webhooks.ts";
import { webhookHealth } from "./checks/webhook-health.ts";
import { clearEventIssue, raiseFailedEventIssue } from "./immediate.ts";
import { runChecks } from "./runner.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

const RECEIVED = new Date("2026-06-15T11:00:00Z");

const issuesOf = (eventId: string) => webhookIssuesOf(ctx, eventId);

describe("the issue of a failed event, raised at once", () => {
  it("is one open issue however often it is raised, and clearing it resolves it by system", async () => {
    const event = { id: "evt_immediate_1", type: "charge.succeeded", attempts: 1, receivedAt: RECEIVED };
    await raiseFailedEventIssue(ctx.db, event, new Date("2026-06-15T11:00:00Z"));
    await raiseFailedEventIssue(ctx.db, { ...event, attempts: 2 }, new Date("2026-06-15T11:05:00Z"));
    const [issue, ...more] = await issuesOf(event.id);
    expect(more).toEqual([]);
    expect(issue).toMatchObject({ status: "open", severity: "critical", occurrences: 2 });
    expect(issue?.details).toMatchObject({ eventId: event.id, attempts: 2, status: "failed" });

    await clearEventIssue(ctx.db, event.id, new Date("2026-06-15T11:10:00Z"));
    expect((await issuesOf(event.id))[0]).toMatchObject({ status: "resolved", resolvedBy: "system" });
    // Clearing an event with no active issue changes nothing.
    await clearEventIssue(ctx.db, event.id, new Date("2026-06-15T11:20:00Z"));
    expect((await issuesOf(event.id))[0]?.resolvedAt).toEqual(new Date("2026-06-15T11:10:00Z"));
  });

  it("is not resolved by a check run that read its data before the event failed", async () => {
    const event = { id: "evt_immediate_2", type: "refund.created", attempts: 1, receivedAt: RECEIVED };
    // The run reads no failed event; meanwhile (after the run started) the event fails and raises its issue.
    const racing = {
      ...webhookHealth,
      run: async () => {
        await raiseFailedEventIssue(ctx.db, event, new Date(ctx.clock.now().getTime() + 1_000));
        return [];
      },
    };
    await runChecks(ctx, { checks: [racing] });
    expect((await issuesOf(event.id)).map((i) => i.status)).toEqual(["open"]);
  });
});
