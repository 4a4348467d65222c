import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import { cliActor } from "../audit/index.ts";
import { importFxRates } from "../flows/index.ts";
import { listRates } from "../fx/index.ts";
import { DAY_FLAG_HELP, daySchema } from "../shared/dates.ts";
import { EXIT_USAGE, fail, parseFlags, printJson, printTable, withContext } from "./run.ts";

const importFlags = z.object({ json: z.boolean().optional() });

const listFlags = z
  .object({
    pair: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{3}\/[A-Za-z]{3}$/, "expected a pair like EUR/USD")
      .transform((p) => p.toLowerCase().split("/") as [string, string]),
    from: daySchema.optional(),
    to: daySchema.optional(),
    json: z.boolean().optional(),
  })
  .refine((f) => !f.from || !f.to || f.to >= f.from, { path: ["to"], message: "must be on or after from" });

export function registerFx(program: Command): void {
  const fx = program.command("fx").description("exchange rates of the converted view (kpis.md)");
  fx.command("import")
    .description("import an ECB reference-rate CSV (Date,USD,JPY,… per euro); idempotent, all rows or none")
    .argument("<file>", "the CSV file (eurofxref.csv or eurofxref-hist.csv, unzipped)")
    .option("--json", "print the result as JSON")
    .action(async (file: string, raw) => {
      const flags = parseFlags(importFlags, raw);
      const text = await readFile(file, "utf8").catch(() =>
        fail(`${basename(file)}: cannot read the file`, EXIT_USAGE),
      );
      await withContext(async (ctx) => {
        const result = await importFxRates(ctx, { text, name: basename(file) }, cliActor);
        const summary = { rates: result.rates, changed: result.changed.length, dirty_days: result.dirtyDays };
        if (flags.json) printJson(summary);
        else
          process.stdout.write(
            `${summary.rates} rates read, ${summary.changed} new or changed, ${summary.dirty_days} days marked for a snapshot rebuild\n`,
          );
      });
    });
  fx.command("list")
    .description("the stored rates of a pair, with their source")
    .requiredOption("--pair <base/quote>", "the pair as stored, e.g. EUR/USD (units of USD per euro)")
    .option("--from <day>", `first day, ${DAY_FLAG_HELP}`)
    .option("--to <day>", `last day, ${DAY_FLAG_HELP}`)
    .option("--json", "print the rows as JSON")
    .action(async (raw) => {
      const flags = parseFlags(listFlags, raw);
      const [base, quote] = flags.pair;
      await withContext(async (ctx) => {
        const rows = await listRates(
          { ...ctx, db: ctx.readDb },
          { base, quote, from: flags.from, to: flags.to },
        );
        if (flags.json) printJson(rows);
        else
          printTable(
            rows.map((r) => ({ ...r, pair: `${r.base.toUpperCase()}/${r.quote.toUpperCase()}` })),
            ["day", "pair", "rate", "source"],
          );
      });
    });
}
