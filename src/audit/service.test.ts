import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../testing/context.ts";
import { cliActor } from "./actor.ts";
import { audit, listAuditEvents, verifyAuditChain } from "./service.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

beforeEach(async () => {
  await ctx.db.execute(sql`DELETE FROM audit_log`);
  for (let i = 1; i <= 5; i++) {
    await audit(
      ctx.db,
      cliActor,
      `test.action${i % 2}`,
      { type: "order", id: i },
      { amount: i * 100 },
      null,
      new Date(Date.UTC(2026, 0, i)),
    );
  }
});

describe("audit chain", () => {
  it("verifies an untouched chain", async () => {
    expect(await verifyAuditChain(ctx.db)).toEqual({ ok: true, rows: 5, firstBreak: null });
  });

  it("detects an edited row and names it", async () => {
    await ctx.db.execute(sql`UPDATE audit_log SET after = '{"amount": 1}'::jsonb WHERE seq = 3`);
    const result = await verifyAuditChain(ctx.db);
    expect(result.ok).toBe(false);
    expect(result.firstBreak).toMatchObject({ seq: 3, problem: "hash_mismatch" });
  });

  it("detects a deleted row", async () => {
    await ctx.db.execute(sql`DELETE FROM audit_log WHERE seq = 2`);
    const result = await verifyAuditChain(ctx.db);
    expect(result.firstBreak).toMatchObject({ seq: 3, problem: "sequence_gap" });
  });

  it("detects a deleted last row only by count, so it reports a shorter chain", async () => {
    await ctx.db.execute(sql`DELETE FROM audit_log WHERE seq = 5`);
    // Truncating the tail keeps a valid prefix; the next append links to row 4 and stays verifiable.
    expect((await verifyAuditChain(ctx.db)).rows).toBe(4);
  });

  it("detects reordered rows", async () => {
    await ctx.db.execute(sql`UPDATE audit_log SET seq = -2 WHERE seq = 2`);
    await ctx.db.execute(sql`UPDATE audit_log SET seq = 2 WHERE seq = 4`);
    await ctx.db.execute(sql`UPDATE audit_log SET seq = 4 WHERE seq = -2`);
    const result = await verifyAuditChain(ctx.db);
    expect(result.ok).toBe(false);
    expect(result.firstBreak?.seq).toBe(2);
  });

  it("filters by action and target and paginates", async () => {
    const page = await listAuditEvents(ctx.db, { action: "test.action1" }, 1, 2);
    expect(page.total).toBe(3);
    expect(page.rows.map((r) => r.targetId)).toEqual(["5", "3"]);
    const byTarget = await listAuditEvents(ctx.db, { targetType: "order", targetId: "4" });
    expect(byTarget.rows).toHaveLength(1);
    const byDate = await listAuditEvents(ctx.db, {
      from: new Date("2026-01-02"),
      to: new Date("2026-01-04"),
    });
    expect(byDate.total).toBe(2);
  });

  it("keeps the chain linear under concurrent appends", async () => {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        ctx.db.transaction((tx) => audit(tx, cliActor, "concurrent", { type: "x", id: i })),
      ),
    );
    expect(await verifyAuditChain(ctx.db)).toMatchObject({ ok: true, rows: 15 });
  });
});
