import type { Command } from "commander";
import { z } from "zod";
import { seedDemo } from "../demo/seed.ts";
import { createProgress } from "./progress.ts";
import { EXIT_USAGE, fail, parseFlags, printJson, withContext } from "./run.ts";

const flags = z.object({
  seed: z.coerce.number().int().min(0).default(42),
  customers: z.coerce.number().int().min(1).max(100_000).default(2000),
  months: z.coerce.number().int().min(1).max(36).default(12),
  json: z.boolean().optional(),
});

export function registerSeed(program: Command): void {
  program
    .command("seed-demo")
    .description("deterministic demo data through the real services and the offline Stripe path")
    .option("--seed <n>", "random seed", "42")
    .option("--customers <n>", "number of customers", "2000")
    .option("--months <n>", "months of history", "12")
    .option("--json", "print counts as JSON")
    .action(async (raw) => {
      const opts = parseFlags(flags, raw);
      await withContext(async (ctx) => {
        // Demo payments are signed like Stripe's: never into a shop that takes real payments.
        if (ctx.config.paymentsMode !== "offline")
          fail("seed-demo runs only with PAYMENTS_MODE=offline", EXIT_USAGE);
        const progress = createProgress({ title: "seed-demo", unit: "steps", json: opts.json });
        const result = await seedDemo(ctx, {
          ...opts,
          onProgress: (done, total, step) => progress.update(done, step, total),
        });
        progress.finish();
        if (opts.json) printJson(result);
        else process.stdout.write(`seeded: ${JSON.stringify(result)}\n`);
      });
    });
}
