import type { Command } from "commander";
import { z } from "zod";
import { cliActor } from "../audit/index.ts";
import { customersInactiveFor } from "../customers/index.ts";
import { anonymizeCustomerData, anonymizeInactiveCustomerData } from "../flows/index.ts";
import { fail, parseFlags, printJson, withContext } from "./run.ts";

const flags = z.object({
  id: z.coerce.number().int().positive().optional(),
  olderThan: z.coerce.number().int().min(1).optional(),
  dryRun: z.boolean().optional(),
  json: z.boolean().optional(),
});

export function registerCustomers(program: Command): void {
  const customers = program.command("customers").description("customer data governance");

  customers
    .command("anonymize")
    .description(
      "replace a customer's e-mail, name and country with a pseudonym and remove their orders' shipping addresses (orders, payments and the ledger are kept)",
    )
    .option("--id <id>", "the customer to anonymize (an erasure request)")
    .option(
      "--older-than <days>",
      "retention: every customer with no activity (orders, charges, invoices, subscriptions) in that many days",
    )
    .option("--dry-run", "with --older-than: list who would be anonymized, change nothing")
    .option("--json", "print the result as JSON")
    .action(async (raw) => {
      const opts = parseFlags(flags, raw);
      if ((opts.id === undefined) === (opts.olderThan === undefined))
        fail("--id or --older-than: give exactly one", 2);
      await withContext(async (ctx) => {
        const base = { actor: cliActor };
        if (opts.id !== undefined) {
          const outcome = await anonymizeCustomerData(ctx, opts.id, { ...base, reason: "request" });
          if (opts.json) printJson(outcome);
          else
            process.stdout.write(
              outcome.changed
                ? `customer ${opts.id} anonymized (${outcome.logins} login(s) deactivated)\n`
                : `customer ${opts.id} was already anonymized\n`,
            );
          return;
        }
        const days = opts.olderThan!;
        if (opts.dryRun) {
          const ids = await customersInactiveFor(ctx, days);
          if (opts.json) printJson({ dryRun: true, olderThanDays: days, customerIds: ids });
          else
            process.stdout.write(
              `${ids.length} customer(s) with no activity in ${days} days would be anonymized\n`,
            );
          return;
        }
        const outcomes = await anonymizeInactiveCustomerData(ctx, days, base);
        if (opts.json) printJson({ olderThanDays: days, anonymized: outcomes.map((o) => o.customerId) });
        else
          process.stdout.write(
            `${outcomes.length} customer(s) with no activity in ${days} days anonymized\n`,
          );
      });
    });
}
