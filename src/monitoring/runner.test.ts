import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { auditLog } from "../audit/schema.ts";
import { ignoreIssue, listIssues, resolveIssue, runChecks } from "./index.ts";
import { dataQualityIssues } from "./schema.ts";
import type { Check, Finding } from "./types.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

/** A check whose findings the test controls. */
function fakeCheck(name: string, findings: () => Finding[] | Promise<Finding[]>): Check {
  return { name, description: name, severity: "warning", fix: "n/a", run: async () => findings() };
}
const finding = (fingerprint: string): Finding => ({
  fingerprint,
  title: `bad ${fingerprint}`,
  details: { id: fingerprint },
});
const rowsOf = (check: string) =>
  ctx.db
    .select()
    .from(dataQualityIssues)
    .where(eq(dataQualityIssues.check, check))
    .orderBy(dataQualityIssues.id);
const user = { type: "user", id: "7", role: "ops", requestId: "req-1" } as const;

describe("runChecks", () => {
  it("updates an open issue on rerun instead of duplicating it, then resolves it by system", async () => {
    let current = [finding("order:1")];
    const check = fakeCheck("lifecycle", () => current);
    await runChecks(ctx, { checks: [check] });
    ctx.clock.advance(60_000);
    await runChecks(ctx, { checks: [check] });
    let rows = await rowsOf("lifecycle");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "open", occurrences: 2, severity: "warning" });
    expect(rows[0]!.lastSeen.getTime() - rows[0]!.firstSeen.getTime()).toBe(60_000);

    current = [];
    const summary = await runChecks(ctx, { checks: [check] });
    rows = await rowsOf("lifecycle");
    expect(rows[0]).toMatchObject({ status: "resolved", resolvedBy: "system" });
    expect(summary.openTotal).toBe(0);
    expect(summary.outcomes[0]).toMatchObject({ ok: true, autoResolved: 1 });
  });

  it("reopens a resolved condition as a new occurrence (a new row)", async () => {
    let current = [finding("order:9")];
    const check = fakeCheck("reopen", () => current);
    await runChecks(ctx, { checks: [check] });
    current = [];
    await runChecks(ctx, { checks: [check] });
    current = [finding("order:9")];
    await runChecks(ctx, { checks: [check] });
    const rows = await rowsOf("reopen");
    expect(rows.map((r) => [r.status, r.occurrences])).toEqual([
      ["resolved", 1],
      ["open", 1],
    ]);
  });

  it("records a throwing check as a critical issue and still runs the others", async () => {
    const broken = fakeCheck("broken", () => {
      throw new Error("relation does not exist");
    });
    const fine = fakeCheck("fine-after-broken", () => [finding("x:1")]);
    const summary = await runChecks(ctx, { checks: [broken, fine] });
    expect(summary.outcomes.map((o) => [o.check, o.ok])).toEqual([
      ["broken", false],
      ["fine-after-broken", true],
    ]);
    const [error] = await rowsOf("broken");
    expect(error).toMatchObject({ fingerprint: "check-error", severity: "critical", status: "open" });
    expect(error!.details).toEqual({ error: "relation does not exist" });
    expect(await rowsOf("fine-after-broken")).toHaveLength(1);
    expect(summary.openTotal).toBe(2);
  });

  it("keeps a check's other issues open while it throws, and resolves check-error once it runs", async () => {
    let mode: "find" | "throw" | "clean" = "find";
    const check = fakeCheck("flaky", () => {
      if (mode === "throw") throw new Error("timeout");
      return mode === "find" ? [finding("a:1")] : [];
    });
    await runChecks(ctx, { checks: [check] });
    mode = "throw";
    await runChecks(ctx, { checks: [check] });
    let rows = await rowsOf("flaky");
    expect(rows.map((r) => [r.fingerprint, r.status])).toEqual([
      ["a:1", "open"],
      ["check-error", "open"],
    ]);
    mode = "clean";
    await runChecks(ctx, { checks: [check] });
    rows = await rowsOf("flaky");
    expect(rows.every((r) => r.status === "resolved" && r.resolvedBy === "system")).toBe(true);
  });

  it("never duplicates an issue when two runs record the same finding at once (worker + CLI)", async () => {
    // On Postgres the two runs use separate pooled connections; the per-check advisory lock and
    // the unique index on active (check, fingerprint) keep one row.
    const check = fakeCheck("concurrent", () => [finding("order:77")]);
    await Promise.all([runChecks(ctx, { checks: [check] }), runChecks(ctx, { checks: [check] })]);
    const rows = await rowsOf("concurrent");
    expect(rows.map((r) => [r.status, r.occurrences])).toEqual([["open", 2]]);
  });

  it("rejects an unknown --check name", async () => {
    await expect(runChecks(ctx, { check: "no-such-check" })).rejects.toThrow(/unknown check/);
  });
});

