/**
 * Fuzzing `POST /webhooks/stripe` (app.request, seeded fast-check): 2,500 generated deliveries —
 * random bodies and headers, well-signed payloads that are not Stripe events, real events with a
 * wrong secret, a tampered body, a stale or missing timestamp, and well-signed real events with
 * fields deleted or retyped, and well-signed real events carrying text PostgreSQL refuses (NUL,
 * lone surrogates: stored as U+FFFD) or `created` at the edges (years 0000 and 9999, 10-digit unix
 * seconds). Never a 5xx; everything not accepted leaves the inbox untouched; each 2xx stores exactly
 * one row; the server stays healthy.
 */
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryOne } from "../../src/db/sql.ts";
import { createStripeFactory } from "../../src/offline/objects/event-factory.ts";
import { signPayload } from "../../src/payments/stripe/sign.ts";
import { createApp } from "../../src/web/app.ts";
import { createTestContext, type TestContext } from "../support/context.ts";

const RUNS = 2_500;
let ctx: TestContext;
let app: ReturnType<typeof createApp>["app"];
let secret: string;
let nowSec: number;

beforeAll(async () => {
  ctx = await createTestContext();
  app = createApp(ctx).app;
  secret = ctx.config.stripeWebhookSecrets[0]!;
  nowSec = Math.floor(ctx.clock.now().getTime() / 1000);
});
afterAll(() => ctx.destroy());

const f = createStripeFactory({ seed: 99, now: new Date("2026-06-10T10:00:00Z") });
const templates = Array.from({ length: 20 }, (_, i) => {
  const customer = f.makeCustomer({ email: null });
  const { charge } = f.makePayment({ amount: 1000 + i * 10, customer: customer.id });
  return i % 2 ? f.makeEvent("charge.succeeded", charge) : f.makeEvent("customer.created", customer);
});

/** The envelope Stripe always sends: anything else is refused with 400 before it is stored. */
function wellFormed(e: Record<string, unknown>): boolean {
  return (
    typeof e.id === "string" &&
    e.id !== "" &&
    typeof e.type === "string" &&
    e.type !== "" &&
    Number.isSafeInteger(e.created) &&
    (e.created as number) >= 0 &&
    (e.created as number) <= 253_402_300_799 &&
    typeof e.livemode === "boolean" &&
    (e.api_version == null || typeof e.api_version === "string") &&
    typeof e.data === "object" &&
    e.data !== null
  );
}

type Case = { kind: string; body: string; header?: string; valid: boolean };

/** JSON escapes PostgreSQL's text and jsonb refuse (NUL, lone surrogates) next to a pair it keeps. */
const awkwardText = fc.constantFrom(
  "\ud800",
  "\udfff",
  "\u0000",
  "a\u0000b",
  "x\ud800y",
  "\ude00\ud83d",
  "\ud83d\ude00",
);
/** Unix seconds at the edges: year 0000, the epoch, the last second of 9999 and the next, 10 digits. */
const edgeTimestamp = fc.oneof(
  fc.constantFrom(-62_167_219_200, 0, 253_402_300_799, 253_402_300_800, 1_000_000_000, 9_999_999_999),
  fc.integer({ min: 1_000_000_000, max: 9_999_999_999 }),
);

const junkValue = fc.oneof(
  awkwardText,
  edgeTimestamp,
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string(), { maxKeys: 3 }),
);

