import { sql } from "drizzle-orm";
import { type Db, withoutAnswer } from "../db/client.ts";
import { bare } from "../db/sql.ts";
import { plans } from "./schema.ts";
import type { SubscriptionRead } from "./stripe-inputs.ts";

/** Recurring prices seen on a subscription's items become plans (last seen wins). */
export async function upsertPlans(tx: Db, sub: SubscriptionRead): Promise<void> {
  for (const price of sub.prices) {
    await withoutAnswer(() =>
      tx
        .insert(plans)
        .values({ ...price, unitAmount: Math.round(price.unitAmount) })
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
  }
}
