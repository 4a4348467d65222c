/** Row builder for the webhook inbox (stripe_events), inserted directly in any state. */
import type { Db } from "../../../src/db/client.ts";
import { stripeEvents } from "../../../src/payments/schema.ts";
import { at, next, type Over } from "./sequence.ts";

/**
 * A stored Stripe event (`evt_t<n>`, a failed one `evt_fail<n>`): a processed `charge.succeeded` received 2026-06-15 11:00 after
 * one attempt, unless told (a failed delivery: `status: "failed", attempts, lastError`).
 */
export async function makeStripeEvent(
  db: Db,
  over: Over<typeof stripeEvents.$inferInsert, "created" | "receivedAt"> = {},
) {
  const id = `evt_${over.status === "failed" ? "fail" : "t"}${next()}`;
  const receivedAt = at(over.receivedAt ?? "2026-06-15T11:00:00Z");
  const [row] = await db
    .insert(stripeEvents)
    .values({
      id,
      type: "charge.succeeded",
      livemode: false,
      payload: {},
      status: "processed",
      attempts: 1,
      ...over,
      created: at(over.created ?? receivedAt),
      receivedAt,
    })
    .returning();
  return row!;
}
