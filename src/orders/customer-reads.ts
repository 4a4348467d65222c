import { count, desc, eq } from "drizzle-orm";
import type { ServiceContext } from "../context.ts";
import type { Order } from "./model.ts";
import { orders } from "./schema.ts";

/** Most order ids one customer profile looks at (their payments, issues and audit events). */
export const CUSTOMER_ORDER_IDS_LIMIT = 1000;

/**
 * The ids of a customer's orders, newest first (orders_customer_idx): what the profile uses to find
 * the payments, data-quality issues and audit events that name those orders.
 */
export async function orderIdsOfCustomer(ctx: ServiceContext, customerId: number): Promise<number[]> {
  const rows = await ctx.readDb
    .select({ id: orders.id })
    .from(orders)
    .where(eq(orders.customerId, customerId))
    .orderBy(desc(orders.id))
    .limit(CUSTOMER_ORDER_IDS_LIMIT);
  return rows.map((r) => r.id);
}

/** A customer's newest orders (at most `limit`) and how many they have in all, through orders_customer_idx. */
export async function ordersOfCustomer(
  ctx: ServiceContext,
  customerId: number,
  limit: number,
): Promise<{ orders: Order[]; total: number }> {
  const where = eq(orders.customerId, customerId);
  const [rows, [total]] = await Promise.all([
    ctx.readDb.select().from(orders).where(where).orderBy(desc(orders.id)).limit(limit),
    ctx.readDb.select({ n: count() }).from(orders).where(where),
  ]);
  return { orders: rows, total: total?.n ?? 0 };
}

/**
 * What a search box may mean by an order number: `RI-000123`, `ri-123` or `123` all name RI-000123
 * (numbers are the order id padded to six digits, see orderNumberFor); null when it cannot be one.
 */
export function orderNumberOf(text: string): string | null {
  const m = /^(?:ri-?)?0*(\d{1,9})$/i.exec(text.trim());
  if (!m) return null;
  return `RI-${m[1]!.padStart(6, "0")}`;
}
