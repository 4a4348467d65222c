/** Row builders for the payments ledger: charges, refunds, disputes (inserted directly, test mode). */
import type { Db } from "../../../src/db/client.ts";
import { charges, disputes, refunds } from "../../../src/payments/schema.ts";
import { at, next, type Over } from "./sequence.ts";

/**
 * A charge (`ch_t<n>`): 50.00 usd succeeded on 2026-06-10 unless told; `paid` follows the status;
 * the event that stored it is dated as it was created.
 */
export async function makeCharge(db: Db, over: Over<typeof charges.$inferInsert, "created"> = {}) {
  const id = `ch_t${next()}`;
  const created = at(over.created ?? "2026-06-10T10:00:00Z");
  const status = over.status ?? "succeeded";
  const [row] = await db
    .insert(charges)
    .values({
      id,
      amount: 5000,
      currency: "usd",
      paid: status === "succeeded",
      livemode: false,
      sourceEventCreated: created,
      ...over,
      status,
      created,
    })
    .returning();
  return row!;
}

/** A refund (`re_t<n>`): 10.00 usd succeeded on 2026-06-11 unless told, on no charge unless told. */
export async function makeRefund(db: Db, over: Over<typeof refunds.$inferInsert, "created"> = {}) {
  const id = `re_t${next()}`;
  const created = at(over.created ?? "2026-06-11T10:00:00Z");
  const [row] = await db
    .insert(refunds)
    .values({
      id,
      amount: 1000,
      currency: "usd",
      status: "succeeded",
      livemode: false,
      sourceEventCreated: created,
      ...over,
      created,
    })
    .returning();
  return row!;
}

/** A dispute (`dp_t<n>`): 7.00 usd needing a response, opened 2026-06-12 on `ch_disputed` unless told. */
export async function makeDispute(db: Db, over: Over<typeof disputes.$inferInsert, "created"> = {}) {
  const id = `dp_t${next()}`;
  const created = at(over.created ?? "2026-06-12T10:00:00Z");
  const [row] = await db
    .insert(disputes)
    .values({
      id,
      chargeId: "ch_disputed",
      amount: 700,
      currency: "usd",
      status: "needs_response",
      livemode: false,
      sourceEventCreated: created,
      ...over,
      created,
    })
    .returning();
  return row!;
}
