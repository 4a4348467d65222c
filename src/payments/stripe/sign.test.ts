import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { createStripeFactory } from "../../offline/objects/event-factory.ts";
import { AppError } from "../../shared/errors.ts";
import { signEvent, signPayload, verifyEvent, WebhookError } from "./sign.ts";

const SECRET = "whsec_test_current";
const OLD_SECRET = "whsec_test_previous";
const NOW = new Date("2024-07-01T12:00:00Z");
const NOW_S = NOW.getTime() / 1000;

function chargeEvent() {
  const f = createStripeFactory({ seed: 3, now: NOW });
  return f.makeEvent("charge.succeeded", f.makeCharge({ amount: 1200 }));
}

function reasonOf(run: () => unknown): { code: string; status: number } {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookError) return { code: error.code, status: error.status };
    throw error;
  }
  throw new Error("expected a WebhookError");
}

describe("signPayload", () => {
  it("produces the header Stripe's SDK verifies", () => {
    const payload = JSON.stringify(chargeEvent());
    const header = signPayload(payload, SECRET, NOW_S);
    expect(header).toMatch(new RegExp(`^t=${NOW_S},v1=[0-9a-f]{64}$`));
    const event = Stripe.webhooks.constructEvent(payload, header, SECRET, 300, undefined, NOW.getTime());
    expect(event.type).toBe("charge.succeeded");
  });
});

describe("verifyEvent", () => {
  it("returns the event of a correctly signed delivery", () => {
    const sent = chargeEvent();
    const { payload, header } = signEvent(sent, SECRET, NOW_S);
    const event = verifyEvent(payload, header, [SECRET], 300, { now: NOW });
    expect(event.id).toBe(sent.id);
    expect(event.type).toBe("charge.succeeded");
  });

  it("accepts a raw Buffer body", () => {
    const { payload, header } = signEvent(chargeEvent(), SECRET, NOW_S);
    expect(verifyEvent(Buffer.from(payload), header, [SECRET], 300, { now: NOW }).object).toBe("event");
  });

  it("accepts a delivery signed with a secret being rotated out", () => {
    const { payload, header } = signEvent(chargeEvent(), OLD_SECRET, NOW_S);
    expect(verifyEvent(payload, header, [SECRET, OLD_SECRET], 300, { now: NOW }).type).toBe(
      "charge.succeeded",
    );
  });

  it("accepts a delivery just inside the tolerance", () => {
    const { payload, header } = signEvent(chargeEvent(), SECRET, NOW_S - 299);
    expect(() => verifyEvent(payload, header, [SECRET], 300, { now: NOW })).not.toThrow();
  });

  it("rejects a delivery without a signature header", () => {
    const { payload } = signEvent(chargeEvent(), SECRET, NOW_S);
    expect(reasonOf(() => verifyEvent(payload, undefined, [SECRET]))).toEqual({
      code: "webhook.missing_signature",
      status: 400,
    });
    expect(reasonOf(() => verifyEvent(payload, " ", [SECRET])).code).toBe("webhook.missing_signature");
  });

  it("rejects a signature made with another secret", () => {
    const { payload, header } = signEvent(chargeEvent(), "whsec_someone_else", NOW_S);
    expect(reasonOf(() => verifyEvent(payload, header, [SECRET, OLD_SECRET], 300, { now: NOW }))).toEqual({
      code: "webhook.bad_signature",
      status: 400,
    });
  });

  it("rejects a payload changed after signing", () => {
    const { payload, header } = signEvent(chargeEvent(), SECRET, NOW_S);
    const tampered = payload.replace('"amount": 1200', '"amount": 1');
    expect(tampered).not.toBe(payload);
    expect(reasonOf(() => verifyEvent(tampered, header, [SECRET], 300, { now: NOW })).code).toBe(
      "webhook.bad_signature",
    );
  });

  it("rejects a header that is not in Stripe's t=…,v1=… form", () => {
    const { payload } = signEvent(chargeEvent(), SECRET, NOW_S);
    for (const header of ["nonsense", `t=${NOW_S}`, "v1=abc", `t=soon,v1=${"0".repeat(64)}`]) {
      expect(reasonOf(() => verifyEvent(payload, header, [SECRET], 300, { now: NOW })).code, header).toBe(
        "webhook.bad_signature",
      );
    }
  });

  it("tells a stale but genuine delivery from a forged one", () => {
    const { payload, header } = signEvent(chargeEvent(), OLD_SECRET, NOW_S - 301);
    expect(reasonOf(() => verifyEvent(payload, header, [SECRET, OLD_SECRET], 300, { now: NOW }))).toEqual({
      code: "webhook.stale_timestamp",
      status: 400,
    });
    const forged = signEvent(chargeEvent(), "whsec_someone_else", NOW_S - 301);
    expect(reasonOf(() => verifyEvent(forged.payload, forged.header, [SECRET], 300, { now: NOW })).code).toBe(
      "webhook.bad_signature",
    );
  });

  it("checks the age against the real clock by default", () => {
    const { payload, header } = signEvent(chargeEvent(), SECRET, Math.floor(Date.now() / 1000) - 3600);
    expect(reasonOf(() => verifyEvent(payload, header, [SECRET])).code).toBe("webhook.stale_timestamp");
  });

  it("rejects a correctly signed body that is not JSON", () => {
    const payload = '{"id": "evt_1", "object": "event",';
    const header = signPayload(payload, SECRET, NOW_S);
    expect(reasonOf(() => verifyEvent(payload, header, [SECRET], 300, { now: NOW }))).toEqual({
      code: "webhook.malformed_json",
      status: 400,
    });
  });

  it("rejects correctly signed JSON that is not an event", () => {
    for (const payload of ["null", "[]", '"evt_1"', '{"id": "evt_1"}']) {
      const header = signPayload(payload, SECRET, NOW_S);
      expect(reasonOf(() => verifyEvent(payload, header, [SECRET], 300, { now: NOW })).code, payload).toBe(
        "webhook.malformed_json",
      );
    }
  });

  it("refuses an oversized body before verifying it", () => {
    const { payload, header } = signEvent(chargeEvent(), SECRET, NOW_S);
    expect(reasonOf(() => verifyEvent(payload, header, [SECRET], 300, { now: NOW, maxBytes: 100 }))).toEqual({
      code: "webhook.too_large",
      status: 413,
    });
  });

  it("is an AppError with a stable code, for the error middleware", () => {
    const error = new WebhookError("webhook.bad_signature", "No signature matches the payload");
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ name: "WebhookError", code: "webhook.bad_signature", status: 400 });
  });

  it("needs at least one secret", () => {
    expect(() => verifyEvent("{}", "t=1,v1=a", [])).toThrow(/at least one/);
  });
});
