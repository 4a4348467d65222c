/**
 * Delivers Stripe events through the real webhook route (`POST /webhooks/stripe`, signed with the
 * stripe SDK's `webhooks.generateTestHeaderString`, as Stripe signs) and reads back what the
 * product made of them: the KPIs (raw and through the API over snapshots), the ledger rows and the
 * finance export rows — each in a form that can be compared across runs (no serial ids, no
 * arrival sequence numbers, no stored raw payloads).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import Stripe from "stripe";
import { buildSnapshots, computeKpisRaw } from "../../../src/analytics/index.ts";
import type { Kpis } from "../../../src/analytics/types.ts";
import { cliActor } from "../../../src/audit/index.ts";
import { createApiToken } from "../../../src/auth/index.ts";
import { queryRows } from "../../../src/db/sql.ts";
import { directorySink, exportPack } from "../../../src/exports/index.ts";
import type { createApp } from "../../../src/web/app.ts";
import { makeProduct } from "../builders/catalog.ts";
import { makeCustomer } from "../builders/customers.ts";
import { makeOrder, makeOrderLine } from "../builders/orders.ts";
import type { TestContext } from "../context.ts";
import { csvObjects } from "../export-read.ts";
import type { StripeEvent } from "./versions.ts";

/**
 * Runs one read-back step; a step that throws (code under change) gives `{ error }` instead, so
 * each assertion reports its own divergence rather than the whole suite stopping.
 */
export async function attempt<T>(step: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await step();
  } catch (error) {
    const e = error as Error & { cause?: Error };
    return { error: `${e.message.split("\n")[0]}${e.cause ? ` (${e.cause.message})` : ""}` };
  }
}

export type App = Awaited<ReturnType<typeof createApp>>["app"];

/**
 * The shop order of the story, pending until Stripe says it was paid: one line of 2 × 1250 (usd),
 * for a storefront customer, created 05-04 09:25. Returns its id (named in the session's metadata).
 */
export async function insertStoryOrder(ctx: TestContext): Promise<{ id: number; amount: number }> {
  const createdAt = new Date("2026-05-04T09:25:00Z");
  const buyer = await makeCustomer(ctx.db, {
    email: "buyer@example.test",
    name: "Story Buyer",
    country: null,
    stripeCustomerId: null,
    createdAt,
  });
  const product = await makeProduct(ctx.db, {
    sku: "SV-MUG",
    name: "Story mug",
    priceAmount: 1250,
    stockOnHand: 10,
    createdAt,
    updatedAt: createdAt,
  });
  const order = await makeOrder(ctx.db, {
    number: "SV-1001",
    customerId: buyer.id,
    paidAt: null,
    amountTotal: 2500,
    createdAt,
  });
  await makeOrderLine(ctx.db, {
    orderId: order.id,
    productId: product.id,
    sku: "SV-MUG",
    name: "Story mug",
    quantity: 2,
    unitPriceAmount: 1250,
  });
  return { id: order.id, amount: 2500 };
}

/** Posts one event as Stripe does; returns the HTTP status. */
export async function postEvent(ctx: TestContext, app: App, event: StripeEvent): Promise<number> {
  const payload = JSON.stringify(event, null, 2);
  const header = Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: ctx.config.stripeWebhookSecrets[0]!,
    timestamp: Math.floor(ctx.clock.now().getTime() / 1000),
  });
  const res = await app.request("/webhooks/stripe", {
    method: "POST",
    body: payload,
    headers: { "content-type": "application/json", "stripe-signature": header },
  });
  await res.text();
  return res.status;
}

export async function inbox(
  ctx: TestContext,
): Promise<Array<{ id: string; status: string; last_error: string | null }>> {
  return queryRows(ctx.db, sql`SELECT id, status, last_error FROM stripe_events ORDER BY id`);
}

export interface Period {
  from: string;
  to: string;
  currency: string;
}

export function rawKpis(ctx: TestContext, p: Period): Promise<Kpis> {
  return computeKpisRaw(ctx, { ...p, timezone: "UTC", livemode: false });
}

/** The `kpis` JSON from `GET /api/v1/kpis` (dashboards' path: daily snapshots), as an analyst token. */
export async function apiKpis(ctx: TestContext, app: App, periods: Period[]): Promise<unknown[]> {
  await buildSnapshots(ctx, { from: "2026-04-01", to: "2026-06-14", timezone: "UTC" }, cliActor);
  const { token } = await createApiToken(
    ctx,
    { name: "acceptance", role: "analyst", createdBy: null },
    cliActor,
  );
  const out: unknown[] = [];
  for (const p of periods) {
    const res = await app.request(`/api/v1/kpis?from=${p.from}&to=${p.to}&currency=${p.currency}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    out.push(res.status === 200 ? await res.json() : { status: res.status, body: await res.text() });
  }
  return out;
}

/** Tables Stripe events write (those that exist in this schema). */
const LEDGER_TABLES = [
  "customers",
  "orders",
  "charges",
  "refunds",
  "disputes",
  "subscriptions",
  "subscription_history",
  "invoices",
  "invoice_payments",
  "discounts",
  "coupons",
  "plans",
];

/**
 * Columns that say how or when a row arrived, not what Stripe said: sequence numbers, stored
 * payloads, the version read, and `source_event_created` (the newest event that showed the object,
 * which legitimately differs when a version embeds an object in more events, as 2024-06-20 embeds the
 * discount in every subscription event).
 */
const ARRIVAL_COLUMN =
  /(^|_)(seq|received_at|processed_at|payload|raw|api_version|source_event_id|source_event_created)$/;

export type LedgerRows = Record<string, string[]>;

/** Every row of every ledger table, as sorted JSON lines without arrival columns or serial ids. */
export async function ledgerRows(ctx: TestContext): Promise<LedgerRows> {
  const present = await queryRows<{ table_name: string }>(
    ctx.db,
    sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
  );
  const names = new Set(present.map((r) => r.table_name));
  const out: LedgerRows = {};
  for (const table of LEDGER_TABLES.filter((t) => names.has(t))) {
    const rows = await queryRows<Record<string, unknown>>(ctx.db, sql.raw(`SELECT * FROM ${table}`));
    out[table] = rows
      .map((row) => {
        const kept = Object.entries(row)
          .filter(([k, v]) => !ARRIVAL_COLUMN.test(k) && !(k === "id" && typeof v === "number"))
          .sort(([a], [b]) => a.localeCompare(b));
        return JSON.stringify(Object.fromEntries(kept));
      })
      .sort();
  }
  return out;
}

export type ExportRows = Record<string, Array<Record<string, string>>>;

/** The finance pack of a period, every CSV file as rows keyed by header. */
export async function financeExport(ctx: TestContext, from: string, to: string): Promise<ExportRows> {
  const dir = mkdtempSync(join(tmpdir(), "stripe-versions-"));
  try {
    await exportPack(ctx, { pack: "finance", from, to }, await directorySink(dir), cliActor);
    const out: ExportRows = {};
    for (const name of readdirSync(dir)
      .filter((n) => n.endsWith(".csv"))
      .sort()) {
      out[name] = csvObjects(readFileSync(join(dir, name), "utf8"));
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
