/** Row builder for data-quality issues (inserted directly, in any state). */
import type { Db } from "../../../src/db/client.ts";
import { dataQualityIssues } from "../../../src/monitoring/schema.ts";
import { next } from "./sequence.ts";

/** An open warning of `orders.paid_without_charge` on order <n>, seen 2026-06-01 and 06-02, unless told. */
export async function makeIssue(db: Db, over: Partial<typeof dataQualityIssues.$inferInsert> = {}) {
  const n = next();
  const [row] = await db
    .insert(dataQualityIssues)
    .values({
      check: "orders.paid_without_charge",
      fingerprint: `order:${n}`,
      severity: "warning",
      title: `Order ${n} is paid with no charge`,
      details: { orderId: n },
      status: "open",
      firstSeen: new Date("2026-06-01T00:00:00Z"),
      lastSeen: new Date("2026-06-02T00:00:00Z"),
      ...over,
    })
    .returning();
  return row!;
}
