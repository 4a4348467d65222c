import { sql } from "drizzle-orm";
import { dayOf } from "../analytics/core/periods.ts";
import { buildSnapshots } from "../analytics/index.ts";
import type { Actor } from "../audit/index.ts";
import type { AppContext } from "../context.ts";
import { DAY_MS } from "./calendar.ts";
import type { DemoCatalog } from "./catalog.ts";
import { seedFxRates } from "./fx-rates.ts";
import { checkout, type OrderFate, type SimClock } from "./order.ts";

const MINUTE = 60_000;

interface FinishInput {
  today: number;
  now: Date;
  start: number;
  people: number[];
  catalog: DemoCatalog;
  rand: () => number;
  orders: Record<OrderFate, number> & { total: number };
}

/**
 * Today so far: a few paid orders waiting to ship and a few checkouts still open (younger than the
 * pending TTL); then the snapshots over the whole history in the reporting timezone.
 */
export async function finishSeed(
  sim: AppContext,
  clock: SimClock,
  actor: Actor,
  input: FinishInput,
): Promise<void> {
  const { now, rand, catalog, people } = input;
  const ttl = sim.config.pendingOrderTtlMinutes;
  const pick = () => people[Math.floor(rand() * people.length)]!;
  const item = () => [
    { productId: catalog.regular[Math.floor(rand() * catalog.regular.length)]!.id, quantity: 1 },
  ];
  const sinceMidnight = now.getTime() - input.today;
  for (let i = 0; i < 3 && sinceMidnight > 2 * 3_600_000; i++) {
    clock.set(new Date(input.today + Math.floor(((i + 0.5) / 3) * sinceMidnight * 0.8)));
    await checkout(sim, clock, actor, pick(), item(), "pay");
    input.orders.total += 1;
    input.orders.paid += 1;
  }
  for (let i = 0; i < 3; i++) {
    clock.set(new Date(now.getTime() - Math.max(1, Math.floor((ttl * (i + 1)) / 5)) * MINUTE));
    await checkout(sim, clock, actor, pick(), item(), "none");
    input.orders.total += 1;
    input.orders.pending += 1;
  }
  clock.set(now);
  const tz = sim.config.reportingTimezone;
  // Exchange rates for the converted view ("All currencies") over the whole history.
  await seedFxRates(sim, dayOf(new Date(input.start - 3 * DAY_MS), tz), dayOf(now, tz));
  // sim's clock stands at `now`: the build's audit row carries it.
  await buildSnapshots(
    sim,
    { from: dayOf(new Date(input.start - 3 * DAY_MS), tz), to: dayOf(now, tz) },
    actor,
  );
  // Planner statistics for the freshly loaded tables: the embedded engine runs no autovacuum, and
  // without them the KPI reads over the customer MRR snapshot took seconds instead of milliseconds.
  await sim.db.execute(sql`ANALYZE`);
}
