import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { subscriptionHistory } from "../../db/schema.ts";
import { inTexts, queryRows } from "../../db/sql.ts";
import { type BillingInterval, type MrrItem, subscriptionMrr } from "../core/mrr-formula.ts";
import type { PlanWeight } from "../core/plan-split.ts";
import type { SubscriptionHistoryRow } from "../core/subscription-state.ts";
import { discountBoundaries, loadKnownDiscounts, mrrAt } from "./known-discounts.ts";

/** A subscription-history row with its MRR recomputed from its items (kpis.md), and its customer key. */
export interface HistoryState extends SubscriptionHistoryRow {
  subscriptionId: string;
  customerKey: string;
  currency: string;
  livemode: boolean;
  status: string;
  /** MRR at the state's own event time. */
  mrr: number;
  /** MRR of this state at `instant`: its discounts apply from their start until their end. */
  mrrAt?(instant: Date): number;
  /** Instants after the event at which this state's MRR changes (its discounts start or stop). */
  discountBoundaries?: Date[];
  /** The plans of its items with their monthly value before discounts (MRR by plan). */
  plans?: PlanWeight[];
}

interface DbRow extends Record<string, unknown> {
  subscription_id: string;
  event_created: Date | string;
  received_seq: number;
  stripe_customer_id: string;
  customer_id: number | null;
  status: string;
  currency: string;
  items: unknown;
  percent_off: number | null;
  discount_ids: unknown;
  current_period_start: Date | string | null;
  canceled_at: Date | string | null;
  ended_at: Date | string | null;
  livemode: boolean;
}

/** The plan of an item stored without a price id (older rows). */
export const UNKNOWN_PLAN = "unknown";

const INTERVALS = new Set(["day", "week", "month", "year"]);

/**
 * Every subscription state of one Stripe mode, MRR recomputed per the contract; with
 * `subscriptionIds`, only theirs (which must include every subscription of their Stripe customers,
 * whose links decide a subscription's customer key).
 */
export async function loadHistory(
  db: Db,
  livemode: boolean,
  subscriptionIds?: readonly string[],
): Promise<HistoryState[]> {
  const h = subscriptionHistory;
  // Raw rows (timestamps as sent, keys as the column names): the builder's per-row mapping is not
  // needed on the snapshot build's largest read.
  const rows = await queryRows<DbRow>(
    db,
    sql`SELECT ${sql.join(
      [
        h.subscriptionId,
        h.eventCreated,
        h.receivedSeq,
        h.stripeCustomerId,
        h.customerId,
        h.status,
        h.currency,
        h.items,
        h.percentOff,
        h.discountIds,
        h.currentPeriodStart,
        h.canceledAt,
        h.endedAt,
        h.livemode,
      ],
      sql`, `,
    )}
        FROM ${h} WHERE ${h.livemode} = ${livemode}
        ${subscriptionIds ? sql`AND ${inTexts(h.subscriptionId, subscriptionIds)}` : sql``}`,
  );
  // A subscription belongs to one customer: its linked customer id when any state has one.
  const linkedByStripe = new Map<string, number>();
  const linkedBySub = new Map<string, number>();
  for (const r of rows) {
    if (r.customer_id === null) continue;
    linkedByStripe.set(r.stripe_customer_id, Number(r.customer_id));
    linkedBySub.set(r.subscription_id, Number(r.customer_id));
  }
  const known = await loadKnownDiscounts(db);
  return rows.map((r) => {
    const linked = linkedBySub.get(r.subscription_id) ?? linkedByStripe.get(r.stripe_customer_id);
    const percentOff = r.percent_off === null ? null : Number(r.percent_off);
    const discountIds = parseIds(r.discount_ids);
    const state = { status: r.status, items: parseItems(r.items), percentOff, discountIds };
    const eventCreated = toDate(r.event_created);
    const boundaries = (discountIds ?? []).flatMap((id) => {
      const d = known.get(id);
      return d ? discountBoundaries(d) : [];
    });
    return {
      subscriptionId: r.subscription_id,
      customerKey: linked !== undefined ? String(linked) : r.stripe_customer_id,
      currency: r.currency.toLowerCase(),
      livemode: r.livemode,
      status: r.status,
      eventCreated,
      receivedSeq: Number(r.received_seq),
      currentPeriodStart: toDateOrNull(r.current_period_start),
      canceledAt: toDateOrNull(r.canceled_at),
      endedAt: toDateOrNull(r.ended_at),
      mrr: mrrAt(state, known, eventCreated),
      mrrAt: (instant: Date) => mrrAt(state, known, instant),
      discountBoundaries: boundaries.filter((b) => b.getTime() > eventCreated.getTime()),
      plans: state.items.map((item) => ({
        planId: item.priceId ?? UNKNOWN_PLAN,
        weight: subscriptionMrr({ status: "active", items: [item], percentOff: null }),
      })),
    };
  });
}

/** Items as stored: `{ unitAmount, interval, intervalCount, quantity }` (snake_case accepted too). */
export function parseItems(raw: unknown): MrrItem[] {
  const list = typeof raw === "string" ? JSON.parse(raw) : raw;
  if (!Array.isArray(list)) return [];
  return list.map((entry: Record<string, unknown>) => {
    const interval = String(entry.interval ?? "month");
    if (!INTERVALS.has(interval)) throw new RangeError(`unknown billing interval "${interval}"`);
    return {
      unitAmount: Number(entry.unitAmount ?? entry.unit_amount ?? 0),
      quantity: Number(entry.quantity ?? 1),
      interval: interval as BillingInterval,
      intervalCount: Number(entry.intervalCount ?? entry.interval_count ?? 1),
      ...((entry.priceId ?? entry.price_id) ? { priceId: String(entry.priceId ?? entry.price_id) } : {}),
    };
  });
}

function parseIds(raw: unknown): string[] | null {
  const list = typeof raw === "string" ? JSON.parse(raw) : raw;
  return Array.isArray(list) ? list.map(String) : null;
}

function toDate(v: Date | string): Date {
  return v instanceof Date ? v : new Date(v);
}

function toDateOrNull(v: Date | string | null): Date | null {
  return v === null ? null : toDate(v);
}

/** Group states by subscription (all states of one subscription share its currency and customer). */
export function bySubscription(states: HistoryState[]): Map<string, HistoryState[]> {
  const map = new Map<string, HistoryState[]>();
  for (const s of states) {
    const list = map.get(s.subscriptionId);
    if (list) list.push(s);
    else map.set(s.subscriptionId, [s]);
  }
  return map;
}

/** The MRR of a state at `instant` (its own `mrr` when it has no discounts to date). */
export function stateMrrAt(state: HistoryState, instant: Date): number {
  return state.mrrAt ? state.mrrAt(instant) : state.mrr;
}
