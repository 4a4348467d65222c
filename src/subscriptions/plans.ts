import { sql } from "drizzle-orm";
import { type Db, withoutAnswer } from "../db/client.ts";
import { definedKeys, encodeRow, rowParams, StatementsByShape } from "../db/prepared.ts";
import { bare } from "../db/sql.ts";
import { plans } from "./schema.ts";
import type { SubscriptionRead } from "./stripe-inputs.ts";

/** Recurring prices seen on a subscription's items become plans (last seen wins). */
export async function upsertPlans(tx: Db, sub: SubscriptionRead): Promise<void> {
  for (const price of sub.prices) {
    const row = { ...price, unitAmount: Math.round(price.unitAmount) };
    const keys = definedKeys(row);
    const values = encodeRow(plans, row, keys);
    await withoutAnswer(() => upsertPlan.for(plans, keys).run(tx, values));
  }
}

/** Built once per row shape (see Statement). */
const upsertPlan = new StatementsByShape((db, table, keys) =>
  db
    .insert(table)
    .values(rowParams(keys))
    .onConflictDoUpdate({
      target: plans.id,
      set: {
        nickname: sql`excluded.${bare(plans.nickname)}`,
        unitAmount: sql`excluded.${bare(plans.unitAmount)}`,
        active: sql`excluded.${bare(plans.active)}`,
      },
      setWhere: sql`(${plans.nickname}, ${plans.unitAmount}, ${plans.active}) IS DISTINCT FROM
                  (excluded.${bare(plans.nickname)}, excluded.${bare(plans.unitAmount)}, excluded.${bare(plans.active)})`,
    }),
);
