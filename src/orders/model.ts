import type { DirtyDaysContext } from "../analytics/dirty.ts";
import type { Actor } from "../audit/index.ts";
import type { Db } from "../db/client.ts";
import { fixedClock } from "../shared/clock.ts";
import type { orderEvents, orderLines, orders } from "./schema.ts";

export type Order = typeof orders.$inferSelect;
export type OrderLine = typeof orderLines.$inferSelect;
export type OrderWithLines = Order & { lines: OrderLine[] };

/** Options every order service accepts: the reporting time zone for dirty-day marking. */
export interface OrderOptions {
  /** `ctx.config.reportingTimezone`, passed down by the caller (UTC when left out, as in tests). */
  timezone?: string;
}

export function timezoneOf(options?: OrderOptions): string {
  return options?.timezone ?? "UTC";
}

/** The transaction-scoped context `markDaysDirty` takes: the order's transaction, its zone and the time it decided. */
export function dirtyDaysContext(tx: Db, options: OrderOptions | undefined, at: Date): DirtyDaysContext {
  return { db: tx, config: { reportingTimezone: timezoneOf(options) }, clock: fixedClock(at) };
}

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
