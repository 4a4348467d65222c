import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { countRows, eventRow, signedNow } from "../../tests/support/webhooks.ts";
import { createStripeFactory } from "../offline/objects/event-factory.ts";
import { createApp } from "../web/app.ts";
import { signPayload } from "./stripe/sign.ts";

let ctx: TestContext;
let app: Awaited<ReturnType<typeof createApp>>["app"];
const factory = createStripeFactory({ seed: "webhook-route", now: new Date("2026-06-15T11:59:00Z") });

beforeAll(async () => {
  ctx = await createTestContext();
  ({ app } = await createApp(ctx));
});
afterAll(() => ctx.destroy());

function post(body: string, header?: string) {
  return app.request("/webhooks/stripe", {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...(header ? { "stripe-signature": header } : {}) },
  });
}

const nowUnix = () => Math.floor(ctx.clock.now().getTime() / 1000);

function customerEvent() {
  return factory.makeEvent("customer.created", factory.makeCustomer({ email: "a@example.test", name: "A" }));
}

describe("POST /webhooks/stripe rejects what it cannot trust (400, nothing stored)", () => {
  const secret = () => ctx.config.stripeWebhookSecrets[0]!;
  const cases: Array<[string, () => { body: string; header?: string }, string]> = [
    [
      "bad signature",
      () => ({ body: JSON.stringify(customerEvent()), header: `t=${nowUnix()},v1=deadbeef` }),
      "webhook.bad_signature",
    ],
    [
      "stale timestamp (301 s old)",
      () => {
        const body = JSON.stringify(customerEvent());
        return { body, header: signPayload(body, secret(), nowUnix() - 301) };
      },
      "webhook.stale_timestamp",
    ],
    [
      "wrong secret",
      () => {
        const body = JSON.stringify(customerEvent());
        return { body, header: signPayload(body, "whsec_someone_else", nowUnix()) };
      },
      "webhook.bad_signature",
    ],
    [
      "tampered body",
      () => {
        const { payload, header } = signedNow(ctx, customerEvent());
        return { body: payload.replace('"customer.created"', '"customer.updated"'), header };
      },
      "webhook.bad_signature",
    ],
    ["no header", () => ({ body: JSON.stringify(customerEvent()) }), "webhook.missing_signature"],
    [
      "huge body (1 MiB + 1 byte, validly signed)",
      () => {
        const body = "x".repeat(1024 * 1024 + 1);
        return { body, header: signPayload(body, secret(), nowUnix()) };
      },
      "webhook.too_large",
    ],
    [
      "non-JSON (validly signed)",
      () => {
        const body = "this is not json";
        return { body, header: signPayload(body, secret(), nowUnix()) };
      },
      "webhook.malformed_json",
    ],
  ];

  for (const [name, build, code] of cases) {
    it(name, async () => {
      const { body, header } = build();
      const res = await post(body, header);
      expect(res.status).toBe(400);
      const json = (await res.json()) as { error: { code: string; message: string } };
      expect(json.error.code).toBe(code);
      expect(json.error.message.length).toBeGreaterThan(0);
      expect(await countRows(ctx, "stripe_events")).toBe(0);
      expect(await countRows(ctx, "customers")).toBe(0);
    });
  }
});

describe("POST /webhooks/stripe reads at most 1 MiB of a body with no length", () => {
  it("stops reading a chunked 64 MiB body just past 1 MiB and answers 400", async () => {
    const chunk = new Uint8Array(64 * 1024).fill(120);
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= 64 * 1024 * 1024) return controller.close();
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const res = await app.request("/webhooks/stripe", {
      method: "POST",
      body: endless,
      headers: { "content-type": "application/json", "stripe-signature": `t=${nowUnix()},v1=00` },
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("webhook.too_large");
    // Read until just past the limit, then stopped: not the 64 MiB on offer.
    expect(pulled).toBeLessThanOrEqual(1024 * 1024 + 4 * chunk.byteLength);
    expect(await countRows(ctx, "stripe_events")).toBe(0);
  });
});

describe("POST /webhooks/stripe stores and processes a verified event", () => {
  it("stores once, processes, and a duplicate delivery returns 200 and changes nothing", async () => {
    const event = customerEvent();
    const { payload, header } = signedNow(ctx, event);
    const first = await post(payload, header);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ received: true, duplicate: false, status: "processed" });
    expect(await eventRow(ctx, event.id)).toMatchObject({ status: "processed", attempts: 1 });
    expect(await countRows(ctx, "customers")).toBe(1);

    const again = await post(payload, header);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true });
    expect(await eventRow(ctx, event.id)).toMatchObject({ status: "processed", attempts: 1 });
    expect(await countRows(ctx, "stripe_events")).toBe(1);
    expect(await countRows(ctx, "customers")).toBe(1);
  });

  it("accepts every secret listed during a rotation", async () => {
    const rotating = await createTestContext({ env: { STRIPE_WEBHOOK_SECRET: "whsec_old, whsec_new" } });
    try {
      const { app: rotatingApp } = await createApp(rotating);
      for (const secret of ["whsec_old", "whsec_new"]) {
        const event = customerEvent();
        const { payload, header } = signedNow(rotating, event, secret);
        const res = await rotatingApp.request("/webhooks/stripe", {
          method: "POST",
          body: payload,
          headers: { "stripe-signature": header },
        });
        expect(res.status).toBe(200);
      }
      expect(await countRows(rotating, "stripe_events")).toBe(2);
    } finally {
      await rotating.destroy();
    }
  });

  it("stores an unknown event type as ignored", async () => {
    const event = factory.makeEvent("product.created", factory.makeCustomer());
    const { payload, header } = signedNow(ctx, event);
    const res = await post(payload, header);
    expect(res.status).toBe(200);
    expect(await eventRow(ctx, event.id)).toMatchObject({ status: "ignored" });
  });

  it("stores a live-mode event in a test installation as ignored and applies nothing", async () => {
    const before = await countRows(ctx, "customers");
    const customer = factory.makeCustomer({ livemode: true });
    const event = factory.makeEvent("customer.created", customer, { livemode: true });
    const { payload, header } = signedNow(ctx, event);
    const res = await post(payload, header);
    expect(res.status).toBe(200);
    expect(await eventRow(ctx, event.id)).toMatchObject({ status: "ignored" });
    expect(await countRows(ctx, "customers")).toBe(before);
  });
});
