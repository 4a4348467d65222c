import { z } from "zod";
import { addDays } from "../../analytics/core/periods.ts";
import type { AuditFilter } from "../../audit/index.ts";
import { daySchema } from "../../shared/dates.ts";
import { parseInput } from "../../shared/validate.ts";

const text = z.string().trim().max(120).optional();
/** An empty field means no bound; anything else is a day in the supported range. */
const day = z.preprocess(
  (s) => (typeof s === "string" && s.trim() === "" ? undefined : s),
  daySchema.optional(),
);

const querySchema = z.object({
  actor: text,
  action: text,
  targetType: text,
  targetId: text,
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).max(100_000).optional(),
});

/** The filter form as typed by the user (echoed back into the inputs). */
export type AuditQuery = z.infer<typeof querySchema>;

export function parseAuditQuery(query: Record<string, string | undefined>): AuditQuery {
  return parseInput(querySchema, query);
}

/** Days are whole UTC days, both ends inclusive (`to` becomes the start of the next day). */
export function toAuditFilter(q: AuditQuery): AuditFilter {
  return {
    actorId: q.actor || undefined,
    action: q.action || undefined,
    targetType: q.targetType || undefined,
    targetId: q.targetId || undefined,
    from: q.from ? new Date(`${q.from}T00:00:00Z`) : undefined,
    to: q.to ? new Date(`${addDays(q.to, 1)}T00:00:00Z`) : undefined,
  };
}

/** The same filter as a query string (for pagination and the CSV link). */
export function auditQueryString(q: AuditQuery, page?: number): string {
  const params = new URLSearchParams();
  for (const key of ["actor", "action", "targetType", "targetId", "from", "to"] as const) {
    const value = q[key];
    if (value) params.set(key, value);
  }
  if (page && page > 1) params.set("page", String(page));
  const s = params.toString();
  return s ? `?${s}` : "";
}
