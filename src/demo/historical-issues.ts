import type { Actor } from "../audit/index.ts";
import { findUserByEmail } from "../auth/index.ts";
import type { AppContext } from "../context.ts";
import { listIssues, resolveIssue, runChecks } from "../monitoring/index.ts";
import { fulfillOrder } from "../orders/index.ts";
import type { SimClock } from "./order.ts";
import { DEMO_USERS } from "./users.ts";

const HOUR = 3_600_000;
const CHECK = "fulfillment-backlog";

/**
 * Two historical data-quality issues, resolved the two ways the product supports: orders left
 * unfulfilled past the SLA are found by the checks; one is shipped and the next run resolves its
 * issue (by system), the other is shipped and an operator resolves its issue with a note.
 */
export async function seedHistoricalIssues(
  sim: AppContext,
  clock: SimClock,
  actor: Actor,
  lateOrders: number[],
  day: number,
): Promise<number> {
  // The seed's own check runs stay out of the command's output (`seed-demo --json` prints JSON only).
  const quiet: AppContext = { ...sim, logger: sim.logger.child({}, { level: "warn" }) };
  clock.set(new Date(day + 24 * HOUR + sim.config.fulfillmentSlaHours * HOUR + 6 * HOUR));
  await runChecks(quiet, { check: CHECK, actor });
  const open = (await listIssues(sim, { status: "open", check: CHECK }, { page: 1, pageSize: 50 })).items;
  const [bySystem, byOps] = lateOrders;
  if (byOps !== undefined) {
    clock.advance(2 * HOUR);
    await fulfillOrder(
      { ...sim, clock },
      { orderId: byOps, reason: "shipped late (warehouse backlog)" },
      actor,
    );
    const issue = open.find((i) => i.fingerprint === `order:${byOps}`);
    const ops = await findUserByEmail(sim, DEMO_USERS.find((u) => u.role === "ops")!.email);
    if (issue && ops) {
      const opsActor: Actor = { type: "user", id: String(ops.id), role: "ops" };
      await resolveIssue(
        sim,
        { id: issue.id, note: "Shipped after a warehouse backlog; carrier confirmed delivery." },
        opsActor,
      );
    }
  }
  if (bySystem !== undefined) {
    clock.advance(HOUR);
    await fulfillOrder(
      { ...sim, clock },
      { orderId: bySystem, reason: "shipped late (warehouse backlog)" },
      actor,
    );
  }
  clock.advance(HOUR);
  await runChecks(quiet, { check: CHECK, actor });
  return open.length;
}
