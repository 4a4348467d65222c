import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { cliActor } from "./actor.ts";
import { hashAuditRow } from "./chain.ts";
import { auditLog } from "./schema.ts";
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
    const [last] = await ctx.db.select().from(auditLog).where(sql`seq = 5`);
    expect(await verifyAuditChain(ctx)).toEqual({
      ok: true,
      rows: 5,
      firstBreak: null,
      lastSeq: 5,
      lastHash: last!.hash,
    });
  });

  it("reports the last row's seq and hash, and none for an empty chain", async () => {
    const result = await verifyAuditChain(ctx, { pageSize: 2 });
    expect(result).toMatchObject({ ok: true, rows: 5, lastSeq: 5 });
    expect(result.lastHash).toMatch(/^[0-9a-f]{64}$/);
    const seq = await audit(ctx.db, cliActor, "test.next", { type: "x" });
    const next = await verifyAuditChain(ctx);
    expect(next.lastSeq).toBe(seq);
    const [row] = await ctx.db.select().from(auditLog).where(sql`seq = ${seq}`);
    expect(row!.prevHash).toBe(result.lastHash);
    expect(next.lastHash).toBe(row!.hash);
    await ctx.db.execute(sql`DELETE FROM audit_log`);
    expect(await verifyAuditChain(ctx)).toEqual({
      ok: true,
      rows: 0,
      firstBreak: null,
      lastSeq: null,
      lastHash: null,
    });
  });

  it("detects an edited row and names it", async () => {
    await ctx.db.execute(sql`UPDATE audit_log SET after = '{"amount": 1}'::jsonb WHERE seq = 3`);
    const result = await verifyAuditChain(ctx);
    expect(result.ok).toBe(false);
    expect(result.firstBreak).toMatchObject({ seq: 3, problem: "hash_mismatch" });
  });

  it("detects a deleted row", async () => {
    await ctx.db.execute(sql`DELETE FROM audit_log WHERE seq = 2`);
    const result = await verifyAuditChain(ctx);
    expect(result.firstBreak).toMatchObject({ seq: 3, problem: "sequence_gap" });
  });

  it("detects a deleted last row only by count, so it reports a shorter chain", async () => {
    await ctx.db.execute(sql`DELETE FROM audit_log WHERE seq = 5`);
    // Truncating the tail keeps a valid prefix; the next append links to row 4 and stays verifiable.
    expect((await verifyAuditChain(ctx)).rows).toBe(4);
  });

  it("passes a chain cut off at the end, but fails the anchor recorded before the cut, naming it", async () => {
    const before = await verifyAuditChain(ctx);
    await ctx.db.execute(sql`DELETE FROM audit_log WHERE seq >= 4`);
    // Documented limitation: a valid prefix verifies on its own.
    expect(await verifyAuditChain(ctx)).toMatchObject({ ok: true, rows: 3, lastSeq: 3 });
    const anchored = await verifyAuditChain(ctx, {
      anchor: { hash: before.lastHash!, seq: before.lastSeq! },
      pageSize: 2,
    });
    expect(anchored).toMatchObject({
      ok: false,
      firstBreak: null,
      lastSeq: 3,
      anchor: { ok: false, seq: 5, problem: "anchor_missing" },
    });
    expect(anchored.anchor!.message).toContain("anchor row #5 is missing");
    expect(anchored.anchor!.message).toContain("ends at #3");
    // The hash alone is enough to notice too.
    const byHash = await verifyAuditChain(ctx, { anchor: { hash: before.lastHash! } });
    expect(byHash).toMatchObject({ ok: false, anchor: { ok: false, problem: "anchor_not_found" } });
    expect(byHash.anchor!.message).toContain(before.lastHash!);
  });

  it("fails the anchor when the cut rows are replaced by new appends", async () => {
    const before = await verifyAuditChain(ctx);
    await ctx.db.execute(sql`DELETE FROM audit_log WHERE seq >= 4`);
    await audit(ctx.db, cliActor, "test.replacement", { type: "order", id: 4 });
    await audit(ctx.db, cliActor, "test.replacement", { type: "order", id: 5 });
    expect(await verifyAuditChain(ctx)).toMatchObject({ ok: true, rows: 5, lastSeq: 5 });
    const anchored = await verifyAuditChain(ctx, { anchor: { hash: before.lastHash!, seq: 5 } });
    expect(anchored).toMatchObject({ ok: false, anchor: { seq: 5, problem: "anchor_mismatch" } });
    expect(anchored.anchor!.message).toContain("anchor row #5 has hash");
  });

  it("fails an anchor whose row was altered, edited in place or rewritten consistently", async () => {
    const [row3] = await ctx.db.select().from(auditLog).where(sql`seq = 3`);
    const anchor = { hash: row3!.hash, seq: 3 };
    await ctx.db.execute(sql`UPDATE audit_log SET after = '{"amount": 1}'::jsonb WHERE seq = 3`);
    expect(await verifyAuditChain(ctx, { anchor })).toMatchObject({
      ok: false,
      firstBreak: { seq: 3, problem: "hash_mismatch" },
    });
    // A superuser recomputes rows 3..5 so the chain verifies again: only the anchor notices.
    const rows = await ctx.db.select().from(auditLog).where(sql`seq >= 3`).orderBy(auditLog.seq);
    let prevHash = (await ctx.db.select().from(auditLog).where(sql`seq = 2`))[0]!.hash;
    for (const row of rows) {
      const hash = hashAuditRow({ ...row, prevHash });
      await ctx.db.execute(
        sql`UPDATE audit_log SET prev_hash = ${prevHash}, hash = ${hash} WHERE seq = ${row.seq}`,
      );
      prevHash = hash;
    }
    expect((await verifyAuditChain(ctx)).ok).toBe(true);
    const anchored = await verifyAuditChain(ctx, { anchor });
    expect(anchored).toMatchObject({
      ok: false,
      firstBreak: null,
      anchor: { seq: 3, problem: "anchor_mismatch" },
    });
    expect(anchored.anchor!.message).toContain(`not the recorded ${row3!.hash}`);
    expect((await verifyAuditChain(ctx, { anchor: { hash: row3!.hash } })).anchor?.problem).toBe(
      "anchor_not_found",
    );
  });

  it("passes an anchor the chain still holds, also after later appends", async () => {
    const before = await verifyAuditChain(ctx);
    const anchor = { hash: before.lastHash!, seq: before.lastSeq! };
    expect(await verifyAuditChain(ctx, { anchor })).toMatchObject({
      ok: true,
      anchor: { ok: true, seq: 5, problem: null },
    });
    await audit(ctx.db, cliActor, "test.later", { type: "x" });
    await audit(ctx.db, cliActor, "test.later", { type: "x" });
    expect(await verifyAuditChain(ctx, { anchor, pageSize: 2 })).toMatchObject({
      ok: true,
      rows: 7,
      lastSeq: 7,
      anchor: { ok: true, seq: 5 },
    });
    expect(await verifyAuditChain(ctx, { anchor: { hash: anchor.hash } })).toMatchObject({
      ok: true,
      anchor: { ok: true, seq: 5 },
    });
    // The right hash at the wrong seq is not the anchor.
    expect(await verifyAuditChain(ctx, { anchor: { ...anchor, seq: 4 } })).toMatchObject({
      ok: false,
      anchor: { problem: "anchor_mismatch" },
    });
  });

  it("detects reordered rows", async () => {
    await ctx.db.execute(sql`UPDATE audit_log SET seq = -2 WHERE seq = 2`);
    await ctx.db.execute(sql`UPDATE audit_log SET seq = 2 WHERE seq = 4`);
    await ctx.db.execute(sql`UPDATE audit_log SET seq = 4 WHERE seq = -2`);
    const result = await verifyAuditChain(ctx);
    expect(result.ok).toBe(false);
    expect(result.firstBreak?.seq).toBe(2);
  });

  it("filters by action and target and paginates", async () => {
    const page = await listAuditEvents(ctx, { action: "test.action1" }, 1, 2);
    expect(page.total).toBe(3);
    expect(page.rows.map((r) => r.targetId)).toEqual(["5", "3"]);
    const byTarget = await listAuditEvents(ctx, { targetType: "order", targetId: "4" });
    expect(byTarget.rows).toHaveLength(1);
    const byDate = await listAuditEvents(ctx, {
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
    expect(await verifyAuditChain(ctx)).toMatchObject({ ok: true, rows: 15 });
  });
});
