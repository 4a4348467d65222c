/**
 * Fuzzing every form and API endpoint (app.request, seeded fast-check): 2,000 requests, each to a
 * declared route (the webhook and sign-in/out excluded; they have their own suites), sent by a
 * signed-in user allowed to use it, with junk path ids, junk query strings and junk form fields
 * (among them lone surrogates, NUL bytes, years 0000 and 9999 and 10-digit years).
 * Never a 5xx; a refused request (4xx) changes nothing (no audit row: every state change writes one
 * in its transaction); the server stays healthy.
 */
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { can, type Role } from "../../src/auth/index.ts";
import { customers } from "../../src/customers/schema.ts";
import { queryOne } from "../../src/db/sql.ts";
import { createApp } from "../../src/web/app.ts";
import type { RouteDef } from "../../src/web/route-access.ts";
import { createTestContext, type TestContext } from "../support/context.ts";
import { signedInClient, type TestClient } from "../support/http.ts";

const RUNS = 2_000;
const SKIP = new Set(["/webhooks/stripe", "/login", "/logout"]);
let ctx: TestContext;
let app: ReturnType<typeof createApp>["app"];
let routes: RouteDef[];
const clients = new Map<Role, TestClient>();

beforeAll(async () => {
  ctx = await createTestContext();
  const created = createApp(ctx);
  app = created.app;
  routes = created.router.routes.filter((r) => !SKIP.has(r.path));
  const [customer] = await ctx.db
    .insert(customers)
    .values({ email: "fuzz-buyer@example.test", name: "Fuzz Buyer", createdAt: ctx.clock.now() })
    .returning({ id: customers.id });
  for (const role of ["admin", "customer"] as const) {
    clients.set(
      role,
      (await signedInClient(app, ctx, role, role === "customer" ? customer!.id : undefined)).client,
    );
  }
});
afterAll(() => ctx.destroy());

function clientFor(route: RouteDef): TestClient {
  if (route.access === "public" || route.access === "signed_in") return clients.get("admin")!;
  return can("admin", route.access) ? clients.get("admin")! : clients.get("customer")!;
}

const junk = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom("", "0", "-1", "1", "1.5", "1e309", "99999999999999999999", "NaN", "null", "[]", "{}"),
  fc.constantFrom(
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    '=HYPERLINK("x")',
    "../../etc/passwd",
    "%00",
    "\u0000",
  ),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  // Lone surrogates and NUL bytes inside otherwise plausible values (invalid UTF-16, rejected by Postgres text).
  fc.constantFrom("\uD800", "\uDFFF", "a\uDC00b", "x\uD83D", "mug\u0000", "2026-06-01\u0000", "\u0000\u0000"),
  // Dates at and beyond the edges of the supported range (2000-01-01..2100-12-31), and 10-digit years.
  fc.constantFrom(
    "0000-01-01",
    "9999-12-31",
    "1999-12-31",
    "2101-01-01",
    "2026-02-30",
    "2026123456-01-01",
    "0000000000-01-01",
    "+010000-01-01",
  ),
);
const FIELDS = [
  "id",
  "quantity",
  "amount",
  "email",
  "role",
  "name",
  "price",
  "stock",
  "note",
  "reason",
  "productId",
  "sku",
  "currency",
  "from",
  "to",
  "since",
  "preorderShipDate",
  "range",
  "status",
  "page",
  "q",
  "restock",
  "active",
  "delta",
  "next",
  "metric",
];
const fieldName = fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 10 }));

