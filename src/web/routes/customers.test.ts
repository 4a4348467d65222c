import { eq, sql } from "drizzle-orm";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../../tests/support/builders/catalog.ts";
import { makeCustomer } from "../../../tests/support/builders/customers.ts";
import { makeStripeEvent } from "../../../tests/support/builders/events.ts";
import { makeCharge, makeDispute, makeRefund } from "../../../tests/support/builders/ledger.ts";
import { makeIssue } from "../../../tests/support/builders/monitoring.ts";
import { makeOrder } from "../../../tests/support/builders/orders.ts";
import { makeInvoice, makeSubscriptionWithHistory } from "../../../tests/support/builders/subscriptions.ts";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { signedInClient, type TestClient } from "../../../tests/support/http.ts";
import { buildSnapshots, computeKpis } from "../../analytics/index.ts";
import { snapCustomerMrr } from "../../analytics/schema.ts";
import { audit, cliActor, systemActor } from "../../audit/index.ts";
import { auditLog } from "../../audit/schema.ts";
import { anonymizeCustomer } from "../../customers/index.ts";
import { customers } from "../../customers/schema.ts";
import { startsWith } from "../../db/prefix.ts";
import { queryRows } from "../../db/sql.ts";
import { customerKeyer } from "../../exports/index.ts";
import { dataQualityIssues } from "../../monitoring/schema.ts";
import { addToWishlist, getOrderByNumber, orderNumberFor } from "../../orders/index.ts";
import { orders } from "../../orders/schema.ts";
import { charges, disputes } from "../../payments/schema.ts";
import { createApp } from "../app.ts";
import type { AppEnv } from "../request-context.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
let ops: TestClient;
let analyst: TestClient;
let admin: TestClient;

/** Ada: an order paid by a charge that was partly refunded and disputed, a subscription, a wish. */
const ada = {} as {
  id: number;
  stripeId: string;
  order: { id: number; number: string };
  otherOrder: { id: number; number: string };
  chargeId: string;
  refundId: string;
  disputeId: string;
  subscriptionId: string;
  invoiceId: string;
  paymentIntentId: string;
  eventId: string;
  productId: number;
};
let anonymisedId: number;

async function orderOf(customerId: number, paidAt: string, extra: Partial<typeof orders.$inferInsert> = {}) {
  const o = await makeOrder(ctx.db, { customerId, paidAt, ...extra });
  const [row] = await ctx.db
    .update(orders)
    .set({ number: orderNumberFor(o.id) })
    .where(eq(orders.id, o.id))
    .returning();
  return row!;
}

beforeAll(async () => {
  ctx = await createTestContext();
  ({ app } = createApp(ctx));
  ({ client: ops } = await signedInClient(app, ctx, "ops"));
  ({ client: analyst } = await signedInClient(app, ctx, "analyst"));
  ({ client: admin } = await signedInClient(app, ctx, "admin"));

  const c = await makeCustomer(ctx.db, {
    name: "Ada Lovelace",
    email: "ada.lovelace@example.test",
    stripeCustomerId: "cus_ada1",
  });
  const product = await makeProduct(ctx.db, { sku: "MUG-BLUE", name: "Blue enamel mug", priceAmount: 1250 });
  const order = await orderOf(c.id, "2026-06-01T09:00:00Z", { stripePaymentIntentId: "pi_ada1" });
  const otherOrder = await orderOf(c.id, "2026-06-05T09:00:00Z");
  const charge = await makeCharge(ctx.db, {
    id: "ch_ada1",
    orderId: order.id,
    stripeCustomerId: "cus_ada1",
    paymentIntentId: "pi_ada1",
    amount: 5000,
    amountCaptured: 5000,
    created: "2026-06-01T09:00:00Z",
  });
  const refund = await makeRefund(ctx.db, { chargeId: charge.id, orderId: order.id, amount: 1000 });
  // A dispute that names only its charge: owned through the charge.
  const dispute = await makeDispute(ctx.db, { chargeId: charge.id, amount: 4000 });
  const sub = await makeSubscriptionWithHistory(ctx.db, {
    customerId: c.id,
    stripeCustomerId: "cus_ada1",
    unitAmount: 2900,
    states: [
      { at: "2026-03-03T10:00:00Z", status: "active" },
      { at: "2026-05-20T10:00:00Z", status: "canceled" },
    ],
  });
  const invoice = await makeInvoice(ctx.db, { subscriptionId: sub.id, stripeCustomerId: "cus_ada1" });
  const event = await makeStripeEvent(ctx.db);
  await addToWishlist(ctx, c.id, { productId: product.id });
  await makeIssue(ctx.db, { fingerprint: `order:${order.id}`, title: "Ada's order is paid twice" });
  await makeIssue(ctx.db, { fingerprint: `mrr:${sub.id}`, title: "Subscription MRR differs" });
  await makeIssue(ctx.db, { fingerprint: "order:999999", title: "Someone else's order" });
  await audit(ctx.db, systemActor, "order.fulfill", { type: "order", id: order.id }, { to: "fulfilled" });
  await audit(ctx.db, systemActor, "product.update", { type: "product", id: product.id }, {});
  await buildSnapshots(ctx, { from: "2026-03-01", to: "2026-06-14" }, systemActor);
  Object.assign(ada, {
    id: c.id,
    stripeId: "cus_ada1",
    order: { id: order.id, number: order.number },
    otherOrder: { id: otherOrder.id, number: otherOrder.number },
    chargeId: charge.id,
    refundId: refund.id,
    disputeId: dispute.id,
    subscriptionId: sub.id,
    invoiceId: invoice.id,
    paymentIntentId: "pi_ada1",
    eventId: event.id,
    productId: product.id,
  });

  const gone = await makeCustomer(ctx.db, { name: "Grace Hopper", email: "grace@example.test" });
  await anonymizeCustomer(ctx, gone.id, { actor: cliActor, reason: "request" });
  anonymisedId = gone.id;
}, 120_000);
afterAll(() => ctx.destroy());

