import { and, eq } from "drizzle-orm";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../../tests/support/builders/catalog.ts";
import { makeCustomer } from "../../../tests/support/builders/customers.ts";
import { makeCharge, makeDispute } from "../../../tests/support/builders/ledger.ts";
import { makeOrder } from "../../../tests/support/builders/orders.ts";
import type { TestContext } from "../../../tests/support/context.ts";
import { createTestApp, signedInClient, type TestClient } from "../../../tests/support/http.ts";
import { buildSnapshots, computeKpis } from "../../analytics/index.ts";
import { systemActor } from "../../audit/index.ts";
import { auditLog } from "../../audit/schema.ts";
import { getProduct } from "../../catalog/index.ts";
import { getOrder } from "../../orders/index.ts";
import { refundRequests } from "../../payments/refunds/schema.ts";
import { refunds } from "../../payments/schema.ts";
import type { AppEnv } from "../request-context.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
let ops: TestClient;
let analyst: TestClient;

beforeAll(async () => {
  ({
    ctx,
    app,
    clients: { ops, analyst },
  } = await createTestApp(["ops", "analyst"]));
  await ops.primeCsrf("/admin/orders");
}, 60_000);
afterAll(() => ctx.destroy());

/** A paid order of one line (units × price) with its succeeded charge, for a named customer. */
async function paidOrder(
  options: {
    currency?: string;
    unitPrice?: number;
    quantity?: number;
    createdAt?: string;
    status?: "paid" | "fulfilled";
    name?: string;
    email?: string;
  } = {},
) {
  const currency = options.currency ?? "usd";
  const customer = await makeCustomer(ctx.db, {
    ...(options.name ? { name: options.name } : {}),
    ...(options.email ? { email: options.email } : {}),
  });
  const unitPrice = options.unitPrice ?? 1799;
  const product = await makeProduct(ctx.db, { priceAmount: unitPrice, currency, stockOnHand: 10 });
  const createdAt = options.createdAt ?? "2026-06-10T10:00:00Z";
  const made = await makeOrder(ctx.db, {
    customerId: customer.id,
    currency,
    createdAt,
    status: options.status ?? "paid",
    ...(options.status === "fulfilled" ? { fulfilledAt: new Date(createdAt) } : {}),
    lines: [{ productId: product.id, quantity: options.quantity ?? 2, unitPrice }],
  });
  await makeCharge(ctx.db, { amount: made.amountTotal, currency, orderId: made.id, created: createdAt });
  return { order: (await getOrder(ctx, made.id))!, customer, product };
}

async function html(client: TestClient, path: string): Promise<{ status: number; text: string }> {
  const res = await client.get(path);
  return { status: res.status, text: await res.text() };
}

describe("order page by the number as shown", () => {
  it("opens /admin/orders/<number> and still the old numeric link; unknown or junk is 404", async () => {
    const { order } = await paidOrder();
    const byNumber = await html(ops, `/admin/orders/${order.number}`);
    expect(byNumber.status).toBe(200);
    expect(byNumber.text).toContain(`Order ${order.number}`);
    expect((await html(ops, `/admin/orders/${order.number.toLowerCase()}`)).status).toBe(200);
    expect((await html(ops, `/admin/orders/${order.id}`)).text).toContain(`Order ${order.number}`);
    expect((await ops.get("/admin/orders/RI-999999")).status).toBe(404);
    expect((await ops.get("/admin/orders/not-an-order")).status).toBe(404);
  });

  it("refuses a customer on both forms of the address", async () => {
    const { order, customer } = await paidOrder();
    const { client: owner } = await signedInClient(app, ctx, "customer", customer.id);
    expect((await owner.get(`/admin/orders/${order.number}`)).status).toBe(403);
    expect((await owner.get(`/admin/orders/${order.id}`)).status).toBe(403);
  });
});

