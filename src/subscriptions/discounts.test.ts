import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import {
  billingEvent,
  couponPayload,
  discountPayload,
  subscriptionPayload,
  type VersionFamily,
} from "../../tests/support/stripe-versions/billing-payloads.ts";
import { eventRow, signedNow } from "../../tests/support/webhooks.ts";
import { computeKpis, computeKpisRaw, rebuildDirtyDays } from "../analytics/index.ts";
import { loadHistory } from "../analytics/mrr/history.ts";
import { mrrPeriodFromHistory } from "../analytics/mrr/reference.ts";
import { customerMrrChanges } from "../analytics/mrr/timeline.ts";
import type { StripeEventObject } from "../payments/stripe/stripe-objects.ts";
import { createApp } from "../web/app.ts";
import { subscriptions } from "./schema.ts";

/**
 * Couponed subscriptions delivered as signed webhooks through the real route, in the shapes of the
 * API versions that moved discounts (ids only from 2025-03-31, coupon under `source` from
 * 2025-09-30), with MRR worked out by hand. The test clock is 2026-06-15T12:00Z; days are UTC.
 */
let ctx: TestContext;
let app: Awaited<ReturnType<typeof createApp>>["app"];

beforeAll(async () => {
  ctx = await createTestContext();
  ({ app } = await createApp(ctx));
});
afterAll(() => ctx.destroy());

async function post(event: StripeEventObject) {
  const { payload, header } = signedNow(ctx, event);
  const res = await app.request("/webhooks/stripe", {
    method: "POST",
    body: payload,
    headers: { "content-type": "application/json", "stripe-signature": header },
  });
  expect(res.status).toBe(200);
  expect((await eventRow(ctx, event.id))?.status).toBe("processed");
}

const at = (iso: string) => new Date(iso);

/** Customer MRR at the end of `day`, from the snapshot timeline (the latest change on or before it). */
async function timelineMrr(customer: string, day: string): Promise<number> {
  const changes = customerMrrChanges(await loadHistory(ctx.db, false), "UTC").filter(
    (c) => c.customerKey === customer,
  );
  return changes.filter((c) => c.day <= day).at(-1)?.mrr ?? 0;
}

/** The same from the reference computation (state of each subscription at the end of the day). */
async function referenceMrr(customer: string, day: string): Promise<number> {
  const states = (await loadHistory(ctx.db, false)).filter((s) => s.customerKey === customer);
  return mrrPeriodFromHistory(states, { from: day, to: day, timezone: "UTC", currency: "usd" }).mrrEnd;
}

async function storedMrr(id: string): Promise<number | undefined> {
  const [row] = await ctx.db.select().from(subscriptions).where(eq(subscriptions.id, id));
  return row?.mrr;
}

const monthly = (price: string, unitAmount: number) => [{ id: `si_${price}`, price, unitAmount }];

