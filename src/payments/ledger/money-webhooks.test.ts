import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { eventRow } from "../../../tests/support/webhooks.ts";
import { buildSnapshots, computeKpis, computeKpisRaw, type Kpis } from "../../analytics/index.ts";
import { cliActor } from "../../audit/index.ts";
import { createApp } from "../../web/app.ts";
import { refunds } from "../schema.ts";
import { signPayload } from "../stripe/sign.ts";

/*
 * Money KPIs (kpis.md v2) from signed webhooks posted to the real route. Payloads are written by
 * hand from Stripe's API reference for the version named on each event; every story uses its own
 * currency so its numbers stand alone. Expected numbers are worked out in the comments.
 */
let ctx: TestContext;
let app: Awaited<ReturnType<typeof createApp>>["app"];
beforeAll(async () => {
  ctx = await createTestContext();
  ({ app } = await createApp(ctx));
});
afterAll(() => ctx.destroy());

const unix = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);
let eventSeq = 0;

function event(type: string, object: object, createdIso: string, apiVersion: string, id?: string) {
  return {
    id: id ?? `evt_money_${++eventSeq}`,
    object: "event",
    api_version: apiVersion,
    created: unix(createdIso),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

async function post(evt: object): Promise<void> {
  const body = JSON.stringify(evt);
  const header = signPayload(body, ctx.config.stripeWebhookSecrets[0]!, unix(ctx.clock.now().toISOString()));
  const res = await app.request("/webhooks/stripe", {
    method: "POST",
    body,
    headers: { "content-type": "application/json", "stripe-signature": header },
  });
  expect(res.status).toBe(200);
}

/** A Charge as Stripe sends it from 2025-03-31.basil on (no `invoice`; `refunds` only when expanded). */
function charge(over: Record<string, unknown>) {
  return {
    object: "charge",
    amount_refunded: 0,
    balance_transaction: null,
    billing_details: { address: null, email: null, name: null, phone: null },
    captured: true,
    customer: null,
    description: null,
    disputed: false,
    failure_code: null,
    failure_message: null,
    livemode: false,
    metadata: {},
    outcome: { network_status: "approved_by_network", type: "authorized" },
    paid: true,
    payment_intent: null,
    payment_method: "pm_card_visa",
    refunded: false,
    status: "succeeded",
    ...over,
  };
}

function refund(over: Record<string, unknown>) {
  return {
    object: "refund",
    balance_transaction: "txn_r",
    destination_details: null,
    metadata: {},
    payment_intent: null,
    reason: "requested_by_customer",
    receipt_number: null,
    source_transfer_reversal: null,
    status: "succeeded",
    transfer_reversal: null,
    ...over,
  };
}

function dispute(over: Record<string, unknown>) {
  return {
    object: "dispute",
    balance_transactions: [],
    evidence: {},
    evidence_details: { due_by: null, has_evidence: false, past_due: false, submission_count: 0 },
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: null,
    reason: "fraudulent",
    ...over,
  };
}

type Money = Pick<Kpis, "gross_revenue" | "refunds" | "disputes" | "disputes_lost" | "net_revenue">;

/** The money KPIs from raw tables and from rebuilt snapshots: they must agree. */
async function money(currency: string, from = "2026-06-01", to = "2026-06-30"): Promise<Money> {
  const params = { from, to, currency, timezone: "UTC", livemode: false };
  await buildSnapshots(ctx, { from: "2026-06-01", to: "2026-06-30", timezone: "UTC" }, cliActor);
  const pick = (k: Kpis): Money => ({
    gross_revenue: k.gross_revenue,
    refunds: k.refunds,
    disputes: k.disputes,
    disputes_lost: k.disputes_lost,
    net_revenue: k.net_revenue,
  });
  const raw = pick(await computeKpisRaw(ctx, params));
  expect(pick(await computeKpis(ctx, params))).toEqual(raw);
  return raw;
}

const BASIL = "2025-03-31.basil";
const CLOVER = "2025-09-30.clover";
const ENDIVE = "2026-10-28.endive";

describe("money KPIs from signed webhooks", () => {
  it("counts a manual-capture charge of 8,000 captured at 5,000 as 5,000 gross and no refund", async () => {
    const auth = charge({
      id: "ch_manual",
      amount: 8000,
      amount_captured: 0,
      captured: false,
      currency: "usd",
      created: unix("2026-06-02T10:00:00Z"),
    });
    await post(event("charge.succeeded", auth, "2026-06-02T10:00:01Z", CLOVER));
    // Authorized only: nothing captured yet.
    expect((await money("usd")).gross_revenue).toBe(0);
    // Captured 5,000; Stripe marks the released 3,000 in amount_refunded and as a refund object
    // with reason expired_uncaptured_charge.
    const captured = { ...auth, amount_captured: 5000, captured: true, amount_refunded: 3000 };
    await post(event("charge.captured", captured, "2026-06-03T09:00:00Z", CLOVER));
    await post(
      event(
        "refund.created",
        refund({
          id: "re_released",
          amount: 3000,
          charge: "ch_manual",
          currency: "usd",
          created: unix("2026-06-03T09:00:00Z"),
          reason: "expired_uncaptured_charge",
        }),
        "2026-06-03T09:00:00Z",
        CLOVER,
      ),
    );
    // gross 5000; refunded captured money = 3000 − (8000 − 5000) = 0; net 5000.
    expect(await money("usd")).toEqual({
      gross_revenue: 5000,
      refunds: 0,
      disputes: 0,
      disputes_lost: 0,
      net_revenue: 5000,
    });
  });

  it("counts an expired authorization as 0 (charge.expired is applied, not ignored)", async () => {
    const auth = charge({
      id: "ch_expired",
      amount: 4000,
      amount_captured: 0,
      captured: false,
      currency: "eur",
      created: unix("2026-06-02T10:00:00Z"),
    });
    await post(event("charge.succeeded", auth, "2026-06-02T10:00:01Z", ENDIVE));
    const expired = { ...auth, amount_refunded: 4000, refunded: true };
    const evt = event("charge.expired", expired, "2026-06-09T10:00:00Z", ENDIVE);
    await post(evt);
    // The stored event was handled, not ignored as an unknown type.
    const row = await eventRow(ctx, evt.id);
    expect(row?.status).toBe("processed");
    // gross 0 (nothing captured); refunded captured = 4000 − (4000 − 0) = 0.
    expect(await money("eur")).toEqual({
      gross_revenue: 0,
      refunds: 0,
      disputes: 0,
      disputes_lost: 0,
      net_revenue: 0,
    });
  });

  it("counts a refund known only from the charge's embedded refunds list, once however often delivered", async () => {
    const paid = charge({
      id: "ch_embedded",
      amount: 6000,
      amount_captured: 6000,
      currency: "gbp",
      created: unix("2026-06-03T08:00:00Z"),
    });
    await post(event("charge.succeeded", paid, "2026-06-03T08:00:01Z", "2024-06-20"));
    // An endpoint on an older version (refunds embedded by default) sends the list with the charge.
    const refunded = {
      ...paid,
      invoice: null,
      amount_refunded: 2000,
      refunds: {
        object: "list",
        data: [
          refund({
            id: "re_embedded",
            amount: 2000,
            charge: "ch_embedded",
            currency: "gbp",
            created: unix("2026-06-05T12:00:00Z"),
          }),
        ],
        has_more: false,
        url: "/v1/charges/ch_embedded/refunds",
      },
    };
    const evt = event("charge.refunded", refunded, "2026-06-05T12:00:01Z", "2024-06-20");
    await post(evt);
    await post(evt); // a duplicate delivery
    await post(event("charge.refunded", refunded, "2026-06-05T12:00:02Z", "2024-06-20")); // the same fact, another event
    // gross 6000, refunds 2000 (re_embedded, once), net 4000.
    expect(await money("gbp")).toEqual({
      gross_revenue: 6000,
      refunds: 2000,
      disputes: 0,
      disputes_lost: 0,
      net_revenue: 4000,
    });
    expect((await money("gbp", "2026-06-05", "2026-06-05")).refunds).toBe(2000);
    const rows = await ctx.db.select().from(refunds).where(eq(refunds.chargeId, "ch_embedded"));
    expect(rows.map((r) => [r.id, r.provisional])).toEqual([["re_embedded", false]]);
  });

  it("counts a refund known only from amount_refunded as provisional, then replaces it by the refund object (counted once)", async () => {
    const paid = charge({
      id: "ch_provisional",
      amount: 7000,
      amount_captured: 7000,
      currency: "cad",
      created: unix("2026-06-03T08:00:00Z"),
    });
    await post(event("charge.succeeded", paid, "2026-06-03T08:00:01Z", BASIL));
    // No refund.* subscription: only the charge says 2500 was refunded (event of 6 June).
    await post(
      event(
        "charge.refunded",
        { ...paid, amount_refunded: 2500, refunded: false },
        "2026-06-06T10:00:00Z",
        BASIL,
      ),
    );
    // Provisional 2500 dated 6 June (the event that first showed it): gross 7000, refunds 2500, net 4500.
    expect(await money("cad")).toEqual({
      gross_revenue: 7000,
      refunds: 2500,
      disputes: 0,
      disputes_lost: 0,
      net_revenue: 4500,
    });
    expect((await money("cad", "2026-06-06", "2026-06-06")).refunds).toBe(2500);
    // The refund object arrives (created 5 June 23:00): it replaces the provisional one.
    const real = refund({
      id: "re_late",
      amount: 2500,
      charge: "ch_provisional",
      currency: "cad",
      created: unix("2026-06-05T23:00:00Z"),
    });
    await post(event("refund.created", real, "2026-06-07T08:00:00Z", BASIL));
    // Still 2500 in June (never 5000), now on 5 June and no longer on 6 June.
    expect(await money("cad")).toEqual({
      gross_revenue: 7000,
      refunds: 2500,
      disputes: 0,
      disputes_lost: 0,
      net_revenue: 4500,
    });
    expect((await money("cad", "2026-06-05", "2026-06-05")).refunds).toBe(2500);
    expect((await money("cad", "2026-06-06", "2026-06-06")).refunds).toBe(0);
    // A late duplicate of the charge event does not bring the provisional refund back.
    await post(event("charge.refunded", { ...paid, amount_refunded: 2500 }, "2026-06-06T10:00:00Z", BASIL));
    expect((await money("cad")).refunds).toBe(2500);
  });

  it("converges when the refund object arrives before the charge that shows it, delivered twice", async () => {
    const paid = charge({
      id: "ch_reordered",
      amount: 7000,
      amount_captured: 7000,
      currency: "aud",
      created: unix("2026-06-03T08:00:00Z"),
    });
    const real = refund({
      id: "re_first",
      amount: 2500,
      charge: "ch_reordered",
      currency: "aud",
      created: unix("2026-06-05T23:00:00Z"),
    });
    const events = [
      event("refund.created", real, "2026-06-05T23:00:01Z", ENDIVE),
      event("charge.refunded", { ...paid, amount_refunded: 2500 }, "2026-06-05T23:00:02Z", ENDIVE),
      event("charge.succeeded", paid, "2026-06-03T08:00:01Z", ENDIVE),
    ];
    for (const evt of [...events, ...events]) await post(evt);
    // Same figures as the story in order: gross 7000, refunds 2500 (on 5 June), net 4500.
    expect(await money("aud")).toEqual({
      gross_revenue: 7000,
      refunds: 2500,
      disputes: 0,
      disputes_lost: 0,
      net_revenue: 4500,
    });
    const rows = await ctx.db.select().from(refunds).where(eq(refunds.chargeId, "ch_reordered"));
    expect(rows.map((r) => r.id)).toEqual(["re_first"]);
  });

  it("keeps an inquiry out of disputes", async () => {
    const paid = charge({
      id: "ch_inquiry",
      amount: 3000,
      amount_captured: 3000,
      currency: "nzd",
      created: unix("2026-06-02T08:00:00Z"),
    });
    await post(event("charge.succeeded", paid, "2026-06-02T08:00:01Z", CLOVER));
    const inquiry = dispute({
      id: "du_inquiry",
      amount: 3000,
      charge: "ch_inquiry",
      currency: "nzd",
      created: unix("2026-06-04T08:00:00Z"),
      status: "warning_needs_response",
    });
    await post(event("charge.dispute.created", inquiry, "2026-06-04T08:00:01Z", CLOVER));
    await post(
      event(
        "charge.dispute.closed",
        { ...inquiry, status: "warning_closed" },
        "2026-06-10T08:00:00Z",
        CLOVER,
      ),
    );
    // gross 3000; the inquiry is no chargeback: disputes 0, disputes_lost 0, net 3000.
    expect(await money("nzd")).toEqual({
      gross_revenue: 3000,
      refunds: 0,
      disputes: 0,
      disputes_lost: 0,
      net_revenue: 3000,
    });
  });

  it("counts a lost chargeback in disputes_lost on the day it was first seen lost and takes it out of net revenue", async () => {
    const paid = charge({
      id: "ch_lost",
      amount: 9000,
      amount_captured: 9000,
      currency: "chf",
      created: unix("2026-06-02T08:00:00Z"),
    });
    await post(event("charge.succeeded", paid, "2026-06-02T08:00:01Z", ENDIVE));
    const opened = dispute({
      id: "du_lost",
      amount: 9000,
      charge: "ch_lost",
      currency: "chf",
      created: unix("2026-06-04T08:00:00Z"),
      status: "needs_response",
      enhanced_eligibility_types: [],
    });
    const lost = { ...opened, status: "lost" };
    // Out of order and duplicated: the close first, the opening after, the close again later.
    await post(event("charge.dispute.closed", lost, "2026-06-20T08:00:00Z", ENDIVE, "evt_du_lost_closed"));
    await post(event("charge.dispute.created", opened, "2026-06-04T08:00:01Z", ENDIVE));
    await post(event("charge.dispute.updated", lost, "2026-06-22T08:00:00Z", ENDIVE));
    await post(event("charge.dispute.closed", lost, "2026-06-20T08:00:00Z", ENDIVE, "evt_du_lost_closed"));
    // June: gross 9000, disputes 9000 (opened 4 June), lost 9000 (first seen lost 20 June), net 9000 − 0 − 9000 = 0.
    expect(await money("chf")).toEqual({
      gross_revenue: 9000,
      refunds: 0,
      disputes: 9000,
      disputes_lost: 9000,
      net_revenue: 0,
    });
    // 1–19 June: opened but not yet lost: net 9000.
    expect(await money("chf", "2026-06-01", "2026-06-19")).toEqual({
      gross_revenue: 9000,
      refunds: 0,
      disputes: 9000,
      disputes_lost: 0,
      net_revenue: 9000,
    });
    // 20 June alone: the loss.
    expect((await money("chf", "2026-06-20", "2026-06-20")).disputes_lost).toBe(9000);
  });

  it("stores the same provisional refund whichever order a charge's refund rises arrive in", async () => {
    // Two charges, one story each way: 1000 refunded shown on 8 June, 3000 (in all) on 9 June; no
    // refund objects. Either order ends with one provisional refund of 3000 dated 9 June 12:00,
    // the earliest event that showed the charge's 3000.
    const story = (id: string) => {
      const paid = charge({ id, amount: 9000, amount_captured: 9000, currency: "nzd" });
      return [
        event(
          "charge.succeeded",
          { ...paid, created: unix("2026-06-08T08:00:00Z") },
          "2026-06-08T08:00:01Z",
          BASIL,
        ),
        event(
          "charge.refunded",
          { ...paid, created: unix("2026-06-08T08:00:00Z"), amount_refunded: 1000 },
          "2026-06-08T12:00:00Z",
          BASIL,
        ),
        event(
          "charge.refunded",
          { ...paid, created: unix("2026-06-08T08:00:00Z"), amount_refunded: 3000 },
          "2026-06-09T12:00:00Z",
          BASIL,
        ),
        // A later update of the charge showing the same 3000 does not move the date.
        event(
          "charge.updated",
          { ...paid, created: unix("2026-06-08T08:00:00Z"), amount_refunded: 3000 },
          "2026-06-10T12:00:00Z",
          BASIL,
        ),
      ];
    };
    for (const evt of story("ch_rise_in_order")) await post(evt);
    for (const evt of story("ch_rise_reversed").reverse()) await post(evt);
    const rowsOf = async (chargeId: string) =>
      (await ctx.db.select().from(refunds).where(eq(refunds.chargeId, chargeId))).map((r) => [
        r.id.replace(chargeId, "ch"),
        r.amount,
        r.created.toISOString(),
        r.provisional,
      ]);
    const expected = [["provisional_ch_1", 3000, "2026-06-09T12:00:00.000Z", true]];
    expect(await rowsOf("ch_rise_in_order")).toEqual(expected);
    expect(await rowsOf("ch_rise_reversed")).toEqual(expected);
    // 2 × 3000 refunded in June, all on 9 June.
    expect((await money("nzd")).refunds).toBe(6000);
    expect((await money("nzd", "2026-06-09", "2026-06-09")).refunds).toBe(6000);
  });
});
