import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { loadHistory } from "../mrr/history.ts";
import { customerMrrChanges } from "../mrr/timeline.ts";
import { snapCustomerMrr } from "../schema.ts";

const BATCH = 1000;

/**
 * Customer MRR change rows for the whole subscription history (both modes). A late event changes
 * MRR from its day onward, so the table is replaced as a whole; it holds one row per customer per
 * day with a change, far fewer than orders.
 */
export async function buildCustomerMrr(db: Db, timezone: string): Promise<number> {
  await db.execute(sql`DELETE FROM snap_customer_mrr`);
  let rows = 0;
  for (const livemode of [false, true]) {
    const changes = customerMrrChanges(await loadHistory(db, livemode), timezone);
    for (let i = 0; i < changes.length; i += BATCH) {
      await db.insert(snapCustomerMrr).values(changes.slice(i, i + BATCH));
    }
    rows += changes.length;
  }
  return rows;
}
