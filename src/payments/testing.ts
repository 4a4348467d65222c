/** Test helpers for the payments area: sign events like Stripe and deliver them. */
import { sql } from "drizzle-orm";
import type { AppContext } from "../context.ts";
import { queryRows } from "../db/sql.ts";
import { type ReceiveResult, receiveWebhook } from "./inbox/receive.ts";
import { signEvent } from "./stripe/sign.ts";
import type { StripeEventObject } from "./stripe/stripe-objects.ts";

export function signedNow(ctx: AppContext, event: object, secret = ctx.config.stripeWebhookSecrets[0]!) {
  return signEvent(event, secret, Math.floor(ctx.clock.now().getTime() / 1000));
}

/** Delivers an event through the real path (verify → inbox → handler), as the route does. */
export function deliver(ctx: AppContext, event: StripeEventObject): Promise<ReceiveResult> {
  const { payload, header } = signedNow(ctx, event);
  return receiveWebhook(ctx, payload, header);
}

export async function countRows(ctx: AppContext, table: string): Promise<number> {
  const rows = await queryRows<{ n: number }>(ctx.db, sql.raw(`SELECT count(*)::int AS n FROM ${table}`));
  return Number(rows[0]?.n ?? 0);
}

export async function eventRow(ctx: AppContext, id: string) {
  const rows = await queryRows<{ status: string; attempts: number; last_error: string | null }>(
    ctx.db,
    sql`SELECT status, attempts, last_error, next_attempt_at FROM stripe_events WHERE id = ${id}`,
  );
  return rows[0];
}
