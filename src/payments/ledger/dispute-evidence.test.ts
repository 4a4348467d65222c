import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { listDisputes } from "../index.ts";
import { disputes } from "../schema.ts";
import { readDispute } from "../stripe/readers/dispute.ts";
import { upsertDispute } from "./disputes.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

const unix = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

/** A Dispute as Stripe's API reference shows it; `evidence_details` absent when `dueBy` is undefined. */
function payload(
  id: string,
  status: string,
  dueBy: string | null | undefined,
  created = "2026-06-01T10:00:00Z",
) {
  return {
    id,
    object: "dispute",
    amount: 1500,
    charge: `ch_${id}`,
    created: unix(created),
    currency: "usd",
    livemode: false,
    reason: "product_not_received",
    status,
    ...(dueBy === undefined
      ? {}
      : {
          evidence_details: {
            due_by: dueBy === null ? null : unix(dueBy),
            has_evidence: false,
            past_due: false,
            submission_count: 0,
          },
        }),
  };
}

async function apply(raw: object, eventCreated: string) {
  await ctx.db.transaction((tx) => upsertDispute(ctx, tx, readDispute(raw), new Date(eventCreated)));
}

async function dueBy(id: string): Promise<Date | null | undefined> {
  const [row] = await ctx.db.select().from(disputes).where(eq(disputes.id, id));
  return row?.evidenceDueBy;
}

describe("a dispute's evidence deadline", () => {
  it("is stored from evidence_details.due_by and kept when a later payload does not carry it", async () => {
    await apply(payload("dp_ev1", "needs_response", "2026-06-20T23:59:59Z"), "2026-06-01T10:00:00Z");
    expect(await dueBy("dp_ev1")).toEqual(new Date("2026-06-20T23:59:59Z"));
    // An older API version's payload without evidence_details: the known deadline stays.
    await apply(payload("dp_ev1", "under_review", undefined), "2026-06-05T10:00:00Z");
    expect(await dueBy("dp_ev1")).toEqual(new Date("2026-06-20T23:59:59Z"));
    // Stripe moved it (a newer event says so); an older event arriving late changes nothing.
    await apply(payload("dp_ev1", "under_review", "2026-06-25T23:59:59Z"), "2026-06-06T10:00:00Z");
    await apply(payload("dp_ev1", "needs_response", "2026-06-20T23:59:59Z"), "2026-06-02T10:00:00Z");
    expect(await dueBy("dp_ev1")).toEqual(new Date("2026-06-25T23:59:59Z"));
  });

  it("is none when Stripe sends 0 or null (the bank takes no response)", async () => {
    await apply(payload("dp_ev2", "warning_needs_response", null), "2026-06-01T10:00:00Z");
    expect(await dueBy("dp_ev2")).toBeNull();
    expect(
      readDispute({ ...payload("dp_ev3", "needs_response", null), evidence_details: { due_by: 0 } })
        .evidenceDueBy,
    ).toBeNull();
  });

  it("lists open disputes nearest deadline first, then closed ones newest first", async () => {
    await apply(payload("dp_ev4", "needs_response", "2026-06-18T23:59:59Z"), "2026-06-01T10:00:00Z");
    await apply(
      payload("dp_ev5", "won", "2026-06-10T23:59:59Z", "2026-05-01T10:00:00Z"),
      "2026-06-01T10:00:00Z",
    );
    await apply(payload("dp_ev6", "lost", null, "2026-05-20T10:00:00Z"), "2026-06-01T10:00:00Z");
    const all = (await listDisputes(ctx.db, { view: "all" })).map((d) => d.id);
    expect(all).toEqual(["dp_ev4", "dp_ev1", "dp_ev2", "dp_ev6", "dp_ev5"]);
    expect((await listDisputes(ctx.db, { view: "open" })).map((d) => d.id)).toEqual([
      "dp_ev4",
      "dp_ev1",
      "dp_ev2",
    ]);
    const [lost, won] = await listDisputes(ctx.db, { view: "closed" });
    expect([lost?.id, won?.id]).toEqual(["dp_ev6", "dp_ev5"]);
    expect(lost).toMatchObject({ needsResponse: false, inquiry: false });
  });
});
