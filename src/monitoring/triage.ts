import { eq } from "drizzle-orm";
import { z } from "zod";
import { type Actor, audit } from "../audit/index.ts";
import type { ServiceContext } from "../context.ts";
import { ConflictError, NotFoundError } from "../shared/errors.ts";
import { parseInput } from "../shared/validate.ts";
import { toIssue } from "./issues.ts";
import { dataQualityIssues } from "./schema.ts";
import type { Issue } from "./types.ts";

const triageInput = z.object({
  id: z.coerce.number().int().positive(),
  note: z.string().trim().min(1, "a note is required").max(2000),
});
export type TriageInput = z.input<typeof triageInput>;

/** An operator says the condition is fixed. A rerun that still finds it opens a new occurrence. */
export function resolveIssue(ctx: ServiceContext, input: TriageInput, actor: Actor): Promise<Issue> {
  return closeIssue(ctx, input, actor, "resolved");
}

/** An operator accepts a known condition: it stays out of the open count while it persists. */
export function ignoreIssue(ctx: ServiceContext, input: TriageInput, actor: Actor): Promise<Issue> {
  return closeIssue(ctx, input, actor, "ignored");
}

async function closeIssue(
  ctx: ServiceContext,
  raw: TriageInput,
  actor: Actor,
  to: "resolved" | "ignored",
): Promise<Issue> {
  const input = parseInput(triageInput, raw);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(dataQualityIssues)
      .where(eq(dataQualityIssues.id, input.id))
      .for("update");
    if (!row) throw new NotFoundError("Issue");
    if (row.status !== "open") {
      throw new ConflictError("issue.not_open", `Issue ${row.id} is ${row.status}, not open`);
    }
    const [updated] = await tx
      .update(dataQualityIssues)
      .set({ status: to, resolvedAt: now, resolvedBy: actor.id ?? actor.type, resolutionNote: input.note })
      .where(eq(dataQualityIssues.id, row.id))
      .returning();
    // The note is free text an operator wrote; the audit keeps only its length (no PII risk).
    await audit(
      tx,
      actor,
      to === "resolved" ? "monitoring.issue.resolve" : "monitoring.issue.ignore",
      { type: "data_quality_issue", id: row.id },
      { status: to, check: row.check, fingerprint: row.fingerprint, noteLength: input.note.length },
      { status: row.status },
      now,
    );
    return toIssue(updated!);
  });
}
