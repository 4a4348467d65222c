import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../tests/support/builders/catalog.ts";
import { makeCustomer } from "../../tests/support/builders/customers.ts";
import { makeStripeEvent } from "../../tests/support/builders/events.ts";
import { makeIssue } from "../../tests/support/builders/monitoring.ts";
import { makeOrder } from "../../tests/support/builders/orders.ts";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { csvObjects } from "../../tests/support/export-read.ts";
import type { Actor } from "../audit/index.ts";
import { directorySink, exportPack } from "./index.ts";

const ops: Actor = { type: "user", id: "3", role: "ops" };
let ctx: TestContext;
let dir: string;
const read = (name: string) => csvObjects(readFileSync(join(dir, name), "utf8"));

beforeAll(async () => {
  ctx = await createTestContext(); // now: 2026-06-15T12:00Z, FULFILLMENT_SLA_HOURS 72
  const customer = await makeCustomer(ctx.db);
  const product = await makeProduct(ctx.db);
  const line = [{ productId: product.id, quantity: 2, unitPrice: 500 }];
  await makeOrder(ctx.db, { customerId: customer.id, paidAt: "2026-06-10T12:00:00Z", lines: line });
  await makeOrder(ctx.db, { customerId: customer.id, paidAt: "2026-06-15T00:30:00Z", lines: line });
  await makeOrder(ctx.db, {
    customerId: customer.id,
    paidAt: "2026-06-09T00:00:00Z",
    lines: line,
    status: "fulfilled",
  });
  await makeIssue(ctx.db, { title: "open one" });
  await makeIssue(ctx.db, {
    title: "resolved in period",
    status: "resolved",
    resolvedAt: new Date("2026-06-12T00:00:00Z"),
  });
  await makeIssue(ctx.db, {
    title: "resolved long ago",
    status: "resolved",
    resolvedAt: new Date("2026-05-01T00:00:00Z"),
  });
  await makeStripeEvent(ctx.db, {
    type: "charge.refunded",
    created: new Date("2026-06-14T08:00:00Z"),
    receivedAt: new Date("2026-06-14T08:00:00Z"),
    status: "failed",
    attempts: 2,
    lastError: "charge not found",
  });
  dir = mkdtempSync(join(tmpdir(), "ops-pack-"));
  await exportPack(ctx, { pack: "ops", from: "2026-06-08", to: "2026-06-14" }, await directorySink(dir), ops);
});
afterAll(() => ctx.destroy());

describe("ops pack", () => {
  it("lists paid, unfulfilled orders with their age against the SLA", () => {
    const orders = read("unfulfilled_orders.csv");
    // 06-10 12:00 → 06-15 12:00 is 120 h (over 72); 06-15 00:30 is after the period's end (06-15 00:00).
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({
      age_hours: "120",
      sla_hours: "72",
      over_sla: "true",
      units: "2",
      lines: "1",
    });
  });

  it("includes open issues and those resolved in the period", () => {
    expect(
      read("data_quality_issues.csv")
        .map((i) => i.title)
        .sort(),
    ).toEqual(["open one", "resolved in period"]);
  });

  it("includes failed webhook events", () => {
    expect(read("failed_webhook_events.csv")).toEqual([
      expect.objectContaining({ type: "charge.refunded", attempts: "2", last_error: "charge not found" }),
    ]);
  });

  it("is refused to an analyst", async () => {
    const analyst: Actor = { type: "user", id: "4", role: "analyst" };
    const other = mkdtempSync(join(tmpdir(), "ops-denied-"));
    await expect(
      exportPack(
        ctx,
        { pack: "ops", from: "2026-06-08", to: "2026-06-14" },
        await directorySink(other),
        analyst,
      ),
    ).rejects.toThrow(/permission/);
  });
});
