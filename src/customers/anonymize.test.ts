import { createHmac } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { cliActor, systemActor, verifyAuditChain } from "../audit/index.ts";
import { auditLog } from "../audit/schema.ts";
import { createUser, login } from "../auth/index.ts";
import { sessions, users } from "../auth/schema.ts";
import { createProduct } from "../catalog/index.ts";
import { fingerprintDatabase } from "../ops/fingerprint.ts";
import { createOrderFromCart, markOrderPaid } from "../orders/index.ts";
import { fixedClock } from "../shared/clock.ts";
import {
  anonymizeCustomer,
  anonymizeInactiveCustomers,
  customersInactiveFor,
  pseudonymFor,
} from "./anonymize.ts";
import { createCustomer, getCustomer } from "./service.ts";

let ctx: TestContext;
const SECRET = "test-secret-for-pseudonyms-0123456789";
const DAY = 86_400_000;
let productId: number;

beforeAll(async () => {
  ctx = await createTestContext({ env: { SESSION_SECRET: SECRET } });
  const product = await createProduct(
    ctx,
    { sku: "ANON-1", name: "Mug", priceAmount: 1500, currency: "usd", stockOnHand: 100 },
    cliActor,
  );
  productId = product.id;
}, 60_000);
afterAll(() => ctx.destroy());

/** The test context with its clock stopped at `time`. */
const at = (time: Date) => ({ ...ctx, clock: fixedClock(time) });

/** A customer created at `createdAt`, optionally with one paid order placed at `orderAt`. */
async function customerWithOrder(email: string, createdAt: Date, orderAt?: Date): Promise<number> {
  const c = await createCustomer(at(createdAt), { email, name: `Name of ${email}`, country: "DE" });
  if (orderAt) {
    ctx.clock.set(orderAt);
    const order = await createOrderFromCart(
      ctx,
      { customerId: c.id, items: [{ productId, quantity: 2 }] },
      systemActor,
    );
    await markOrderPaid(ctx, { orderId: order.id, at: orderAt }, systemActor);
  }
  return c.id;
}

describe("customers anonymize", () => {
  it("replaces PII with a deterministic pseudonym and leaves every financial fact untouched", async () => {
    const now = new Date("2026-06-15T12:00:00Z");
    const id = await customerWithOrder("jane.doe@example.test", new Date("2026-01-01T00:00:00Z"), now);
    const other = await customerWithOrder("john@example.test", new Date("2026-01-01T00:00:00Z"), now);
    await createUser(
      ctx,
      { email: "jane.doe@example.test", password: "correct horse battery", role: "customer", customerId: id },
      cliActor,
    );
    await login(ctx, { email: "jane.doe@example.test", password: "correct horse battery", ip: "10.0.0.1" });
    const before = await fingerprintDatabase(ctx.db);

    ctx.clock.set("2026-06-20T09:00:00Z");
    const outcome = await anonymizeCustomer(ctx, id, { actor: cliActor, reason: "request" });
    expect(outcome).toEqual({ customerId: id, changed: true, logins: 1 });

    // The pseudonym is HMAC-SHA256(secret, label:id), first 16 hex digits.
    const tag = createHmac("sha256", SECRET)
      .update(`revintel:customer-pseudonym:v1:${id}`)
      .digest("hex")
      .slice(0, 16);
    const row = await getCustomer(ctx, id);
    expect(row).toMatchObject({
      email: `anon-${tag}@anonymized.invalid`,
      name: `Anonymized ${tag.slice(0, 8)}`,
      country: null,
      anonymizedAt: new Date("2026-06-20T09:00:00Z"),
    });
    expect(pseudonymFor(SECRET, id)).toEqual(pseudonymFor(SECRET, id));
    expect(pseudonymFor(SECRET, id).email).not.toBe(pseudonymFor(SECRET, other).email);
    expect((await getCustomer(ctx, other))?.email).toBe("john@example.test");

    const [loginRow] = await ctx.db.select().from(users).where(eq(users.customerId, id));
    expect(loginRow).toMatchObject({ email: `anon-${tag}@anonymized.invalid`, active: false });
    expect(await ctx.db.select().from(sessions).where(eq(sessions.userId, loginRow!.id))).toHaveLength(0);

    // Orders, lines, events, stock movements, charges, ledger: byte-for-byte identical.
    const after = await fingerprintDatabase(ctx.db);
    const pii = ["public.customers", "public.users", "public.sessions", "public.audit_log"];
    for (const table of Object.keys(before.tables).filter((t) => !pii.includes(t)))
      expect(after.tables[table], table).toEqual(before.tables[table]);
    expect(after.tables["public.orders"]?.rows).toBe(2);

    // One more audit event, the chain verifies, and no audit row mentions the old PII.
    expect(after.audit).toMatchObject({ ok: true, rows: before.audit.rows + 1 });
    const [event] = await ctx.db.select().from(auditLog).where(eq(auditLog.seq, after.audit.lastSeq!));
    expect(event).toMatchObject({
      action: "customer.anonymize",
      targetType: "customer",
      targetId: String(id),
    });
    const everything = JSON.stringify(await ctx.db.select().from(auditLog));
    expect(everything).not.toContain("jane.doe");
    expect(everything).not.toContain("Name of");
  });

  it("is idempotent: a second run changes nothing and writes no audit event", async () => {
    const id = await customerWithOrder("again@example.test", new Date("2026-01-01T00:00:00Z"));
    const options = { actor: cliActor, reason: "request" as const };
    await anonymizeCustomer(ctx, id, options);
    const rows = (await verifyAuditChain(ctx)).rows;
    expect(await anonymizeCustomer(ctx, id, options)).toEqual({
      customerId: id,
      changed: false,
      logins: 0,
    });
    expect((await verifyAuditChain(ctx)).rows).toBe(rows);
    await expect(anonymizeCustomer(ctx, 999_999, options)).rejects.toMatchObject({ status: 404 });
  });

  it("--older-than picks customers with no order in that many days, counting sign-up when they never ordered", async () => {
    const now = new Date("2027-03-01T00:00:00Z");
    const longAgo = new Date(now.getTime() - 400 * DAY);
    const stale = await customerWithOrder("stale@example.test", longAgo, new Date(longAgo.getTime() + DAY));
    const recent = await customerWithOrder(
      "recent@example.test",
      longAgo,
      new Date(now.getTime() - 10 * DAY),
    );
    const never = await customerWithOrder("never@example.test", longAgo);
    const fresh = await customerWithOrder("fresh@example.test", new Date(now.getTime() - 10 * DAY));
    // 365 days before 2027-03-01 is 2026-03-01: stale's last order (2026-01-26) and never's sign-up are older.
    // Earlier tests' customers: two are anonymized already, john ordered on 2026-06-15 (kept).
    const picked = await customersInactiveFor(at(now), 365);
    expect(picked).toEqual([stale, never]);
    expect(picked).not.toContain(recent);
    expect(picked).not.toContain(fresh);

    const outcomes = await anonymizeInactiveCustomers(at(now), 365, { actor: systemActor });
    expect(outcomes.map((o) => o.customerId)).toEqual(picked);
    expect((await getCustomer(ctx, stale))?.anonymizedAt).toEqual(now);
    expect((await getCustomer(ctx, recent))?.anonymizedAt).toBeNull();
    expect(await customersInactiveFor(at(now), 365)).toEqual([]);
    expect((await verifyAuditChain(ctx)).ok).toBe(true);
  });
});
