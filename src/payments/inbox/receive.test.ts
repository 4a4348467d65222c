import { Writable } from "node:stream";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { signedNow } from "../../../tests/support/webhooks.ts";
import { customers } from "../../customers/schema.ts";
import { queryOne, queryRows } from "../../db/sql.ts";
import { createStripeFactory } from "../../offline/objects/event-factory.ts";
import { createLogger } from "../../shared/logger.ts";
import { createApp } from "../../web/app.ts";

/** Seeded personal data: none of it may appear in any log line of this file's runs. */
const SEEDED = [
  { email: "ada.lovelace@example.test", name: "Ada Lovelace", phone: "+44 20 7946 0018" },
  { email: "grace.hopper@example.test", name: "Grace Hopper", phone: "+1 202 555 0147" },
  { email: "alan.turing@example.test", name: "Alan Turing", phone: "+44 161 496 0762" },
];

const lines: string[] = [];
let ctx: TestContext;
let app: ReturnType<typeof createApp>["app"];
const factory = createStripeFactory({ seed: "receive-text", now: new Date("2026-06-15T11:59:00Z") });

beforeAll(async () => {
  ctx = await createTestContext();
  ctx.logger = createLogger({
    level: "debug",
    pretty: false,
    destination: new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  });
  app = createApp(ctx).app;
  for (const s of SEEDED)
    await ctx.db.insert(customers).values({ email: s.email, name: s.name, createdAt: ctx.clock.now() });
});
afterAll(() => ctx.destroy());

function post(event: object) {
  const { payload, header } = signedNow(ctx, event);
  return app.request("/webhooks/stripe", {
    method: "POST",
    body: payload,
    headers: { "content-type": "application/json", "stripe-signature": header },
  });
}

/** A customer.created whose name carries `text`, with a seeded person's e-mail, phone and address. */
function customerEvent(i: number, text: string) {
  const s = SEEDED[i % SEEDED.length]!;
  const customer = factory.makeCustomer({ email: s.email, name: `${s.name} ${text}` });
  return factory.makeEvent("customer.created", {
    ...customer,
    phone: s.phone,
    address: {
      line1: "12 Example Street",
      line2: null,
      city: "London",
      postal_code: "N1 9GU",
      state: null,
      country: "GB",
    },
  });
}

describe("a signed event whose JSON holds text PostgreSQL cannot store", () => {
  it.each([
    ["a lone high surrogate", "\ud800"],
    ["a lone low surrogate", "\udc00"],
    ["a NUL character", "\u0000"],
  ])("stores and applies an event with %s (U+FFFD in its place), never a 5xx", async (_, text) => {
    const event = customerEvent(0, text);
    const res = await post(event);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ received: true, duplicate: false, status: "processed" });
    const row = await queryOne<{ status: string; name: string }>(
      ctx.db,
      sql`SELECT status, payload->'data'->'object'->>'name' AS name FROM stripe_events WHERE id = ${event.id}`,
    );
    expect(row).toEqual({ status: "processed", name: `${SEEDED[0]!.name} \ufffd` });
    const [customer] = await ctx.db
      .select({ name: customers.name })
      .from(customers)
      .where(eq(customers.stripeCustomerId, event.data.object.id));
    expect(customer?.name).toBe(`${SEEDED[0]!.name} \ufffd`);
  });

  it("keeps a well-formed surrogate pair (an emoji) as it was sent", async () => {
    const event = customerEvent(1, "\ud83d\ude00");
    expect((await post(event)).status).toBe(200);
    const [customer] = await ctx.db
      .select({ name: customers.name })
      .from(customers)
      .where(eq(customers.stripeCustomerId, event.data.object.id));
    expect(customer?.name).toBe(`${SEEDED[1]!.name} \ud83d\ude00`);
  });
});

describe("logs of a run that provokes database errors", () => {
  it("hold none of the seeded e-mails, names or phone numbers", async () => {
    // Webhooks with text the database refuses, for each seeded person.
    for (const [i, text] of ["\ud800", "\udfff", "\u0000"].entries()) await post(customerEvent(i, text));
    // Any query that fails with personal data in its parameters, logged as code does.
    for (const s of SEEDED) {
      try {
        await queryRows(ctx.db, sql`SELECT ${s.email}::int, ${s.name}::int, ${s.phone}::int`);
      } catch (err) {
        ctx.logger.error({ err }, "query failed");
      }
      // Personal fields nested deep in a logged object.
      ctx.logger.warn({ event: { data: { object: { customer_details: s, receipt_email: s.email } } } }, "x");
    }
    const log = lines.join("");
    expect(log).toContain("query failed");
    for (const s of SEEDED) {
      expect(log).not.toContain(s.email);
      expect(log).not.toContain(s.name);
      expect(log).not.toContain(s.phone);
    }
    expect(log).not.toContain("12 Example Street");
  });
});
