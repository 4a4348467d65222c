import type { sql } from "drizzle-orm";
import type { Db } from "../../../src/db/client.ts";
import { stripeEvents, subscriptionHistory, subscriptions } from "../../../src/db/schema.ts";

/** Small row builders for the checks' tests: each inserts one realistic row directly. */
let seq = 0;
const next = () => ++seq;

export async function insertEvent(db: Db, over: Partial<typeof stripeEvents.$inferInsert> = {}) {
  const at = over.receivedAt ?? new Date("2026-06-15T11:00:00Z");
  const [row] = await db
    .insert(stripeEvents)
    .values({
      id: `evt_test_${next()}`,
      type: "charge.succeeded",
      created: at,
      livemode: false,
      payload: {},
      receivedAt: at,
      status: "processed",
      attempts: 1,
      ...over,
    })
    .returning();
  return row!;
}

export async function insertSubscription(db: Db, over: Partial<typeof subscriptions.$inferInsert> = {}) {
  const at = over.created ?? new Date("2026-05-01T00:00:00Z");
  const [row] = await db
    .insert(subscriptions)
    .values({
      id: `sub_test_${next()}`,
      stripeCustomerId: "cus_test_1",
      status: "active",
      currency: "usd",
      items: [],
      created: at,
      currentPeriodStart: at,
      livemode: false,
      mrr: 2900,
      sourceEventCreated: at,
      ...over,
    })
    .returning();
  return row!;
}

export async function insertHistory(db: Db, subscriptionId: string, eventCreated: Date) {
  await db.insert(subscriptionHistory).values({
    subscriptionId,
    eventId: `evt_hist_${next()}`,
    eventCreated,
    receivedSeq: next(),
    stripeCustomerId: "cus_test_1",
    status: "active",
    currency: "usd",
    items: [],
    livemode: false,
    mrr: 2900,
  });
}

/** Raw update for conditions the services would never produce. */
export async function exec(db: Db, query: ReturnType<typeof sql>) {
  await db.execute(query);
}
