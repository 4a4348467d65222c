/**
 * A dispute's evidence deadline in every Stripe API version family (issue 19): the story's inquiry
 * and chargeback, written from Stripe's published Dispute object per family (see
 * tests/support/stripe-versions/dispute.ts: `evidence_details` with `due_by`, `has_evidence`,
 * `past_due`, `submission_count`, plus `enhanced_eligibility` from basil and `submission_method` in
 * the newest), are delivered through the real webhook route; `disputes.evidence_due_by` must be
 * the `due_by` Stripe sent, in each family, through opening, the evidence response and closing.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disputes } from "../../src/db/schema.ts";
import { createApp } from "../../src/web/app.ts";
import { createTestContext, type TestContext } from "../support/context.ts";
import { type App, insertStoryOrder, postEvent } from "../support/stripe-versions/harness.ts";
import { STORY, STORY_EVIDENCE_DUE, storyEvents } from "../support/stripe-versions/story.ts";
import { FAMILIES, type Family, type StripeEvent } from "../support/stripe-versions/versions.ts";

/** The story's events about the two disputed charges, in the order Stripe sent them. */
const DISPUTE_EVENTS = ["evt_inq_charge", "evt_inq_created", "evt_cb_charge", "evt_cb_created"];
const LATER_EVENTS = ["evt_cb_updated", "evt_inq_closed", "evt_cb_lost"];

describe.each(FAMILIES)("dispute evidence at API version family %s", (family: Family) => {
  let ctx: TestContext;
  let app: App;
  let events: Map<string, StripeEvent>;

  beforeAll(async () => {
    ctx = await createTestContext();
    ({ app } = createApp(ctx));
    const order = await insertStoryOrder(ctx);
    events = new Map(storyEvents({ ...STORY, order }, () => family).map((e) => [e.id, e]));
  });
  afterAll(() => ctx.destroy());

  const post = async (ids: string[]) => {
    for (const id of ids) expect(await postEvent(ctx, app, events.get(id)!), id).toBe(200);
  };
  const stored = async (id: string) => {
    const [row] = await ctx.db
      .select({ dueBy: disputes.evidenceDueBy, status: disputes.status })
      .from(disputes)
      .where(eq(disputes.id, id));
    return { dueBy: row?.dueBy?.toISOString() ?? null, status: row?.status };
  };

  it("carries the evidence_details fields Stripe's reference gives this version", () => {
    const payload = events.get("evt_cb_updated")!.data.object as {
      evidence_details: Record<string, unknown>;
    };
    const expected = ["due_by", "has_evidence", "past_due", "submission_count"];
    if (family !== "2024-06-20") expected.push("enhanced_eligibility");
    if (family === "newest") expected.push("submission_method");
    expect(Object.keys(payload.evidence_details).sort()).toEqual(expected.sort());
    expect(payload.evidence_details).toMatchObject({
      has_evidence: true,
      past_due: false,
      submission_count: 1,
    });
  });

  it("stores each dispute's evidence_details.due_by as disputes.evidence_due_by", async () => {
    await post(DISPUTE_EVENTS);
    // due_by 2026-05-21 23:59:59 UTC for the inquiry, 2026-05-24 23:59:59 UTC for the chargeback.
    expect(await stored("dp_story_inq")).toEqual({
      dueBy: "2026-05-21T23:59:59.000Z",
      status: "warning_needs_response",
    });
    expect(await stored("dp_story_cb")).toEqual({
      dueBy: "2026-05-24T23:59:59.000Z",
      status: "needs_response",
    });
    expect(STORY_EVIDENCE_DUE).toEqual({
      inquiry: "2026-05-21T23:59:59Z",
      chargeback: "2026-05-24T23:59:59Z",
    });
  });

  it("keeps the deadline through the evidence response and the closing events", async () => {
    await post(LATER_EVENTS);
    expect(await stored("dp_story_inq")).toEqual({
      dueBy: "2026-05-21T23:59:59.000Z",
      status: "warning_closed",
    });
    expect(await stored("dp_story_cb")).toEqual({ dueBy: "2026-05-24T23:59:59.000Z", status: "lost" });
  });
});