describe("orders list", () => {
  it("shows the customer's name and e-mail to ops, linked to the customer; analysts see the pseudonym", async () => {
    const { order, customer } = await paidOrder({ name: "Ada Lovelace", email: "ada@example.test" });
    const { text } = await html(ops, `/admin/orders?q=${order.number}`);
    expect(text).toContain("Ada Lovelace");
    expect(text).toContain("ada@example.test");
    expect(text).toContain(`href="/customers/${customer.id}"`);
    expect(text).toContain(`href="/admin/orders/${order.number}"`);
    const seen = (await html(analyst, `/admin/orders?q=${order.number}`)).text;
    expect(seen).toContain(`href="/customers/${customer.id}"`);
    expect(seen).toMatch(/<span>Customer [0-9a-f]{8}<\/span>/);
    expect(seen).not.toContain("Ada Lovelace");
    expect(seen).not.toContain("ada@example.test");
    // Nor can an analyst find who bought by searching an e-mail or a name.
    expect((await html(analyst, "/admin/orders?q=ada%40")).text).not.toContain(order.number);
    expect((await html(analyst, "/admin/orders?customer=ada")).text).not.toContain(order.number);
    expect((await html(analyst, `/admin/orders?customer=${customer.id}`)).text).toContain(order.number);
    const page = (await html(analyst, `/admin/orders/${order.number}`)).text;
    expect(page).not.toContain("Ada Lovelace");
    expect((await html(ops, `/admin/orders/${order.number}`)).text).toContain(
      "Ada Lovelace &lt;ada@example.test&gt;",
    );
  });

  it("filters by status, dates, customer, amount and search, and keeps the filters in the links", async () => {
    const a = await paidOrder({
      name: "Grace Hopper",
      email: "grace@navy.test",
      createdAt: "2026-03-02T09:00:00Z",
    });
    const b = await paidOrder({
      name: "Grace Kelly",
      email: "kelly@film.test",
      createdAt: "2026-03-05T09:00:00Z",
      unitPrice: 25000,
      quantity: 1,
      status: "fulfilled",
    });
    const jpy = await paidOrder({
      currency: "jpy",
      unitPrice: 3000,
      quantity: 1,
      createdAt: "2026-03-03T09:00:00Z",
    });
    const kwd = await paidOrder({
      currency: "kwd",
      unitPrice: 1250,
      quantity: 1,
      createdAt: "2026-03-04T09:00:00Z",
    });
    const list = async (query: string) => (await html(ops, `/admin/orders?${query}`)).text;
    const march = "from=2026-03-01&to=2026-03-31";

    const all = await list(march);
    for (const o of [a, b, jpy, kwd]) expect(all).toContain(o.order.number);
    expect(await list(`${march}&status=fulfilled`)).toMatch(
      new RegExp(`${b.order.number}(?![\\s\\S]*${a.order.number})`),
    );
    expect(await list(`${march}&status=fulfilled`)).not.toContain(a.order.number);
    // The day range is whole reporting days.
    const day = await list("from=2026-03-02&to=2026-03-02");
    expect(day).toContain(a.order.number);
    expect(day).not.toContain(jpy.order.number);
    // Search: number, e-mail start, name start (case-insensitive).
    expect(await list(`q=${a.order.number}`)).not.toContain(b.order.number);
    const grace = await list("q=grace");
    expect(grace).toContain(a.order.number);
    expect(grace).toContain(b.order.number);
    const kelly = await list("q=KELLY@");
    expect(kelly).toContain(b.order.number);
    expect(kelly).not.toContain(a.order.number);
    // Customer: by id or by e-mail start.
    const byId = await list(`customer=${a.customer.id}`);
    expect(byId).toContain(a.order.number);
    expect(byId).not.toContain(b.order.number);
    expect(await list("customer=grace%40")).toContain(a.order.number);
    // Amounts in each currency's own units: 30 means $30.00, ¥30 and KWD 30.000.
    const over30 = await list(`${march}&min=30`);
    expect(over30).toContain(a.order.number); // $35.98
    expect(over30).toContain(b.order.number); // $250.00
    expect(over30).toContain(jpy.order.number); // ¥3,000
    expect(over30).not.toContain(kwd.order.number); // KWD 1.250
    const upTo36 = await list(`${march}&max=35.98`);
    expect(upTo36).toContain(a.order.number);
    expect(upTo36).not.toContain(b.order.number);
    expect(upTo36).toContain(kwd.order.number);
    const kwdOnly = await list(`${march}&currency=kwd&min=1.25&max=1.25`);
    expect(kwdOnly).toContain(kwd.order.number);
    expect(kwdOnly).not.toContain(a.order.number);
    // The status links keep the other filters.
    expect(await list("q=grace&from=2026-03-01")).toContain(
      'href="/admin/orders?q=grace&amp;status=paid&amp;from=2026-03-01"',
    );
  });

  it("names the bad filter", async () => {
    for (const [query, message] of [
      ["min=12.5.0", "min: must be an amount like 12.50"],
      ["currency=jpy&max=10.5", "max: JPY amounts have no decimals"],
      ["from=2026-13-01", "from:"],
      ["status=shipped", "status:"],
      ["currency=zzz", "currency: unknown ISO currency code"],
      ["from=2026-03-10&to=2026-03-01", "from"],
      ["after=yesterday", "after: not a position in the list"],
    ] as const) {
      const res = await ops.get(`/admin/orders?${query}`);
      expect(res.status, query).toBe(400);
      expect(await res.text(), query).toContain(message);
    }
  });

  it("pages newest first by position, older and back to newer, 50 a page", async () => {
    const customer = await makeCustomer(ctx.db, { name: "Pager Person", email: "pager@example.test" });
    const made: string[] = [];
    for (let i = 0; i < 55; i++) {
      const o = await makeOrder(ctx.db, {
        customerId: customer.id,
        createdAt: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(),
      });
      made.push(o.number);
    }
    const first = (await html(ops, `/admin/orders?customer=${customer.id}`)).text;
    expect(first).toContain("55 orders match");
    expect(first).toContain(made[54]!);
    expect(first).not.toContain(made[4]!);
    const older = first.match(/href="([^"]+)">Older/)?.[1]?.replaceAll("&amp;", "&");
    expect(older).toContain(`customer=${customer.id}`);
    const second = (await html(ops, older!)).text;
    for (const n of made.slice(0, 5)) expect(second).toContain(n);
    expect(second).not.toContain(made[5]!);
    expect(second).not.toContain(">Older");
    const newer = second.match(/href="([^"]+)">← Newer/)?.[1]?.replaceAll("&amp;", "&");
    const back = (await html(ops, newer!)).text;
    expect(back).toContain(made[5]!);
    expect(back).toContain(made[54]!);
    expect(back).not.toContain(made[4]!);
  });
});

