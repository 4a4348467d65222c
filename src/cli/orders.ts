import type { Command } from "commander";
import { z } from "zod";
import { cliActor } from "../audit/index.ts";
import { cancelOrder, fulfilOrder } from "../flows/index.ts";
import { expirePendingOrders, listOrders, ORDER_STATUSES } from "../orders/index.ts";
import { parseFlags, printJson, printTable, withContext } from "./run.ts";

const idFlag = z.coerce.number().int().positive();
const actionFlags = z.object({ id: idFlag, reason: z.string().min(3), json: z.boolean().optional() });

export function registerOrders(program: Command): void {
  const orders = program
    .command("orders")
    .description("list orders, fulfill or cancel them, expire unpaid ones");

  orders
    .command("list")
    .description("newest orders first")
    .option("--status <status>", `one of ${ORDER_STATUSES.join(", ")}`)
    .option("--customer <id>", "only this customer's orders")
    .option("--limit <n>", "how many (default 50, max 500)")
    .option("--json", "print as JSON")
    .action(async (raw) => {
      const flags = parseFlags(
        z.object({
          status: z.enum(ORDER_STATUSES).optional(),
          customer: idFlag.optional(),
          limit: z.coerce.number().int().min(1).max(500).optional(),
          json: z.boolean().optional(),
        }),
        raw,
      );
      await withContext(async (ctx) => {
        const { orders: rows, total } = await listOrders(ctx.db, {
          status: flags.status,
          customerId: flags.customer,
          limit: flags.limit,
        });
        if (flags.json) return printJson({ total, orders: rows });
        printTable(
          rows.map((o) => ({
            id: o.id,
            number: o.number,
            status: o.status,
            customer: o.customerId,
            total: o.amountTotal,
            refunded: o.amountRefunded,
            currency: o.currency,
            created: o.createdAt.toISOString(),
          })),
        );
      });
    });

  for (const [name, run, what] of [
    ["fulfill", fulfilOrder, "mark a paid order fulfilled (audited)"],
    ["cancel", cancelOrder, "cancel a pending order and release its stock (audited)"],
  ] as const) {
    orders
      .command(name)
      .description(what)
      .requiredOption("--id <id>", "order id")
      .requiredOption("--reason <text>", "why (recorded in the audit log)")
      .option("--json", "print the order as JSON")
      .action(async (raw) => {
        const flags = parseFlags(actionFlags, raw);
        await withContext(async (ctx) => {
          const order = await run(ctx, { orderId: flags.id, reason: flags.reason }, cliActor);
          if (flags.json) printJson(order);
          else process.stdout.write(`order ${order.number} is ${order.status}\n`);
        });
      });
  }

  orders
    .command("expire")
    .description("cancel pending orders older than PENDING_ORDER_TTL_MINUTES (what the worker runs)")
    .option("--json", "print the count as JSON")
    .action(async (raw) => {
      const flags = parseFlags(z.object({ json: z.boolean().optional() }), raw);
      await withContext(async (ctx) => {
        const expired = await expirePendingOrders(ctx);
        if (flags.json) printJson({ expired });
        else process.stdout.write(`expired ${expired} pending order(s)\n`);
      });
    });
}
