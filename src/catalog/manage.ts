import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { type Actor, audit } from "../audit/index.ts";
import type { ServiceContext } from "../context.ts";
import type { Db } from "../db/client.ts";
import { currencyCode } from "../shared/currencies.ts";
import { daySchema } from "../shared/dates.ts";
import { ConflictError, NotFoundError, ValidationError } from "../shared/errors.ts";
import { parseInput } from "../shared/validate.ts";
import type { Product } from "./products.ts";
import { products, stockMovements } from "./schema.ts";
import { staysAboveFloor } from "./stock.ts";

const MAX_STOCK = 1_000_000;
const optionalInt = (max: number) => z.coerce.number().int().min(0).max(max).nullable();

const fields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(5000).default(""),
  category: z.string().trim().min(1).max(100).default("General"),
  priceAmount: z.coerce.number().int().min(0).max(100_000_000),
  currency: currencyCode,
  unitCostAmount: optionalInt(100_000_000).default(null),
  allowPreorder: z.boolean().default(false),
  preorderLimit: optionalInt(MAX_STOCK).default(null),
  preorderShipDate: daySchema.nullable().default(null),
  active: z.boolean().default(true),
};
export const productCreateSchema = z.object({
  sku: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9._-]+$/, "letters, digits, dot, dash or underscore only"),
  ...fields,
  stockOnHand: z.coerce.number().int().min(0).max(MAX_STOCK).default(0),
});
export const productUpdateSchema = z.object(fields);

/** The audit summary of a product (no PII in products, so the editable fields). */
function summary(p: Product): Record<string, unknown> {
  const { createdAt: _c, updatedAt: _u, description: _d, ...rest } = p;
  return rest;
}

/** The product, locked for the rest of the transaction: the audited "before" must not change under it. */
async function lockProduct(tx: Db, id: number): Promise<Product> {
  const [row] = await tx.select().from(products).where(eq(products.id, id)).for("update");
  if (!row) throw new NotFoundError("Product");
  return row;
}

export async function createProduct(ctx: ServiceContext, input: unknown, actor: Actor): Promise<Product> {
  const data = parseInput(productCreateSchema, input);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [dupe] = await tx.select({ id: products.id }).from(products).where(eq(products.sku, data.sku));
    if (dupe) throw new ValidationError(`sku: "${data.sku}" is already used`, "sku");
    const [row] = await tx
      .insert(products)
      .values({ ...data, createdAt: now, updatedAt: now })
      .returning();
    if (data.stockOnHand > 0) {
      await tx.insert(stockMovements).values({
        productId: row!.id,
        delta: data.stockOnHand,
        reason: "receive",
        note: "initial stock",
        at: now,
      });
    }
    await audit(tx, actor, "product.create", { type: "product", id: row!.id }, summary(row!), null, now);
    return row!;
  });
}

/** Edit everything but the stock (stock moves only through adjustStock, with a reason). */
export async function updateProduct(
  ctx: ServiceContext,
  id: number,
  input: unknown,
  actor: Actor,
): Promise<Product> {
  const data = parseInput(productUpdateSchema, input);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const before = await lockProduct(tx, id);
    const floorOk =
      before.stockOnHand >= 0 ||
      (data.allowPreorder && (data.preorderLimit ?? Infinity) >= -before.stockOnHand);
    if (!floorOk) {
      throw new ValidationError(
        `preorderLimit: ${-before.stockOnHand} units are already sold on preorder`,
        "preorderLimit",
      );
    }
    const [after] = await tx
      .update(products)
      .set({ ...data, updatedAt: now })
      .where(eq(products.id, id))
      .returning();
    await audit(tx, actor, "product.update", { type: "product", id }, summary(after!), summary(before), now);
    return after!;
  });
}

export const stockAdjustSchema = z.object({
  delta: z.coerce
    .number()
    .int()
    .min(-MAX_STOCK)
    .max(MAX_STOCK)
    .refine((n) => n !== 0, "must not be zero"),
  reason: z.string().trim().min(3, "give a reason (at least 3 characters)").max(500),
});

/**
 * Add or remove units by hand (a delivery, a stock count, damage). Audited with the stock before and
 * after and the reason; refused (409) when it would take stock below its floor.
 */
export async function adjustStock(
  ctx: ServiceContext,
  id: number,
  input: unknown,
  actor: Actor,
): Promise<Product> {
  const data = parseInput(stockAdjustSchema, input);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const before = await lockProduct(tx, id);
    const [row] = await tx
      .update(products)
      .set({ stockOnHand: sql`${products.stockOnHand} + ${data.delta}`, updatedAt: now })
      .where(and(eq(products.id, id), staysAboveFloor(data.delta)))
      .returning({ id: products.id });
    if (!row) throw new ConflictError("stock.insufficient", `Stock of "${before.name}" cannot go that low`);
    const stockAfter = before.stockOnHand + data.delta;
    await tx.insert(stockMovements).values({
      productId: id,
      delta: data.delta,
      reason: "adjust",
      note: data.reason,
      at: now,
    });
    await audit(
      tx,
      actor,
      "product.stock_adjust",
      { type: "product", id },
      { stockOnHand: stockAfter, delta: data.delta, reason: data.reason },
      { stockOnHand: before.stockOnHand },
      now,
    );
    return { ...before, stockOnHand: stockAfter, updatedAt: now };
  });
}
