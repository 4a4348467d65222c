import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestContext } from "../../../tests/support/context.ts";
import { createTestApp, signedInClient } from "../../../tests/support/http.ts";
import type { AppEnv } from "../request-context.ts";
import { Markdown } from "../views/markdown.tsx";

let ctx: TestContext;
let app: Hono<AppEnv>;

beforeAll(async () => {
  ({ ctx, app } = await createTestApp());
});
afterAll(() => ctx.destroy());

describe("KPI definitions page", () => {
  it("is served to any signed-in user and sends visitors to the login form", async () => {
    const { client } = await signedInClient(app, ctx, "analyst");
    const res = await client.get("/docs/kpis");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("KPI definitions");
    expect((await app.request("/docs/kpis", { redirect: "manual" })).status).toBe(302);
  });

  it("anchors a KPI key in a table row or heading so cards can link to it, and escapes HTML", () => {
    const html = String(
      Markdown({
        source:
          "## `mrr`: monthly\n\n_Example_: net_revenue stays\n\n| KPI | definition |\n| --- | --- |\n| `net_revenue` | gross − refunds <b> |\n",
      }),
    );
    expect(html).toContain('<h2 id="mrr">');
    expect(html).toContain('<tr id="net_revenue">');
    expect(html).toContain("&lt;b&gt;");
    expect(html).toContain("<em>Example</em>: net_revenue stays");
  });
});