describe("fuzzing form and API endpoints", () => {
  it(`answers ${RUNS} generated requests without a 5xx, and refused ones change nothing`, async () => {
    const statuses: Record<string, number> = {};
    const perRoute = new Set<string>();
    const arb = fc.record({
      route: fc.integer({ min: 0, max: routes.length - 1 }),
      param: junk,
      query: fc.dictionary(fieldName, junk, { maxKeys: 4 }),
      form: fc.dictionary(fieldName, junk, { maxKeys: 6 }),
      json: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(arb, async ({ route: i, param, query, form, json }) => {
        const route = routes[i]!;
        const client = clientFor(route);
        const path = route.path.replace(/:[a-zA-Z]+(\{[^}]*\})?/g, () => urlEncode(param) || "x");
        const qs = Object.entries(query)
          .map(([k, v]) => `${urlEncode(k)}=${urlEncode(v)}`)
          .join("&");
        const url = qs ? `${path}?${qs}` : path;
        const before = await auditCount();
        const res =
          route.method === "GET"
            ? await client.get(url)
            : json
              ? await client.postJson(url, form)
              : await client.postForm(url, form);
        perRoute.add(`${route.method} ${route.path}`);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status >= 500 && process.env.FUZZ_COLLECT) {
          console.log("5xx", route.method, route.path, JSON.stringify({ param, form }).slice(0, 200));
          return;
        }
        if (res.status >= 500)
          throw new Error(`${route.method} ${url} → ${res.status}: ${(await res.text()).slice(0, 300)}`);
        if (res.status >= 400) expect(await auditCount()).toBe(before);
      }),
      { numRuns: RUNS, seed: 4242 },
    );
    expect((await app.request("/healthz")).status).toBe(200);
    console.log(
      `fuzz-forms: ${RUNS} requests over ${perRoute.size} routes (GET and POST, form and JSON bodies); ` +
        `statuses ${JSON.stringify(statuses)}; 0 × 5xx; no audit row written by any refused request; healthz 200`,
    );
  });
});

/** Values at the edges of what the date, text and path parsers accept, tried in every date field of every route. */
const EDGE_VALUES = ["0000-01-01", "9999-12-31", "2026123456-01-01", "\uD800", "2026-06-01\u0000"];

describe("edge values in every date field", () => {
  it("never answer 5xx on any route, and refused ones change nothing", async () => {
    const validProduct = {
      sku: "EDGE-1",
      name: "Edge mug",
      price: "12.50",
      currency: "usd",
      stockOnHand: "1",
    };
    for (const route of routes) {
      const client = clientFor(route);
      const path = route.path.replace(/:[a-zA-Z]+(\{[^}]*\})?/g, "1");
      for (const value of EDGE_VALUES) {
        const v = urlEncode(value);
        const attempts =
          route.method === "GET"
            ? [
                () => client.get(`${path}?range=custom&from=${v}&to=2026-06-07`),
                () => client.get(`${path}?range=custom&from=2026-06-01&to=${v}&since=${v}`),
              ]
            : [
                () =>
                  client.postForm(path, { ...validProduct, allowPreorder: "on", preorderShipDate: value }),
                () =>
                  client.postJson(path, { from: value, to: value, since: value, preorderShipDate: value }),
              ];
        for (const attempt of attempts) {
          const before = await auditCount();
          const res = await attempt();
          const body = await res.text();
          if (res.status >= 500)
            throw new Error(
              `${route.method} ${path} with ${JSON.stringify(value)} → ${res.status}: ${body.slice(0, 300)}`,
            );
          if (res.status >= 400) expect(await auditCount()).toBe(before);
        }
      }
    }
  }, 300_000);
});

/**
 * Percent-encoding as a hostile client may send it: a lone surrogate goes out as its three raw
 * bytes (invalid UTF-8, "%ED%A0%80"), where encodeURIComponent would throw and a browser would
 * send U+FFFD instead.
 */
function urlEncode(s: string): string {
  let out = "";
  for (const ch of s) {
    const unit = ch.charCodeAt(0);
    if (ch.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join("");
    } else out += encodeURIComponent(ch);
  }
  return out;
}

async function auditCount(): Promise<number> {
  const row = await queryOne<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM audit_log`);
  return Number(row?.n ?? 0);
}