describe("refund dialog on the order page", () => {
  it("a partial refund with one unit back shows in the history with Stripe's status, the ledger and the refunds KPI", async () => {
    const { order, product } = await paidOrder({ unitPrice: 1799, quantity: 2 });
    const page = await html(ops, `/admin/orders/${order.number}`);
    expect(page.text).toContain('<details class="refund-panel panel" id="refund"');
    expect(page.text).toContain("Up to $35.98 still refundable");
    const lineId = order.lines[0]!.id;
    const res = await ops.postForm(`/admin/orders/${order.number}/refunds`, {
      amount: "12.50",
      reason: "requested_by_customer",
      note: "one tin arrived dented",
      [`restock_line_${lineId}`]: "1",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/admin/orders/${order.number}?notice=refunded`);
    expect((await getOrder(ctx, order.id))!.amountRefunded).toBe(1250);
    expect((await getProduct(ctx, product.id))!.stockOnHand).toBe(11);
    const [ledger] = await ctx.db.select().from(refunds).where(eq(refunds.orderId, order.id));
    expect(ledger).toMatchObject({ amount: 1250, status: "succeeded", reason: "requested_by_customer" });
    const after = (await html(ops, `/admin/orders/${order.number}?notice=refunded`)).text;
    expect(after).toContain("Refund sent to Stripe");
    expect(after).toMatch(/Refund \$12\.50<\/strong> <span class="badge good">succeeded<\/span>/);
    expect(after).toContain("one tin arrived dented");
    expect(after).toContain('Still refundable: <strong class="num">$23.48</strong>');
    const [audited] = await ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "refund.create"), eq(auditLog.targetId, String(order.id))));
    expect(audited?.actorType).toBe("user");
    await buildSnapshots(ctx, { from: "2026-06-01", to: "2026-06-30" }, systemActor);
    const kpis = await computeKpis(ctx, { from: "2026-06-15", to: "2026-06-15", currency: "usd" });
    expect(kpis.refunds).toBe(1250);
  });

  it("answers too much in plain currency, keeps what was typed and opens the panel again", async () => {
    const { order } = await paidOrder({ unitPrice: 1799, quantity: 2 });
    const res = await ops.postForm(`/admin/orders/${order.number}/refunds`, {
      amount: "999",
      note: "keep me",
    });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain("Amount: $999.00 is more than the $35.98 still refundable");
    expect(text).toContain('id="refund" open');
    expect(text).toContain("keep me");
    expect(text).toMatch(/name="amount"[^>]*value="999"/);
    expect((await getOrder(ctx, order.id))!.amountRefunded).toBe(0);
  });

  it("names the field of a bad amount, a bad line quantity and too many units", async () => {
    const { order } = await paidOrder({ unitPrice: 1000, quantity: 2, status: "fulfilled" });
    const lineId = order.lines[0]!.id;
    for (const [form, message] of [
      [{ amount: "12.345" }, "Amount: USD amounts have at most 2 decimals"],
      [{ amount: "12,50" }, "Amount: must be an amount like 12.50"],
      [{ amount: "" }, "Amount: enter the amount to refund"],
      [{ amount: "0" }, "Amount: must be more than 0"],
      [{ amount: "5", reason: "because" }, "Refund reason:"],
      [
        { amount: "5", [`restock_line_${lineId}`]: "1.5" },
        `Put back &quot;Product ${order.lines[0]!.productId}&quot;: must be a whole number of units`,
      ],
      [{ amount: "5", [`restock_line_${lineId}`]: "3" }, "only 2 units can still be restocked"],
      [{ amount: "5", restock: "all" }, "Put back in stock: the order was shipped"],
    ] as const) {
      const res = await ops.postForm(`/admin/orders/${order.number}/refunds`, form);
      expect(res.status, JSON.stringify(form)).toBe(400);
      expect(await res.text(), JSON.stringify(form)).toContain(message);
    }
    expect((await getOrder(ctx, order.id))!.amountRefunded).toBe(0);
  });

  it("shows a refund Stripe has not answered yet, and one it refused, as such", async () => {
    const { order } = await paidOrder({ unitPrice: 1000, quantity: 2 });
    const request = {
      fingerprint: "f",
      orderId: order.id,
      chargeId: "ch_unanswered",
      currency: "usd",
      reason: "duplicate" as const,
      actor: { type: "user" as const, id: "7", role: "ops" },
      refundableAfter: 0,
      created: new Date("2026-06-15T11:00:00Z"),
      updated: new Date("2026-06-15T11:00:00Z"),
    };
    await ctx.db.insert(refundRequests).values([
      { ...request, id: "rr_waiting", amount: 700, metadata: { requested_by: "user:7" }, status: "pending" },
      {
        ...request,
        id: "rr_refused",
        amount: 300,
        metadata: {},
        status: "failed",
        lastError: "Charge ch_unanswered has been charged back; cannot issue a refund.",
      },
    ]);
    const text = (await html(ops, `/admin/orders/${order.number}`)).text;
    expect(text).toMatch(
      /Refund \$7\.00<\/strong> <span class="badge pending">requested, waiting for Stripe<\/span>/,
    );
    expect(text).toMatch(/Refund \$3\.00<\/strong> <span class="badge bad">refused by Stripe<\/span>/);
    expect(text).toContain("Stripe said: Charge ch_unanswered has been charged back");
    // The waiting one still counts against what can be refunded; the refused one does not.
    expect(text).toContain('Still refundable: <strong class="num">$13.00</strong>');
  });

  it("reads three-decimal currencies in their own units", async () => {
    const { order } = await paidOrder({ currency: "kwd", unitPrice: 12500, quantity: 1 });
    const page = (await html(ops, `/admin/orders/${order.number}`)).text;
    expect(page).toContain("Up to KWD 12.500 still refundable");
    expect((await ops.postForm(`/admin/orders/${order.number}/refunds`, { amount: "1.2505" })).status).toBe(
      400,
    );
    const res = await ops.postForm(`/admin/orders/${order.number}/refunds`, { amount: "1.25" });
    expect(res.status).toBe(303);
    expect((await getOrder(ctx, order.id))!.amountRefunded).toBe(1250);
  });

  it("needs the CSRF token and the refunds permission; analysts see no panel", async () => {
    const { order } = await paidOrder();
    const noToken = await ops.postForm(
      `/admin/orders/${order.number}/refunds`,
      { amount: "1.00" },
      { csrf: false },
    );
    expect(noToken.status).toBe(403);
    await analyst.primeCsrf("/admin/orders");
    expect((await analyst.postForm(`/admin/orders/${order.number}/refunds`, { amount: "1.00" })).status).toBe(
      403,
    );
    expect((await html(analyst, `/admin/orders/${order.number}`)).text).not.toContain("refund-panel");
    expect((await getOrder(ctx, order.id))!.amountRefunded).toBe(0);
  });
});

describe("disputes", () => {
  it("lists open disputes with the evidence deadline first, and on their order's page", async () => {
    const { order } = await paidOrder();
    await makeDispute(ctx.db, {
      orderId: order.id,
      status: "needs_response",
      reason: "product_not_received",
      evidenceDueBy: new Date("2026-06-17T23:59:59Z"),
    });
    await makeDispute(ctx.db, { status: "won", evidenceDueBy: new Date("2026-05-01T23:59:59Z") });
    const open = (await html(ops, "/admin/disputes")).text;
    expect(open).toContain("needs response");
    expect(open).toContain(`href="/admin/orders/${order.number}"`);
    expect(open).toMatch(/\(2 days left\)|\(\d+ h left\)/);
    expect(open).not.toContain(">won<");
    expect((await html(ops, "/admin/disputes?view=closed")).text).toContain(">won<");
    expect((await html(ops, `/admin/orders/${order.number}`)).text).toContain("product not received");
    expect((await ops.get("/admin/disputes?view=bogus")).status).toBe(400);
  });
});
