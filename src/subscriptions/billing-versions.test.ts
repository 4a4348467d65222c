import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gate, issueOf } from "../../tests/support/check-workflow.ts";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { csvObjects } from "../../tests/support/export-read.ts";
import {
  billingEvent,
  couponPayload,
  discountPayload,
  invoicePayload,
  invoicePaymentPayload,
  subscriptionPayload,
  type VersionFamily,
} from "../../tests/support/stripe-versions/billing-payloads.ts";
import { deliver } from "../../tests/support/webhooks.ts";
import { loadKnownDiscounts } from "../analytics/mrr/known-discounts.ts";
import { cliActor } from "../audit/index.ts";
import { queryRows } from "../db/sql.ts";
import { directorySink, exportPack } from "../exports/index.ts";
import { startFakeStripe, stripeClientFor } from "../offline/stripe-api/server.ts";
import { resolveDiscountsJob, resolveUnknownDiscounts } from "../payments/resolve-discounts.ts";
import { syncFromStripe } from "../payments/sync.ts";
import { invoicePayments, invoices, subscriptions } from "./schema.ts";

/** Test clock 2026-06-15T12:00Z; days UTC. */
const at = (iso: string) => new Date(iso);
const start = at("2026-05-01T00:00:00Z");
const renewal = at("2026-06-01T00:00:00Z");

const contexts: TestContext[] = [];
async function freshContext() {
  const ctx = await createTestContext();
  contexts.push(ctx);
  return ctx;
}
afterAll(async () => {
  for (const ctx of contexts) await ctx.destroy();
});

async function processed(ctx: TestContext, event: ReturnType<typeof billingEvent>) {
  expect((await deliver(ctx, event)).outcome).toBe("processed");
}

