/** Row builders for orders and their lines (inserted directly, test mode). */
import type { Db } from "../../../src/db/client.ts";
import { orderLines, orders } from "../../../src/orders/schema.ts";
import { at, next, type Over, type When } from "./sequence.ts";

export interface LineInput {
  productId: number;
  quantity: number;
  unitPrice: number;
  unitCost?: number | null;
  name?: string;
}

type OrderInput = Over<typeof orders.$inferInsert, "createdAt" | "updatedAt" | "paidAt"> & {
  paidAt?: When | null;
  /** One line per entry (SKU `SKU-<product id>`); the order's amounts default to their sum. */
  lines?: LineInput[];
};

/**
 * An order `RI-T<n>` of customer 1 in usd, paid when it was created (2026-06-10 unless told), for
 * 50.00 or the sum of its `lines`. A pending order has no `paidAt`; `paidAt: null` alone makes it pending.
 */
export async function makeOrder(db: Db, input: OrderInput = {}) {
  const n = next();
  const { lines = [], paidAt, createdAt, updatedAt, ...over } = input;
  const linesTotal = lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0);
  const total = over.amountTotal ?? (lines.length > 0 ? linesTotal : 5000);
  const status = over.status ?? (paidAt === null ? "pending" : "paid");
  const created = at(createdAt ?? paidAt ?? "2026-06-10T10:00:00Z");
  const [order] = await db
    .insert(orders)
    .values({
      number: `RI-T${String(n).padStart(6, "0")}`,
      customerId: 1,
      currency: "usd",
      amountSubtotal: total,
      ...over,
      status,
      amountTotal: total,
      createdAt: created,
      paidAt: status === "pending" || paidAt === null ? null : at(paidAt ?? created),
      updatedAt: at(updatedAt ?? created),
    })
    .returning();
  for (const line of lines)
    await makeOrderLine(db, {
      orderId: order!.id,
      productId: line.productId,
      name: line.name ?? `Product ${line.productId}`,
      quantity: line.quantity,
      unitPriceAmount: line.unitPrice,
      unitCostAmount: line.unitCost ?? null,
    });
  return order!;
}

/** One order line: 2 × 25.00 of the product unless told; its total is quantity × unit price. */
export async function makeOrderLine(
  db: Db,
  over: Partial<typeof orderLines.$inferInsert> & { orderId: number; productId: number },
) {
  const quantity = over.quantity ?? 2;
  const unitPriceAmount = over.unitPriceAmount ?? 2500;
  const [row] = await db
    .insert(orderLines)
    .values({
      sku: `SKU-${over.productId}`,
      name: `Product ${over.productId}`,
      amountTotal: quantity * unitPriceAmount,
      ...over,
      quantity,
      unitPriceAmount,
    })
    .returning();
  return row!;
}
