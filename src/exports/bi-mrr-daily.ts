import { sql } from "drizzle-orm";
import type { BillingInterval, MrrItem } from "../analytics/core/mrr-formula.ts";
import { stateAt } from "../analytics/core/subscription-state.ts";
import { customers, subscriptionHistory as h } from "../db/schema.ts";
import { queryRows } from "../db/sql.ts";
import {
  type DiscountedState,
  type KnownDiscount,
  loadKnownDiscounts,
  mrrAt,
} from "../subscriptions/index.ts";
import { money, text } from "./columns.ts";
import { keyset } from "./keyset.ts";
import { type PackScope, packFile } from "./pack.ts";
import { asDate, asNumber } from "./values.ts";

interface State {
  eventCreated: Date;
  receivedSeq: number;
  currentPeriodStart: Date | null;
  canceledAt: Date | null;
  endedAt: Date | null;
  status: string;
  currency: string;
  /** What MRR needs; taken at each day's end, as discounts start and stop (kpis.md). */
  priced: DiscountedState;
  customerId: number | null;
}

/** Items as stored on a history row (camelCase, snake_case accepted), for the MRR core. */
function items(raw: unknown): MrrItem[] {
  const list = typeof raw === "string" ? JSON.parse(raw) : raw;
  if (!Array.isArray(list)) return [];
  return list.map((e: Record<string, unknown>) => ({
    unitAmount: Number(e.unitAmount ?? e.unit_amount ?? 0),
    quantity: Number(e.quantity ?? 1),
    interval: String(e.interval ?? "month") as BillingInterval,
    intervalCount: Number(e.intervalCount ?? e.interval_count ?? 1),
  }));
}

/** The history of a page of subscriptions up to the end of the period; MRR recomputed per kpis.md. */
async function histories(
  scope: PackScope,
  ids: string[],
): Promise<{ bySubscription: Map<string, State[]>; known: Map<string, KnownDiscount> }> {
  const rows = await queryRows<Record<string, unknown>>(
    scope.db,
    sql`
      SELECT ${h.subscriptionId}, ${h.eventCreated}, ${h.receivedSeq}, ${h.currentPeriodStart}, ${h.canceledAt},
        ${h.endedAt}, ${h.status}, ${h.currency}, ${h.items}, ${h.percentOff}, ${h.discountIds},
        coalesce(${h.customerId}, ${customers.id}) AS customer_id
      FROM ${h} LEFT JOIN ${customers} ON ${customers.stripeCustomerId} = ${h.stripeCustomerId}
      WHERE ${h.subscriptionId} IN ${ids} AND ${h.livemode} = ${scope.livemode} AND ${h.eventCreated} <= ${scope.end}
      ORDER BY ${h.subscriptionId}`,
  );
  const bySubscription = new Map<string, State[]>();
  for (const r of rows) {
    const status = String(r.status);
    const percentOff = asNumber(r.percent_off);
    const state: State = {
      eventCreated: asDate(r.event_created)!,
      receivedSeq: Number(r.received_seq),
      currentPeriodStart: asDate(r.current_period_start),
      canceledAt: asDate(r.canceled_at),
      endedAt: asDate(r.ended_at),
      status,
      currency: String(r.currency).toLowerCase(),
      priced: { status, items: items(r.items), percentOff, discountIds: discountIds(r.discount_ids) },
      customerId: asNumber(r.customer_id),
    };
    const list = bySubscription.get(String(r.subscription_id));
    if (list) list.push(state);
    else bySubscription.set(String(r.subscription_id), [state]);
  }
  const used = [...new Set([...bySubscription.values()].flat().flatMap((s) => s.priced.discountIds ?? []))];
  return { bySubscription, known: await loadKnownDiscounts(scope.db, used) };
}

function discountIds(raw: unknown): string[] | null {
  const list = typeof raw === "string" ? JSON.parse(raw) : raw;
  return Array.isArray(list) ? list.map(String) : null;
}

interface MrrDay {
  day: string;
  subscriptionId: string;
  customerKey: string | null;
  currency: string;
  status: string;
  mrr: number;
}

/**
 * Grain: one subscription on one day of the period on which its MRR at end of day is above 0.
 * End of day D is the first instant of D+1 and a state counts when its event was created at or
 * before it (kpis.md), so summing `mrr` over a day and currency gives that day's `mrr` KPI.
 */
export const factSubscriptionMrrDailyFile = packFile<MrrDay>({
  name: "fact_subscription_mrr_daily.csv",
  columns: [
    text("date_key", (r) => r.day),
    text("subscription_id", (r) => r.subscriptionId),
    text("customer_key", (r) => r.customerKey),
    text("currency", (r) => r.currency),
    text("status", (r) => r.status),
    money("mrr", (r) => r.mrr),
  ],
  async *rows(scope) {
    const subscriptions = keyset<{ subscription_id: string }>(
      scope.db,
      scope.pageSize,
      (last) => sql`
        SELECT DISTINCT ${h.subscriptionId} FROM ${h}
        WHERE ${h.livemode} = ${scope.livemode} AND ${h.eventCreated} <= ${scope.end}
          AND ${h.subscriptionId} > ${last ? last.subscription_id : ""}
        ORDER BY ${h.subscriptionId} LIMIT ${scope.pageSize}`,
    );
    let page: string[] = [];
    const flush = async function* () {
      const { bySubscription: loaded, known } = await histories(scope, page);
      page = [];
      for (const [subscriptionId, states] of loaded) {
        const customerId = states.find((s) => s.customerId !== null)?.customerId ?? null;
        for (const [index, day] of scope.days.days.entries()) {
          const endOfDay = scope.days.boundaries[index + 1]!;
          const state = stateAt(states, endOfDay);
          const mrr = state ? mrrAt(state.priced, known, endOfDay) : 0;
          if (!state || mrr <= 0) continue;
          yield {
            day,
            subscriptionId,
            customerKey: scope.customerKey(customerId),
            currency: state.currency,
            status: state.status,
            mrr,
          };
        }
      }
    };
    for await (const { subscription_id } of subscriptions) {
      page.push(subscription_id);
      if (page.length >= 500) yield* flush();
    }
    if (page.length > 0) yield* flush();
  },
});
