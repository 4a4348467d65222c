import Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";
import type { StripeEventObject } from "../../payments/stripe/stripe-objects.ts";
import { fixedClock } from "../../shared/clock.ts";
import { createStripeFactory } from "../objects/event-factory.ts";
import {
  type FakeStripe,
  type FakeStripeOptions,
  type FakeStripeSeed,
  startFakeStripe,
  stripeClientFor,
} from "./server.ts";

const BASE = 1_719_792_000; // 2024-07-01T00:00:00Z
const monthly = { unit_amount: 2900, currency: "usd", recurring: { interval: "month" as const } };

let fake: FakeStripe | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(seed: FakeStripeSeed, options: FakeStripeOptions = {}) {
  fake = await startFakeStripe(seed, { clock: fixedClock("2024-07-02T00:00:00Z"), ...options });
  return { fake, stripe: stripeClientFor(fake) };
}

/** 250 charges, one a minute, oldest first. */
function manyCharges() {
  const f = createStripeFactory({ seed: "pagination" });
  return Array.from({ length: 250 }, (_, i) => f.makeCharge({ amount: 100 + i, created: BASE + 60 * i }));
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected the request to fail");
    },
    (error: unknown) => error,
  );
}

describe("list endpoints", () => {
  it("auto-paginates through every charge, newest first, with the real SDK", async () => {
    const charges = manyCharges();
    const { fake, stripe } = await start({ charges });
    const seen: string[] = [];
    for await (const charge of stripe.charges.list({ limit: 100 })) seen.push(charge.id);

    expect(seen).toEqual(charges.map((c) => c.id).reverse());
    const pages = fake.requests.filter((r) => r.path === "/v1/charges");
    expect(pages.map((r) => r.query.starting_after)).toEqual([undefined, charges[150]?.id, charges[50]?.id]);
    expect(pages.every((r) => r.stripeVersion === "2024-06-20" && r.apiKey === "sk_test_fake")).toBe(true);
  });

  it("answers in Stripe's list shape", async () => {
    const { stripe } = await start({ charges: manyCharges() });
    const page = await stripe.charges.list({ limit: 2 });
    expect(page).toMatchObject({ object: "list", has_more: true, url: "/v1/charges" });
    expect(page.data.map((c) => c.amount)).toEqual([349, 348]);
    const last = await stripe.charges.list({ limit: 100, starting_after: manyCharges()[100]?.id });
    expect(last.data).toHaveLength(100);
    expect(last.has_more).toBe(false);
  });

  it("keeps only charges created at or after created[gte]", async () => {
    const { stripe } = await start({ charges: manyCharges() });
    const since = BASE + 60 * 200; // charges 200..249
    const amounts: number[] = [];
    for await (const charge of stripe.charges.list({ limit: 20, created: { gte: since } }))
      amounts.push(charge.amount);
    expect(amounts).toHaveLength(50);
    expect(amounts[0]).toBe(349);
    expect(amounts.at(-1)).toBe(300);

    const window = await stripe.charges.list({ limit: 100, created: { gt: since, lte: since + 120 } });
    expect(window.data.map((c) => c.amount)).toEqual([302, 301]);
  });

  it("pages backwards with ending_before", async () => {
    const charges = manyCharges();
    const { stripe } = await start({ charges });
    const page = await stripe.charges.list({ limit: 3, ending_before: charges[10]?.id });
    expect(page.data.map((c) => c.amount)).toEqual([113, 112, 111]);
    expect(page.has_more).toBe(true);
  });

  it("orders objects created in the same second by when they were stored, newest first", async () => {
    const f = createStripeFactory({ seed: 1 });
    const [a, b, c] = [1, 2, 3].map((n) => f.makeCustomer({ created: BASE, email: `c${n}@example.com` }));
    const { stripe } = await start({ customers: [a!, b!, c!] });
    const seen: string[] = [];
    for await (const customer of stripe.customers.list({ limit: 1 })) seen.push(customer.email ?? "");
    expect(seen).toEqual(["c3@example.com", "c2@example.com", "c1@example.com"]);
  });

  it("filters by customer and rejects parameters Stripe does not know", async () => {
    const f = createStripeFactory({ seed: 1 });
    const charges = [
      f.makeCharge({ amount: 100, customer: "cus_a" }),
      f.makeCharge({ amount: 200, customer: "cus_b" }),
      f.makeCharge({ amount: 300, customer: "cus_a" }),
    ];
    const { stripe } = await start({ charges });
    const mine = await stripe.charges.list({ customer: "cus_a" });
    expect(mine.data.map((c) => c.amount).sort()).toEqual([100, 300]);

    const error = await rejectionOf(stripe.charges.list({ colour: "red" } as Stripe.ChargeListParams));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 400, param: "colour" });
  });

  it("hides canceled subscriptions unless status=all is asked for", async () => {
    const f = createStripeFactory({ seed: 1 });
    const active = f.makeSubscription({ items: [{ price: monthly }], created: BASE });
    const canceled = f.makeSubscription({
      items: [{ price: monthly }],
      created: BASE + 1,
      ended_at: BASE + 100,
    });
    const { stripe } = await start({ subscriptions: [active, canceled] });
    expect((await stripe.subscriptions.list()).data.map((s) => s.id)).toEqual([active.id]);
    expect((await stripe.subscriptions.list({ status: "all" })).data.map((s) => s.id)).toEqual([
      canceled.id,
      active.id,
    ]);
    expect((await stripe.subscriptions.list({ status: "canceled" })).data.map((s) => s.id)).toEqual([
      canceled.id,
    ]);
  });

  it("lists events by type pattern and invoices by subscription", async () => {
    const f = createStripeFactory({ seed: 1 });
    const charge = f.makeCharge({ amount: 100 });
    const sub = f.makeSubscription({ items: [{ price: monthly }] });
    const invoice = f.makeInvoice({ subscription: sub });
    const events = [
      f.makeEvent("charge.succeeded", charge, { created: BASE }),
      f.makeEvent("invoice.paid", invoice, { created: BASE + 1 }),
      f.makeEvent("charge.refunded", charge, { created: BASE + 2 }),
    ];
    const { stripe } = await start({
      events,
      invoices: [invoice, f.makeInvoice({ lines: [{ amount: 5 }] })],
    });
    const chargeEvents = await stripe.events.list({ type: "charge.*" });
    expect(chargeEvents.data.map((e) => e.type)).toEqual(["charge.refunded", "charge.succeeded"]);
    const several = await stripe.events.list({ types: ["invoice.paid", "charge.succeeded"] });
    expect(several.data).toHaveLength(2);
    expect((await stripe.invoices.list({ subscription: sub.id })).data.map((i) => i.id)).toEqual([
      invoice.id,
    ]);
  });

  it("expands one level of ids found in the store", async () => {
    const f = createStripeFactory({ seed: 1 });
    const charge = f.makeCharge({ amount: 10000 });
    const txn = f.makeBalanceTransaction({
      id: charge.balance_transaction ?? "",
      amount: 10000,
      fee: 320,
      source: charge.id,
    });
    const { stripe } = await start({ charges: [charge], balanceTransactions: [txn] });
    const page = await stripe.charges.list({ expand: ["data.balance_transaction"] });
    expect(page.data[0]?.balance_transaction).toMatchObject({ id: txn.id, fee: 320, net: 9680 });
    const retrieved = await stripe.charges.retrieve(charge.id, { expand: ["balance_transaction"] });
    expect(retrieved.balance_transaction).toMatchObject({ object: "balance_transaction", fee: 320 });
  });
});

