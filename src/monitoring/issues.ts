import { and, count, desc, eq, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../context.ts";
import { NotFoundError } from "../shared/errors.ts";
import { dataQualityIssues } from "./schema.ts";
import type { Issue, IssueFilter, IssuePage, Page, Severity } from "./types.ts";

/** Issues newest first (by last seen), filtered by status, check and severity. */
export async function listIssues(
  ctx: Pick<ServiceContext, "db">,
  filter: IssueFilter = {},
  page: Page = { page: 1, pageSize: 50 },
): Promise<IssuePage> {
  const where = whereOf(filter);
  const pageSize = Math.min(Math.max(page.pageSize, 1), 200);
  const pageNo = Math.max(page.page, 1);
  const rows = await ctx.db
    .select()
    .from(dataQualityIssues)
    .where(where)
    .orderBy(desc(dataQualityIssues.lastSeen), desc(dataQualityIssues.id))
    .limit(pageSize)
    .offset((pageNo - 1) * pageSize);
  const [total] = await ctx.db.select({ n: count() }).from(dataQualityIssues).where(where);
  return { items: rows.map(toIssue), total: Number(total?.n ?? 0), page: pageNo, pageSize };
}

export async function getIssue(ctx: Pick<ServiceContext, "db">, id: number): Promise<Issue> {
  const [row] = await ctx.db.select().from(dataQualityIssues).where(eq(dataQualityIssues.id, id));
  if (!row) throw new NotFoundError("Issue");
  return toIssue(row);
}

/** Open issues per severity, every severity present (0 when none): the ops dashboard's counters. */
export async function countOpenIssuesBySeverity(
  ctx: Pick<ServiceContext, "db">,
): Promise<Record<Severity, number>> {
  const rows = await ctx.db
    .select({ severity: dataQualityIssues.severity, n: count() })
    .from(dataQualityIssues)
    .where(eq(dataQualityIssues.status, "open"))
    .groupBy(dataQualityIssues.severity);
  const counts: Record<Severity, number> = { info: 0, warning: 0, critical: 0 };
  for (const row of rows) counts[row.severity] = Number(row.n);
  return counts;
}

function whereOf(filter: IssueFilter): SQL | undefined {
  const conditions: SQL[] = [];
  if (filter.status) conditions.push(eq(dataQualityIssues.status, filter.status));
  if (filter.check) conditions.push(eq(dataQualityIssues.check, filter.check));
  if (filter.severity) conditions.push(eq(dataQualityIssues.severity, filter.severity));
  return conditions.length ? and(...conditions) : undefined;
}

export function toIssue(row: typeof dataQualityIssues.$inferSelect): Issue {
  return { ...row, details: (row.details ?? {}) as Record<string, unknown> };
}
