import type { Command } from "commander";
import { z } from "zod";
import { cliActor } from "../audit/index.ts";
import { replayEvent, replayFailedEvents } from "../flows/index.ts";
import { syncFromStripe } from "../payments/sync.ts";
import { DAY_FLAG_HELP, daySchema } from "../shared/dates.ts";
import { EXIT_USAGE, fail, parseFlags, printJson, printTable, withContext } from "./run.ts";

const replayFlags = z.object({
  failed: z.boolean().optional(),
  event: z
    .string()
    .regex(/^evt_\w+$/, "must be a Stripe event id (evt_…)")
    .optional(),
  json: z.boolean().optional(),
});

const syncFlags = z.object({
  since: daySchema.optional(),
  json: z.boolean().optional(),
});

export function registerStripe(program: Command): void {
  const group = program.command("stripe").description("Stripe webhook inbox and backfill");

  group
    .command("replay")
    .description("re-run failed webhook events (--failed) or one event (--event evt_…)")
    .option("--failed", "every failed or stuck event, oldest first")
    .option("--event <id>", "one event by id")
    .option("--json", "print the result as JSON")
    .action(async (opts: unknown) => {
      const flags = parseFlags(replayFlags, opts);
      if (Boolean(flags.failed) === Boolean(flags.event))
        fail("give exactly one of --failed or --event ID", EXIT_USAGE);
      await withContext(async (ctx) => {
        const report = flags.event
          ? {
              attempted: 1,
              results: [{ eventId: flags.event, outcome: await replayEvent(ctx, flags.event, cliActor) }],
            }
          : await replayFailedEvents(ctx, cliActor);
        if (flags.json) printJson(report);
        else printTable(report.results as Array<Record<string, unknown>>);
        if (report.results.some((r) => r.outcome === "failed")) fail("some events failed again");
      });
    });

  group
    .command("sync")
    .description("backfill customers, charges, refunds, disputes, subscriptions and invoices from Stripe")
    .option("--since <date>", `only objects created on or after this day (${DAY_FLAG_HELP}, UTC)`)
    .option("--json", "print the counts as JSON")
    .action(async (opts: unknown) => {
      const flags = parseFlags(syncFlags, opts);
      await withContext(async (ctx) => {
        if (ctx.config.paymentsMode !== "stripe" || !ctx.config.stripeSecretKey) {
          fail("stripe sync needs PAYMENTS_MODE=stripe and STRIPE_SECRET_KEY", EXIT_USAGE);
        }
        const counts = await syncFromStripe(
          ctx,
          cliActor,
          flags.since ? { since: new Date(`${flags.since}T00:00:00Z`) } : {},
        );
        if (flags.json) printJson(counts);
        else printTable(Object.entries(counts).map(([resource, c]) => ({ resource, ...c })));
      });
    });
}
