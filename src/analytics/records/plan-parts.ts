import type { Db } from "../../db/client.ts";
import { splitByPlan } from "../core/plan-split.ts";
import { bySubscription, loadHistory, stateMrrAt } from "../mrr/history.ts";
import { stateChanges } from "../mrr/timeline.ts";
import type { PlanPart } from "./sources.ts";

/**
 * Each subscription's part of one plan's MRR at the end of `day`, from the subscription history by
 * the rule of the plan snapshots (planMrrChanges): the subscription's latest state taking effect by
 * then, its MRR at that instant split between its items' plans (`splitByPlan`). Subscriptions whose
 * part is 0 are left out, so the parts add up to the plan's figure of MRR by plan.
 */
export async function planPartsAt(
  db: Db,
  scope: { livemode: boolean; currency: string; timezone: string },
  planId: string,
  day: string,
): Promise<PlanPart[]> {
  const states = (await loadHistory(db, scope.livemode, planId)).filter((s) => s.currency === scope.currency);
  const parts: PlanPart[] = [];
  for (const rows of bySubscription(states).values()) {
    if (!rows.some((r) => r.plans?.some((p) => p.planId === planId))) continue;
    const sorted = [...rows].sort((a, b) => a.eventCreated.getTime() - b.eventCreated.getTime());
    const head = sorted[sorted.length - 1]!;
    let part = 0;
    let whole = 0;
    for (const change of stateChanges(sorted, scope.timezone)) {
      if (change.day > day) break;
      whole = stateMrrAt(change.state, change.instant);
      part = splitByPlan(whole, change.state.plans ?? []).get(planId) ?? 0;
    }
    if (part > 0) {
      parts.push({
        subscription_id: head.subscriptionId,
        customer_key: head.customerKey,
        day,
        mrr: part,
        subscription_mrr: whole,
      });
    }
  }
  return parts;
}