describe("discounts in MRR, 2025-09-30.clover shapes (ids only, coupon under source)", () => {
  const v: VersionFamily = "clover";
  const cus = "cus_clover";

  it("20% and 15.00 off, discounts resolved by events before and after the subscription; the amount ends mid-May", async () => {
    const start = at("2026-04-01T10:00:00Z");
    const amountEnds = at("2026-05-15T12:00:00Z");
    await post(billingEvent(v, "coupon.created", couponPayload({ id: "co_p20", percent_off: 20 }), start));
    await post(
      billingEvent(
        v,
        "coupon.created",
        couponPayload({ id: "co_a15", amount_off: 1_500, duration: "repeating" }),
        start,
      ),
    );
    // One discount arrives before the subscription that names it…
    await post(
      billingEvent(
        v,
        "customer.discount.created",
        discountPayload(v, {
          id: "di_p20",
          customer: cus,
          subscription: "sub_c",
          coupon: { id: "co_p20" },
          start,
        }),
        start,
      ),
    );
    await post(
      billingEvent(
        v,
        "customer.subscription.created",
        subscriptionPayload(v, {
          id: "sub_c",
          customer: cus,
          created: start,
          items: monthly("price_c", 10_000),
          periodStart: start,
          periodEnd: at("2026-05-01T10:00:00Z"),
          discounts: ["di_p20", "di_a15"],
        }),
        at("2026-04-01T10:00:05Z"),
      ),
    );
    // …the other after it.
    await post(
      billingEvent(
        v,
        "customer.discount.created",
        discountPayload(v, {
          id: "di_a15",
          customer: cus,
          subscription: "sub_c",
          coupon: { id: "co_a15" },
          start,
          end: amountEnds,
        }),
        at("2026-04-01T10:00:10Z"),
      ),
    );

    // Hand-computed: 10000 × (1 − 0.20) = 8000, − 1500 = 6500 while the amount applies; 8000 after.
    for (const [day, mrr] of [
      ["2026-04-01", 6_500],
      ["2026-05-14", 6_500],
      ["2026-05-15", 8_000],
      ["2026-06-14", 8_000],
    ] as const) {
      expect(await timelineMrr(cus, day), day).toBe(mrr);
      expect(await referenceMrr(cus, day), day).toBe(mrr);
    }
    // The current row is taken now (2026-06-15), after the amount's end.
    expect(await storedMrr("sub_c")).toBe(8_000);
    const rise = customerMrrChanges(await loadHistory(ctx.db, false), "UTC").find(
      (c) => c.customerKey === cus && c.day === "2026-05-15",
    );
    expect(rise).toMatchObject({ prevMrr: 6_500, mrr: 8_000, movement: "expansion" });
  });

  it("a deleted discount stops applying at the deletion", async () => {
    const start = at("2026-04-02T08:00:00Z");
    const c2 = "cus_clover_2";
    await post(
      billingEvent(
        v,
        "customer.discount.created",
        discountPayload(v, {
          id: "di_c2",
          customer: c2,
          subscription: "sub_c2",
          coupon: { id: "co_p20" },
          start,
        }),
        start,
      ),
    );
    await post(
      billingEvent(
        v,
        "customer.subscription.created",
        subscriptionPayload(v, {
          id: "sub_c2",
          customer: c2,
          created: start,
          items: monthly("price_c2", 5_000),
          periodStart: start,
          periodEnd: at("2026-05-02T08:00:00Z"),
          discounts: ["di_c2"],
        }),
        start,
      ),
    );
    await post(
      billingEvent(
        v,
        "customer.discount.deleted",
        discountPayload(v, {
          id: "di_c2",
          customer: c2,
          subscription: "sub_c2",
          coupon: { id: "co_p20" },
          start,
        }),
        at("2026-04-20T09:00:00Z"),
      ),
    );
    expect(await timelineMrr(c2, "2026-04-19")).toBe(4_000);
    expect(await timelineMrr(c2, "2026-04-20")).toBe(5_000);
    expect(await storedMrr("sub_c2")).toBe(5_000);
  });
});

describe("discounts in the snapshot KPIs", () => {
  it("the dirty-day rebuild sees the rise at the discount's end, as the raw computation does", async () => {
    await rebuildDirtyDays(ctx);
    for (const [from, to] of [
      ["2026-04-01", "2026-04-30"],
      ["2026-05-15", "2026-05-15"],
      ["2026-05-01", "2026-06-14"],
    ] as const) {
      const period = { from, to, timezone: "UTC", currency: "usd" };
      const snap = await computeKpis(ctx, period);
      const raw = await computeKpisRaw(ctx, period);
      expect([snap.mrr, snap.mrr_movements], from).toEqual([raw.mrr, raw.mrr_movements]);
    }
    // Only di_a15 ends on 2026-05-15: 6500 → 8000.
    const may15 = await computeKpis(ctx, {
      from: "2026-05-15",
      to: "2026-05-15",
      timezone: "UTC",
      currency: "usd",
    });
    expect(may15.mrr_movements.expansion).toBe(1_500);
    // End of April: sub_c 6500 + sub_c2 5000 (its discount deleted on 04-20).
    const april = await computeKpis(ctx, {
      from: "2026-04-01",
      to: "2026-04-30",
      timezone: "UTC",
      currency: "usd",
    });
    expect(april.mrr).toBe(11_500);
  });
});