describe("retrieval", () => {
  it("returns a balance transaction by id and 404s on an unknown one", async () => {
    const f = createStripeFactory({ seed: 1 });
    const txn = f.makeBalanceTransaction({ amount: 5000, fee: 175, source: "ch_1" });
    const { stripe } = await start({ balanceTransactions: [txn] });
    expect(await stripe.balanceTransactions.retrieve(txn.id)).toMatchObject({
      id: txn.id,
      fee: 175,
      net: 4825,
    });

    const error = await rejectionOf(stripe.balanceTransactions.retrieve("txn_missing"));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 404, code: "resource_missing" });
  });
});

describe("POST /v1/refunds", () => {
  function paidCharge() {
    const f = createStripeFactory({ seed: 1 });
    return f.makePayment({ amount: 7649, customer: "cus_1", created: BASE });
  }

  it("refunds part of a charge and raises refund.created and charge.refunded", async () => {
    const { charge, paymentIntent } = paidCharge();
    const raised: StripeEventObject[] = [];
    const { fake, stripe } = await start(
      { charges: [charge], paymentIntents: [paymentIntent] },
      { onEvent: (event) => raised.push(event) },
    );
    const refund = await stripe.refunds.create({
      charge: charge.id,
      amount: 764,
      reason: "requested_by_customer",
      metadata: { order_id: "1082" },
    });
    expect(refund).toMatchObject({
      object: "refund",
      amount: 764,
      charge: charge.id,
      payment_intent: paymentIntent.id,
      currency: "usd",
      status: "succeeded",
      reason: "requested_by_customer",
      metadata: { order_id: "1082" },
      created: Date.parse("2024-07-02T00:00:00Z") / 1000,
    });
    expect(await stripe.charges.retrieve(charge.id)).toMatchObject({ amount_refunded: 764, refunded: false });
    expect(fake.store.refunds.get(refund.id)).toBeDefined();
    expect(await stripe.balanceTransactions.retrieve(String(refund.balance_transaction))).toMatchObject({
      amount: -764,
      type: "refund",
      source: refund.id,
    });
    expect(raised.map((e) => e.type)).toEqual(["refund.created", "charge.refunded"]);
    expect(raised[1]?.data.previous_attributes).toEqual({ amount_refunded: 0, refunded: false });
    expect((await stripe.events.list({ type: "refund.created" })).data).toHaveLength(1);
  });

  it("refunds what is left through the payment intent, then refuses a second full refund", async () => {
    const { charge, paymentIntent } = paidCharge();
    const { stripe } = await start({
      charges: [{ ...charge, amount_refunded: 649 }],
      paymentIntents: [paymentIntent],
    });
    const refund = await stripe.refunds.create({ payment_intent: paymentIntent.id });
    expect(refund.amount).toBe(7000);
    expect(await stripe.charges.retrieve(charge.id)).toMatchObject({ amount_refunded: 7649, refunded: true });

    const error = await rejectionOf(stripe.refunds.create({ charge: charge.id }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ code: "charge_already_refunded", statusCode: 400 });
  });

  it("refuses more than the unrefunded amount, as Stripe does", async () => {
    const { charge } = paidCharge();
    const { fake, stripe } = await start({ charges: [charge] });
    const error = await rejectionOf(stripe.refunds.create({ charge: charge.id, amount: 7650 }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ code: "amount_too_large", param: "amount" });
    expect((error as Error).message).toBe(
      "Refund amount ($76.50) is greater than unrefunded amount on charge ($76.49)",
    );
    expect(fake.store.refunds.size).toBe(0);
  });

  it("names the missing charge and requires a charge or a payment intent", async () => {
    const { stripe } = await start({});
    expect(await rejectionOf(stripe.refunds.create({ charge: "ch_nope" }))).toMatchObject({
      code: "resource_missing",
      param: "charge",
      message: "No such charge: 'ch_nope'",
    });
    expect(await rejectionOf(stripe.refunds.create({}))).toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );
  });

  it("replays a request made again with the same idempotency key", async () => {
    const { charge } = paidCharge();
    const { fake, stripe } = await start({ charges: [charge] });
    const first = await stripe.refunds.create(
      { charge: charge.id, amount: 100 },
      { idempotencyKey: "refund-order-7" },
    );
    const again = await stripe.refunds.create(
      { charge: charge.id, amount: 100 },
      { idempotencyKey: "refund-order-7" },
    );
    expect(again.id).toBe(first.id);
    expect(fake.store.refunds.size).toBe(1);
    expect(fake.store.charges.get(charge.id)?.amount_refunded).toBe(100);

    const error = await rejectionOf(
      stripe.refunds.create({ charge: charge.id, amount: 200 }, { idempotencyKey: "refund-order-7" }),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });
});

