import { and, desc, eq, inArray, or } from "drizzle-orm";
import type { ServiceContext } from "../context.ts";
import { auditLog } from "./schema.ts";

export type AuditRow = typeof auditLog.$inferSelect;

/**
 * Audit events whose target is one of `targets` (a type and its ids), newest first, at most
 * `limit`: each type is one read of the (target type, target id) index.
 */
export async function auditEventsAbout(
  ctx: ServiceContext,
  targets: ReadonlyArray<{ type: string; ids: ReadonlyArray<string | number> }>,
  limit: number,
): Promise<AuditRow[]> {
  const conditions = targets
    .filter((t) => t.ids.length > 0)
    .map((t) =>
      and(
        eq(auditLog.targetType, t.type),
        inArray(
          auditLog.targetId,
          t.ids.map((id) => String(id)),
        ),
      ),
    );
  if (conditions.length === 0) return [];
  return ctx.readDb
    .select()
    .from(auditLog)
    .where(or(...conditions))
    .orderBy(desc(auditLog.seq))
    .limit(limit);
}
