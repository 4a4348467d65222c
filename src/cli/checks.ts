import type { Command } from "commander";
import { z } from "zod";
import { cliActor } from "../audit/index.ts";
import type { AppContext } from "../context.ts";
import { CHECKS, type RunSummary, runChecks } from "../monitoring/index.ts";
import { EXIT_FAILURE, EXIT_OK, fail, parseFlags, printJson, printTable, withContext } from "./run.ts";

const runFlags = z.object({
  check: z.string().min(1).optional(),
  failOnIssues: z.boolean().optional(),
  json: z.boolean().optional(),
});
export type ChecksRunFlags = z.infer<typeof runFlags>;

/** `checks run` without the process around it: the summary and the exit code the flags call for. */
export async function checksRun(
  ctx: AppContext,
  flags: ChecksRunFlags,
): Promise<{ exitCode: number; summary: RunSummary }> {
  const summary = await runChecks(ctx, { check: flags.check, actor: cliActor });
  const exitCode = flags.failOnIssues && summary.openTotal > 0 ? EXIT_FAILURE : EXIT_OK;
  return { exitCode, summary };
}

export function registerChecks(program: Command): void {
  const checks = program.command("checks").description("data-quality checks and their issues");

  checks
    .command("run")
    .description("run the checks, open/update/resolve issues, print open issues per check")
    .option("--check <name>", "run only this check (see `checks list`)")
    .option("--fail-on-issues", "exit 1 when any open issue remains (CI gate)")
    .option("--json", "print the run summary as JSON")
    .action(async (raw) => {
      const flags = parseFlags(runFlags, raw);
      await withContext(async (ctx) => {
        const { exitCode, summary } = await checksRun(ctx, flags);
        if (flags.json) printJson(summary);
        else printSummary(summary);
        if (exitCode !== EXIT_OK) fail(`${summary.openTotal} open data-quality issue(s)`, exitCode);
      });
    });

  checks
    .command("list")
    .description("describe each check: what it looks for, its severity, how to fix what it finds")
    .option("--json", "print as JSON")
    .action((opts: { json?: boolean }) => {
      const rows = CHECKS.map((c) => ({
        name: c.name,
        severity: c.severity,
        description: c.description,
        fix: c.fix,
      }));
      if (opts.json) printJson(rows);
      else printTable(rows, ["name", "severity", "description"]);
    });
}

function printSummary(summary: RunSummary): void {
  for (const o of summary.outcomes) {
    const state = o.ok ? "ok" : `FAILED (${o.error})`;
    process.stdout.write(
      `${o.check}: ${state}; ${o.findings} finding(s), ${o.opened} opened, ${o.updated} still open, ${o.autoResolved} resolved\n`,
    );
  }
  process.stdout.write("\n");
  if (summary.openTotal === 0) {
    process.stdout.write("no open data-quality issues\n");
    return;
  }
  printTable(summary.open, ["check", "severity", "count", "example"]);
}
