import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCharge } from "../../../tests/support/builders/ledger.ts";
import type { TestContext } from "../../../tests/support/context.ts";
import { csvObjects } from "../../../tests/support/export-read.ts";
import { loadFxDocExample } from "../../../tests/support/fx-doc-example.ts";
import { createTestApp, signedInClient, type TestClient } from "../../../tests/support/http.ts";
import { buildSnapshots } from "../../analytics/index.ts";
import { cliActor, listAuditEvents } from "../../audit/index.ts";
import type { AppEnv } from "../request-context.ts";
import { CONVERTED_RECORDS_CSV_HEADER } from "./records.tsx";

// The records of a converted figure (currency=all) page like the other records and download as CSV:
// the pages together are every row once, in order; the sum and the CSV cover every row.
let ctx: TestContext;
let app: Hono<AppEnv>;
let analyst: TestClient;
const Q = "from=2026-03-02&to=2026-03-08&currency=all&reporting_currency=usd";

beforeAll(async () => {
  ({ ctx, app } = await createTestApp([], {
    now: "2026-03-10T12:00:00Z",
    env: { REPORTING_CURRENCY: "usd" },
  }));
  await loadFxDocExample(ctx.db);
  // Ten more charges in the week (seven in USD, three in JPY) beside the worked example's five.
  for (let i = 0; i < 10; i++) {
    await makeCharge(ctx.db, {
      currency: i < 7 ? "usd" : "jpy",
      amount: 1000 + 37 * i,
      created: `2026-03-0${2 + (i % 6)}T1${i}:00:00Z`,
    });
  }
  await buildSnapshots(ctx, { from: "2026-02-01", to: "2026-03-09", timezone: "UTC" }, cliActor);
  ({ client: analyst } = await signedInClient(app, ctx, "analyst"));
});
afterAll(() => ctx.destroy());

type Row = { key: string; converted: number | null };
const api = async (query: string) =>
  (await analyst.get(`/api/v1/kpis/gross_revenue/records?${query}`)).json();

describe("records of a converted figure, paged and as CSV", () => {
  it("pages every row once, in the same order, with the sum and row count of all pages", async () => {
    const whole = await api(`${Q}&limit=500`);
    expect(whole.pages).toBe(1);
    expect(whole.total_rows).toBe(whole.rows.length);
    expect(whole.rows.length).toBeGreaterThan(10);
    expect(whole.total).toBe(whole.figure);

    const paged: Row[] = [];
    const first = await api(`${Q}&limit=4`);
    expect(first.pages).toBe(Math.ceil(whole.total_rows / 4));
    for (let page = 1; page <= first.pages; page++) {
      const body = await api(`${Q}&limit=4&page=${page}`);
      expect([body.page, body.limit, body.total_rows, body.total]).toEqual([
        page,
        4,
        whole.total_rows,
        whole.total,
      ]);
      expect(body.rows.length).toBe(page < first.pages ? 4 : whole.total_rows - 4 * (first.pages - 1));
      paged.push(...body.rows);
    }
    expect(paged).toEqual(whole.rows);
    expect((await api(`${Q}&limit=4&page=${first.pages + 1}`)).rows).toEqual([]);
  });

  it("shows 50 rows a page with links to the next and previous pages, keeping the query", async () => {
    const html = await (await analyst.get(`/records/gross_revenue?${Q}&limit=4&page=2`)).text();
    expect(html).toContain('rel="prev"');
    expect(html).toContain(
      'href="/records/gross_revenue?from=2026-03-02&amp;to=2026-03-08&amp;currency=all&amp;reporting_currency=usd&amp;page=3&amp;limit=4" rel="next"',
    );
    expect(html).toMatch(/5–8 of \d+ · page 2 of \d+/);
    expect(html).toContain(
      'href="/records/gross_revenue/export.csv?from=2026-03-02&amp;to=2026-03-08&amp;currency=all&amp;reporting_currency=usd"',
    );
  });

  it("refuses a page that is not a positive number, naming the field", async () => {
    const res = await analyst.get(`/api/v1/kpis/gross_revenue/records?${Q}&page=0`);
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain("page");
  });

  it("downloads every row as CSV with its rate and converted amount, adding up to the figure, audited", async () => {
    const whole = await api(`${Q}&limit=500`);
    const res = await analyst.get(`/records/gross_revenue/export.csv?${Q}&page=2&limit=4`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe(
      'attachment; filename="gross_revenue_all-in-usd_2026-03-02_2026-03-08.csv"',
    );
    const text = await res.text();
    expect(text.split("\r\n")[0]).toBe(CONVERTED_RECORDS_CSV_HEADER.join(","));
    const rows = csvObjects(text);
    expect(rows.map((r) => r.key)).toEqual(whole.rows.map((r: Row) => r.key));
    expect(rows.reduce((sum, r) => sum + Number(r.converted_minor), 0)).toBe(whole.figure);
    expect(new Set(rows.map((r) => r.currency))).toEqual(new Set(["usd", "jpy", "kwd"]));
    expect(rows.every((r) => r.reporting_currency === "usd")).toBe(true);
    const { rows: audits } = await listAuditEvents(ctx, { action: "records.export" }, 1, 1);
    expect(audits.at(0)).toMatchObject({ targetId: "gross_revenue", actorRole: "analyst" });
    expect(audits.at(0)?.after).toMatchObject({
      currency: "all",
      reporting_currency: "usd",
      rows: rows.length,
    });
  });
});