describe("discounts in MRR, other versions", () => {
  it("2024-06-20: the expanded single discount with an amount_off coupon (never applied before)", async () => {
    const start = at("2026-04-03T00:00:00Z");
    const discount = discountPayload("v2024", {
      id: "di_old",
      customer: "cus_old",
      subscription: "sub_old",
      coupon: { id: "co_old", amount_off: 2_500 },
      start,
    });
    await post(
      billingEvent(
        "v2024",
        "customer.subscription.created",
        subscriptionPayload("v2024", {
          id: "sub_old",
          customer: "cus_old",
          created: start,
          items: monthly("price_old", 10_000),
          periodStart: start,
          periodEnd: at("2026-05-03T00:00:00Z"),
          discounts: ["di_old"],
          discount,
        }),
        start,
      ),
    );
    expect(await storedMrr("sub_old")).toBe(7_500);
    expect(await timelineMrr("cus_old", "2026-04-03")).toBe(7_500);
  });

  it("2025-03-31.basil: a yearly plan with two percent discounts (coupon expanded on the discount event)", async () => {
    const start = at("2026-04-04T00:00:00Z");
    await post(
      billingEvent(
        "basil",
        "customer.subscription.created",
        subscriptionPayload("basil", {
          id: "sub_b",
          customer: "cus_b",
          created: start,
          items: [{ id: "si_b", price: "price_y", unitAmount: 120_000, interval: "year" }],
          periodStart: start,
          periodEnd: at("2027-04-04T00:00:00Z"),
          discounts: ["di_b1", "di_b2"],
        }),
        start,
      ),
    );
    // Unresolved so far: list price, 120000 / 12.
    expect(await storedMrr("sub_b")).toBe(10_000);
    for (const [id, pct] of [
      ["di_b1", 10],
      ["di_b2", 25],
    ] as const) {
      await post(
        billingEvent(
          "basil",
          "customer.discount.created",
          discountPayload("basil", {
            id,
            customer: "cus_b",
            subscription: "sub_b",
            coupon: { id: `co_${id}`, percent_off: pct },
            start,
          }),
          at("2026-04-04T00:00:01Z"),
        ),
      );
    }
    // 10000 × 0.90 × 0.75 = 6750.
    expect(await storedMrr("sub_b")).toBe(6_750);
    expect(await timelineMrr("cus_b", "2026-04-04")).toBe(6_750);
  });
});

describe("out-of-order and duplicate delivery converge", () => {
  const v: VersionFamily = "endive";
  const events = (n: number) => {
    const start = at("2026-04-10T00:00:00Z");
    const sub = `sub_perm_${n}`;
    const cus = `cus_perm_${n}`;
    return {
      cus,
      sub,
      list: [
        billingEvent(v, "coupon.created", couponPayload({ id: `co_perm_${n}`, amount_off: 1_000 }), start),
        billingEvent(
          v,
          "customer.discount.created",
          discountPayload(v, {
            id: `di_perm_${n}`,
            customer: cus,
            subscription: sub,
            coupon: { id: `co_perm_${n}` },
            start,
          }),
          start,
        ),
        billingEvent(
          v,
          "customer.subscription.created",
          subscriptionPayload(v, {
            id: sub,
            customer: cus,
            created: start,
            items: monthly(`price_perm_${n}`, 4_000),
            periodStart: start,
            periodEnd: at("2026-05-10T00:00:00Z"),
            discounts: [`di_perm_${n}`],
          }),
          start,
        ),
      ],
    };
  };
  const orders = [
    [0, 1, 2],
    [0, 2, 1],
    [1, 0, 2],
    [1, 2, 0],
    [2, 0, 1],
    [2, 1, 0],
  ];
  it.each(orders.map((o, i) => [o.join(""), i] as const))(
    "order %s, each delivered twice",
    async (_name, i) => {
      const { cus, sub, list } = events(i);
      for (const index of orders[i]!) {
        await post(list[index]!);
        const { payload, header } = signedNow(ctx, list[index]!);
        const again = await app.request("/webhooks/stripe", {
          method: "POST",
          body: payload,
          headers: { "content-type": "application/json", "stripe-signature": header },
        });
        expect(await again.json()).toMatchObject({ duplicate: true });
      }
      // 4000 − 1000 = 3000 whatever the order.
      expect(await storedMrr(sub)).toBe(3_000);
      expect(await timelineMrr(cus, "2026-04-10")).toBe(3_000);
    },
  );
});
