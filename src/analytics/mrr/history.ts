import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { queryRows } from "../../db/sql.ts";
import { type BillingInterval, type MrrItem, subscriptionMrr } from "../core/mrr.ts";
import type { SubscriptionHistoryRow } from "../core/subscription-state.ts";

/** A subscription-history row with its MRR recomputed from its items (kpis.md), and its customer key. */
export interface HistoryState extends SubscriptionHistoryRow {
  subscriptionId: string;
  customerKey: string;
  currency: string;
  livemode: boolean;
  status: string;
  mrr: number;
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
  current_period_start: Date | string | null;
  canceled_at: Date | string | null;
  ended_at: Date | string | null;
  livemode: boolean;
}

const INTERVALS = new Set(["day", "week", "month", "year"]);

/** Every subscription state of one Stripe mode, MRR recomputed per the contract. */
export async function loadHistory(db: Db, livemode: boolean): Promise<HistoryState[]> {
  const rows = await queryRows<DbRow>(
    db,
    sql`SELECT subscription_id, event_created, received_seq, stripe_customer_id, customer_id, status,
               currency, items, percent_off, current_period_start, canceled_at, ended_at, livemode
        FROM subscription_history WHERE livemode = ${livemode}`,
  );
  // A subscription belongs to one customer: its linked customer id when any state has one.
  const linkedByStripe = new Map<string, number>();
  const linkedBySub = new Map<string, number>();
  for (const r of rows) {
    if (r.customer_id === null) continue;
    linkedByStripe.set(r.stripe_customer_id, Number(r.customer_id));
    linkedBySub.set(r.subscription_id, Number(r.customer_id));
  }
  const latestStripe = new Map<string, string>();
  for (const r of rows) latestStripe.set(r.subscription_id, r.stripe_customer_id);
  return rows.map((r) => {
    const linked = linkedBySub.get(r.subscription_id) ?? linkedByStripe.get(r.stripe_customer_id);
    const percentOff = r.percent_off === null ? null : Number(r.percent_off);
    return {
      subscriptionId: r.subscription_id,
      customerKey: linked !== undefined ? String(linked) : r.stripe_customer_id,
      currency: r.currency.toLowerCase(),
      livemode: r.livemode,
      status: r.status,
      eventCreated: toDate(r.event_created),
      receivedSeq: Number(r.received_seq),
      currentPeriodStart: toDateOrNull(r.current_period_start),
      canceledAt: toDateOrNull(r.canceled_at),
      endedAt: toDateOrNull(r.ended_at),
      mrr: subscriptionMrr({ status: r.status, items: parseItems(r.items), percentOff }),
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
    };
  });
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