describe("POST /v1/checkout/sessions", () => {
  it("opens a session whose url stays on the fake server", async () => {
    const f = createStripeFactory({ seed: 1 });
    const customer = f.makeCustomer({ email: "ada@example.com" });
    const { fake, stripe } = await start({ customers: [customer] });
    const session = await stripe.checkout.sessions.create({
      mode: "payment",
      customer: customer.id,
      client_reference_id: "order_17",
      success_url: "http://127.0.0.1:3000/orders/17?paid=1",
      cancel_url: "http://127.0.0.1:3000/cart",
      metadata: { order_id: "17" },
      line_items: [
        { price_data: { currency: "eur", unit_amount: 1250, product_data: { name: "Tea" } }, quantity: 2 },
        { price_data: { currency: "eur", unit_amount: 499, product_data: { name: "Cup" } }, quantity: 1 },
      ],
    });
    expect(session).toMatchObject({
      object: "checkout.session",
      mode: "payment",
      status: "open",
      payment_status: "unpaid",
      amount_total: 2999,
      currency: "eur",
      customer: customer.id,
      client_reference_id: "order_17",
      metadata: { order_id: "17" },
      payment_intent: null,
    });
    expect(session.id).toMatch(/^cs_test_/);
    expect(session.url).toBe(`${fake.url}/c/pay/${session.id}`);

    const items = await stripe.checkout.sessions.listLineItems(session.id);
    expect(items.data.map((i) => [i.description, i.quantity, i.amount_total])).toEqual([
      ["Tea", 2, 2500],
      ["Cup", 1, 499],
    ]);
    const page = await fetch(session.url ?? "");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("€29.99");
  });

  it("checks line items as Stripe does", async () => {
    const f = createStripeFactory({ seed: 1 });
    const price = f.makePrice({ id: "price_basic_m", ...monthly });
    const { stripe } = await start({ prices: [price] });
    const sub = await stripe.checkout.sessions.create({
      mode: "subscription",
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: "http://127.0.0.1:3000/ok",
    });
    expect(sub.amount_total).toBe(2900);

    const recurringInPayment = stripe.checkout.sessions.create({
      mode: "payment",
      line_items: [{ price: price.id, quantity: 1 }],
    });
    expect(await rejectionOf(recurringInPayment)).toMatchObject({ param: "line_items", statusCode: 400 });
    const noQuantity = stripe.checkout.sessions.create({
      mode: "payment",
      line_items: [{ price: "price_nope" }],
    });
    expect(await rejectionOf(noQuantity)).toMatchObject({
      code: "parameter_missing",
      param: "line_items[0][quantity]",
    });
  });
});

