import { and, eq } from "drizzle-orm";
import { expect } from "vitest";
import { checksRun } from "../../src/cli/checks.ts";
import { dataQualityIssues } from "../../src/monitoring/schema.ts";
import type { TestContext } from "./context.ts";

/** `checks run --check NAME --fail-on-issues`: the CI gate on one check. */
export async function gate(ctx: TestContext, check: string): Promise<number> {
  const { exitCode } = await checksRun(ctx, { check, failOnIssues: true });
  return exitCode;
}

export async function issueOf(ctx: TestContext, check: string, fingerprint: string) {
  const rows = await ctx.db
    .select()
    .from(dataQualityIssues)
    .where(and(eq(dataQualityIssues.check, check), eq(dataQualityIssues.fingerprint, fingerprint)))
    .orderBy(dataQualityIssues.id);
  return rows.at(-1);
}

/** The acceptance workflow: bad condition → exit 1 and the issue open; fix → exit 0 and resolved by system. */
export async function expectFailThenPass(
  ctx: TestContext,
  check: string,
  fingerprint: string,
  fix: () => Promise<unknown>,
): Promise<Record<string, unknown>> {
  expect(await gate(ctx, check)).toBe(1);
  const open = await issueOf(ctx, check, fingerprint);
  expect(open?.status).toBe("open");
  await fix();
  expect(await gate(ctx, check)).toBe(0);
  const after = await issueOf(ctx, check, fingerprint);
  expect(after).toMatchObject({ id: open!.id, status: "resolved", resolvedBy: "system" });
  return open!.details as Record<string, unknown>;
}
