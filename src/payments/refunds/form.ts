import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Actor } from "../../audit/index.ts";
import type { AppContext } from "../../context.ts";
import { orders } from "../../db/schema.ts";
import { NotFoundError, ValidationError } from "../../shared/errors.ts";
import { parseAmountField } from "../../shared/money.ts";
import { parseInput } from "../../shared/validate.ts";
import { createRefund } from "./service.ts";

const refundForm = z.object({
  amount: z.string({ error: "enter the amount to refund" }).trim().min(1, "enter the amount to refund"),
  reason: z.enum(["duplicate", "fraudulent", "requested_by_customer"]).default("requested_by_customer"),
  note: z.string().trim().max(500).optional(),
  /** Omitted: "lines" when any line quantity is given, otherwise "none". */
  restock: z.enum(["none", "all", "lines"]).optional(),
  idempotency_key: z.string().min(8).max(200).optional(),
});

/**
 * The ops refund form (the order page's dialog, and the CLI's flags): amount in the currency's units
 * ("12.50", never minor units), restock none / all / lines, with `restock_line_<lineId>` = units to
 * put back for the lines choice (given quantities alone mean "lines"). Validation names the field.
 */
export async function createRefundFromForm(
  ctx: AppContext,
  orderId: number,
  body: Record<string, unknown>,
  actor: Actor,
) {
  const form = parseInput(refundForm, body);
  const [order] = await ctx.db
    .select({ currency: orders.currency })
    .from(orders)
    .where(eq(orders.id, orderId));
  if (!order) throw new NotFoundError("Order");
  const amount = parseAmountField(form.amount, order.currency, "amount");
  if (amount === 0) throw new ValidationError("amount: must be more than 0", "amount");
  const lines: Array<{ lineId: number; quantity: number }> = [];
  for (const [key, value] of Object.entries(body)) {
    const id = key.match(/^restock_line_(\d+)$/)?.[1];
    const qty = String(value ?? "").trim();
    if (id === undefined || qty === "" || qty === "0") continue;
    if (!/^\d{1,6}$/.test(qty)) throw new ValidationError(`${key}: must be a whole number of units`, key);
    lines.push({ lineId: Number(id), quantity: Number(qty) });
  }
  const mode = form.restock ?? (lines.length > 0 ? "lines" : "none");
  if (mode === "lines" && lines.length === 0) {
    throw new ValidationError("restock: choose at least one line and quantity", "restock");
  }
  const restock = mode === "all" ? true : mode === "lines" ? { lines } : false;
  return createRefund(
    ctx,
    {
      orderId,
      amount,
      reason: form.reason,
      ...(form.note ? { note: form.note } : {}),
      restock,
      ...(form.idempotency_key ? { idempotencyKey: form.idempotency_key } : {}),
    },
    actor,
  ).catch((err: unknown) => {
    throw namedForForm(err, lines);
  });
}

/** `restock.lines.1.quantity: …` from the rules, said of the form's field (`restock_line_42: …`). */
function namedForForm(err: unknown, lines: Array<{ lineId: number }>): unknown {
  if (!(err instanceof ValidationError)) return err;
  const index = err.field?.match(/^restock\.lines\.(\d+)\./)?.[1];
  const line = index === undefined ? undefined : lines[Number(index)];
  if (!line || !err.field) return err;
  const field = `restock_line_${line.lineId}`;
  return new ValidationError(err.message.replace(err.field, field), field);
}
