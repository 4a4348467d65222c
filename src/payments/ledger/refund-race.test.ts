import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { queryOne } from "../../db/sql.ts";
import { createApp } from "../../web/app.ts";
import { refunds } from "../schema.ts";
import { signPayload } from "../stripe/sign.ts";

/*
 * A refund event and the first event of its charge applied at the same moment on two connections
 * (Postgres; the embedded database has one connection and serialises them anyway): each used to
 * miss the other's uncommitted row, so the charge's amount_refunded became a provisional refund
 * beside the refund object and the money counted twice.
 */
let ctx: TestContext;
let app: Awaited<ReturnType<typeof createApp>>["app"];
beforeAll(async () => {
  ctx = await createTestContext({ poolSize: 8 });
  ({ app } = await createApp(ctx));
});
afterAll(() => ctx.destroy());

const unix = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);
const BASIL = "2025-03-31.basil";

function post(id: string, type: string, object: object, createdIso: string): Promise<Response> {
  const body = JSON.stringify({
    id,
    object: "event",
    api_version: BASIL,
    created: unix(createdIso),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  });
  const header = signPayload(body, ctx.config.stripeWebhookSecrets[0]!, unix(ctx.clock.now().toISOString()));
  return Promise.resolve(
    app.request("/webhooks/stripe", {
      method: "POST",
      body,
      headers: { "content-type": "application/json", "stripe-signature": header },
    }),
  );
}

describe("a refund and its charge applied at once", () => {
  it("count the refunded money once", async () => {
    const rounds = 12;
    for (let i = 0; i < rounds; i++) {
      const chargeId = `ch_race_${i}`;
      const charge = {
        id: chargeId,
        object: "charge",
        amount: 5000,
        amount_captured: 5000,
        amount_refunded: 2000,
        captured: true,
        currency: "usd",
        created: unix("2026-06-10T08:00:00Z"),
        livemode: false,
        metadata: {},
        paid: true,
        payment_intent: null,
        refunded: false,
        status: "succeeded",
      };
      const refund = {
        id: `re_race_${i}`,
        object: "refund",
        amount: 2000,
        charge: chargeId,
        currency: "usd",
        created: unix("2026-06-10T09:00:00Z"),
        metadata: {},
        payment_intent: null,
        reason: "requested_by_customer",
        status: "succeeded",
      };
      const answers = await Promise.all([
        post(`evt_race_ch_${i}`, "charge.refunded", charge, "2026-06-10T09:00:01Z"),
        post(`evt_race_re_${i}`, "refund.created", refund, "2026-06-10T09:00:01Z"),
      ]);
      expect(answers.map((r) => r.status)).toEqual([200, 200]);
      const rows = await ctx.db.select().from(refunds).where(eq(refunds.chargeId, chargeId));
      expect(rows.map((r) => [r.id, r.amount, r.provisional])).toEqual([[`re_race_${i}`, 2000, false]]);
    }
    const failed = await queryOne<{ n: number }>(
      ctx.db,
      sql`SELECT count(*)::int AS n FROM stripe_events WHERE status = 'failed'`,
    );
    expect(failed?.n).toBe(0);
  });
});
