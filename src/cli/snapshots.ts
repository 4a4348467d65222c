import type { Command } from "commander";
import { z } from "zod";
import { addDays, dayOf } from "../analytics/core/periods.ts";
import { buildSnapshots } from "../analytics/index.ts";
import { cliActor } from "../audit/index.ts";
import { DAY_FLAG_HELP, daySchema } from "../shared/dates.ts";
import { createProgress } from "./progress.ts";
import { EXIT_USAGE, fail, parseFlags, printJson, withContext } from "./run.ts";

const flagsSchema = z.object({
  days: z.coerce.number().int().min(1).max(3700).optional(),
  from: daySchema.optional(),
  to: daySchema.optional(),
  json: z.boolean().optional(),
});

export function registerSnapshots(program: Command): void {
  const group = program.command("snapshots").description("daily KPI snapshots the dashboards read");
  group
    .command("build")
    .description("rebuild the snapshots of a range of days (idempotent, one transaction, audited)")
    .option("--days <n>", "the last N days up to today in REPORTING_TIMEZONE")
    .option("--from <day>", `first day, ${DAY_FLAG_HELP}`)
    .option("--to <day>", `last day, ${DAY_FLAG_HELP}`)
    .option("--json", "print the result as JSON")
    .action(async (raw) => {
      const flags = parseFlags(flagsSchema, raw);
      const byDays = flags.days !== undefined;
      const byRange = flags.from !== undefined || flags.to !== undefined;
      if (byDays === byRange) fail("--days: give either --days N or --from D --to D", EXIT_USAGE);
      if (byRange && (flags.from === undefined || flags.to === undefined))
        fail(
          `--${flags.from === undefined ? "from" : "to"}: required with --${flags.from === undefined ? "to" : "from"}`,
          EXIT_USAGE,
        );
      await withContext(async (ctx) => {
        const tz = ctx.config.reportingTimezone;
        const today = dayOf(ctx.clock.now(), tz);
        const range = byDays
          ? { from: addDays(today, -(flags.days! - 1)), to: today }
          : { from: flags.from!, to: flags.to! };
        // One transaction of set-based stages: progress counts the stages as they finish.
        const progress = createProgress({ title: "snapshots build", unit: "stages", json: flags.json });
        let stages = 0;
        const result = await buildSnapshots(
          ctx,
          { ...range, onStage: (stage) => progress.update(++stages, `${stage.replace(/_/g, " ")} done`) },
          cliActor,
        );
        progress.finish(`${result.days} day(s) rebuilt`);
        if (flags.json) printJson({ ...range, ...result });
        else
          process.stdout.write(
            `snapshots rebuilt for ${range.from}..${range.to}: ${result.days} day(s), ${result.rows} row(s)\n`,
          );
      });
    });
}
