import { and, eq, inArray, sql } from "drizzle-orm";
import type { Actor } from "../audit/index.ts";
import type { ServiceContext } from "../context.ts";
import type { Db } from "../db/client.ts";
import { ValidationError } from "../shared/errors.ts";
import { CHECKS } from "./checks/index.ts";
import { openIssueSummary } from "./open-summary.ts";
import { dataQualityIssues } from "./schema.ts";
import type { Check, CheckOutcome, Finding, RunSummary } from "./types.ts";

/** Serialises runs of the same check (worker and CLI at once) so upserts never race. */
const CHECK_RUN_LOCK = 7_240_007;
export const CHECK_ERROR_FINGERPRINT = "check-error";

export interface RunOptions {
  /** Run only this check (by name). */
  check?: string;
  /** Replaces the registry (tests). */
  checks?: readonly Check[];
  /** Who asked for the run (logged; the issue changes a run makes are the system's). */
  actor?: Actor;
}

/**
 * Run the checks and reconcile their findings with the issue table: a finding updates its active
 * issue or opens a new one; an active issue whose condition is gone is resolved by `system`. A check
 * that throws becomes one critical `check-error` issue and leaves its other issues as they were.
 */
export async function runChecks(ctx: ServiceContext, options: RunOptions = {}): Promise<RunSummary> {
  const registry = options.checks ?? CHECKS;
  const selected = options.check ? registry.filter((c) => c.name === options.check) : registry;
  if (options.check && selected.length === 0) {
    throw new ValidationError(
      `unknown check "${options.check}" (one of ${registry.map((c) => c.name).join(", ")})`,
      "check",
    );
  }
  const ranAt = ctx.clock.now();
  const outcomes: CheckOutcome[] = [];
  for (const check of selected) {
    let findings: Finding[];
    let error: string | undefined;
    try {
      findings = await check.run({ ...ctx, now: ranAt });
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
      ctx.logger.error({ check: check.name, err }, "data-quality check failed");
      findings = [checkErrorFinding(check, error)];
    }
    const counts = await recordFindings(ctx, check, findings, ranAt, error === undefined);
    outcomes.push({
      check: check.name,
      ok: error === undefined,
      error,
      findings: findings.length,
      ...counts,
    });
  }
  const open = await openIssueSummary(
    ctx,
    selected.map((c) => c.name),
  );
  const openTotal = open.reduce((n, o) => n + o.count, 0);
  ctx.logger.info(
    { by: options.actor?.type ?? "system", checks: outcomes.length, openTotal },
    "data-quality checks ran",
  );
  return { ranAt, outcomes, open, openTotal };
}

function checkErrorFinding(check: Check, message: string): Finding {
  return {
    fingerprint: CHECK_ERROR_FINGERPRINT,
    title: `The ${check.name} check failed to run`,
    // Error messages from SQL or code carry no customer data; cut long ones.
    details: { error: message.slice(0, 500) },
    severity: "critical",
  };
}

export async function recordFindings(
  ctx: Pick<ServiceContext, "db">,
  check: Check,
  findings: Finding[],
  now: Date,
  completed: boolean,
): Promise<Pick<CheckOutcome, "opened" | "updated" | "autoResolved">> {
  return ctx.db.transaction(async (tx) => {
    await lockCheckIssues(tx, check.name);
    const active = await tx
      .select()
      .from(dataQualityIssues)
      .where(
        and(eq(dataQualityIssues.check, check.name), inArray(dataQualityIssues.status, ["open", "ignored"])),
      );
    const byFingerprint = new Map(active.map((row) => [row.fingerprint, row]));
    const seen = new Set<string>();
    let opened = 0;
    let updated = 0;
    for (const finding of findings) {
      if (seen.has(finding.fingerprint)) continue;
      seen.add(finding.fingerprint);
      const current = byFingerprint.get(finding.fingerprint);
      const severity = finding.severity ?? check.severity;
      if (current) {
        await tx
          .update(dataQualityIssues)
          .set({
            lastSeen: now,
            occurrences: sql`${dataQualityIssues.occurrences} + 1`,
            title: finding.title,
            details: finding.details,
            severity,
          })
          .where(eq(dataQualityIssues.id, current.id));
        updated++;
      } else {
        await tx.insert(dataQualityIssues).values({
          check: check.name,
          fingerprint: finding.fingerprint,
          severity,
          title: finding.title,
          details: finding.details,
          status: "open",
          firstSeen: now,
          lastSeen: now,
        });
        opened++;
      }
    }
    // A check that threw says nothing about its other conditions: leave them as they are. An issue
    // seen after this run read its data (raised at once by the inbox meanwhile) is newer than the run.
    const gone = completed
      ? active.filter((row) => !seen.has(row.fingerprint) && row.lastSeen.getTime() <= now.getTime())
      : [];
    for (const row of gone) {
      await tx
        .update(dataQualityIssues)
        .set({ status: "resolved", resolvedAt: now, resolvedBy: "system" })
        .where(eq(dataQualityIssues.id, row.id));
    }
    return { opened, updated, autoResolved: gone.length };
  });
}

/** Serialises a change to one check's issues with that check's runs (inside the caller's transaction). */
export async function lockCheckIssues(tx: Db, checkName: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${CHECK_RUN_LOCK}, ${hashName(checkName)})`);
}

/** A 32-bit key per check name for the second half of the advisory lock. */
function hashName(name: string): number {
  let h = 0;
  for (const ch of name) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}
