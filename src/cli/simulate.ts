import type { Command } from "commander";
import { z } from "zod";
import { simulateTraffic } from "../offline/index.ts";
import { createProgress } from "./progress.ts";
import { EXIT_USAGE, fail, parseFlags, printJson, printTable, withContext } from "./run.ts";

const flags = z.object({
  days: z.coerce.number().int().min(1).max(365).default(7),
  seed: z.coerce.number().int().min(0).default(1),
  json: z.boolean().optional(),
});

export function registerSimulate(program: Command): void {
  program
    .command("simulate")
    .description("offline mode: generate shop and subscription traffic through the real webhook path")
    .option("--days <n>", "days of traffic ending now", "7")
    .option("--seed <s>", "seed: the same seed gives the same traffic", "1")
    .option("--json", "print the report as JSON")
    .action(async (opts: unknown) => {
      const f = parseFlags(flags, opts);
      await withContext(async (ctx) => {
        if (ctx.config.paymentsMode !== "offline")
          fail("simulate runs only with PAYMENTS_MODE=offline", EXIT_USAGE);
        const progress = createProgress({ title: "simulate", unit: "days", total: f.days, json: f.json });
        const report = await simulateTraffic(ctx, {
          days: f.days,
          seed: f.seed,
          onDay: (done) => progress.update(done),
        });
        progress.finish();
        if (f.json) printJson(report);
        else printTable([report as unknown as Record<string, unknown>]);
      });
    });
}