describe("resolve and ignore", () => {
  it("resolves an open issue with a note, audited, and a recurrence opens a new row", async () => {
    const check = fakeCheck("manual", () => [finding("order:5")]);
    await runChecks(ctx, { checks: [check] });
    const [issue] = await rowsOf("manual");
    const resolved = await resolveIssue(ctx, { id: issue!.id, note: "refund replayed" }, user);
    expect(resolved).toMatchObject({
      status: "resolved",
      resolvedBy: "7",
      resolutionNote: "refund replayed",
    });
    const [event] = await ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "monitoring.issue.resolve"), eq(auditLog.targetId, String(issue!.id))));
    expect(event).toMatchObject({ actorType: "user", actorId: "7", targetType: "data_quality_issue" });
    expect(event!.before).toEqual({ status: "open" });

    await runChecks(ctx, { checks: [check] });
    expect((await rowsOf("manual")).map((r) => r.status)).toEqual(["resolved", "open"]);
  });

  it("ignores an issue: it stays ignored while the condition persists and is not counted open", async () => {
    let current = [finding("sub:1")];
    const check = fakeCheck("ignorable", () => current);
    await runChecks(ctx, { checks: [check] });
    const [issue] = await rowsOf("ignorable");
    await ignoreIssue(ctx, { id: issue!.id, note: "known test-mode artefact" }, user);
    const rerun = await runChecks(ctx, { checks: [check] });
    expect(rerun.openTotal).toBe(0);
    let rows = await rowsOf("ignorable");
    expect(rows.map((r) => [r.status, r.occurrences])).toEqual([["ignored", 2]]);
    const audited = await ctx.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "monitoring.issue.ignore"));
    expect(audited).toHaveLength(1);

    current = [];
    await runChecks(ctx, { checks: [check] });
    rows = await rowsOf("ignorable");
    expect(rows[0]).toMatchObject({
      status: "resolved",
      resolvedBy: "system",
      resolutionNote: "known test-mode artefact",
    });
  });

  it("requires a note and refuses to resolve an issue that is not open", async () => {
    const check = fakeCheck("strict", () => [finding("o:1")]);
    await runChecks(ctx, { checks: [check] });
    const [issue] = await rowsOf("strict");
    await expect(resolveIssue(ctx, { id: issue!.id, note: "  " }, user)).rejects.toThrow(/note/);
    await resolveIssue(ctx, { id: issue!.id, note: "done" }, user);
    await expect(ignoreIssue(ctx, { id: issue!.id, note: "again" }, user)).rejects.toThrow(/not open/);
    await expect(resolveIssue(ctx, { id: 999_999, note: "x" }, user)).rejects.toThrow(/not found/);
  });

  it("lists issues filtered by status, check and severity", async () => {
    const page = await listIssues(ctx, { check: "broken", severity: "critical", status: "open" });
    expect(page.total).toBe(1);
    expect(page.items[0]!.fingerprint).toBe("check-error");
    expect((await listIssues(ctx, { check: "broken", severity: "info" })).total).toBe(0);
  });
});
