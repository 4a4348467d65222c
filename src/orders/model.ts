import type { DirtyDaysContext } from "../analytics/dirty.ts";
import type { Actor } from "../audit/index.ts";
import type { orderEvents, orderLines, orders } from "./schema.ts";

export type Order = typeof orders.$inferSelect;
export type OrderLine = typeof orderLines.$inferSelect;
export type OrderWithLines = Order & { lines: OrderLine[] };

/**
 * What the in-transaction order steps take: the service context with `db` the caller's transaction,
 * `{ ...ctx, db: tx }` (the reporting zone from `ctx.config`, the marking time from `ctx.clock`).
 */
export type OrderTxContext = DirtyDaysContext;

/** Human-readable order number from the row id: RI-000123 (grows past six digits, stays unique). */
export function orderNumberFor(id: number): string {
  return `RI-${String(id).padStart(6, "0")}`;
}

/** How much can still be refunded: the unrefunded rest of a paid or fulfilled order, else 0. */
export function refundableAmount(order: Pick<Order, "status" | "amountTotal" | "amountRefunded">): number {
  if (order.status !== "paid" && order.status !== "fulfilled") return 0;
  return Math.max(0, order.amountTotal - order.amountRefunded);
}

export function eventActor(actor: Actor): Pick<typeof orderEvents.$inferInsert, "actorType" | "actorId"> {
  const type = actor.type === "api_token" ? "user" : actor.type;
  return { actorType: type, actorId: actor.type === "api_token" ? `token:${actor.id}` : actor.id };
}

/** Operators' changes are audited; the system's and Stripe's are recorded in order_events only. */
export function isOperator(actor: Actor): boolean {
  return actor.type === "user" || actor.type === "cli" || actor.type === "api_token";
}