describe("invoices of API 2025-03-31 on: links through parent and InvoicePayment", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await freshContext();
  });

  it("the invoice's subscription comes from parent.subscription_details, its payment from invoice_payment.paid (either first)", async () => {
    const sub = subscriptionPayload("basil", {
      id: "sub_inv",
      customer: "cus_inv",
      created: start,
      items: [{ id: "si_inv", price: "price_inv", unitAmount: 2_000 }],
      periodStart: renewal,
      periodEnd: at("2026-07-01T00:00:00Z"),
    });
    await processed(ctx, billingEvent("basil", "customer.subscription.updated", sub, renewal));
    const paidAt = at("2026-06-01T01:00:00Z");
    // The payment arrives before its invoice, for one invoice; after it, for the other.
    await processed(
      ctx,
      billingEvent(
        "clover",
        "invoice_payment.paid",
        invoicePaymentPayload({ id: "inpay_1", invoice: "in_1", amount: 2_000, paidAt, charge: "ch_inv_1" }),
        paidAt,
      ),
    );
    for (const id of ["in_1", "in_2"]) {
      await processed(
        ctx,
        billingEvent(
          "clover",
          "invoice.paid",
          invoicePayload("clover", {
            id,
            customer: "cus_inv",
            subscription: "sub_inv",
            created: renewal,
            amount: 2_000,
          }),
          paidAt,
        ),
      );
    }
    await processed(
      ctx,
      billingEvent(
        "clover",
        "invoice_payment.paid",
        invoicePaymentPayload({
          id: "inpay_2",
          invoice: "in_2",
          amount: 2_000,
          paidAt,
          paymentIntent: "pi_inv_2",
        }),
        paidAt,
      ),
    );
    const rows = await ctx.db.select().from(invoices).orderBy(invoices.id);
    expect(rows.map((r) => [r.id, r.subscriptionId, r.status, r.paidAt])).toEqual([
      ["in_1", "sub_inv", "paid", renewal],
      ["in_2", "sub_inv", "paid", renewal],
    ]);
    const payments = await ctx.db.select().from(invoicePayments).orderBy(invoicePayments.id);
    expect(payments.map((p) => [p.invoiceId, p.chargeId, p.paymentIntentId, p.paidAt])).toEqual([
      ["in_1", "ch_inv_1", null, paidAt],
      ["in_2", null, "pi_inv_2", paidAt],
    ]);

    const dir = mkdtempSync(join(tmpdir(), "billing-pack-"));
    await exportPack(
      ctx,
      { pack: "finance", from: "2026-06-01", to: "2026-06-07" },
      await directorySink(dir),
      cliActor,
    );
    const csv = (name: string) => csvObjects(readFileSync(join(dir, name), "utf8"));
    const inv = csv("invoices.csv");
    expect(inv.map((r) => [r.invoice_id, r.subscription_id, r.payment_id])).toEqual([
      ["in_1", "sub_inv", "ch_inv_1"],
      ["in_2", "sub_inv", ""],
    ]);
    const subs = csv("subscriptions.csv");
    expect(subs.find((s) => s.subscription_id === "sub_inv")).toMatchObject({
      current_period_start: "2026-06-01T00:00:00.000Z",
      current_period_end: "2026-07-01T00:00:00.000Z",
    });
  });

  it("a charge that arrives after its invoice and InvoicePayment is linked both ways (clover)", async () => {
    const paidAt = at("2026-06-02T01:00:00Z");
    await processed(
      ctx,
      billingEvent(
        "clover",
        "invoice_payment.paid",
        invoicePaymentPayload({
          id: "inpay_3",
          invoice: "in_3",
          amount: 2_000,
          paidAt,
          paymentIntent: "pi_inv_3",
        }),
        paidAt,
      ),
    );
    await processed(
      ctx,
      billingEvent(
        "clover",
        "invoice.paid",
        invoicePayload("clover", {
          id: "in_3",
          customer: "cus_inv",
          subscription: "sub_inv",
          created: paidAt,
          amount: 2_000,
        }),
        paidAt,
      ),
    );
    const charge = {
      id: "ch_inv_3",
      object: "charge",
      amount: 2_000,
      amount_captured: 2_000,
      amount_refunded: 0,
      captured: true,
      created: Math.floor(paidAt.getTime() / 1000),
      currency: "usd",
      customer: "cus_inv",
      livemode: false,
      metadata: {},
      paid: true,
      payment_intent: "pi_inv_3",
      refunded: false,
      status: "succeeded",
    };
    await processed(ctx, billingEvent("clover", "charge.succeeded", charge, at("2026-06-02T01:00:05Z")));
    const [invoice] = await ctx.db.select().from(invoices).where(eq(invoices.id, "in_3"));
    expect(invoice).toMatchObject({ paymentIntentId: "pi_inv_3", chargeId: "ch_inv_3" });
    const [row] = await queryRows<{ invoice_id: string | null }>(
      ctx.db,
      sql`SELECT invoice_id FROM charges WHERE id = 'ch_inv_3'`,
    );
    expect(row?.invoice_id).toBe("in_3");
  });

  it("webhook-health's missed-renewal rule reads the items' period (basil on)", async () => {
    // The last event we have predates the period its items say started: a renewal event was missed.
    const sub = subscriptionPayload("clover", {
      id: "sub_gap",
      customer: "cus_gap",
      created: start,
      items: [{ id: "si_gap", price: "price_gap", unitAmount: 1_000 }],
      periodStart: renewal,
      periodEnd: at("2026-07-01T00:00:00Z"),
    });
    await processed(
      ctx,
      billingEvent("clover", "customer.subscription.created", sub, at("2026-05-31T23:59:00Z")),
    );
    expect(await gate(ctx, "webhook-health")).toBe(1);
    expect((await issueOf(ctx, "webhook-health", "subscription:sub_gap"))?.status).toBe("open");
  });

  it("same-second events (basil): the state whose items' period starts later wins, whatever the arrival order", async () => {
    const second = at("2026-06-01T00:00:00Z");
    const state = (quantity: number, periodStart: Date) =>
      subscriptionPayload("basil", {
        id: "sub_tie",
        customer: "cus_tie",
        created: start,
        items: [{ id: "si_tie", price: "price_tie", unitAmount: 1_000, quantity }],
        periodStart,
        periodEnd: at("2026-07-01T00:00:00Z"),
      });
    // The renewal (period from June 1, 3 seats) arrives first; the May state of the same second after.
    await processed(ctx, billingEvent("basil", "customer.subscription.updated", state(3, renewal), second));
    await processed(ctx, billingEvent("basil", "customer.subscription.updated", state(1, start), second));
    const [row] = await ctx.db.select().from(subscriptions).where(eq(subscriptions.id, "sub_tie"));
    expect(row).toMatchObject({ mrr: 3_000, currentPeriodStart: renewal });
  });

  it("a 2024-06-20 subscription with no top-level currency is stored with its prices' currency", async () => {
    const sub = subscriptionPayload("v2024", {
      id: "sub_nocur",
      customer: "cus_nocur",
      created: start,
      currency: "eur",
      items: [{ id: "si_nocur", price: "price_nocur", unitAmount: 1_200 }],
      periodStart: start,
      periodEnd: renewal,
      omitCurrency: true,
    });
    await processed(ctx, billingEvent("v2024", "customer.subscription.created", sub, start));
    const [row] = await ctx.db.select().from(subscriptions).where(eq(subscriptions.id, "sub_nocur"));
    expect(row).toMatchObject({ currency: "eur", mrr: 1_200 });
  });
});