const section = (html: string, id: string) => {
  const start = html.indexOf(`id="${id}"`);
  expect(start, `section ${id}`).toBeGreaterThan(-1);
  const end = html.indexOf("</section>", start);
  return html.slice(start, end);
};

describe("customer profile", () => {
  it("shows every section with the customer's own rows and nobody else's", async () => {
    const res = await ops.get(`/customers/${ada.id}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(section(html, "orders")).toContain(ada.order.number);
    expect(section(html, "orders")).toContain(ada.otherOrder.number);
    expect(section(html, "payments")).toContain("ch_ada1");
    expect(section(html, "payments")).toContain("$50.00");
    expect(section(html, "refunds")).toContain(ada.refundId);
    expect(section(html, "disputes")).toContain(ada.disputeId);
    const subs = section(html, "subscriptions");
    expect(subs).toContain(ada.subscriptionId);
    // The state history: active from March, canceled in May.
    expect(subs.indexOf("active")).toBeLessThan(subs.lastIndexOf("canceled"));
    expect(section(html, "wishlist")).toContain("Blue enamel mug");
    const issues = section(html, "issues");
    expect(issues).toContain("Ada&#39;s order is paid twice");
    expect(issues).toContain("Subscription MRR differs");
    expect(issues).not.toContain("Someone else");
    const auditRows = section(html, "audit");
    expect(auditRows).toContain("order.fulfill");
    expect(auditRows).not.toContain("product.update");
  });

  it("draws the MRR timeline from the snapshots, with the movements the KPIs count", async () => {
    const html = await (await ops.get(`/customers/${ada.id}`)).text();
    const mrr = section(html, "mrr");
    // New 29.00 on 3 March, churned on 20 May (kpis.md: a rise from 0 never seen before is new).
    expect(mrr).toContain("3 Mar 2026");
    expect(mrr).toContain("+$29.00");
    expect(mrr).toContain("−$29.00");
    expect(mrr).toMatch(/badge movement new/);
    expect(mrr).toMatch(/badge movement churn/);
    // The same figures the KPI engine reports for those months.
    const march = await computeKpis(ctx, { from: "2026-03-01", to: "2026-03-31", currency: "usd" });
    const may = await computeKpis(ctx, { from: "2026-05-01", to: "2026-05-31", currency: "usd" });
    expect([march.mrr, march.mrr_movements.new]).toEqual([2900, 2900]);
    expect([may.mrr, may.mrr_movements.churn]).toEqual([0, 2900]);
    const rows = await ctx.db
      .select()
      .from(snapCustomerMrr)
      .where(eq(snapCustomerMrr.customerKey, String(ada.id)));
    expect(rows.map((r) => [r.day, r.mrr, r.movement])).toEqual([
      ["2026-03-03", 2900, "new"],
      ["2026-05-20", 0, "churn"],
    ]);
  });

  it("shows ops and admins the name and e-mail (customers.pii)", async () => {
    for (const client of [ops, admin]) {
      const html = await (await client.get(`/customers/${ada.id}`)).text();
      expect(html).toContain("Ada Lovelace");
      expect(html).toContain("ada.lovelace@example.test");
    }
  });

  it("shows analysts the BI pack's pseudonym, never the name or e-mail", async () => {
    const html = await (await analyst.get(`/customers/${ada.id}`)).text();
    const key = customerKeyer(ctx.config.sessionSecret)(ada.id)!;
    expect(html).toContain(`Customer ${key.slice(0, 8)}`);
    expect(html).toContain(key);
    expect(html).toContain("withheld: pseudonymised for your role");
    expect(html).not.toContain("Lovelace");
    expect(html).not.toContain("ada.lovelace@");
  });

  it("shows an anonymised customer only as its pseudonym, to every role", async () => {
    const [row] = await ctx.db.select().from(customers).where(eq(customers.id, anonymisedId));
    for (const client of [ops, analyst, admin]) {
      const html = await (await client.get(`/customers/${anonymisedId}`)).text();
      expect(html).toContain(row!.name);
      expect(row!.name).toMatch(/^Anonymized [0-9a-f]{8}$/);
      expect(html).not.toContain(row!.email);
      expect(html).not.toContain("Grace");
      expect(html).toContain("erased (anonymised)");
    }
  });

  it("answers 404 for an unknown or malformed customer id", async () => {
    expect((await ops.get("/customers/987654")).status).toBe(404);
    expect((await ops.get("/customers/abc")).status).toBe(404);
    expect((await ops.get("/customers/1e3")).status).toBe(404);
  });
});

async function jump(client: TestClient, q: string): Promise<string | null> {
  const res = await client.get(`/search?q=${encodeURIComponent(q)}`);
  return res.status === 302 ? res.headers.get("location") : null;
}

describe("global search", () => {
  it("jumps from each kind of exact id to the page that owns it", async () => {
    const orderPage = `/admin/orders/${ada.order.number}`;
    const profile = `/customers/${ada.id}`;
    expect(await jump(ops, "cus_ada1")).toBe(profile);
    expect(await jump(ops, "ch_ada1")).toBe(orderPage);
    expect(await jump(ops, "pi_ada1")).toBe(orderPage);
    expect(await jump(ops, ada.refundId)).toBe(orderPage);
    expect(await jump(ops, ada.disputeId)).toBe(orderPage);
    expect(await jump(ops, ada.subscriptionId)).toBe(profile);
    expect(await jump(ops, ada.invoiceId)).toBe(profile);
    expect(await jump(ops, ada.eventId)).toBe(`/webhooks/events/${ada.eventId}`);
    expect(await jump(ops, ada.order.number)).toBe(orderPage);
    expect(await jump(ops, ada.order.number.toLowerCase())).toBe(orderPage);
  });

  it("lists a Stripe event without a link for a role that cannot open it", async () => {
    const res = await analyst.get(`/search?q=${ada.eventId}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-kind="event"');
    expect(html).not.toContain(`href="/webhooks/events/`);
  });

  it("finds customers by the start of their e-mail or name, case-insensitively", async () => {
    for (const q of ["ada.lovelace@", "ADA.LOVELACE@EXAMPLE.TEST", "ada love", "Ada"]) {
      const html = await (await ops.get(`/search?q=${encodeURIComponent(q)}`)).text();
      expect(html, q).toContain(`href="/customers/${ada.id}"`);
      expect(html, q).toContain("Ada Lovelace");
    }
  });

  it("does not let an analyst search by name or e-mail, and says so", async () => {
    const html = await (await analyst.get("/search?q=ada.lovelace%40example.test")).text();
    expect(html).not.toContain(`href="/customers/${ada.id}"`);
    expect(html).toContain("Not searched for your role: customers by name or e-mail");
  });

  it("finds products by SKU and by a word of the name, grouped apart from customers", async () => {
    const sku = await (await ops.get("/search?q=mug-blue")).text();
    expect(sku).toContain('data-kind="product"');
    expect(sku).toContain(`href="/admin/products/${ada.productId}"`);
    await makeCustomer(ctx.db, { name: "Blue Whale", email: "whale@example.test" });
    const both = await (await ops.get("/search?q=blue")).text();
    expect(both).toContain('data-kind="customer"');
    expect(both).toContain('data-kind="product"');
    expect(both.indexOf('data-kind="customer"')).toBeLessThan(both.indexOf('data-kind="product"'));
    // An analyst cannot manage the catalog: the product links to its shop page.
    const forAnalyst = await (await analyst.get("/search?q=mug-blue")).text();
    expect(forAnalyst).toContain(`href="/products/${ada.productId}"`);
  });

  it("shows an order and a customer for bare digits, jumping only when one of them exists", async () => {
    const html = await (await ops.get(`/search?q=${ada.id}`)).text();
    expect(html).toContain(`href="/customers/${ada.id}"`);
    const lone = await makeCustomer(ctx.db, { name: "Lone Digits" });
    // Its id is also an order's number only if an order has that id: then the page lists both.
    const clash = (await getOrderByNumber(ctx, orderNumberFor(lone.id))) !== undefined;
    expect(await jump(ops, String(lone.id))).toBe(clash ? null : `/customers/${lone.id}`);
  });

  it("says so when nothing matches, and takes LIKE wildcards and quotes literally", async () => {
    for (const q of ["zz-nothing-here", "%%", "__", "' OR 1=1 --", "ada%", "cus_doesnotexist", "RI-999999"]) {
      const res = await ops.get(`/search?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
      const html = await res.text();
      expect(html, q).toContain("No results for");
      expect(html, q).not.toContain("data-kind=");
    }
  });

  it("refuses a query over 200 characters or with control characters, naming the field", async () => {
    const long = await ops.get(`/search?q=${"a".repeat(201)}`);
    expect(long.status).toBe(400);
    expect(await long.text()).toContain("q: at most 200 characters");
    const control = await ops.get("/search?q=ab%00cd");
    expect(control.status).toBe(400);
    expect(await control.text()).toContain("q: control characters are not allowed");
    expect((await ops.get("/search")).status).toBe(200);
  });

  it("puts the search box in the top bar for staff with search.use only", async () => {
    expect(await (await ops.get("/search")).text()).toContain('class="topbar-search"');
    const { client: shopper } = await signedInClient(app, ctx, "customer", ada.id);
    expect(await (await shopper.get("/")).text()).not.toContain('class="topbar-search"');
  });
});

describe("search reads through indexes", () => {
  /** With sequential scans priced out, a plan that still scans the table has no index to use. */
  async function plan(query: ReturnType<typeof sql>): Promise<string> {
    return ctx.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL enable_seqscan = off`);
      const rows = await queryRows<Record<string, string>>(tx, sql`EXPLAIN ${query}`);
      return rows.map((r) => Object.values(r)[0]).join("\n");
    });
  }

  it("answers e-mail and name prefixes, a customer's charges and MRR timeline without a table scan", async () => {
    // Also the profile's other reads: disputes by charge, issues by fingerprint, audit events by target.
    const prefix = startsWith(sql`lower(${customers.email})`, "ada");
    const name = startsWith(sql`lower(${customers.name})`, "ada");
    const plans = [
      await plan(sql`SELECT ${customers.id} FROM ${customers} WHERE ${prefix} OR ${name}`),
      await plan(sql`SELECT ${charges.id} FROM ${charges} WHERE ${charges.stripeCustomerId} = 'cus_ada1'`),
      await plan(
        sql`SELECT ${snapCustomerMrr.day} FROM ${snapCustomerMrr} WHERE ${snapCustomerMrr.customerKey} = '1' AND ${snapCustomerMrr.livemode} = false`,
      ),
      await plan(sql`SELECT ${orders.id} FROM ${orders} WHERE ${orders.number} = 'RI-000001'`),
      await plan(sql`SELECT ${disputes.id} FROM ${disputes} WHERE ${disputes.chargeId} = 'ch_ada1'`),
      await plan(
        sql`SELECT ${dataQualityIssues.id} FROM ${dataQualityIssues} WHERE ${dataQualityIssues.fingerprint} IN ('order:1', 'mrr:sub_1')`,
      ),
      await plan(
        sql`SELECT ${auditLog.seq} FROM ${auditLog} WHERE ${auditLog.targetType} = 'order' AND ${auditLog.targetId} IN ('1', '2')`,
      ),
    ];
    for (const p of plans) expect(p).not.toMatch(/Seq Scan/);
  });
});
