import type { Command } from "commander";
import { z } from "zod";
import { cliActor } from "../audit/index.ts";
import type { AppContext } from "../context.ts";
import { cancelOrder, fulfilOrder, refundOrderFromForm } from "../flows/index.ts";
import {
  expirePendingOrders,
  getOrder,
  getOrderByNumber,
  listOrders,
  ORDER_STATUSES,
} from "../orders/index.ts";
import { listOrderRefunds } from "../payments/index.ts";
import { AppError } from "../shared/errors.ts";
import { formatMoney } from "../shared/money.ts";
import { CliFailure, EXIT_USAGE, fail, parseFlags, printJson, printTable, withContext } from "./run.ts";

const idFlag = z.coerce.number().int().positive();
const actionFlags = z.object({
  id: idFlag,
  reason: z.string().min(3),
  carrier: z.string().optional(),
  trackingNumber: z.string().optional(),
  json: z.boolean().optional(),
});
const REFUND_REASONS = ["duplicate", "fraudulent", "requested_by_customer"] as const;
const refundFlags = z.object({
  order: z
    .string()
    .trim()
    .regex(/^(\d{1,12}|RI-[A-Z0-9]{1,20})$/i, "expected an order number like RI-002392 or an order id"),
  amount: z.string().trim().min(1, "expected an amount like 12.50"),
  reason: z.enum(REFUND_REASONS),
  restock: z.boolean().optional(),
  restockLine: z
    .array(
      z
        .string()
        .regex(/^\d{1,12}=\d{1,6}$/, "expected LINE=UNITS, e.g. 42=1")
        .transform((v) => v.split("=") as [string, string]),
    )
    .optional(),
  note: z.string().trim().max(500).optional(),
  json: z.boolean().optional(),
});

async function findOrder(ctx: AppContext, text: string) {
  const order = /^\d+$/.test(text)
    ? await getOrder(ctx, Number(text))
    : await getOrderByNumber(ctx, text.toUpperCase());
  if (!order) fail(`--order: no order ${text}`, EXIT_USAGE);
  return order;
}

/** A refused refund said of the flag that caused it (`amount: …` → `--amount: …`), exit 2 or 1. */
function asFlagError(err: unknown): unknown {
  if (!(err instanceof AppError)) return err;
  const field = typeof err.details?.field === "string" ? err.details.field : null;
  const flag = field?.startsWith("restock") ? "--restock-line" : field ? `--${field}` : null;
  const message =
    flag && field && err.message.startsWith(`${field}: `)
      ? `${flag}: ${err.message.slice(field.length + 2)}`
      : err.message;
  return new CliFailure(message, err.status === 400 ? EXIT_USAGE : 1);
}

export function registerOrders(program: Command): void {
  const orders = program
    .command("orders")
    .description("list orders, fulfill, cancel or refund them, expire unpaid ones");

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
        const { orders: rows, total } = await listOrders(ctx, {
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
    const command = orders
      .command(name)
      .description(what)
      .requiredOption("--id <id>", "order id")
      .requiredOption("--reason <text>", "why (recorded in the audit log)");
    if (name === "fulfill")
      command
        .option("--carrier <name>", "the parcel's carrier (with --tracking-number; the customer sees both)")
        .option("--tracking-number <number>", "the parcel's tracking number (with --carrier)");
    command.option("--json", "print the order as JSON").action(async (raw) => {
      const flags = parseFlags(actionFlags, raw);
      await withContext(async (ctx) => {
        const input = { orderId: flags.id, reason: flags.reason };
        const parcel = { carrier: flags.carrier, trackingNumber: flags.trackingNumber };
        const order = await run(ctx, { ...input, ...parcel }, cliActor);
        if (flags.json) printJson(order);
        else process.stdout.write(`order ${order.number} is ${order.status}\n`);
      });
    });
  }

  orders
    .command("refund")
    .description("refund an order in full or in part, optionally putting units back in stock (audited)")
    .requiredOption("--order <order>", "order number as shown (RI-002392) or order id")
    .requiredOption("--amount <amount>", "in the currency's units (12.50), never minor units")
    .requiredOption("--reason <reason>", `one of ${REFUND_REASONS.join(", ")}`)
    .option("--restock", "put every unit back (an order not shipped yet)")
    .option(
      "--restock-line <line=units>",
      "put units of one line back (repeatable; a shipped order names what came back)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option("--note <text>", "kept with the refund and in the audit log")
    .option("--json", "print the refund as JSON")
    .action(async (raw) => {
      const flags = parseFlags(refundFlags, raw);
      await withContext(async (ctx) => {
        const order = await findOrder(ctx, flags.order);
        const body: Record<string, string> = {
          amount: flags.amount,
          reason: flags.reason,
          restock: flags.restock ? "all" : flags.restockLine ? "lines" : "none",
          ...(flags.note ? { note: flags.note } : {}),
        };
        for (const [line, units] of flags.restockLine ?? []) body[`restock_line_${line}`] = units;
        const refund = await refundOrderFromForm(ctx, order.id, body, cliActor).catch((err: unknown) => {
          throw asFlagError(err);
        });
        // What the ledger says now (offline, Stripe's webhook is in already; live, it may still be pending).
        const known = (await listOrderRefunds(ctx.db, order.id)).find((r) => r.id === refund.refundId);
        const status = known?.status ?? refund.status;
        if (flags.json)
          return printJson({ order: order.number, ...refund, status, currency: order.currency });
        process.stdout.write(
          `refund ${refund.refundId} of ${formatMoney(refund.amount, order.currency)} on order ${order.number}: ` +
            `${status}; ${formatMoney(refund.refundable, order.currency)} still refundable\n`,
        );
      });
    });

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
