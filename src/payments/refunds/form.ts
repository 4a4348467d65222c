import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Actor } from "../../audit/index.ts";
import type { AppContext } from "../../context.ts";
import { orders } from "../../db/schema.ts";
import { NotFoundError, ValidationError } from "../../shared/errors.ts";
import { minorUnitDigits } from "../../shared/money.ts";
import { parseInput } from "../../shared/validate.ts";
import { createRefund } from "./service.ts";

const refundForm = z.object({
  amount: z
    .string()
    .trim()
    .regex(/^\d+(\.\d{1,3})?$/, "must be an amount like 12.50"),
  reason: z.enum(["duplicate", "fraudulent", "requested_by_customer"]).default("requested_by_customer"),
  note: z.string().trim().max(500).optional(),
  restock: z.enum(["none", "all", "lines"]).default("none"),
  idempotency_key: z.string().min(8).max(200).optional(),
});

/**
 * The ops refund form: amount in major units ("12.50"), restock none / all / lines, with
 * `restock_line_<lineId>` = units for the lines choice. Validation names the field.
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
  const digits = minorUnitDigits(order.currency);
  const [whole = "0", fraction = ""] = form.amount.split(".");
  if (fraction.length > digits) throw new ValidationError(`amount: at most ${digits} decimals`, "amount");
  const amount = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  const lines = Object.entries(body)
    .map(([key, value]) => [key.match(/^restock_line_(\d+)$/)?.[1], String(value ?? "").trim()] as const)
    .filter(([id, qty]) => id !== undefined && /^\d+$/.test(qty) && Number(qty) > 0)
    .map(([id, qty]) => ({ lineId: Number(id), quantity: Number(qty) }));
  if (form.restock === "lines" && lines.length === 0) {
    throw new ValidationError("restock: choose at least one line and quantity", "restock");
  }
  const restock = form.restock === "all" ? true : form.restock === "lines" ? { lines } : false;
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
  );
}
