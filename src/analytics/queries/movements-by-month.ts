import type { ServiceContext } from "../../context.ts";
import { resolveParams } from "../params.ts";
import type { KpiParams, MonthMovements } from "../types.ts";
import { bucketsOf } from "./buckets.ts";
import { snapshotMrrPeriod } from "./mrr-from-snapshots.ts";

/** MRR movements per calendar month of `from`..`to` (first and last month clipped to the period). */
export async function getMrrMovementsByMonth(
  ctx: ServiceContext,
  params: KpiParams,
): Promise<MonthMovements[]> {
  const db = ctx.readDb;
  const p = await resolveParams(ctx, params, "snapshots");
  const result: MonthMovements[] = [];
  for (const b of bucketsOf(p.from, p.to, "month")) {
    const m = await snapshotMrrPeriod(db, p, b.period, b.to);
    result.push({ month: b.period.slice(0, 7), mrr_start: m.mrrStart, mrr_end: m.mrrEnd, ...m.movements });
  }
  return result;
}
