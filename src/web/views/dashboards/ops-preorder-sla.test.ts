import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../../../tests/support/builders/catalog.ts";
import { makeOrder } from "../../../../tests/support/builders/orders.ts";
import { createTestContext, type TestContext } from "../../../../tests/support/context.ts";
import { signedInClient, type TestClient } from "../../../../tests/support/http.ts";
import { fulfillmentDueAt, runChecks } from "../../../monitoring/index.ts";
import { createApp } from "../../app.ts";

// The test clock is 2026-06-15T12:00Z; FULFILLMENT_SLA_HOURS is 72.
const NOW = Date.parse("2026-06-15T12:00:00Z");
const daysAgo = (days: number) => new Date(NOW - days * 86_400_000);

describe("fulfillmentDueAt (the one SLA rule of the check, the dashboard and the export)", () => {
  const paid = new Date("2026-06-01T10:00:00Z");
  it.each([
    ["an ordinary order: 72 h after payment", null, false, "2026-06-04T10:00:00.000Z"],
    ["a preorder: 72 h after its ship date", "2026-07-01", false, "2026-07-04T00:00:00.000Z"],
    [
      "a preorder whose ship date passed before payment: from payment",
      "2026-05-01",
      false,
      "2026-06-04T10:00:00.000Z",
    ],
  ])("%s", (_, shipDate, undated, due) => {
    expect(fulfillmentDueAt({ paidAt: paid, shipDate, undatedPreorder: undated }, 72)?.toISOString()).toBe(
      due,
    );
  });
  it("never for a preorder with no ship date yet", () => {
    expect(fulfillmentDueAt({ paidAt: paid, shipDate: null, undatedPreorder: true }, 72)).toBeNull();
  });
});

let ctx: TestContext;
let ops: TestClient;
beforeAll(async () => {
  ctx = await createTestContext();
  const { app } = createApp(ctx);
  ({ client: ops } = await signedInClient(app, ctx, "ops"));
});
afterAll(() => ctx.destroy());

/** The backlog rows of the ops page: order number → the "Waiting" cell's text. */
async function backlog(): Promise<Map<string, string>> {
  const html = await (await ops.get("/dashboard/ops?range=7")).text();
  const section = html.slice(html.indexOf('id="backlog"'), html.indexOf('id="pending"'));
  const rows = new Map<string, string>();
  for (const m of section.matchAll(/<tr><td[^>]*><a href="\/admin\/orders\/[^"]+">([^<]+)<\/a>.*?<\/tr>/g)) {
    rows.set(m[1]!, m[0]);
  }
  return rows;
}

describe("ops dashboard: preorders are not over SLA before their ship date", () => {
  it("flags only what the fulfillment-backlog check opens an issue for", async () => {
    const future = await makeProduct(ctx.db, { preorderShipDate: "2027-01-02", stockOnHand: 0 });
    const shipped = await makeProduct(ctx.db, { preorderShipDate: "2026-06-10", stockOnHand: 0 });
    const line = (productId: number) => [{ productId, quantity: 1, unitPrice: 2000 }];
    const waiting = await makeOrder(ctx.db, { paidAt: daysAgo(90), lines: line(future.id) });
    const late = await makeOrder(ctx.db, { paidAt: daysAgo(30), lines: line(shipped.id) });
    const ordinary = await makeOrder(ctx.db, { paidAt: daysAgo(4) });
    const fresh = await makeOrder(ctx.db, { paidAt: daysAgo(1) });
    const { orderLines } = await import("../../../db/schema.ts");
    await ctx.db.update(orderLines).set({ isPreorder: true });

    const run = await runChecks(ctx, { check: "fulfillment-backlog" });
    const flaggedByCheck = run.open.reduce((n, o) => n + o.count, 0);
    expect(flaggedByCheck).toBe(2);

    const rows = await backlog();
    // Preorder shipping 2027-01-02, paid 90 days ago: waiting for its ship date, not late.
    expect(rows.get(waiting.number)).toContain("ships later");
    expect(rows.get(waiting.number)).not.toContain("over SLA");
    // Shipped 5 days ago (+72 h SLA passed) and an ordinary order 96 h old: late.
    expect(rows.get(late.number)).toContain("over SLA");
    expect(rows.get(ordinary.number)).toContain("over SLA");
    expect(rows.get(fresh.number)).not.toContain("over SLA");
    const page = await (await ops.get("/dashboard/ops?range=7")).text();
    expect(page).toContain(`${flaggedByCheck} over the 72 h SLA`);
    expect(page).not.toContain("No open issues");
  });
});
