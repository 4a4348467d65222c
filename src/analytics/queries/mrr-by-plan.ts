import { sql } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { plans } from "../../db/schema.ts";
import { queryRows } from "../../db/sql.ts";
import { addDays } from "../core/periods.ts";
import { rate } from "../core/rates.ts";
import { resolveParams } from "../params.ts";
import { snapPlanMrr } from "../schema.ts";
import type { KpiParams, PlanMrr } from "../types.ts";

/**
 * MRR by plan (per currency, from the plan MRR snapshots): each plan's part of MRR at the end of
 * the period and at its start (the end of the day before `from`), with its paying subscriptions.
 * Plans with MRR at either end, largest at the end first; the parts add up to `mrr` of the same
 * instant. Names come from the plans catalog (product name and nickname).
 */
export async function getMrrByPlan(ctx: ServiceContext, params: KpiParams): Promise<PlanMrr[]> {
  const p = await resolveParams(ctx, params, "snapshots");
  const s = snapPlanMrr;
  const latest = (day: string) =>
    sql`SELECT DISTINCT ON (${s.planId}) ${s.planId} AS plan_id, ${s.mrr} AS mrr, ${s.subscriptions} AS subscriptions
        FROM ${s}
        WHERE ${s.livemode} = ${p.livemode} AND ${s.currency} = ${p.currency} AND ${s.day} <= ${day}::date
        ORDER BY ${s.planId}, ${s.day} DESC`;
  const rows = await queryRows<{
    plan_id: string;
    product_name: string | null;
    nickname: string | null;
    mrr: number;
    subscriptions: number;
    mrr_start: number;
  }>(
    ctx.readDb,
    sql`SELECT coalesce(e.plan_id, b.plan_id) AS plan_id, ${plans.productName} AS product_name,
               ${plans.nickname} AS nickname, coalesce(e.mrr, 0)::bigint AS mrr,
               coalesce(e.subscriptions, 0)::int AS subscriptions, coalesce(b.mrr, 0)::bigint AS mrr_start
        FROM (${latest(p.to)}) e
        FULL JOIN (${latest(addDays(p.from, -1))}) b ON b.plan_id = e.plan_id
        LEFT JOIN ${plans} ON ${plans.id} = coalesce(e.plan_id, b.plan_id)
        WHERE coalesce(e.mrr, 0) > 0 OR coalesce(b.mrr, 0) > 0`,
  );
  const total = rows.reduce((sum, r) => sum + Number(r.mrr), 0);
  return rows
    .map((r) => ({
      plan_id: r.plan_id,
      name: planName(r.plan_id, r.product_name, r.nickname),
      mrr: Number(r.mrr),
      mrr_start: Number(r.mrr_start),
      subscriptions: Number(r.subscriptions),
      share: rate(Number(r.mrr), total),
    }))
    .sort((a, b) => b.mrr - a.mrr || b.mrr_start - a.mrr_start || a.plan_id.localeCompare(b.plan_id));
}

function planName(id: string, product: string | null, nickname: string | null): string {
  if (product === null) return id;
  return nickname ? `${product} · ${nickname}` : product;
}
