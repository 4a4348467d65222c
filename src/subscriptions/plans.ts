import { sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import type { SubscriptionObject } from "../payments/stripe/stripe-objects.ts";
import { plans } from "./schema.ts";

/** Recurring prices seen on a subscription's items become plans (last seen wins). */
export async function upsertPlans(tx: Db, sub: SubscriptionObject): Promise<void> {
  for (const item of sub.items?.data ?? []) {
    const price = item.price;
    if (!price?.recurring) continue;
    const values = {
      id: price.id,
      productName: typeof price.product === "string" ? price.product : "product",
      nickname: price.nickname ?? null,
      currency: price.currency,
      unitAmount: price.unit_amount ?? 0,
      interval: price.recurring.interval,
      intervalCount: price.recurring.interval_count ?? 1,
      active: price.active !== false,
      livemode: price.livemode,
    };
    await tx
      .insert(plans)
      .values(values)
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