const caseArb: fc.Arbitrary<Case> = fc.oneof(
  // Random bytes and headers.
  fc.record({
    kind: fc.constant("random"),
    body: fc.oneof(fc.string(), fc.json(), fc.string({ unit: "binary" })),
    header: fc.option(fc.oneof(fc.string(), fc.constant("t=1,v1=abc"), fc.constant("v1=")), {
      nil: undefined,
    }),
    valid: fc.constant(false),
  }),
  // Correctly signed, but not a Stripe event (any JSON, or JSON objects with junk in the event fields).
  fc
    .oneof(
      fc.json(),
      fc
        .record({ id: junkValue, type: junkValue, created: junkValue, livemode: junkValue, data: junkValue })
        .map((o) => JSON.stringify(o)),
    )
    .map((body) => ({
      kind: "signed-non-event",
      body,
      header: signPayload(body, secret, nowSec),
      valid: false,
    })),
  // A real event, badly signed.
  fc
    .tuple(
      fc.integer({ min: 0, max: templates.length - 1 }),
      fc.constantFrom("wrong-secret", "tampered", "stale", "no-v1"),
    )
    .map(([i, how]) => {
      const body = JSON.stringify({ ...templates[i]!, id: `evt_fuzz_bad_${i}_${how}` });
      const header =
        how === "wrong-secret"
          ? signPayload(body, "whsec_not_ours", nowSec)
          : how === "tampered"
            ? signPayload(body.replace("1", "2"), secret, nowSec)
            : how === "stale"
              ? signPayload(body, secret, nowSec - 301)
              : `t=${nowSec}`;
      return { kind: `bad-signature:${how}`, body, header, valid: false };
    }),
  // A real event, correctly signed, with one field deleted or replaced by junk.
  fc
    .tuple(
      fc.integer({ min: 0, max: templates.length - 1 }),
      fc.constantFrom("id", "type", "created", "livemode", "data", "api_version"),
      fc.option(junkValue, { nil: undefined }),
      fc.nat(1_000_000),
    )
    .map(([i, field, value, n]) => {
      const event: Record<string, unknown> = { ...templates[i]!, id: `evt_fuzz_${n}` };
      if (value === undefined) delete event[field];
      else event[field] = value;
      const body = JSON.stringify(event);
      return {
        kind: `mutated:${field}`,
        body,
        header: signPayload(body, secret, nowSec),
        valid: wellFormed(event),
      };
    }),
);

const edgeCaseArb: fc.Arbitrary<Case> = fc
  .tuple(
    fc.integer({ min: 0, max: templates.length - 1 }),
    fc.constantFrom("name", "description", "email", "metadata", "id", "type"),
    awkwardText,
    fc.option(edgeTimestamp, { nil: undefined }),
    fc.option(edgeTimestamp, { nil: undefined }),
    fc.nat(1_000_000),
  )
  .map(([i, field, text, created, objectCreated, n]) => {
    const event = structuredClone(templates[i]!) as unknown as Record<string, unknown>;
    event.id = `evt_fuzz_edge_${n}`;
    const object = (event.data as { object: Record<string, unknown> }).object;
    if (field === "id" || field === "type") event[field] = `${event[field]}${text}`;
    else if (field === "metadata") object.metadata = { [`note${text}`]: text };
    else object[field] = `${object[field] ?? ""}${text}`;
    if (created !== undefined) event.created = created;
    if (objectCreated !== undefined) object.created = objectCreated;
    const body = JSON.stringify(event, null, 2);
    return {
      kind: `edge:${field}`,
      body,
      header: signPayload(body, secret, nowSec),
      valid: wellFormed(event),
    };
  });

async function inboxCount(): Promise<number> {
  const row = await queryOne<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM stripe_events`);
  return Number(row?.n ?? 0);
}

describe("fuzzing POST /webhooks/stripe", () => {
  it(`answers ${RUNS} generated deliveries without a 5xx and stores nothing it refused`, async () => {
    const seen: Record<string, number> = {};
    const statuses: Record<string, number> = {};
    let stored = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ arbitrary: caseArb, weight: 4 }, { arbitrary: edgeCaseArb, weight: 1 }),
        async (c) => {
          const before = await inboxCount();
          const headers: Record<string, string> = { "content-type": "application/json" };
          if (c.header !== undefined) headers["stripe-signature"] = c.header;
          const res = await app.request("/webhooks/stripe", { method: "POST", body: c.body, headers });
          const after = await inboxCount();
          const kind = c.kind.split(":")[0]!;
          seen[kind] = (seen[kind] ?? 0) + 1;
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) expect(after).toBe(before);
          if (!c.valid) expect(res.status).toBe(400);
          if (c.valid) expect(res.status).toBe(200);
          if (res.status === 200) {
            const json = (await res.json()) as { duplicate: boolean };
            expect(after).toBe(before + (json.duplicate ? 0 : 1));
            stored += after - before;
            // What was stored is a well-formed event: string id and type, a time, a mode.
            const row = await queryOne<{ bad: number }>(
              ctx.db,
              sql`SELECT count(*)::int AS bad FROM stripe_events WHERE id = '' OR type = '' OR created IS NULL`,
            );
            expect(Number(row?.bad)).toBe(0);
          }
        },
      ),
      { numRuns: RUNS, seed: 20260615 },
    );
    const health = await app.request("/healthz");
    expect(health.status).toBe(200);
    expect((await app.request("/readyz")).status).toBe(200);
    console.log(
      `fuzz-webhooks: ${RUNS} deliveries (${JSON.stringify(seen)}); statuses ${JSON.stringify(statuses)}; ` +
        `0 × 5xx; ${stored} well-formed events stored, nothing stored for any refused delivery; healthz/readyz 200`,
    );
  });
});