/**
 * The same subscription and invoice reach us twice: as webhooks from an endpoint on `webhooks`, and
 * from `stripe sync` (the SDK pinned at 2024-06-20). In either order they end in the same rows.
 */
describe("stripe sync and webhooks in different versions converge", () => {
  const discountStart = start;
  const discountEnd = at("2026-09-01T00:00:00Z");
  const coupon = { id: "co_conv", percent_off: 25 };
  const discount = (v: VersionFamily) =>
    discountPayload(v, {
      id: "di_conv",
      customer: "cus_conv",
      subscription: "sub_conv",
      coupon,
      start: discountStart,
      end: discountEnd,
    });
  const sub = (v: VersionFamily) =>
    subscriptionPayload(v, {
      id: "sub_conv",
      customer: "cus_conv",
      created: start,
      items: [{ id: "si_conv", price: "price_conv", unitAmount: 8_000 }],
      periodStart: renewal,
      periodEnd: at("2026-07-01T00:00:00Z"),
      discounts: ["di_conv"],
      ...(v === "v2024" ? { discount: discount(v) } : {}),
    });
  const invoice = (v: VersionFamily) =>
    invoicePayload(v, {
      id: "in_conv",
      customer: "cus_conv",
      subscription: "sub_conv",
      created: renewal,
      amount: 6_000,
      charge: "ch_conv",
    });

  async function viaWebhooks(ctx: TestContext, v: VersionFamily) {
    const t = at("2026-06-01T00:00:10Z");
    await processed(ctx, billingEvent(v, "coupon.created", couponPayload(coupon), t));
    await processed(ctx, billingEvent(v, "customer.discount.created", discount(v), t));
    await processed(ctx, billingEvent(v, "customer.subscription.updated", sub(v), t));
    await processed(ctx, billingEvent(v, "invoice.paid", invoice(v), t));
    await processed(
      ctx,
      billingEvent(
        v,
        "invoice_payment.paid",
        invoicePaymentPayload({
          id: "inpay_conv",
          invoice: "in_conv",
          amount: 6_000,
          paidAt: renewal,
          charge: "ch_conv",
        }),
        t,
      ),
    );
  }

  async function viaSync(ctx: TestContext) {
    const fake = await startFakeStripe({
      subscriptions: [sub("v2024")],
      invoices: [invoice("v2024")],
    } as never);
    try {
      return await syncFromStripe(ctx, cliActor, { client: stripeClientFor(fake) });
    } finally {
      await fake.close();
    }
  }

  async function rows(ctx: TestContext) {
    const [s] = await ctx.db.select().from(subscriptions).where(eq(subscriptions.id, "sub_conv"));
    const [i] = await ctx.db.select().from(invoices).where(eq(invoices.id, "in_conv"));
    // The discount as MRR sees it (its coupon's terms on it, or on the coupon it names).
    const disc = (await loadKnownDiscounts(ctx.db, ["di_conv"])).get("di_conv");
    const { sourceEventCreated: _s, sourceEventSeq: _q, ...sub } = s!;
    const { sourceEventCreated: _i, ...inv } = i!;
    return { sub, inv, disc };
  }

  it.each(["clover", "endive", "basil"] as const)(
    "webhooks in %s, then sync; and sync, then webhooks",
    async (v) => {
      const webhooksFirst = await freshContext();
      await viaWebhooks(webhooksFirst, v);
      const counts = await viaSync(webhooksFirst);
      // Sync reads the 2024-06-20 shapes into the state the webhooks already gave: nothing to add.
      expect(counts.subscriptions).toEqual({ created: 0, updated: 0, unchanged: 1 });

      const syncFirst = await freshContext();
      await viaSync(syncFirst);
      await viaWebhooks(syncFirst, v);

      const a = await rows(webhooksFirst);
      const b = await rows(syncFirst);
      expect(a).toEqual(b);
      // 8000 × 0.75, the discount resolved both ways; period from the items or the top level alike.
      expect(a.sub).toMatchObject({
        mrr: 6_000,
        discountIds: ["di_conv"],
        currentPeriodStart: renewal,
        currency: "usd",
      });
      expect(a.inv).toMatchObject({ subscriptionId: "sub_conv", chargeId: "ch_conv", paidAt: renewal });
      expect(a.disc).toEqual({
        id: "di_conv",
        percentOff: 25,
        amountOff: null,
        start: discountStart,
        until: discountEnd,
      });
    },
  );
});

