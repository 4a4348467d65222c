import { sql } from "drizzle-orm";
import { type Actor, audit } from "../../audit/index.ts";
import type { ServiceContext } from "../../context.ts";
import { bare, bareList } from "../../db/sql.ts";
import { ValidationError } from "../../shared/errors.ts";
import { buildAmounts, buildSubscriptionMrr } from "../converted/build.ts";
import { eachDay, endOfPeriod, parseDay, startOfDay } from "../core/periods.ts";
import type { HistoryState } from "../mrr/history.ts";
import { snapBuiltDays, snapCustomerMrr } from "../schema.ts";
import type { BuildResult, SnapshotRange } from "../types.ts";
import { buildCohorts } from "./cohorts.ts";
import { customersOnly, rebuildCustomerDays } from "./customer-days.ts";
import { buildLedger, buildOrders, buildProducts, builtInZone, type DayRange } from "./facts.ts";
import { buildOutsideGaps, hasRowsOutside, recountOutsideDays } from "./later-days.ts";
import { buildCustomerMrr, buildDailyMrr, rebuildCustomerMrrOf } from "./mrr-build.ts";
import { type MrrRebuild, mrrRebuild, recordMrrSource } from "./sources.ts";

/** The stages of a build, in order (each one set-based statement per table). */
export type BuildStage =
  | "orders"
  | "outside_days"
  | "outside_gaps"
  | "products"
  | "cohorts"
  | "customer_mrr"
  | "daily_mrr"
  | "converted_amounts"
  | "ledger"
  | "subscription_mrr";

/** Serialises snapshot builds (worker and CLI) so two never interleave their writes. */
const SNAPSHOT_LOCK = 7_240_006;
const MAX_DAYS = 3700;

/**
 * Rebuild the snapshots of `from`..`to` in one transaction (idempotent: the same data gives
 * identical rows), audited as `snapshots.build`. Daily tables are replaced for the range (the
 * ledger, customer-day, product and amount-count rows by writing only those that differ), cohorts
 * for the months it touches, customer MRR as a whole (a late event moves it onward; with
 * `skipUnchangedMrr`, only when its inputs changed since the build that wrote it). Days are cut in
 * `ctx.config.reportingTimezone` unless the range names a zone; the audit row carries `ctx.clock`
 * time.
 */
