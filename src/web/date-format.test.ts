import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedStaffData } from "../../tests/e2e/support/seed.ts";
import { makeCustomer } from "../../tests/support/builders/customers.ts";
import { makeCharge, makeRefund } from "../../tests/support/builders/ledger.ts";
import { makeOrder } from "../../tests/support/builders/orders.ts";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { signedInClient, type TestClient } from "../../tests/support/http.ts";
import { createApp } from "./app.ts";
import type { AppEnv } from "./request-context.ts";

/**
 * One date format on every page (issue 19 item 7): the staff pages that show instants are rendered
 * over the browser tests' seeded shop, and their visible text (tags, attributes, scripts and
 * pretty-printed payloads left out) must not write a day or an instant any other way than
 * `dateTime`/`day` do ("17 May 2026, 08:15 UTC", "17 May 2026").
 */
let ctx: TestContext;
let app: Hono<AppEnv>;
let admin: TestClient;
let ops: TestClient;
let customerId: number;

beforeAll(async () => {
  ctx = await createTestContext();
  await seedStaffData(ctx);
  const customer = await makeCustomer(ctx.db, { name: "Mina Okafor", createdAt: "2025-12-20T09:00:00Z" });
  customerId = customer.id;
  const order = await makeOrder(ctx.db, { customerId, paidAt: "2026-03-28T15:30:00Z", amountTotal: 3900 });
  const charge = await makeCharge(ctx.db, {
    orderId: order.id,
    amount: 3900,
    created: "2026-03-28T15:30:00Z",
  });
  await makeRefund(ctx.db, {
    chargeId: charge.id,
    orderId: order.id,
    amount: 900,
    created: "2026-03-30T10:00:00Z",
  });
  ({ app } = createApp(ctx));
  ({ client: admin } = await signedInClient(app, ctx, "admin"));
  ({ client: ops } = await signedInClient(app, ctx, "ops"));
}, 180_000);
afterAll(() => ctx.destroy());

/**
 * What a reader sees as prose: no markup, no attribute values, no script/style, no identifiers or
 * raw JSON set as code, no command lines quoted in backticks (a CLI flag takes an ISO day).
 */
function visibleText(html: string): string {
  return html
    .replace(/<(script|style|pre|code|textarea)\b[\s\S]*?<\/\1>/gi, " ")
    .replace(/`[^`<]*`/g, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/\s+/g, " ");
}

const ISO_DAY = /\b\d{4}-\d{2}-\d{2}\b/;
const INSTANT = /\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC/;

async function pageText(client: TestClient, path: string): Promise<string> {
  const res = await client.get(path);
  expect(res.status, path).toBe(200);
  return visibleText(await res.text());
}

/** The first href on `path` matching `pattern`, to reach a detail page of the seeded data. */
async function firstLink(client: TestClient, path: string, pattern: RegExp): Promise<string> {
  const html = await (await client.get(path)).text();
  const found = html.match(pattern);
  expect(found, `a link ${pattern} on ${path}`).not.toBeNull();
  return found![0].replace(/&amp;/g, "&");
}

describe("one date format on every staff page", () => {
  it("writes no day or instant as ISO text, and instants as the helper does", async () => {
    const orderPage = await firstLink(ops, "/admin/orders?status=paid", /\/admin\/orders\/RI-[A-Z0-9]+/);
    const customerPage = `/customers/${customerId}`;
    const pages: [TestClient, string][] = [
      [ops, "/admin/orders"],
      [ops, orderPage],
      [ops, customerPage],
      [ops, "/admin/disputes"],
      [ops, "/dashboard/ops"],
      [admin, "/dashboard"],
      [admin, "/dashboard/products"],
      [admin, "/dashboard/subscriptions"],
      [ops, "/webhooks/events"],
      [ops, "/webhooks/events/evt_e2e_failed_1"],
      [ops, "/monitoring/issues"],
      [admin, "/audit"],
      [admin, "/admin/users"],
      [admin, "/records/gross_revenue?from=2026-05-01&to=2026-05-31&currency=usd"],
      [admin, "/records/refunds?from=2026-01-01&to=2026-06-15&currency=usd"],
      [admin, "/records/disputes?from=2026-01-01&to=2026-06-15&currency=usd"],
      [admin, "/records/mrr?from=2026-05-01&to=2026-05-31&currency=usd"],
    ];
    let instants = 0;
    const isoText: string[] = [];
    for (const [client, path] of pages) {
      const text = await pageText(client, path);
      const iso = text.match(new RegExp(`.{0,60}${ISO_DAY.source}.{0,40}`, "g")) ?? [];
      isoText.push(...iso.slice(0, 3).map((m) => `${path}: …${m}…`));
      if (INSTANT.test(text)) instants += 1;
    }
    expect(isoText).toEqual([]);
    // Most of these pages show instants; make sure the test is reading them, not empty pages.
    expect(instants).toBeGreaterThanOrEqual(8);
  }, 120_000);

  it("writes the storefront's preorder ship day as the helper does", async () => {
    const text = await pageText(ops, "/?q=kettle");
    expect(text).toContain("ships 20 Jul 2026");
    expect(text).not.toMatch(ISO_DAY);
  });
});

/** Every shipped file of src/web (tests left out). */
function webFiles(dir = join(process.cwd(), "src", "web")): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return webFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe("dates are formatted in one place", () => {
  it("writes instants only through components/format.ts (no locale formatting, no hand-cut ISO text)", () => {
    const HAND_MADE =
      /toLocale(Date|Time)?String\(|Intl\.DateTimeFormat|toUTCString\(|\.replace\("T", " "\)|\.slice\(0, 16\)|\.slice\(11, 16\)/;
    const offenders = webFiles()
      .filter((path) => !path.endsWith(join("components", "format.ts")))
      .flatMap((path) =>
        readFileSync(path, "utf8")
          .split("\n")
          .map((line, i) => ({ line, at: `${relative(process.cwd(), path)}:${i + 1}` }))
          .filter(({ line }) => HAND_MADE.test(line))
          .map(({ at, line }) => `${at}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});