describe("Stripe mode resolves unknown discount ids from the Stripe API", () => {
  it("retrieves the subscription with its discounts expanded, outside any transaction, once per subscription", async () => {
    const ctx = await freshContext();
    await processed(
      ctx,
      billingEvent(
        "clover",
        "customer.subscription.created",
        subscriptionPayload("clover", {
          id: "sub_api",
          customer: "cus_api",
          created: start,
          items: [{ id: "si_api", price: "price_api", unitAmount: 4_000 }],
          periodStart: start,
          periodEnd: renewal,
          discounts: ["di_api"],
        }),
        start,
      ),
    );
    const calls: Array<[string, unknown]> = [];
    const client = {
      subscriptions: {
        retrieve: async (id: string, params: unknown) => {
          calls.push([id, params]);
          return subscriptionPayload("v2024", {
            id,
            customer: "cus_api",
            created: start,
            items: [{ id: "si_api", price: "price_api", unitAmount: 4_000 }],
            periodStart: start,
            periodEnd: renewal,
            discounts: [
              discountPayload("v2024", {
                id: "di_api",
                customer: "cus_api",
                subscription: id,
                coupon: { id: "co_api", amount_off: 500 },
                start,
              }),
            ],
          });
        },
      },
    } as unknown as Stripe;
    // Offline mode (the test config): the worker job asks nothing of Stripe.
    expect(await resolveDiscountsJob.run(ctx)).toBe(0);
    expect(await resolveUnknownDiscounts(ctx, client)).toBe(1);
    expect(calls).toEqual([["sub_api", { expand: ["discounts"] }]]);
    const [row] = await ctx.db.select().from(subscriptions).where(eq(subscriptions.id, "sub_api"));
    expect(row?.mrr).toBe(3_500);
    // Nothing left unknown: a second pass asks Stripe nothing.
    expect(await resolveUnknownDiscounts(ctx, client)).toBe(0);
    expect(calls).toHaveLength(1);
  });
});