export async function buildSnapshots(
  ctx: ServiceContext,
  range: SnapshotRange & {
    /** Called after each stage with its name, duration and rows (the bench's per-stage figures). */
    onStage?: (stage: BuildStage, ms: number, rows: number) => void;
    /**
     * Skip the whole-history MRR stages when nothing they read changed since the build that wrote
     * them (`snap_sources`), or recompute only the customers of the subscriptions whose history
     * changed (`snap_mrr_subscriptions`): the worker's dirty-day job. Explicit builds (CLI, admin page) always
     * recompute everything, so a rebuild repairs any snapshot row.
     */
    skipUnchangedMrr?: boolean;
    /**
     * With `skipUnchangedMrr`: the worker saw no `mrr_input_changes` row that an earlier build of its
     * job did not already take in, so the MRR stages are skipped without hashing the whole history
     * (see `mrrRebuild`).
     */
    mrrInputsUnchanged?: boolean;
    /**
     * Only these customers' paid orders changed in the range: the customers named by the range's
     * marks, which stay in `dirty_days` until the job ends (the worker's dirty-day job; a row of
     * theirs that lost its orders is found on a day a mark names them on). Recompute their
     * customer-day rows and adjust what counts them, leaving every other customer's, when the days
     * they lie in were built in the range's zone (`customersOnly`).
     */
    paidOrdersOf?: number[];
    /**
     * Every change in the range is arrivals only (`DayChange.arrived`): the product and amount
     * counts add the pending orders and charges instead of recounting the days, when every day was
     * built in the range's zone (the worker's dirty-day job).
     */
    arrivalsOnly?: boolean;
  },
  actor: Actor,
): Promise<BuildResult> {
  const now = ctx.clock.now();
  const timezone = range.timezone ?? ctx.config.reportingTimezone;
  const from = parseDay(range.from, "from");
  const to = parseDay(range.to, "to");
  if (to < from) throw new ValidationError("to: must be on or after from", "to");
  const days = eachDay(from, to).length;
  if (days > MAX_DAYS) throw new ValidationError(`to: at most ${MAX_DAYS} days per build`, "to");
  const r: DayRange = {
    from,
    to,
    timezone,
    start: startOfDay(from, timezone),
    end: endOfPeriod(to, timezone),
  };
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${SNAPSHOT_LOCK})`);
    // Daily x product groups of a year do not fit the default 4 MB: let them hash in memory.
    await tx.execute(sql`SET LOCAL work_mem = '128MB'`);
    const customers =
      range.paidOrdersOf !== undefined && (await customersOnly(tx, r, range.paidOrdersOf))
        ? range.paidOrdersOf
        : undefined;
    // Customer by customer already means every day of the range was built in its zone.
    const arrivals = range.arrivalsOnly === true && (customers !== undefined || (await builtInZone(tx, r)));
    // The days this build writes, in its zone (what the cohorts stage may count from customer-day rows).
    await tx.execute(sql`
      INSERT INTO ${snapBuiltDays} (${bareList(snapBuiltDays.day, snapBuiltDays.timezone)})
      SELECT d::date, ${timezone} FROM generate_series(${from}::timestamp, ${to}::timestamp, interval '1 day') d
      ON CONFLICT (${bare(snapBuiltDays.day)}) DO UPDATE SET ${bare(snapBuiltDays.timezone)} = excluded.timezone
      WHERE ${snapBuiltDays.timezone} <> excluded.timezone`);
    let rows = 0;
    const stage = async (name: BuildStage, run: () => Promise<number>) => {
      const started = performance.now();
      const n = await run();
      range.onStage?.(name, performance.now() - started, n);
      rows += n;
    };
    if (customers) {
      // Their rows, the days and cohorts that count them, in one statement (no later-day stages).
      await stage("orders", () => rebuildCustomerDays(tx, r, customers));
    } else {
      let outside: string[] = [];
      await stage("orders", async () => {
        const built = await buildOrders(tx, r, await hasRowsOutside(tx, r));
        outside = built.outsideDays;
        return built.rows;
      });
      await stage("outside_days", () => recountOutsideDays(tx, outside));
      await stage("outside_gaps", () => buildOutsideGaps(tx, outside));
    }
    await stage("products", () => buildProducts(tx, r, arrivals));
    if (!customers) await stage("cohorts", () => buildCohorts(tx, r));
    // MRR is computed from the whole subscription history: the worker skips it when neither it (nor
    // the discounts, the zone or the MRR tables) changed since the build that wrote those tables, and
    // recomputes only the customers of the subscriptions whose history changed when only that did.
    const histories = new Map<boolean, HistoryState[]>();
    const scope = new Map<boolean, string[]>();
    let mrr: MrrRebuild = { kind: "all", inputs: "" };
    await stage("customer_mrr", async () => {
      mrr = await mrrRebuild(
        tx,
        r.timezone,
        range.skipUnchangedMrr === true,
        range.mrrInputsUnchanged === true,
      );
      if (mrr.kind === "unchanged") return 0;
      if (mrr.kind === "subscriptions")
        return rebuildCustomerMrrOf(tx, r.timezone, mrr.changed, (livemode, states, ids) => {
          histories.set(livemode, states);
          scope.set(livemode, ids);
        });
      const n = await buildCustomerMrr(tx, r.timezone, (livemode, states) => histories.set(livemode, states));
      // The table was rewritten whole (on a first build, from empty): planning the churn and retention
      // read on its old statistics joined every starting customer against every change by nested
      // loop (49 instead of 1 ms at 600 each on a fresh 1,000,000-order shop) until autovacuum came by.
      await tx.execute(sql`ANALYZE ${snapCustomerMrr}`);
      return n;
    });
    await stage("daily_mrr", async () => (mrr.kind === "unchanged" ? 0 : buildDailyMrr(tx)));
    await stage("converted_amounts", () => buildAmounts(tx, r, arrivals));
    // Summed from the amount counts just written.
    await stage("ledger", () => buildLedger(tx, r));
    await stage("subscription_mrr", async () => {
      if (mrr.kind === "unchanged") return 0;
      const n = await buildSubscriptionMrr(
        tx,
        r.timezone,
        histories,
        mrr.kind === "subscriptions" ? scope : undefined,
      );
      await recordMrrSource(tx, mrr);
      return n;
    });
    await audit(
      tx,
      actor,
      "snapshots.build",
      { type: "snapshots", id: `${from}..${to}` },
      { from, to, timezone: r.timezone, days, rows },
      null,
      now,
    );
    return { days, rows };
  });
}