describe("authentication", () => {
  it("answers a request without a key with Stripe's 401", async () => {
    const { fake } = await start({ charges: manyCharges() });
    // An authenticator that adds nothing: the SDK refuses an empty key, so this is how it sends none.
    const keyless = new Stripe("", {
      host: fake.host,
      port: fake.port,
      protocol: "http",
      maxNetworkRetries: 0,
      authenticator: async () => {},
    });
    const error = await rejectionOf(keyless.charges.list());
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(error).toMatchObject({ statusCode: 401 });
    expect((error as Error).message).toMatch(/^You did not provide an API key/);
    expect(fake.requests.at(-1)?.apiKey).toBeNull();
  });

  it("refuses a key it was not given", async () => {
    const { fake } = await start({}, { apiKeys: ["sk_test_right"] });
    expect(await stripeClientFor(fake, "sk_test_right").charges.list()).toMatchObject({ data: [] });
    const error = await rejectionOf(stripeClientFor(fake, "sk_test_wrong_key_123").charges.list());
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect((error as Error).message).toBe("Invalid API Key provided: sk_test_*********_123");
  });

  it("says which URL it does not know", async () => {
    const { stripe } = await start({});
    const error = await rejectionOf(stripe.payouts.list());
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((error as Error).message).toMatch(/^Unrecognized request URL \(GET: \/v1\/payouts\)/);
  });
});
