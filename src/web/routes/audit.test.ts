import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestContext } from "../../../tests/support/context.ts";
import { createTestApp, signedInClient, type TestClient } from "../../../tests/support/http.ts";
import { audit, cliActor, listAuditEvents } from "../../audit/index.ts";
import type { AppEnv } from "../request-context.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
let admin: TestClient;

beforeAll(async () => {
  ({
    ctx,
    app,
    clients: { admin },
  } = await createTestApp(["admin"]));
  await ctx.db.transaction(async (tx) => {
    await audit(
      tx,
      cliActor,
      "order.fulfill",
      { type: "order", id: 41 },
      { status: "fulfilled" },
      null,
      new Date("2026-06-10T09:00:00Z"),
    );
    await audit(
      tx,
      cliActor,
      "order.fulfill",
      { type: "order", id: 42 },
      { status: "fulfilled" },
      null,
      new Date("2026-06-12T09:00:00Z"),
    );
    // A hostile value in a target id must come out of the CSV neutralised.
    await audit(
      tx,
      cliActor,
      "product.update",
      { type: "product", id: '=HYPERLINK("x")' },
      { name_changed: true },
      null,
      new Date("2026-06-12T10:00:00Z"),
    );
  });
});
afterAll(() => ctx.destroy());

describe("audit viewer", () => {
  it("filters by action and target and shows the chain status hook", async () => {
    const html = await (await admin.get("/audit?action=order.fulfill&targetType=order&targetId=42")).text();
    expect(html).toContain("order <code>42</code>");
    expect(html).not.toContain("order <code>41</code>");
    expect(html).toContain('hx-get="/audit/verify"');
    expect(html).toContain("1–1 of 1");
  });

  it("filters by an inclusive UTC date range", async () => {
    const html = await (await admin.get("/audit?action=order.fulfill&from=2026-06-10&to=2026-06-10")).text();
    expect(html).toContain("order <code>41</code>");
    expect(html).not.toContain("order <code>42</code>");
  });

  it("rejects a malformed date naming the field", async () => {
    const res = await admin.get("/audit?from=2026-13-01");
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("from: expected a date");
  });

  it("reports the hash chain as intact", async () => {
    const html = await (await admin.get("/audit/verify", { "hx-request": "true" })).text();
    expect(html).toContain('data-chain="ok"');
    expect(html).not.toContain("<html");
  });

  it("exports the filtered view as CSV, neutralises formulas, and audits the export", async () => {
    const res = await admin.get("/audit/export.csv?targetType=product");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "seq,at,actor_type,actor_id,actor_role,action,target_type,target_id,before,after,request_id,ip_hash,prev_hash,hash",
    );
    expect(lines).toHaveLength(2); // header + the one product event
    // RFC 4180: the neutralised value holds quotes, so it is quoted with doubled quotes.
    expect(lines[1]).toContain(`,"'=HYPERLINK(""x"")",`);
    const { rows } = await listAuditEvents(ctx, { action: "audit.export" });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.after).toEqual({ filter: { targetType: "product" }, rows: 1 });
  });

  it("does not include its own audit event in an unfiltered export", async () => {
    const before = (await listAuditEvents(ctx, {})).total;
    const text = await (await admin.get("/audit/export.csv")).text();
    expect(text.trimEnd().split("\r\n")).toHaveLength(before + 1);
  });

  it("is refused to an analyst", async () => {
    const { client } = await signedInClient(app, ctx, "analyst");
    expect((await client.get("/audit")).status).toBe(403);
    expect((await client.get("/audit/export.csv")).status).toBe(403);
  });
});
