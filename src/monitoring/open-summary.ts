import { and, asc, eq, inArray } from "drizzle-orm";
import type { ServiceContext } from "../context.ts";
import { dataQualityIssues } from "./schema.ts";
import type { RunSummary, Severity } from "./types.ts";

const RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** Open issues grouped by check and severity, with one example title each (the CLI's table). */
export async function openIssueSummary(
  ctx: Pick<ServiceContext, "db">,
  checks: string[],
): Promise<RunSummary["open"]> {
  if (checks.length === 0) return [];
  const rows = await ctx.db
    .select({
      check: dataQualityIssues.check,
      severity: dataQualityIssues.severity,
      title: dataQualityIssues.title,
    })
    .from(dataQualityIssues)
    .where(and(eq(dataQualityIssues.status, "open"), inArray(dataQualityIssues.check, checks)))
    .orderBy(asc(dataQualityIssues.id));
  const groups = new Map<string, RunSummary["open"][number]>();
  for (const row of rows) {
    const key = `${row.check}\u0000${row.severity}`;
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { check: row.check, severity: row.severity, count: 1, example: row.title });
  }
  return [...groups.values()].sort(
    (a, b) => a.check.localeCompare(b.check) || RANK[a.severity] - RANK[b.severity],
  );
}
