import { sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { plans } from "./schema.ts";
import type { SubscriptionRead } from "./stripe-inputs.ts";

/** Recurring prices seen on a subscription's items become plans (last seen wins). */
export async function upsertPlans(tx: Db, sub: SubscriptionRead): Promise<void> {
  for (const price of sub.prices) {
    await tx
      .insert(plans)
      .values({ ...price, unitAmount: Math.round(price.unitAmount) })
      .onConflictDoUpdate({
        target: plans.id,
        set: {
          nickname: sql`excluded.nickname`,
          unitAmount: sql`excluded.unit_amount`,
          active: sql`excluded.active`,
        },
        setWhere: sql`(${plans.nickname}, ${plans.unitAmount}, ${plans.active}) IS DISTINCT FROM
                      (excluded.nickname, excluded.unit_amount, excluded.active)`,
      });
  }
}
