import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestContext } from "../../../tests/support/context.ts";
import { loadFxDocExample } from "../../../tests/support/fx-doc-example.ts";
import { createTestApp, signedInClient, type TestClient } from "../../../tests/support/http.ts";
import { buildSnapshots } from "../../analytics/index.ts";
import { cliActor } from "../../audit/index.ts";
import type { AppEnv } from "../request-context.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
let analyst: TestClient;
const WEEK = "preset=custom&from=2026-03-02&to=2026-03-08";

beforeAll(async () => {
  ({ ctx, app } = await createTestApp([], {
    now: "2026-03-10T12:00:00Z",
    env: { REPORTING_CURRENCY: "usd" },
  }));
  await loadFxDocExample(ctx.db);
  await buildSnapshots(ctx, { from: "2026-02-01", to: "2026-03-09", timezone: "UTC" }, cliActor);
  ({ client: analyst } = await signedInClient(app, ctx, "analyst"));
});
afterAll(() => ctx.destroy());

function card(html: string, key: string): string {
  const m = new RegExp(`data-kpi="${key}"[\\s\\S]*?data-value="[^"]*">([^<]*)</a>`).exec(html);
  return m?.[1] ?? "(missing)";
}

describe("executive dashboard, all currencies", () => {
  it("defaults to All currencies (in USD) when the period has several, with the converted figures", async () => {
    const res = await analyst.get(`/dashboard?${WEEK}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<option value="all" selected="">All currencies \(in USD\)<\/option>/);
    // The worked example of the KPI docs: 12762 cents gross, MRR 5500.
    expect(card(html, "gross_revenue")).toBe("$127.62");
    expect(card(html, "mrr")).toBe("$55.00");
    expect(html).toContain("converted into USD");
    expect(html).not.toContain("/records/gross_revenue");
  });

  it("keeps one currency when it is chosen, and offers All currencies beside it", async () => {
    const html = await (await analyst.get(`/dashboard?${WEEK}&currency=jpy`)).text();
    expect(card(html, "gross_revenue")).toBe("¥3,000");
    expect(html).toMatch(/<option value="all">All currencies \(in USD\)<\/option>/);
  });

  it("shows a missing rate as an empty figure and names the pair, the days and the import command", async () => {
    const html = await (
      await analyst.get("/dashboard?preset=custom&from=2026-02-20&to=2026-02-22&currency=all")
    ).text();
    expect(card(html, "mrr")).toBe("—");
    expect(html).toContain("Exchange rates missing");
    expect(html).toContain("JPY/USD: 4 day(s), 2026-02-19 to 2026-02-22");
    expect(html).toContain("revintel fx import");
  });
});
